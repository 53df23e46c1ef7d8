"""Metadata shapes of Chinese portals, forums and blogs (met on cleaneval_zh_dev or named by
issue 11), each as a small Chinese page of our own; English shapes are in
``test_extract_metadata_en.py``."""

from __future__ import annotations

from datetime import datetime

import pytest
from test_extract_metadata import ZH_STORY, zh_page

from scraper.extract import extract
from scraper.extract.dates import find_date
from scraper.extract.people import bracketed_names, credit_line, dated_bracket, names_alone, poster

URL = "https://news.example.cn/a/1.html"

# --- writers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("本报记者罗科苏盈发自北京", ["罗科", "苏盈"]),
        ("本报实习生刘国栋 周炜", ["刘国栋", "周炜"]),
        ("新京报记者 张三 李四", ["张三", "李四"]),
        ("本报记者 欧阳明远", ["欧阳明远"]),
        # a sentence that starts with 记者 is no credit
        ("记者了解到，今年以来", []),
        ("记者近日从市农业农村局了解到", []),
    ],
)
def test_credit_lines_without_a_colon(text: str, names: list[str]) -> None:
    assert credit_line(text) == names


def test_glued_credit_lines_under_the_headline_give_every_writer() -> None:
    byline = "<p>本报实习生刘国栋 周炜</p><p>本报记者王燕平 方云凤 柏建斌</p>"
    assert extract(zh_page(byline=byline), URL).authors == (
        "刘国栋", "周炜", "王燕平", "方云凤", "柏建斌",
    )  # fmt: skip


def test_a_credit_line_a_few_lines_into_a_story_that_starts_at_its_headline() -> None:
    page = (
        "<html><head><meta charset='utf-8'><title>救助站开放日</title></head><body>"
        "<div class='article-content'><p>救助站开放日</p><p>市民走进站内参观</p>"
        "<p>副标题：志愿者队伍扩大</p><p>本报记者罗科苏盈发自北京</p>"
        f"{ZH_STORY}</div></body></html>"
    )
    assert extract(page, URL).authors == ("罗科", "苏盈")


@pytest.mark.parametrize(
    ("text", "names"),
    [("（袁源）", ["袁源"]), ("(张三 李四)", ["张三", "李四"]), ("（未完待续）", []),
     ("（本报讯）", []), ("（完）", []), ("（新华社）", [])],
)  # fmt: skip
def test_a_name_alone_in_brackets(text: str, names: list[str]) -> None:
    assert bracketed_names(text) == names


def test_a_bracketed_name_closing_the_story_is_its_writer() -> None:
    page = zh_page().replace("力所能及的帮助。</p>", "力所能及的帮助。</p><p>（袁源）</p>")
    assert extract(page, URL).authors == ("袁源",)


@pytest.mark.parametrize(
    ("text", "names"),
    [("2004年7月16日08:19 [ 洪立新 ] 来源：[ 东岸晚报 ]", ["洪立新"]),
     ("2011-03-02 10:05 【乔安 孟川】", ["乔安", "孟川"]),
     ("2004年7月16日 [ 来源 ]", []), ("2004年7月16日【新华社】", []), ("[ 洪立新 ] 时评", [])],
)  # fmt: skip
def test_a_name_in_brackets_after_a_date(text: str, names: list[str]) -> None:
    assert dated_bracket(text) == names


def test_a_bracketed_name_on_the_date_line_is_the_writer() -> None:
    byline = "<p>WWW.EXAMPLE.CN 2004年7月16日08:19 [ 洪立新 ] 来源：[ 东岸晚报 ]</p>"
    article = extract(zh_page(byline=byline), URL)
    assert (article.authors, article.source) == (("洪立新",), "东岸晚报")


@pytest.mark.parametrize(
    ("text", "names"),
    [("乔安", ["乔安"]), ("孟川、欧阳明远", ["孟川", "欧阳明远"]), (" 洪立新 ", ["洪立新"]),
     ("摘要", []), ("编者按", []), ("今天的天气很好", []),
     ("新华社", []), ("乔安：", [])],
)  # fmt: skip
def test_names_alone_on_a_line(text: str, names: list[str]) -> None:
    assert names_alone(text) == names


def _essay(under: str, title: str = "显示") -> str:
    """An essay page whose ``<title>`` does not name it: headline, a line under it, prose."""
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<p align='center'><strong>河岸上的灯火</strong></p>{under}{ZH_STORY}</body></html>"
    )


@pytest.mark.parametrize(
    ("under", "names"),
    [("<p>乔安</p>", ("乔安",)),
     ("<p>孟川、洪立新</p><p>——一次夜访的记录</p>", ("孟川", "洪立新")),
     ("<p>摘要</p>", ()),
     ("<p><a href='/u/1'>乔安</a></p>", ()),
     ("<p>乔安</p><p>孟川</p><p>洪立新</p><p>白露</p>", ())],
)  # fmt: skip
def test_a_name_alone_under_the_headline(under: str, names: tuple[str, ...]) -> None:
    assert extract(_essay(under), URL).authors == names


def test_a_writer_label_for_a_report_and_a_source_word_after_the_name() -> None:
    page = zh_page().replace("帮助。</p>", "帮助。</p><p>执笔人：闵乐夫 赵兰波</p>")
    assert extract(page, URL).authors == ("闵乐夫", "赵兰波")
    byline = "02日14:25 作者： 赵婕出自[人民文学出版社]"
    assert extract(zh_page(byline=byline), URL).authors == ("赵婕",)


def test_a_box_of_the_writers_other_stories_is_no_name() -> None:
    after = "<div class='relativeAuthorWords'><p>■该作者文章</p></div>"
    assert extract(zh_page(after=after), URL).authors == ()


def test_a_cms_vendor_in_the_author_meta_is_no_writer() -> None:
    head = '<meta name="generator" content="大汉版通"><meta name="author" content="大汉网络">'
    assert extract(zh_page(head), URL).authors == ()


def test_citation_authors_win_over_a_publisher_in_the_author_meta() -> None:
    head = (
        '<meta name="author" content="中文学术期刊,汉斯出版社,Hans Publishers">'
        '<meta name="citation_authors" content="赵  培">'
    )
    assert extract(zh_page(head), URL).authors == ("赵 培",)


# --- forum and blog posters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ggjjzhzz 发表于 2005-9-15 11:46:00", "ggjjzhzz"),
        ("本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表.", "大卫"),
        ("〓 娱乐 留言板 发布时间 2005/05/17 22:11:42 by 眉间尺〓", "眉间尺"),
        ("Posted on March 3, 2020 by John Smith", "John Smith"),
        ("March 3, 2020 by the way we met", None),
    ],
)
def test_poster_lines(text: str, name: str | None) -> None:
    assert poster(text) == name


def test_a_threads_first_poster_is_the_author_and_dates_it() -> None:
    post = "<p>本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表.</p>"
    reply = "<p>本贴由小虫于2005年8月25日22:19:04在〖心灵体操〗发表.</p>"
    page = zh_page(after=f"<div>{post}<p>回复：说得好</p>{reply}</div>")
    article = extract(page, URL)
    assert article.authors == ("大卫",)
    assert article.published == datetime(2005, 8, 12, 16, 12, 21)


# --- sources ----------------------------------------------------------------------------------


def _notice_table(label: str, value: str) -> str:
    """A government notice whose facts table prints each label and value in separate cells."""
    cells = (("索 引 号：", "00123/2023-0045"), ("分 类：", "交通运输;通告"), (label, value))
    rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in cells)
    return f"<table>{rows}</table>"


@pytest.mark.parametrize(
    ("label", "value", "source"),
    [("发文机关：", "东岸市人民政府", "东岸市人民政府"),
     ("发布机构：", "东岸市交通运输局", "东岸市交通运输局"),
     ("成文日期：", "2023年03月02日", None)],
)  # fmt: skip
def test_a_source_label_and_its_value_in_separate_cells(
    label: str, value: str, source: str | None
) -> None:
    article = extract(zh_page(byline=_notice_table(label, value)), URL)
    assert article.source == source


def test_a_source_line_closing_the_story() -> None:
    after = "<p>来源：巴彦淖尔日报 编辑：苏亮</p>"
    article = extract(zh_page(after=after), URL)
    assert article.source == "巴彦淖尔日报" and article.editors == ("苏亮",)


def test_a_photo_credit_is_no_source() -> None:
    after = "<p>图片来源：视觉中国</p>"
    assert extract(zh_page(after=after), URL).source is None


@pytest.mark.parametrize(
    "head",
    ['<meta name="source" content="来源：人民网－人民日报">',
     '<meta name="ContentSource" content="人民网－人民日报">'],
)  # fmt: skip
def test_a_source_meta_tag(head: str) -> None:
    assert extract(zh_page(head), URL).source == "人民网－人民日报"


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布日期： 7/5/2005 9:23:57 PM", datetime(2005, 7, 5, 21, 23, 57)),
        ("13/5/2005 09:23", datetime(2005, 5, 13, 9, 23)),
        ("1/2/2020 12:30 AM", datetime(2020, 1, 2, 0, 30)),
        # without a time the order is anyone's guess: not read
        ("5/7/2005", None),
    ],
)
def test_a_year_last_date_with_a_time(text: str, expected: datetime | None) -> None:
    assert find_date(text) == expected


def test_an_issue_date_printed_over_the_headline() -> None:
    page = zh_page().replace("<h1>", "<p>2022年02月13日</p><h1>", 1)
    assert extract(page, URL).published == datetime(2022, 2, 13)


def test_a_date_and_an_outlet_under_a_byline_a_few_lines_into_the_story() -> None:
    page = (
        "<html><head><meta charset='utf-8'><title>救助站开放日</title></head><body>"
        "<div class='article-content'><p>救助站开放日</p><p>市民走进站内参观</p>"
        "<p>本报记者 王燕平</p><p>本报实习生 周炜</p><p>2003-7-24 钱江晚报</p>"
        f"{ZH_STORY}</div></body></html>"
    )
    assert extract(page, URL).published == datetime(2003, 7, 24)


# --- portal templates (simplified, written for these tests) -----------------------------------


def test_a_writer_credit_after_the_story_beside_its_source() -> None:
    byline = "2023-05-10 10:23:45 来源: <a href='/x'>新京报</a><a class='jubao' href='/r'>举报</a>"
    after = "<div class='post_end'>本文来源：新京报 作者：张三<br>责任编辑：霍琦_NBJ11279</div>"
    article = extract(zh_page(byline=byline, after=after), URL)
    assert (article.authors, article.source, article.editors) == (("张三",), "新京报", ("霍琦",))


def test_a_source_element_beside_a_date_element() -> None:
    byline = (
        "<div class='date-source'><span class='date'>2023年05月10日 10:23</span>"
        "<a class='source' href='/x'>新京报</a></div>"
    )
    article = extract(zh_page(byline=byline), URL)
    assert article.source == "新京报" and article.published == datetime(2023, 5, 10, 10, 23)


def test_a_meta_name_with_a_trailing_space() -> None:
    head = '<meta name="og:time " content="2023-05-10 10:23:45">'
    assert extract(zh_page(head), URL).published == datetime(2023, 5, 10, 10, 23, 45)


def test_year_month_day_and_time_in_separate_elements() -> None:
    byline = (
        "<div class='header-time'><span class='year'><em>2023</em></span><span class='day'>"
        "<em>05</em>/<em>10</em></span><span class='time'> 10:23:45</span></div>"
    )
    assert extract(zh_page(byline=byline), URL).published == datetime(2023, 5, 10, 10, 23, 45)


def test_a_credit_line_naming_a_reporter_and_an_intern() -> None:
    byline = "<div class='index_author'>澎湃新闻记者 张三 实习生 李四</div>"
    assert extract(zh_page(byline=byline), URL).authors == ("张三", "李四")


@pytest.mark.parametrize(
    ("head", "byline"),
    [
        # a self-media account in the author box, a year-less date element beside it
        ("", "<div class='author-name'>新京报</div><div class='article-source'>"
             "<span class='date'>发布时间:05-10</span><span class='time'>10:23</span></div>"),
        # an account named in an author meta tag
        ('<meta property="og:article:author" content="新京报">', ""),
    ],
)  # fmt: skip
def test_an_outlet_where_the_writer_would_be_is_the_source(head: str, byline: str) -> None:
    article = extract(zh_page(head, byline), URL)
    assert article.authors == () and article.source == "新京报"


def test_a_short_headline_under_an_og_title_with_the_sites_names() -> None:
    title = "央行降准_财经频道_新浪财经_新浪网"
    page = zh_page(f'<meta property="og:title" content="{title}">', title="央行降准")
    page = page.replace("<title>央行降准_新闻中心</title>", f"<title>{title}</title>")
    assert extract(page, URL).title == "央行降准"


@pytest.mark.parametrize(
    ("text", "names"),
    [("文/张三", ["张三"]), ("文｜本报记者 张三 李四", ["张三", "李四"]), ("文/图 张三", ["张三"]),
     ("撰文/欧阳明远", ["欧阳明远"]), ("图/视觉中国", []), ("文化馆", [])],
)  # fmt: skip
def test_a_writer_after_wen_and_a_slash(text: str, names: list[str]) -> None:
    assert credit_line(text) == names


def test_a_reporter_and_a_correspondent_glued_in_brackets() -> None:
    page = zh_page().replace("市救助管理站今天", "本报讯（记者张三 通讯员李四）市救助管理站今天")
    assert extract(page, URL).authors == ("张三", "李四")


def test_the_sites_logo_as_a_first_heading_is_not_the_headline() -> None:
    page = zh_page(title="救助站开放日").replace(
        "<title>救助站开放日_新闻中心</title>", "<title>救助站开放日_新闻中心_示例新闻网</title>"
    )
    page = page.replace("<body>", "<body><h1 class='logo'><a href='/'>示例新闻网</a></h1>")
    assert extract(page, URL).title == "救助站开放日"


def test_a_photographer_after_the_writer_is_no_writer() -> None:
    assert extract(zh_page(byline="记者 张三 摄影 李四"), URL).authors == ("张三",)


def test_a_day_only_meta_takes_the_time_of_a_labelled_line_far_from_the_headline() -> None:
    head = '<meta name="publishdate" content="2019-06-15">'
    after = "<div class='foot'>发布时间：2019-06-15 08:18</div>"
    assert extract(zh_page(head, after=after), URL).published == datetime(2019, 6, 15, 8, 18)


@pytest.mark.parametrize(
    ("byline", "authors", "source", "editors"),
    [
        ("作者 | 张三", ("张三",), None, ()),
        ("来源 | 新京报", (), "新京报", ()),
        ("作者｜张三 编辑｜李四", ("张三",), None, ("李四",)),
        # a menu of bar-separated links is no label
        ("首页 | 来源 | 关于我们", (), None, ()),
    ],
)
def test_labels_followed_by_a_bar(
    byline: str, authors: tuple[str, ...], source: str | None, editors: tuple[str, ...]
) -> None:
    article = extract(zh_page(byline=byline), URL)
    assert (article.authors, article.source, article.editors) == (authors, source, editors)


def test_a_short_dated_story_line_that_the_urls_day_contradicts_is_not_the_date() -> None:
    page = zh_page().replace("<h1>", "<p>2019年5月1日</p><h1>", 1)
    article = extract(page, "https://news.example.cn/2022/02/13/a.html")
    assert article.published == datetime(2022, 2, 13)


def test_a_blogs_name_as_the_short_last_part_of_the_title_is_not_the_headline() -> None:
    page = zh_page(title="拆房谁来埋单").replace(
        "<title>拆房谁来埋单_新闻中心</title>", "<title>拆房谁来埋单？--读者的博客</title>"
    )
    page = page.replace(
        "<h1>拆房谁来埋单</h1>", "<h1>读者的博客</h1><div class='post-title'>拆房谁来埋单？</div>"
    )
    assert extract(page, URL).title == "拆房谁来埋单？"


def test_the_cjk_part_of_a_title_outweighs_a_longer_latin_suffix() -> None:
    page = zh_page(title="x").replace(
        "<title>x_新闻中心</title>",
        "<title>社会资本与下岗职工的再就业(页 1) - 学术前沿 - powered by Forum Archiver</title>",
    )
    page = page.replace("<h1>x</h1>", "")
    assert extract(page, URL).title == "社会资本与下岗职工的再就业(页 1)"


def test_the_portals_own_channel_is_no_writer() -> None:
    head = '<meta property="article:author" content="新浪财经">'
    byline = "2023年05月10日 10:23 <a class='source' href='/x'>新京报</a>"
    page = zh_page(head, byline, title="救助站开放日").replace("_新闻中心", "_新浪财经_新浪网")
    article = extract(page, URL)
    assert article.authors == () and article.source == "新京报"
