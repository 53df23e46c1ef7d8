"""URL rules: canonical form, scope and the article-shape score."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.urls import (
    Scope,
    ScopeOptions,
    _canonicalize_cached,
    canonicalize,
    looks_like_article,
    registered_domain,
)

CANONICAL_CASES = [
    ("HTTP://WWW.Example.COM/a", None, "http://www.example.com/a"),
    ("http://example.com", None, "http://example.com/"),
    ("http://example.com:80/x", None, "http://example.com/x"),
    ("https://example.com:443/x", None, "https://example.com/x"),
    ("https://example.com:8443/x", None, "https://example.com:8443/x"),
    ("http://example.com/a#section", None, "http://example.com/a"),
    ("http://example.com/?b=2&a=1", None, "http://example.com/?a=1&b=2"),
    ("http://x.com/?utm_source=tw&utm_medium=s&id=7", None, "http://x.com/?id=7"),
    ("http://x.com/a?spm=1.2.3&from=timeline&id=1", None, "http://x.com/a?id=1"),
    (
        "http://x.com/?fbclid=a&gclid=b&yclid=c&mc_cid=d&mc_eid=e&_hsenc=f&ref_src=g",
        None,
        "http://x.com/",
    ),
    ("http://x.com/a/../b/./c", None, "http://x.com/b/c"),
    ("http://x.com/n.jsp;jsessionid=AB12?id=3&PHPSESSID=9", None, "http://x.com/n.jsp?id=3"),
    ("http://x.com/新闻/a b", None, "http://x.com/%E6%96%B0%E9%97%BB/a%20b"),
    ("http://x.com/a%7e%2f", None, "http://x.com/a~%2F"),
    ("http://x.com/?q=%d6%d0", None, "http://x.com/?q=%D6%D0"),
    ("http://例子.中国/", None, "http://xn--fsqu00a.xn--fiqs8s/"),
    ("http://Example.com./", None, "http://example.com/"),
    ("http://user:secret@example.com/", None, "http://example.com/"),
    ("http://[::1]:8080/x", None, "http://[::1]:8080/x"),
    ("  http://x.com/a\n/b  ", None, "http://x.com/a/b"),
    (
        "story.html",
        "https://news.x.com/2024/01/index.html",
        "https://news.x.com/2024/01/story.html",
    ),
    ("/a?b=1#c", "https://x.com/y/z", "https://x.com/a?b=1"),
    ("//cdn.x.com/p", "https://x.com/", "https://cdn.x.com/p"),
    ("?page=2", "https://x.com/list/", "https://x.com/list/?page=2"),
    ("javascript:void(0)", "https://x.com/", None),
    ("mailto:a@b.c", None, None),
    ("ftp://x.com/file", None, None),
    ("data:text/html,hi", None, None),
    ("#top", None, None),
    ("", None, None),
    ("http://", None, None),
    ("http://x.com:99999/", None, None),
    ("http://[::1/", None, None),
    ("http:///path", None, None),
]


@pytest.mark.parametrize(("url", "base", "expected"), CANONICAL_CASES)
def test_canonicalize(url: str, base: str | None, expected: str | None) -> None:
    assert canonicalize(url, base) == expected


@pytest.mark.parametrize("url", [c[2] for c in CANONICAL_CASES if c[2]])
def test_canonical_form_is_a_fixed_point(url: str) -> None:
    assert canonicalize(url) == url


@given(st.text(max_size=80), st.one_of(st.none(), st.text(max_size=40)))
def test_canonicalize_never_raises(url: str, base: str | None) -> None:
    result = canonicalize(url, base)
    assert result is None or result.startswith(("http://", "https://"))


@given(st.from_regex(r"https?://[a-z]{1,8}\.com(/[a-zA-Z0-9%?&=._~-]{0,20}){0,3}", fullmatch=True))
def test_canonicalize_is_idempotent(url: str) -> None:
    once = canonicalize(url)
    assert once is not None and canonicalize(once) == once


def test_canonicalize_refuses_non_strings() -> None:
    assert canonicalize(None) is None  # type: ignore[arg-type]
    assert canonicalize(42) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("sports.163.com", "163.com"),
        ("www.163.com", "163.com"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("a.b.sina.com.cn", "sina.com.cn"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
        ("WWW.Example.COM.", "example.com"),
    ],
)
def test_registered_domain(host: str, expected: str) -> None:
    assert registered_domain(host) == expected


def scope(seeds: list[str], **overrides: object) -> Scope:
    return Scope(ScopeOptions(**overrides), seeds)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://www.163.com/news/a.html", True),
        ("https://sports.163.com/nba/", True),
        ("http://163.com/", True),
        ("https://www.sina.com.cn/", False),
        ("https://evil-163.com/", False),
        ("https://163.com.evil.org/", False),
        ("ftp://www.163.com/", False),
        ("not a url", False),
    ],
)
def test_scope_defaults_to_seed_domains_and_subdomains(url: str, allowed: bool) -> None:
    assert scope(["https://www.163.com/"]).allows(url) is allowed


def test_allowed_hosts_override_the_seeds() -> None:
    hosts = ("news.163.com", "*.sina.com.cn", "LOCALHOST:8080")
    s = scope(["https://www.163.com/"], allowed_hosts=hosts, allow_private=("localhost",))
    assert s.allows("http://localhost:8080/x")
    assert s.allows("https://news.163.com/a")
    assert s.allows("https://a.news.163.com/a")
    assert s.allows("https://finance.sina.com.cn/x")
    assert not s.allows("https://sports.163.com/")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/",
        "http://app.localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://0x7f.1/",
    ],
)
def test_private_addresses_are_refused(url: str) -> None:
    s = scope([url], allowed_hosts=())
    assert not s.allows(url)
    assert "private" in (s.refusal(url) or "")


def test_allow_private_lets_listed_hosts_and_networks_in() -> None:
    s = scope(["http://127.0.0.1:8000/"], allow_private=("127.0.0.1",))
    assert s.allows("http://127.0.0.1:8000/a")
    s = scope(["http://10.0.0.5/"], allow_private=("10.0.0.0/8",))
    assert s.allows("http://10.0.0.5/x")
    assert not scope(["http://10.0.0.5/"], allow_private=("127.0.0.1",)).allows("http://10.0.0.5/")


def test_include_and_exclude_patterns() -> None:
    s = scope(["https://x.com/"], include=(r"/news/",), exclude=(r"\?print=1",))
    assert s.allows("https://x.com/news/1.html")
    assert s.refusal("https://x.com/about") == "matches no include pattern"
    assert "exclude" in (s.refusal("https://x.com/news/1.html?print=1") or "")


def test_refusal_names_the_reason() -> None:
    s = scope(["https://www.163.com/"])
    assert s.refusal("https://www.163.com/") is None
    assert "outside the allowed hosts" in (s.refusal("https://qq.com/") or "")
    assert "http(s)" in (s.refusal("mailto:a@163.com") or "")


ARTICLES = [
    "https://news.163.com/20/0619/10/FF8N9I6K0001899O.html",
    "https://news.sina.com.cn/c/2020-06-19/doc-iircuyvi9360583.shtml",
    "https://www.example.com/2020/06/19/floods-hit-the-south.html",
    "https://www.example.com/news/20200619/123456.htm",
    "https://www.example.com/article/1234567",
    "https://www.example.com/a/20200619/abc.html",
    "https://www.example.com/world/some-long-story-title-here",
    "https://www.example.com/news/world-europe-53112345",
]
LISTINGS = [
    "https://www.163.com/",
    "https://news.163.com/domestic/",
    "https://www.example.com/news/index.html",
    "https://www.example.com/list/index_2.html",
    "https://www.example.com/news/?page=3",
    "https://www.example.com/tag/politics",
    "https://www.example.com/category/world/page/2",
    "https://sports.163.com/nba/",
]


@pytest.mark.parametrize("url", ARTICLES)
def test_article_urls_score_high(url: str) -> None:
    assert looks_like_article(url) >= 0.5


@pytest.mark.parametrize("url", LISTINGS)
def test_listing_urls_score_low(url: str) -> None:
    assert looks_like_article(url) < 0.5


@given(st.text(max_size=60))
def test_article_score_is_bounded(url: str) -> None:
    assert 0.0 <= looks_like_article(url) <= 1.0


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("/news/a.html", "http://one.example/x/y?q=1", "http://one.example/news/a.html"),
        ("/news/a.html", "https://two.example:8443/z", "https://two.example:8443/news/a.html"),
        ("news/a.html", "http://one.example/x/y", "http://one.example/x/news/a.html"),
        ("news/a.html", "http://one.example/w/", "http://one.example/w/news/a.html"),
        ("http://three.example/a", "https://one.example/", "http://three.example/a"),
        ("http:///a", "http://one.example/b/", "http://one.example/a"),
        ("/a", "http://one.example?q=1", "http://one.example/a"),
    ],
)
def test_memoized_canonicalize_keeps_every_base_apart(url: str, base: str, expected: str) -> None:
    """The same href met on pages of other hosts or folders resolves against each page."""
    for _ in range(2):
        assert canonicalize(url, base) == expected


PLAIN_SEGMENT = st.from_regex(r"[A-Za-z0-9_~.-]{1,8}", fullmatch=True)
BASES = st.sampled_from(
    ["http://Ex.COM:80/a/b", "https://ex.com:8443/", "http://127.0.0.1:9000/x?q", "http://ex.com."]
)


@given(st.lists(PLAIN_SEGMENT, max_size=4), st.booleans(), BASES)
def test_plain_hrefs_take_the_short_way_to_the_same_form(
    segments: list[str], slash: bool, base: str
) -> None:
    """Plain paths and URLs skip parsing; the result equals the full resolve-and-normalize."""
    path = "/" + "/".join(segments) + ("/" if slash and segments else "")
    absolute = urljoin(base, path)
    expected = _canonicalize_cached(absolute, None)
    assert canonicalize(path, base) == expected
    assert canonicalize(absolute) == expected
