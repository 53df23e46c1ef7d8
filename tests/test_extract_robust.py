"""Hostile input never crashes or hangs the extractor: it gives an article or an ExtractError."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.errors import ExtractError
from scraper._records import Article
from scraper.extract import MAX_PAGE_CHARS, extract

TAGS = ["div", "p", "a", "span", "ul", "li", "h1", "h2", "table", "td", "br", "script", "nav"]


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    """Random, often broken, HTML built from a few tags, attributes and text runs."""
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            cls = draw(st.sampled_from(["", "related", "content", "nav", "share", "post_body"]))
            parts.append(f'<{tag} class="{cls}" href="/{draw(st.integers(0, 9))}">')
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.text(max_size=40)))
    return "".join(parts)


def _extract_or_error(data: bytes | str) -> Article | None:
    try:
        return extract(data, "https://example.com/a")
    except ExtractError:
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tag_soup())
def test_tag_soup_never_crashes(html: str) -> None:
    article = _extract_or_error(html)
    assert article is None or isinstance(article.text, str)
    encoded = _extract_or_error(html.encode("utf-8", "surrogatepass"))
    assert encoded is None or article is None or encoded.text == article.text


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(data: bytes) -> None:
    article = _extract_or_error(data)
    assert article is None or isinstance(article, Article)


@pytest.mark.parametrize("data", [b"", "", b"   \n\t", "<html></html>", b"<!-- only -->"])
def test_empty_input_gives_an_empty_article(data: bytes | str) -> None:
    article = extract(data, "https://example.com/empty")
    assert article.text == "" and article.paragraphs == () and article.link_blocks == ()


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        b"\x00" * 500,
        b"PK\x03\x04" + b"\x00\x01" * 400,
    ],
)
def test_binary_input_is_a_clear_error(data: bytes) -> None:
    with pytest.raises(ExtractError, match="binary"):
        extract(data)


def test_too_large_page_is_a_clear_error() -> None:
    page = "<html><body><p>" + "word " * (MAX_PAGE_CHARS // 5 + 10) + "</p></body></html>"
    with pytest.raises(ExtractError, match="characters"):
        extract(page)


def test_large_page_within_the_limit_is_extracted() -> None:
    rows = "".join(
        f"<div><p>Paragraph number {i}, with words in it.</p></div>" for i in range(60_000)
    )
    article = extract(f"<html><body>{rows}</body></html>".encode())
    assert "Paragraph number 0, with words in it." in article.text


@pytest.mark.parametrize("tag", ["div", "span", "table", "blockquote"])
def test_ten_thousand_deep_nesting(tag: str) -> None:
    page = f"<{tag}>" * 10_000 + "A sentence at the very bottom, deep down." + f"</{tag}>" * 10_000
    assert "A sentence at the very bottom" in extract(page).text


def test_truncated_html_keeps_what_arrived() -> None:
    page = (
        "<html><head><title>Cut short</title></head><body><h1>Cut short</h1>"
        "<p>The first paragraph arrived complete, with all of its words.</p>"
        "<p>The second one, sent by a slow server, was cut off in the mid"
    )
    article = extract(page.encode())
    assert article.title == "Cut short"
    assert "The first paragraph arrived complete" in article.text
    assert "was cut off in the mid" in article.text


def test_utf16_with_bom_is_decoded() -> None:
    page = "<html><body><p>Ein Absatz über Straßenbahnen, mit Umlauten.</p></body></html>"
    article = extract(codecs.BOM_UTF16_LE + page.encode("utf-16-le"))
    assert "über Straßenbahnen" in article.text
    assert article.encoding == "utf-16"


def test_not_bytes_or_text_is_an_error() -> None:
    with pytest.raises(ExtractError, match="bytes or str"):
        extract(12345)  # type: ignore[arg-type]
