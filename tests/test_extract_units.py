"""Small pieces of the extractor: dates, headings of link lists, chrome lines, whitespace."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper._text import (
    CJK_RE,
    absolute,
    cjk_share,
    heading_key,
    squeeze,
    substring_pattern,
    token_pattern,
    weight,
)
from scraper.extract import extract
from scraper.extract.blocks import heading_kind
from scraper.extract.body import is_chrome_line
from scraper.extract.dates import find_date, is_timestamp, parse_date, split_timestamp
from scraper.extract.meta import cut_site_suffix


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2020-06-19 10:40:47　来源: 示例", "2020-06-19T10:40:47"),
        ("发布时间：2020年6月19日 08:05", "2020-06-19T08:05:00"),
        ("2021/3/5", "2021-03-05T00:00:00"),
        ("Published June 19, 2020 at 10:40 am", "2020-06-19T10:40:00"),
        ("19 Jun 2020", "2020-06-19T00:00:00"),
    ],
)
def test_find_date_locates_printed_dates(text: str, iso: str) -> None:
    found = find_date(text)
    assert found is not None and found.isoformat() == iso


def test_parse_date_keeps_the_stated_offset_only() -> None:
    aware = parse_date("2020-06-19T10:40:47+08:00")
    assert aware is not None and aware.utcoffset() == timedelta(hours=8)
    est = parse_date("Mon, 18 Nov 2019 10:00:00 EST")
    assert est is not None and est.utcoffset() == timedelta(hours=-5)
    ambiguous = parse_date("2020-01-01 10:00 CST")
    assert ambiguous is not None and ambiguous.tzinfo is None
    assert parse_date("not a date at all") is None
    assert parse_date("1066-10-14") is None


def test_timestamps_beside_links() -> None:
    assert is_timestamp("2023-03-23 12:38:08") and is_timestamp("3分钟前")
    assert is_timestamp("2 hours ago") and not is_timestamp("苍穹之巅")
    assert split_timestamp("城市晚报 2023-03-22 19:19:01") == ("城市晚报", "2023-03-22 19:19:01")
    assert split_timestamp("城市晚报") == ("城市晚报", None)


@pytest.mark.parametrize(
    ("text", "tag", "kind"),
    [
        ("相关推荐", "div", "recommended"),
        ("热点推荐", "span", "hot"),
        ("24小时排行", "div", "hot"),
        ("相关阅读", "h4", "related"),
        ("Most Read", "h2", "hot"),
        ("You may also like", "h2", "recommended"),
        ("Related stories", "h3", "related"),
        ("More from Business", "h2", "other"),
        ("More from Business", "div", None),
        ("A heading about the weather this weekend", "h2", None),
    ],
)
def test_heading_kind(text: str, tag: str, kind: str | None) -> None:
    assert heading_kind(text, tag) == kind


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("Updated 5:27 am, Wednesday, November 20, 2019", True),
        ("Image 3 of 12", True),
        ("https://www.example.com/news/a-story.html", True),
        ("Photo by Jane Doe/Getty Images", True),
        ("The meeting on June 5, 2019 ran late into the night.", False),
        ("2020年6月19日是第九个全国救助管理机构开放日。", False),
        ("The AP reported it", False),
    ],
)
def test_chrome_lines(line: str, chrome: bool) -> None:
    assert is_chrome_line(line) is chrome


def test_squeeze_joins_cjk_across_source_line_breaks_only() -> None:
    assert squeeze("廊坊市救助\n   管理站") == "廊坊市救助管理站"
    assert squeeze("开放日 邀市民") == "开放日 邀市民"
    assert squeeze("two\n  words") == "two words"


@pytest.mark.parametrize(
    ("key", "found"),
    [
        ("ad", True),
        ("top-ads sidebar", True),
        ("ad_slot", True),
        ("header:ad", True),
        ("adsense", False),
        ("load shadow", False),
        ("nav2", False),
        ("main-nav", True),
    ],
)
def test_token_pattern_matches_whole_class_tokens_only(key: str, found: bool) -> None:
    assert (token_pattern(("ad", "ads", "nav")).search(key) is not None) is found


def test_substring_pattern_finds_words_inside_longer_names() -> None:
    pattern = substring_pattern(("share", "shares", "comment"))
    assert pattern.search("post-comments") and pattern.search("xshare")
    assert not pattern.search("commit sharp")


@pytest.mark.parametrize(
    ("text", "key"),
    [("Most Read", "mostread"), ("相关 推荐：", "相关推荐"), ("Read_more »", "readmore"), ("", "")],
)
def test_heading_key_keeps_letters_and_digits(text: str, key: str) -> None:
    assert heading_key(text) == key


def test_absolute_urls() -> None:
    assert absolute("https://a.example/x/y", "/z?q=1") == "https://a.example/z?q=1"
    assert absolute("https://a.example/x/y", "z") == "https://a.example/x/z"
    assert absolute("https://a.example/x", "//cdn.example/i.jpg") == "https://cdn.example/i.jpg"
    assert absolute("https://a.example?x=1", "/p") == "https://a.example/p"


def test_site_suffix_is_cut_from_the_title_tag() -> None:
    assert cut_site_suffix("Ferry service resumes | The Harbour Ledger") == "Ferry service resumes"
    assert (
        cut_site_suffix("廊坊市救助管理站开展主题开放日活动_网易河北")
        == "廊坊市救助管理站开展主题开放日活动"
    )


def test_declared_language_yields_to_the_script_of_the_story() -> None:
    story = "今年六月，救助管理站举办了开放日活动，邀请市民参观。"
    page = f'<html lang="en"><body><p>{story}</p></body></html>'
    assert extract(page).lang == "zh"


def test_extract_is_pure_and_repeatable() -> None:
    page = (
        "<html><body><h1>T</h1><p>One paragraph, with a comma, and enough words.</p></body></html>"
    )
    assert extract(page, "https://x.example/a") == extract(page, "https://x.example/a")


def test_next_means_next_page_only_within_the_same_story() -> None:
    story = "<p>A paragraph of the story, long enough to be the story of this page.</p>"
    pages = {
        '<a href="/news/ferry_2.html">Next</a>': "https://x.example/news/ferry_2.html",
        '<a href="/news/other-story.html">Next</a>': None,
        '<a href="/news/ferry.html?page=2">2</a>': "https://x.example/news/ferry.html?page=2",
    }
    for link, expected in pages.items():
        page = f"<html><body><div>{story}<div>{link}</div></div></body></html>"
        assert extract(page, "https://x.example/news/ferry.html").next_page == expected


_PROSE = (
    "The council approved the new budget on Tuesday after a long debate about schools, "
    "roads and the harbour, and the mayor said the vote settled a question open for years."
)


def test_credited_and_repeated_captions_stay_out_of_the_story() -> None:
    html = (
        "<html><body><article><h1>Budget approved</h1>"
        f"<p>{_PROSE}</p>"
        "<figure><img src='a.jpg'><figcaption>Council members vote on the plan in the hall "
        "Credit: Example Agency</figcaption></figure>"
        "<figure><img src='b.jpg'><figcaption>The mayor speaks to reporters</figcaption></figure>"
        "<figure><img src='c.jpg'><figcaption>The harbour at dawn seen from the hill"
        "</figcaption></figure>"
        "<figure><img src='d.jpg'><figcaption>The harbour at dawn seen from the hill"
        "</figcaption></figure>"
        f"<p>{_PROSE} Again.</p></article></body></html>"
    )
    article = extract(html, "https://example.org/a")
    assert "Credit: Example Agency" not in article.text
    assert "harbour at dawn" not in article.text
    assert "The mayor speaks to reporters" in article.text
    assert any(image.caption and "Credit" in image.caption for image in article.images)


def test_script_link_wrapping_paragraphs_is_read_as_text_and_mathml_is_kept() -> None:
    html = (
        "<html><body><a href='javascript:void(0)'><p>Alpha beta gamma.</p><p>Delta.</p></a>"
        "<p>Euler wrote <math><mi>e</mi><mo>=</mo><mn>271</mn></math> in a letter.</p>"
        "<a href='javascript:print()'>Print this page</a></body></html>"
    )
    text = extract(html).text
    assert "Alpha beta gamma." in text and "Delta." in text
    assert "271" in text
    assert "Print this page" not in text


def test_teaser_cards_with_a_metadata_line_stay_out_of_the_story() -> None:
    cards = "".join(
        f"<div class='card'><h2><a href='/s{n}'>Another headline about story number {n}</a></h2>"
        f"<div><a href='/tag{n}'>Topic {n}</a> <a href='/src'>source.example</a></div>"
        f"<p>A short excerpt that reads like prose for teaser {n}, ending here.</p></div>"
        for n in range(4)
    )
    html = (
        f"<html><body><h1>Budget approved</h1><p>{_PROSE}</p><p>{_PROSE}</p>{cards}</body></html>"
    )
    text = extract(html, "https://example.org/a").text
    assert "The council approved" in text
    assert "excerpt that reads like prose" not in text


def test_a_short_post_under_a_long_comment_thread_keeps_only_the_post() -> None:
    comments = "".join(
        f"<li><div class='comment-body'><p>Reader {n} writes: {_PROSE}</p></div></li>"
        for n in range(8)
    )
    html = (
        "<html><body><article><h1>Open thread</h1><div class='entry-content'>"
        "<p>Ask us anything about the budget in the comments below, we will answer soon.</p>"
        f"</div></article><ol class='comment-list'>{comments}</ol></body></html>"
    )
    text = extract(html, "https://example.org/a").text
    assert "Ask us anything" in text
    assert "Reader 3 writes" not in text


def test_scraper_extract_is_the_function_whatever_is_imported_first() -> None:
    """Importing modules first must not turn ``extract`` or ``discover`` into plain modules."""
    code = (
        "import scraper.extract.walk, scraper.discovery\n"
        "from scraper import discover, extract\n"
        "assert callable(discover) and discover.__name__ == 'discover'\n"
        "article = extract('<html><body><h1>T</h1><p>' + 'word ' * 60 + '</p></body></html>')\n"
        "print(article.title)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "T"


#: Characters around the edges of the CJK ranges, Latin letters, CJK punctuation and spaces.
_MIXED = st.text(
    alphabet=st.sampled_from(
        "aZ 1—“，。\u3040\u30ff\u3400\u4dbf\u4e00\u9fff\uf900\uac00\ud7af\u3000"
    ),
    max_size=60,
)


@given(_MIXED)
def test_reading_weight_counts_every_cjk_character_thrice(text: str) -> None:
    cjk = sum(1 for char in text if CJK_RE.match(char))
    assert weight(text) == len(text) + 2 * cjk
    visible = len(text) - text.count(" ")
    assert cjk_share(text) == (cjk / visible if visible else 0.0)


@pytest.mark.parametrize(
    ("text", "tag", "kind"),
    [
        ("Related: more on this", "h2", "related"),
        ("…相关推荐", "div", "recommended"),
        ("Trending now", "p", "hot"),
        ("Treasury yields", "h3", None),
        ("x", "h2", None),
        ("", "div", None),
    ],
)
def test_heading_kind_with_and_without_a_known_start(text: str, tag: str, kind: str | None) -> None:
    assert heading_kind(text, tag) == kind
