"""Boilerplate lines inside a story's container: credits, disclaimers and widgets leave the text,
story lines that merely mention such words stay (``scraper.extract.boilerplate``).

The pages ``fixtures/pages/*_boilerplate_*`` are checked by ``test_extract_golden``; here each
shape is pinned down line by line, in the language it comes from, and the story's cut at its
end is checked on small pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import boilerplate, extract
from scraper.extract.boilerplate import (
    ENDING_KINDS,
    WIDGET_CHARS,
    boilerplate_kind,
    credit_editors,
    is_credit_line,
    widget_kind,
)
from scraper.extract.widgets import WIDGET_PATTERNS

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

ZH_SHAPES = [
    ("责任编辑：霍琦", "credit"),
    ("责任编辑：霍琦_NBJ11279", "credit"),
    ("（责编：汤诗瑶、丁涛）", "credit"),
    ("[责任编辑:肖春芳]", "credit"),
    ("编辑：张三 审核：李四", "credit"),
    ("本文来源：示例晚报 责任编辑：张晓明", "credit"),
    ("免责声明：本文仅代表作者本人观点，与本站立场无关。", "disclaimer"),
    ("风险提示：市场有风险，投资需谨慎。", "disclaimer"),
    ("返回腾讯网首页>>", "home"),
    ("返回搜狐，查看更多", "home"),
    ("扫一扫在手机打开当前页面", "share"),
    ("用微信扫描二维码分享至好友和朋友圈", "share"),
    ("分享到：", "share"),
    ("正文已结束，您可以按alt+4进行评论", "end"),
    ("感谢您的反馈，我们将会减少此类文章的推荐", "feedback"),
    ("这篇文章对您有帮助吗？", "feedback"),
    ("打开网易新闻 查看精彩图片", "app"),
    ("展开全文", "app"),
    ("登录后参与评论", "comment"),
    ("正在加载...", "loading"),
    ("文章目录", "toc"),
    ("相关推荐", "more"),
    ("【相关阅读】", "more"),
    ("校对：张艳", "credit"),
    (
        "新浪声明：此消息系转载自合作媒体，登载此文出于传递更多信息之目的，并不意味着赞同其观点。",
        "disclaimer",
    ),
    ("特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。", "disclaimer"),
    ("海量资讯、精准解读，尽在示例财经APP", "app"),
    ("（本文来自示例新闻，更多原创资讯请下载“示例新闻”APP）", "app"),
    ("阅读原文", "app"),
    ("预览时标签不可点", "app"),
    ("继续滑动看下一个", "app"),
    ("长按识别二维码关注我们", "app"),
    ("本文为作者独家原创，未经允许不得转载", "rights"),
    ("版权归原作者所有，如有侵权请联系删除", "rights"),
    ("【纠错】 【责任编辑:张三】", "feedback"),
    ("分享让更多人看到", "share"),
    ("本版编辑:小林", "credit"),
    ("郑 重 声 明", "disclaimer"),
    ("（更多内容请继续关注 示例报纸网 www.example.com.cn）", "subscribe"),
    ("页面功能 【我来说两句】【推荐】【字体：大中小】【打印】 【关闭】", "share"),
    ("示例日报报业集团 版权所有，未经许可不得转载", "footer"),
    ("示例网 示ICP备00000000号-1", "footer"),
    ("积分：235", "forum"),
    ("昵称：", "comment"),
    ("评论", "comment"),
    ("欢迎关注示例日报微信公众号", "subscribe"),
    ("本文由示例号作者上传并发布，示例号仅提供信息发布平台。", "rights"),
    ("声明：该文观点仅代表作者本人，本站仅提供信息存储空间服务。", "disclaimer"),
    ("文章关键词： 疫情 经济", "tags"),
    ("点击进入专题：两会", "app"),
    ("举报/反馈", "line"),
]

EN_SHAPES = [
    ("Editor: Jane Doe", "credit"),
    ("Edited by Laura Chen", "credit"),
    ("(Reporting by Will Dunham; Editing by Tom Brown)", "credit"),
    ("Join our mailing list", "subscribe"),
    ("Subscribe to our blog", "subscribe"),
    ("Sign up for our newsletter!", "subscribe"),
    ("Join 800,000+ subscribers to get regular emails on health and science.", "subscribe"),
    ("Follow me on Instagram", "follow"),
    ("Follow us on Twitter @valleycourier", "follow"),
    ("Table of Contents", "toc"),
    ("Contents", "toc"),
    ("Was this article helpful?", "feedback"),
    ("Thank you for your feedback!", "feedback"),
    ("Share this:", "share"),
    ("Like this:", "share"),
    ("Create an account or sign in to comment", "comment"),
    ("You need to be a member in order to leave a comment", "comment"),
    ("Comments are closed.", "comment"),
    ("Related stories", "more"),
    ("You may also be interested in the following articles:", "more"),
    ("Read more:", "more"),
    ("This post contains affiliate links, which means we may earn a commission.", "disclosure"),
    ("Start your free trial today.", "cta"),
    ("Stop Guessing, Start Growing. Speak To Our Garden Design Experts", "cta"),
    ("If your roof leaks again this winter, talk to one of our repair specialists.", "cta"),
    ("Loading...", "loading"),
    ("Copyright 2024 Example News. All rights reserved.", "footer"),
    ("Powered by Example CMS 5.0", "sponsor"),
    ("Trackback: http://tb.example.net/TrackBack.aspx?PostId=1", "comment"),
    ("Tags: politics, elections", "tags"),
    ('<div style="position:absolute;"><img width=1 height=1 alt="" src="/b?P=1">', "markup"),
]

#: Story lines that mention the words of a shape, or share its start, and stay.
STORY_LINES = [
    "不少摊主在摊位前挂出收款二维码，顾客扫一扫就能付款，省去了找零的麻烦。",
    "编辑部的同事们当晚也去逛了一圈，发现最受欢迎的还是几家老字号。",
    "编辑：还有哪些问题没有解决？",
    "记者：改造之后，居民们最满意的是哪一点？",
    "来源：新华社",
    "作者：张三",
    "外交部声明：中方坚决反对任何形式的干涉。",
    "我们下载了这款app，发现它的界面很简洁。",
    "关注留守儿童的成长，是我们共同的责任。",
    "标签是一种分类方式。",
    "分析人士在风险提示中指出，外部需求仍有不确定性。",
    "返回首页后，用户可以在设置里找到这个选项，并关闭推荐功能。",
    "相关部门表示，将于下月公布调查结果。",
    "Subscribe to the idea that less is more, and the rest of the packing becomes easy.",
    "Follow the rule of one hot meal a day.",
    "Contents of the shelter bag: a one-person tent, two poles and a repair kit.",
    "Many readers asked whether they should subscribe to our newsletter for the full list.",
    "The editor of the local history society's newsletter, Tom Reyes, told the meeting.",
    "Editors Note",
    "Recommended Posting Frequency",
    "More about the federal debt and the economy",
    "Disclaimer: if you see different patch sizes, that is because updates run in the background.",
    "Share this information, please?",
    "See also",
    "The plant manager put it simply: “If the pump fails, talk to our experts.”",
    "The ministry said it would talk to our neighbours before building the dam.",
    "Twelve firms bid for the contract; the council chose the one that hired local experts.",
]


@pytest.mark.parametrize(("line", "kind"), ZH_SHAPES + EN_SHAPES)
def test_boilerplate_shapes(line: str, kind: str) -> None:
    assert boilerplate_kind(line) == kind


@pytest.mark.parametrize("line", STORY_LINES)
def test_story_lines_that_mention_such_words_stay(line: str) -> None:
    assert boilerplate_kind(line) is None


def test_a_bare_read_more_button_is_dropped_but_does_not_end_the_story() -> None:
    assert boilerplate_kind("Read more") == "line"
    assert "line" not in ENDING_KINDS and "more" in ENDING_KINDS


def test_long_paragraph_with_widget_words_stays() -> None:
    line = "Subscribe to our newsletter, " + "the council said, " * 12 + "and then it voted."
    assert len(line) > WIDGET_CHARS
    assert boilerplate_kind(line) is None


@pytest.mark.parametrize(
    ("line", "editors"),
    [
        ("责任编辑：霍琦_NBJ11279", ("霍琦",)),
        ("（责编：汤诗瑶、丁涛）", ("汤诗瑶", "丁涛")),
        ("编辑：张三 审核：李四", ("张三",)),
        ("本文来源：示例晚报责任编辑：张晓明", ("张晓明",)),
        ("Edited by Laura Chen", ("Laura Chen",)),
        ("(Reporting by Will Dunham; Editing by Tom Brown)", ("Tom Brown",)),
        ("来源：新华社", ()),
        ("编辑：还有哪些问题没有解决？", ()),
    ],
)
def test_credit_editors(line: str, editors: tuple[str, ...]) -> None:
    assert credit_editors(line) == editors
    assert is_credit_line(line) == bool(editors)


def _fixture_lines() -> list[str]:
    lines: list[str] = []
    for page in sorted(PAGES.glob("*.html")):
        root = LexborHTMLParser(page.read_bytes()).body
        if root is not None:
            lines += [line.strip() for line in root.text().split("\n") if line.strip()]
    return lines


def _every_pattern(line: str) -> str | None:
    """The purpose of the first widget pattern matching ``line``, trying all of them."""
    lowered = line.lower().strip()
    for purpose, patterns in WIDGET_PATTERNS.items():
        if any(re.fullmatch(pattern, lowered) for pattern in patterns):
            return purpose
    return None


def test_first_character_dispatch_changes_no_answer() -> None:
    lines = [line for line, _ in ZH_SHAPES + EN_SHAPES] + STORY_LINES + _fixture_lines()
    assert len(lines) > 300
    for line in lines:
        assert widget_kind(line.lower().strip()) == _every_pattern(line), line


def test_a_pattern_without_known_first_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="must start with known characters"):
        boilerplate._by_start({"share": (r".{0,12}分享",)})


def _page(body: str) -> str:
    return (
        '<html><head><meta charset="utf-8"><title>示例标题</title></head><body>'
        f'<div class="article-content">{body}</div></body></html>'
    )


PARAGRAPH = (
    "<p>{}月，示例市新建了一座社区图书馆，附近的居民每天都来借书、看报、上自习，"
    "馆里总是坐得满满当当。</p>"
)


def test_story_ends_at_the_editor_credit() -> None:
    story = "".join(PARAGRAPH.format(n) for n in range(1, 7))
    tail = "<p>责任编辑：王芳</p><p>本站新推出读者俱乐部活动欢迎报名</p>"
    article = extract(_page(story + tail), "https://news.example.com/a.html")
    assert "6月，示例市" in article.text
    assert "王芳" not in article.text
    assert "读者俱乐部" not in article.text


def test_credit_above_the_story_cuts_nothing() -> None:
    story = "".join(PARAGRAPH.format(n) for n in range(1, 7))
    article = extract(_page("<p>编辑：王芳</p>" + story), "https://news.example.com/a.html")
    assert "王芳" not in article.text
    assert all(f"{n}月，示例市" in article.text for n in range(1, 7))


def test_heading_followed_by_a_long_section_cuts_nothing() -> None:
    story = "".join(PARAGRAPH.format(n) for n in range(1, 4))
    rows = "".join(f"<p>第{n}行 数据</p>" for n in range(1, 12))
    article = extract(
        _page(story + "<h3>Related resources</h3>" + rows), "https://news.example.com/a.html"
    )
    assert "Related resources" not in article.text
    assert "第11行 数据" in article.text


def test_markup_printed_as_text_leaves_but_code_samples_stay() -> None:
    story = "".join(PARAGRAPH.format(n) for n in range(1, 4))
    noscript = '<p>&lt;img width=1 height=1 alt="" src="https://ads.example.com/p.gif"&gt;</p>'
    code = '<pre>&lt;div class="note"&gt;hello&lt;/div&gt;</pre>'
    article = extract(_page(story + noscript + code), "https://news.example.com/a.html")
    assert "ads.example.com" not in article.text
    assert '<div class="note">hello</div>' in article.text


EN_PARAGRAPH = (
    "<p>In week {}, the town's new library lent more books than the old one did in a month, "
    "and the reading room stayed full until closing time.</p>"
)


def _shop_page(body: str) -> str:
    return (
        '<html><head><meta charset="utf-8"><title>Walnut desk lamp</title></head><body>'
        f"<h1>Walnut desk lamp</h1>{body}</body></html>"
    )


def test_closed_dialogs_beside_the_story_leave() -> None:
    drawer = (
        '<div class="drawer" role="dialog"><a href="/me">Your profile</a>'
        '<a href="/lib">Your shelf</a></div>'
        '<div class="box" role="dialog"><h2>Follow</h2><p>Tell me about new posts by this '
        "writer</p><p>Tell me when someone quotes this writer</p></div>"
    )
    above = "".join(EN_PARAGRAPH.format(n) for n in range(1, 4))
    below = "".join(EN_PARAGRAPH.format(n) for n in range(4, 7))
    article = extract(_page(above + drawer + below), "https://news.example.com/a.html")
    assert "week 6, the town" in article.text
    assert "new posts by this writer" not in article.text
    assert "quotes this writer" not in article.text


def test_a_dialog_holding_the_description_stays() -> None:
    sheet = (
        '<div class="sheet" role="dialog"><h2>About this lamp</h2>'
        + "".join(EN_PARAGRAPH.format(n).replace("library", "lamp shop") for n in range(1, 4))
        + "</div>"
    )
    article = extract(_shop_page("<p>Price: 40 euros</p>" + sheet), "https://shop.example.com/l")
    assert "week 3, the town's new lamp shop" in article.text


def test_a_dialog_holding_the_headline_stays() -> None:
    opening = "<p>A lamp for the reading club's long table, in oiled walnut and brass.</p>"
    story = "".join(EN_PARAGRAPH.format(n) for n in range(1, 11))
    page = (
        '<html><head><meta charset="utf-8"><title>Walnut desk lamp</title></head><body>'
        f'<div role="dialog"><h1>Walnut desk lamp</h1>{opening}</div>{story}</body></html>'
    )
    article = extract(page, "https://news.example.com/a.html")
    assert "long table, in oiled walnut" in article.text


def test_forum_signatures_and_user_titles_leave() -> None:
    posts = "".join(
        f'<li class="post"><div class="userinfo"><a href="/u/{n}">member{n}</a>'
        f"<span>Seasoned Pond Keeper</span><span>Joined May 2019</span></div>"
        f'<div class="postbody">{EN_PARAGRAPH.format(n)}</div>'
        '<div class="post-signature">Koi ponds built to order in the valley</div></li>'
        for n in range(1, 7)
    )
    page = (
        '<html><head><meta charset="utf-8"><title>Library hours</title></head><body>'
        f'<ol class="posts">{posts}</ol></body></html>'
    )
    article = extract(page, "https://forum.example.com/t/1")
    assert all(f"week {n}, the town" in article.text for n in range(1, 7))
    assert "Seasoned Pond Keeper" not in article.text
    assert "Koi ponds built to order" not in article.text
