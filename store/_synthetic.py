"""Synthetic page outcomes for the benchmark and the tests: deterministic for a given seed.

Texts mix Chinese characters and English words, so the trigram index and the simhash see both;
hot and recommended blocks draw their links from small pools, as real portals push the same
stories from many pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scraper._records import Article, Fetched, FrontierEntry, Image, Link, LinkBlock
from store._records import PageOutcome

HOSTS = ("news.example.cn", "www.example.com", "portal.example.net", "daily.example.org")
TOPICS = ("politics", "economy", "society", "sports", "tech", "culture", "health", "world")
_CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你主年动工"
_WORDS = ("city", "market", "health", "team", "science", "policy", "river", "school", "energy")
START = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SyntheticTopic:
    """Stand-in with the two attributes the store reads from ``classifier.Topic``."""

    label: str
    score: float


def synthetic_text(rng: random.Random, chars: int = 600) -> str:
    """Random mixed Chinese/English text of about ``chars`` characters."""
    parts: list[str] = []
    size = 0
    while size < chars:
        piece = "".join(rng.choices(_CJK, k=rng.randint(8, 30))) + "。"
        if rng.random() < 0.3:
            piece += " " + " ".join(rng.choices(_WORDS, k=4)) + ". "
        parts.append(piece)
        size += len(piece)
    return "".join(parts)


def synthetic_outcome(
    n: int, rng: random.Random, *, crawl_id: int = 1, links_per_block: int = 8
) -> PageOutcome:
    """Outcome number ``n``: a fetched article with two link blocks, two images, two topics."""
    host = HOSTS[n % len(HOSTS)]
    url = f"https://{host}/a/{n}.html"
    when = START + timedelta(minutes=7 * n)
    hot = tuple(
        Link(f"热点 {k}", f"https://{host}/hot/{k}.html") for k in rng.sample(range(300), 5)
    )
    related = tuple(
        Link(f"推荐 {k}", f"https://{host}/rec/{k}.html", "2026-01-01", "新华社")
        for k in rng.sample(range(5000), links_per_block)
    )
    article = Article(
        url=url,
        title=f"第{n}号新闻 {rng.choice(_WORDS)} {''.join(rng.choices(_CJK, k=8))}",
        text=synthetic_text(rng),
        canonical_url=url,
        site=host,
        lang="zh",
        published=when,
        authors=("记者",),
        source="新华社",
        section=("新闻", rng.choice(("国内", "国际", "社会"))),
        images=(Image(f"https://{host}/i/{n}.jpg", "图为现场"), Image(f"https://{host}/j/{n}.jpg")),
        link_blocks=(
            LinkBlock("hot", "热点推荐", hot, 0),
            LinkBlock("recommended", "相关推荐", related, 1),
        ),
        encoding="utf-8",
    )
    fetched = Fetched(url, url, 200, {"content-type": "text/html; charset=utf-8", "etag": f'"{n}"'},
                      b"x" * 2048, "utf-8", when, 12.5)  # fmt: skip
    labels = rng.sample(TOPICS, 2)
    topics = (SyntheticTopic(labels[0], 0.8), SyntheticTopic(labels[1], 0.1))
    discovered = (FrontierEntry(f"https://{host}/a/{n + 1000000}.html", 1, 0.5, "article", url),)
    return PageOutcome(url, crawl_id, fetched, article, topics, "synthetic-model",
                       discovered=discovered)  # fmt: skip


def article_outcome(
    url: str,
    title: str,
    text: str,
    *,
    crawl_id: int,
    topics: tuple[SyntheticTopic, ...] = (),
    published: datetime | None = START,
    canonical_url: str | None = None,
    duplicate_of: str | None = None,
    etag: str | None = None,
) -> PageOutcome:
    """A fetched article page with a 相关推荐 and a 热点推荐 block and one captioned image."""
    related = (
        Link("相关一", f"{url}/r1", "2026-01-01 10:00", "新华网"),
        Link("相关二", f"{url}/r2"),
    )
    hot = (Link("热点一", "https://hot.example.cn/h1"), Link("热点二", "https://hot.example.cn/h2"))
    article = Article(
        url=url,
        title=title,
        text=text,
        canonical_url=canonical_url or url,
        site="示例网",
        lang="zh",
        published=published,
        section=("新闻", "社会"),
        images=(Image(f"{url}.jpg", "图为救助站"),),
        link_blocks=(
            LinkBlock("related", "相关推荐", related, 0),
            LinkBlock("hot", "热点推荐", hot, 1),
        ),
    )
    headers = {"content-type": "text/html"} | ({"etag": etag} if etag else {})
    fetched = Fetched(url, url, 200, headers, text.encode(), "utf-8", START, 5.0)
    return PageOutcome(url, crawl_id, fetched, article, topics, "test-model" if topics else None,
                       duplicate_of=duplicate_of)  # fmt: skip
