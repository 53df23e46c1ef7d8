"""Index pages (lists of headlines) and the walk's handling of inline elements and skipped tags."""

from __future__ import annotations

from scraper.extract import extract

HEADLINES = [
    f"Council report number {n} looks at the harbour, the bridge and the budget"
    for n in range(1, 11)
]


def _index_page(og_type: str = "website", link_share_words: str = "", story: str = "") -> str:
    items = "".join(
        f'<li><h2><a href="/story/{n}">{h}</a>{link_share_words}</h2>'
        f"<p>Ada Lovelace</p><p>Mar {n}, 2026 | 4 min read</p></li>"
        for n, h in enumerate(HEADLINES)
    )
    return (
        f'<html><head><title>Harbour Times</title><meta property="og:type" content="{og_type}">'
        '</head><body><nav><a href="/">Home</a><a href="/news">News</a><a href="/sport">Sport'
        "</a></nav><main><p>The latest from the harbour town, every day.</p>"
        f"{story}"
        f"<ul>{items}</ul></main><footer><p>About us</p></footer></body></html>"
    )


def test_an_index_page_gives_its_list_of_headlines() -> None:
    article = extract(_index_page(), "https://harbour.example/")
    for headline in HEADLINES:
        assert headline in article.paragraphs
    assert "Ada Lovelace" in article.text
    assert "About us" not in article.text and "Sport" not in article.paragraphs


STORY = (
    "<p>The harbour bridge reopened on Monday after eight months of repairs, and the first "
    "ferry of the day was half empty as commuters went back to driving across.</p>"
    "<p>The council said the work came in under budget, though the final bill will not be "
    "published until the spring, when the auditors have finished their report.</p>"
)


def test_a_short_story_declared_as_an_article_stays_a_story() -> None:
    article = extract(_index_page("article", story=STORY), "https://harbour.example/bridge")
    assert "The harbour bridge reopened on Monday" in article.text
    assert not any(headline in article.text for headline in HEADLINES)


def test_titles_with_words_beside_them_are_replies_not_headlines() -> None:
    page = _index_page(link_share_words=" 【a reader of the harbour town paper】08-11 16:06 298字")
    article = extract(page, "https://harbour.example/")
    assert not any(headline in article.text for headline in HEADLINES)


def test_link_texts_carry_no_inline_marks_and_skipped_tags_print_nothing() -> None:
    page = (
        "<html><body><nav><a href='/a'><span>Home</span><i></i></a>"
        "<a href='/b'><b>World</b> <em>News</em></a><a href='/c'>Sport<svg><text>x</text></svg>"
        "</a></nav><article><h1>Title of the story</h1><p>First paragraph of the story, long "
        "enough to read as prose in any language.<script>var hidden = 1;</script> It goes on "
        "<b>here</b><i>and</i> there.</p></article></body></html>"
    )
    article = extract(page, "https://example.com/story")
    nav = next(b for b in article.link_blocks if b.kind == "nav")
    assert [link.text for link in nav.links] == ["Home", "World News", "Sport"]
    assert "hidden" not in article.text and "here and there." in article.text
