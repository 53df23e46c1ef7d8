"""Metadata shapes met on the English development sets (blogs, forums, Q&A, news sites), each
as a small page of our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_extract_metadata import EN_STORY, en_page

from scraper.extract import extract


def test_an_author_box_of_counters_is_no_byline() -> None:
    byline = (
        "<div itemprop='author'>lgans316 Distinguished Member Joined Aug 24, 2006 Messages "
        "23,243 Reaction score 8,583 Points 4,365</div>"
    )
    assert extract(en_page(byline=byline), "https://forum.example.com/t/1").authors == ()


def test_a_lower_case_by_word_before_a_name_goes() -> None:
    byline = "<span itemprop='author'>por César Salza</span>"
    assert extract(en_page(byline=byline), "https://blog.example.com/a").authors == ("César Salza",)


def test_a_field_label_in_an_author_box_is_no_name() -> None:
    byline = "<div class='author'>Name</div>"
    assert extract(en_page(byline=byline), "https://blog.example.com/a").authors == ()


def test_space_separated_meta_properties() -> None:
    head = '<meta property="dc:creator twitter:site_name" content="Creator Name">'
    assert extract(en_page(head), "https://blog.example.com/a").authors == ("Creator Name",)


def _titled(title: str, head: str, headings: str) -> str:
    return (
        f"<html lang='en'><head><title>{title}</title>{head}</head><body>{headings}"
        f"<article>{EN_STORY}</article></body></html>"
    )


def test_the_blogs_name_as_a_heading_is_not_the_headline() -> None:
    page = _titled(
        "Silicon Notes: Open flow for small logic chips",
        '<meta property="og:title" content="Open flow for small logic chips">',
        "<h1>Silicon Notes</h1>",
    )
    assert extract(page, "https://blog.example.com/a").title == "Open flow for small logic chips"


def test_og_title_loses_the_sites_name_however_long() -> None:
    page = _titled(
        "Release 1.8 - The Garden Update - Game News",
        '<meta property="og:title" content="Release 1.8 - The Garden Update | Game News">'
        '<meta property="og:site_name" content="Game News">',
        "<h1>Game News</h1>",
    )
    assert extract(page, "https://blog.example.com/a").title == "Release 1.8 - The Garden Update"


def _thread(user_box: str) -> str:
    return (
        "<html lang='en'><head><title>Night buses extended | Transit Forum</title></head><body>"
        f"<h1>Night buses extended</h1><p>Thread starter busfan</p>{user_box}"
        f"<article>{EN_STORY}</article></body></html>"
    )


@pytest.mark.parametrize(
    "user_box",
    ["<div>Joined Nov 4, 2011</div>", "<dl><dt>Joined</dt><dd>Nov 4, 2011</dd></dl>"],
)
def test_a_members_join_date_is_not_the_posts(user_box: str) -> None:
    page = _thread(user_box + "<time datetime='2025-12-19T04:25:38+05:00'>Yesterday</time>")
    article = extract(page, "https://forum.example.com/t/1")
    assert article.published is not None and article.published.date().isoformat() == "2025-12-19"
    assert article.authors == ("busfan",)


def test_the_first_microdata_time_dates_a_question_before_its_answers() -> None:
    byline = (
        "Asked <time itemprop='dateCreated' datetime='2012-06-29T10:51:01'>13 years ago</time>"
        "</div><div class='answer'><time itemprop='datePublished' datetime='2016-03-17T13:23:29'>"
        "answered</time>"
    )
    assert extract(en_page(byline=byline), "https://qa.example.com/q/1").published == datetime(
        2012, 6, 29, 10, 51, 1
    )


def test_a_json_ld_author_given_by_reference_takes_the_name_of_the_graphs_person() -> None:
    ld = (
        '<script type="application/ld+json">{"@graph": [{"@type": "Article", "headline": '
        '"Night buses extended", "author": {"@id": "https://g.example.com/#/person/1"}}, '
        '{"@type": "Person", "@id": "https://g.example.com/#/person/1", "name": "Nia Patel"}]}'
        '</script><meta name="author" content="gzt_npatel">'
    )
    assert extract(en_page(ld), "https://gazette.example.com/a/1").authors == ("Nia Patel",)


@pytest.mark.parametrize(
    "byline",
    ["<div class='author'>Aug</div>", "<div class='author'>R ratonc Member Joined Dec</div>"],
)
def test_a_month_or_a_user_box_is_no_name(byline: str) -> None:
    assert extract(en_page(byline=byline), "https://forum.example.com/t/1").authors == ()


def test_an_author_box_with_the_writers_job_title_and_an_avatar_initial() -> None:
    byline = (
        "<div class='author-avatar'>B</div><div class='author'><a href='/a/bs'>Ben Sterling</a>"
        "<div class='author-title'>Games Editor</div></div>"
    )
    assert extract(en_page(byline=byline), "https://gazette.example.com/a/1").authors == (
        "Ben Sterling",
    )


@pytest.mark.parametrize(
    "line", ["<p>Edited by Jane Roe</p>", "<p>Written by Ann Lee Edited by Jane Roe</p>"]
)
def test_an_edited_by_line_without_a_colon(line: str) -> None:
    page = en_page().replace("</article>", f"{line}</article>")
    assert extract(page, "https://gazette.example.com/a/1").editors == ("Jane Roe",)


def test_an_edited_by_credit_ends_the_writers_name() -> None:
    page = en_page(byline="Written by Ann Lee Edited by Jane Roe")
    article = extract(page, "https://gazette.example.com/a/1")
    assert (article.authors, article.editors) == (("Ann Lee",), ("Jane Roe",))


def test_a_json_ld_subtype_of_article_names_the_writer() -> None:
    ld = (
        '<script type="application/ld+json"><![CDATA[{"@type": "ReportageNewsArticle", '
        '"headline": "Night buses extended", "author": [{"@type": "Person", '
        '"name": "Ana (Maria) Souza "}]}]]></script>'
    )
    assert extract(en_page(ld), "https://gazette.example.com/a/1").authors == ("Ana (Maria) Souza",)


@pytest.mark.parametrize(
    ("after", "authors"),
    [
        ("<p class='posted'>Posted by Dana at December 16, 2025 11:15 AM</p>", ("Dana",)),
        ("<div class='collection-byline'>Text by <a href='/c/hd'>Hana Dale</a></div>",
         ("Hana Dale",)),
    ],
)  # fmt: skip
def test_blog_credits_after_the_post(after: str, authors: tuple[str, ...]) -> None:
    page = en_page().replace("</article>", f"</article>{after}")
    assert extract(page, "https://blog.example.com/2025/12/16/a.html").authors == authors


def test_a_forum_posts_json_ld_given_as_the_pages_main_entity() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "WebPage", "mainEntity": {"@type": '
        '"DiscussionForumPosting", "headline": "Night buses extended", "datePublished": '
        '"2024-01-02T12:32:14+00:00", "author": {"@type": "Person", "name": "busfan"}}}</script>'
    )
    article = extract(_thread("").replace("</head>", f"{ld}</head>"), "https://forum.example.com/t")
    assert article.authors == ("busfan",)
    assert article.published == datetime(2024, 1, 2, 12, 32, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By TOM KEMP, AP Auto Writer", ("TOM KEMP",)),
        ("<div class='author'>Anonymous</div>", ()),
    ],
)
def test_a_job_title_or_anonymous_is_no_name(byline: str, authors: tuple[str, ...]) -> None:
    assert extract(en_page(byline=byline), "https://gazette.example.com/a/1").authors == authors


def test_a_dateline_over_the_headline() -> None:
    page = en_page().replace("<h1>", "<div>Sunday, Feb 1, 2015 11:57 AM UTC</div><h1>", 1)
    article = extract(page, "https://gazette.example.com/a/1")
    assert article.published == datetime(2015, 2, 1, 11, 57)


def test_initials_and_degrees_after_a_name_are_no_names() -> None:
    byline = "By Rachel Lim, MS, RD"
    assert extract(en_page(byline=byline), "https://gazette.example.com/a/1").authors == (
        "Rachel Lim",
    )
