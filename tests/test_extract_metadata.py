"""Metadata read around the story: publish time, authors, source, editors, headline.

Each case is a small page of our own in the language the shape was met in (Chinese portals,
English sites), one misread shape per case.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from scraper.extract import extract
from scraper.extract.dates import from_timestamp, month_day, url_date
from scraper.extract.people import EDITOR_RE, SOURCE_RE, cut_value, labelled, split_names

ZH_STORY = "".join(
    f"<p>{text}</p>"
    for text in (
        "市救助管理站今天举行开放日活动，邀请市民走进站内参观生活区、医疗室和档案室。",
        "工作人员介绍了流浪乞讨人员救助流程，并回答了市民关心的寻亲和返乡问题。",
        "据介绍，今年以来该站已累计救助各类人员三百余人次，帮助四十多人回到家中。",
        "参观结束后，不少市民表示愿意加入志愿者队伍，为困难群众提供力所能及的帮助。",
    )
)
EN_STORY = "".join(
    f"<p>{text}</p>"
    for text in (
        "The city council voted on Tuesday to extend the late-night bus service for a year.",
        "Supporters said the buses had cut the number of people walking home alone at night.",
        "Opponents questioned the cost, which the council put at two million pounds a year.",
        "The service will be reviewed again next spring, when ridership figures are in.",
    )
)
CST = timezone(timedelta(hours=8))


def zh_page(head: str = "", byline: str = "", after: str = "", title: str = "救助站开放日") -> str:
    """A Chinese article page: headline, a byline block, the story, what follows it."""
    return (
        f"<html lang='zh-CN'><head><meta charset='utf-8'><title>{title}_新闻中心</title>{head}"
        f"</head><body><h1>{title}</h1><div class='info'>{byline}</div>"
        f"<div class='article-content'>{ZH_STORY}</div>{after}</body></html>"
    )


def en_page(head: str = "", byline: str = "") -> str:
    """An English article page: headline, a byline block, the story."""
    return (
        f"<html lang='en'><head><title>Night buses extended | The Gazette</title>{head}</head>"
        f"<body><h1>Night buses extended</h1><div class='meta'>{byline}</div>"
        f"<article>{EN_STORY}</article></body></html>"
    )


# --- publish time -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "byline", "expected"),
    [
        # the date only in an update meta tag
        ('<meta itemprop="dateUpdate" content="2019-09-23 14:34:05">', "", "2019-09-23 14:34"),
        # a date and a time joined by a hyphen
        ('<meta name="firstpublishedtime" content="2007-08-20-23:59:59">', "", "2007-08-20 23:59"),
        # no space between the day and the time
        ("", "2019年06月15日08:18 来源：新华网", "2019-06-15 08:18"),
        # a date-only meta value takes the time printed on the date line of that day
        ('<meta name="publishdate" content="2019-06-15">', "2019-06-15 08:18", "2019-06-15 08:18"),
        # a label, a line break with indentation and a comment before the date
        ("", "<span>发布时间：</span>\n      <!-- 时间 -->\n      <span>2019-09-23 14:34</span>",
         "2019-09-23 14:34"),
        # a labelled date line wins over an unlabelled date nearer the headline
        ("", "<p>2018-01-01 专题</p><p>发布日期：2019-09-23 14:34:05</p>", "2019-09-23 14:34"),
    ],
)  # fmt: skip
def test_publish_time_shapes(head: str, byline: str, expected: str) -> None:
    article = extract(zh_page(head, byline), "https://news.example.cn/a/1.html")
    assert article.published is not None
    assert article.published.strftime("%Y-%m-%d %H:%M") == expected


def test_the_pages_publish_meta_wins_over_a_date_in_the_story() -> None:
    head = '<meta name="publishtime" content="2020-03-01 09:00:00">'
    story = zh_page(head).replace("市救助管理站今天", "2019年5月1日，市救助管理站")
    article = extract(story, "https://news.example.cn/a/1.html")
    assert article.published == datetime(2020, 3, 1, 9, 0)


def test_a_labelled_date_line_far_below_the_headline_is_found() -> None:
    after = "<div class='foot'>发布日期：2019-09-23 14:34:05</div>"
    article = extract(zh_page(after=after), "https://news.example.cn/a/1.html")
    assert article.published == datetime(2019, 9, 23, 14, 34, 5)


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ('var DATA = {"pubtime":"2019-10-08 14:20:00","id":3};', datetime(2019, 10, 8, 14, 20)),
        ('window.__STATE__ = {article: {publishDate: "2020-01-02T03:04:05+08:00"}};',
         datetime(2020, 1, 2, 3, 4, 5, tzinfo=CST)),
        # WeChat: a Unix time in seconds, shown in the page's zone (Chinese: UTC+8)
        ('var ct = "1581234567";', datetime(2020, 2, 9, 15, 49, 27, tzinfo=CST)),
        ('var t = "x", s = "2020-02-12";', datetime(2020, 2, 12)),
    ],
)  # fmt: skip
def test_publish_time_from_a_script(script: str, expected: datetime) -> None:
    page = zh_page(f"<script>{script}</script>")
    assert extract(page, "https://mp.example.cn/s/abc").published == expected


def test_a_key_that_only_ends_a_longer_name_is_not_read() -> None:
    page = zh_page('<script>var fact = "1581234567"; var obj = {}; obj.ct = "1581234567";</script>')
    assert extract(page, "https://mp.example.cn/s/abc").published is None


def test_unix_times_in_seconds_and_milliseconds() -> None:
    assert from_timestamp("1581234567", None) == datetime(2020, 2, 9, 7, 49, 27, tzinfo=UTC)
    assert from_timestamp("1581234567000", 8) == datetime(2020, 2, 9, 15, 49, 27, tzinfo=CST)
    assert from_timestamp("158123456", 8) is None


def test_a_year_less_date_takes_the_year_of_the_url() -> None:
    byline = "发布时间：10-08 <span class='time'>14:20</span> 来源：本站"
    article = extract(zh_page(byline=byline), "https://news.example.cn/2019/a/1.html")
    assert article.published == datetime(2019, 10, 8, 14, 20)


def test_a_year_less_date_takes_the_year_of_another_printed_date() -> None:
    byline = "发布时间：10-08 <span>14:20</span>"
    after = "<p>相关通知 2018-12-01</p>"
    article = extract(zh_page(byline=byline, after=after), "https://news.example.cn/a/1.html")
    assert article.published == datetime(2018, 10, 8, 14, 20)


def test_date_helpers() -> None:
    assert month_day("10月8日 09:05", 2021) == datetime(2021, 10, 8, 9, 5)
    assert month_day("13-45", 2021) is None
    assert url_date("https://a.cn/news/20191008/123.html") == datetime(2019, 10, 8)
    assert url_date("https://a.cn/2019/10/08/x") == datetime(2019, 10, 8)
    assert url_date("https://a.cn/a/123456789.html") is None


# --- source, authors, editors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "source"),
    [
        # the source link and the report button after it, glued by the walk
        ("2020-01-01 10:00:00 来源: <a href='/m'>新京报</a><a class='report' href='/r'>举报</a>",
         "新京报"),
        ("来源：证券市场红周刊<span class='report'>举报</span>", "证券市场红周刊"),
        # another label on the same line, with and without a space
        ("来源：当代商报 时间：2019-09-23 10:00", "当代商报"),
        ("来源：当代商报<span>时间：2019-09-23 10:00</span>", "当代商报"),
        ("[ 黄宇 ] 来源：[ <a href='/p'>国际金融报</a> ]", "国际金融报"),
        # a source element without a label
        ("2019-09-23 10:00 <span class='a_source'>人民日报</span>", "人民日报"),
    ],
)  # fmt: skip
def test_source_shapes(byline: str, source: str) -> None:
    assert extract(zh_page(byline=byline), "https://news.example.cn/a/1.html").source == source


def test_writer_and_outlet_on_one_line() -> None:
    article = extract(zh_page(byline="<p>石佳/中国青年报</p>"), "https://news.example.cn/a/1.html")
    assert article.authors == ("石佳",) and article.source == "中国青年报"


def test_a_reporter_credited_inside_the_story() -> None:
    page = zh_page().replace("力所能及的帮助。", "力所能及的帮助。（记者 胡晓蓉 李明）")
    assert extract(page, "https://news.example.cn/a/1.html").authors == ("胡晓蓉", "李明")


def test_the_sites_own_name_is_not_an_author() -> None:
    head = '<meta name="author" content="网易"><meta property="og:site_name" content="网易新闻">'
    article = extract(zh_page(head, "作者：王小明"), "https://news.example.cn/a/1.html")
    assert article.authors == ("王小明",)


def test_an_editor_or_a_counter_is_no_author_and_editors_are_kept() -> None:
    byline = "<div class='author-box'>总篇数919 篇</div>责任编辑：HN666）"
    article = extract(zh_page(byline=byline), "https://news.example.cn/a/1.html")
    assert article.authors == ()
    assert article.editors == ("HN666",)


@pytest.mark.parametrize(
    ("after", "editors"),
    [
        ("<p>责任编辑：霍琦_NBJ11279</p>", ("霍琦",)),
        ("<p>（责编：汤诗瑶、丁涛）</p>", ("汤诗瑶", "丁涛")),
        ("<div>编辑：苏亮 审核：王五</div>", ("苏亮",)),
    ],
)
def test_editor_credits(after: str, editors: tuple[str, ...]) -> None:
    assert extract(zh_page(after=after), "https://news.example.cn/a/1.html").editors == editors


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By Erin Cunningham", ("Erin Cunningham",)),
        ("By <a href='/p/dk'>Daniel Kahn Gillmor</a>, Senior Staff Technologist, Privacy Project",
         ("Daniel Kahn Gillmor",)),
        ("By <a href='/p/sk'>Stella Kim</a>, <a href='/p/jj'>Jennifer Jett</a> and Li Wei",
         ("Stella Kim", "Jennifer Jett", "Li Wei")),
        ("<span>By</span><a href='/p/ck'>Corey Kilgannon</a>", ("Corey Kilgannon",)),
        ("By Nathan Willis March 25, 2015", ("Nathan Willis",)),
        ("Dan Goodin - Apr 16, 2015 8:02 pm UTC", ()),
    ],
)  # fmt: skip
def test_english_bylines(byline: str, authors: tuple[str, ...]) -> None:
    assert extract(en_page(byline=byline), "https://gazette.example.com/a/1").authors == authors


def test_an_english_editor_line() -> None:
    page = en_page().replace("</article>", "<p>Editor: Jane Roe</p></article>")
    article = extract(page, "https://gazette.example.com/a/1")
    assert article.editors == ("Jane Roe",)


def test_label_values() -> None:
    assert labelled("来源：新华社 作者：张三", SOURCE_RE) == "新华社"
    assert labelled("责任编辑：王晓易_NE0011", EDITOR_RE) == "王晓易"
    assert labelled("没有标签的一行", SOURCE_RE) is None
    assert cut_value("新京报举报") == "新京报"
    assert split_names("伊琳 李清芬") == ["伊琳", "李清芬"]
    assert split_names("Mac & i") == ["Mac & i"]


# --- headline ---------------------------------------------------------------------------------


def test_a_section_title_is_not_the_headline() -> None:
    page = zh_page(title="x").replace(
        "<title>x_新闻中心</title>", "<title>新闻动态--中国地理学会官网</title>"
    )
    menu = "<ul><li><a href='/n'>新闻动态</a></li></ul>"
    page = page.replace("<h1>x</h1>", f"{menu}<h2>年会召开</h2>")
    assert extract(page, "https://www.example.org.cn/n/1.html").title == "年会召开"


def test_a_site_prefix_is_cut_from_the_title() -> None:
    page = zh_page(title="x").replace(
        "<title>x_新闻中心</title>", "<title>明日股市预测--沪指缩量震荡 后市关注量能变化</title>"
    )
    page = page.replace("<h1>x</h1>", "")
    title = extract(page, "https://stock.example.cn/a/1.html").title
    assert title == "沪指缩量震荡 后市关注量能变化"


def test_a_microdata_author_element() -> None:
    byline = "<span itemprop='author'><span itemprop='name'>Nicolas Perriault</span> —</span>"
    assert extract(en_page(byline=byline), "https://blog.example.com/a").authors == (
        "Nicolas Perriault",
    )


def test_a_personal_blog_titled_with_its_writer_keeps_the_writer() -> None:
    page = en_page('<meta name="author" content="Haki Benita">').replace(
        "| The Gazette", "| Haki Benita"
    )
    assert extract(page, "https://blog.example.com/a").authors == ("Haki Benita",)


def test_the_start_of_the_title_suffix_is_the_site_not_an_author() -> None:
    page = zh_page('<meta name="author" content="网易">', "作者：王小明", title="救助站开放日")
    page = page.replace("_新闻中心", "_网易新闻")
    assert extract(page, "https://news.example.cn/a/1.html").authors == ("王小明",)


def test_a_labelled_line_in_an_author_box_is_no_name() -> None:
    byline = "<div class='author-info'>Last Updated: January 7, 2025</div>"
    assert extract(en_page(byline=byline), "https://gazette.example.com/a/1").authors == ()


def test_json_ld_wrapped_in_cdata_and_typed_otherwise_gives_the_date() -> None:
    ld = (
        '<script type="application/ld+json">//<![CDATA[\n{"@type": "Thing", '
        '"datePublished": "2018-04-05T06:00"}\n//]]></script>'
    )
    page = en_page(ld, byline="Last updated 2025-01-07")
    assert extract(page, "https://gazette.example.com/a/1").published == datetime(2018, 4, 5, 6)


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # microdata on a printed time that reads "a day ago"
        ("Published <time datetime='2025-12-19 12:00:00Z' itemprop='datePublished'>today</time>",
         datetime(2025, 12, 19, 12, tzinfo=UTC)),
        ("Asked <time itemprop='dateCreated' datetime='2012-06-29 10:51:01Z'>13 years ago</time>",
         datetime(2012, 6, 29, 10, 51, 1, tzinfo=UTC)),
        # a plain time element when nothing else dates the page
        ("<time datetime='2021-03-04T05:06:07+00:00'>last spring</time>",
         datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_time_elements(byline: str, expected: datetime) -> None:
    assert extract(en_page(byline=byline), "https://gazette.example.com/a/1").published == expected


def test_a_label_alone_on_its_line_dates_the_next_line() -> None:
    page = en_page().replace(
        "</article>", "</article><div><p>Published</p><p class='date'>Feb 2, 2023</p></div>"
    )
    assert extract(page, "https://gazette.example.com/a/1").published == datetime(2023, 2, 2)


@pytest.mark.parametrize(
    ("head", "byline", "authors"),
    [
        ('<meta name="author" content="Maria &amp;amp; Katerina">', "", ("Maria & Katerina",)),
        ('<meta name="author" content="content: Acme; design: Jo Bloggs">', "", ()),
        ('<meta name="author" content="262588213843476">', "", ()),
        ("", "<div class='author'>Author</div>", ()),
        ("", "<div class='author'>Text by</div>", ()),
        # a forum's post count after the name
        ("", "<div class='author-name'>ewok 4</div>", ("ewok",)),
    ],
)  # fmt: skip
def test_what_is_no_author_name(head: str, byline: str, authors: tuple[str, ...]) -> None:
    assert extract(en_page(head, byline), "https://gazette.example.com/a/1").authors == authors


def test_a_reporter_line_without_a_colon_and_no_organisation_as_writer() -> None:
    head = '<meta name="author" content="www.example.cn,云南日报报业集团,云南网">'
    page = zh_page(head).replace("</div></body>", "<p>记者 刘涛</p></div></body>")
    assert extract(page, "https://news.example.cn/a/1.html").authors == ("刘涛",)


def test_a_latin_name_equal_to_the_sites_stays_the_writer() -> None:
    head = '<meta name="author" content="Escalon"><meta property="og:site_name" content="Escalon">'
    assert extract(en_page(head), "https://escalon.example.com/a").authors == ("Escalon",)
