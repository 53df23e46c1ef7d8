"""Named data for the article extractor: tags, class/id tokens, meta names.

What the extractor "knows" about page markup lives here, grouped by purpose, so that tuning
means editing data, never adding per-site branches to code. The words pages *print* (list
headings, labels, boilerplate lines) live in ``words``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# --- tags -----------------------------------------------------------------------------------

#: Subtrees never read: code, styling, embedded objects and form controls.
DROP_TAGS: tuple[str, ...] = (
    "script", "style", "template", "svg", "iframe", "object", "embed", "canvas", "video",
    "audio", "map", "button", "select", "textarea", "input", "head", "dialog",
)  # fmt: skip

#: Elements that may be hidden from a reader: a ``hidden`` attribute, or an inline style that
#: says so (``HIDDEN_STYLES``; checked in Python, cheaper than substring selectors in lexbor).
HIDDEN_SELECTOR = "[hidden], [style]"
HIDDEN_STYLES: tuple[str, ...] = (
    "display:none",
    "display: none",
    "visibility:hidden",
    "visibility: hidden",
)

#: Elements that end the current line of text (block-level boxes and line breaks).
BLOCK_TAGS: frozenset[str] = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "center",
        "dd",
        "details",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
        "legend",
    ]
)

#: Block elements whose class/id/itemprop/role are read (furniture, story body, captions,
#: breadcrumbs); skipping the rest (p, li, td ...) keeps the walk fast.
NAMED_TAGS: frozenset[str] = frozenset(
    (
        "div",
        "section",
        "aside",
        "ul",
        "ol",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "figure",
        "figcaption",
        "table",
        "dl",
        "center",
        "details",
        "form",
        "p",
    )
)

HEADING_TAGS: frozenset[str] = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))

#: Semantic tags that are page furniture on their own, whatever their class says.
CLUTTER_TAGS: frozenset[str] = frozenset(("nav", "aside", "footer", "menu"))

#: Containers whose list items are links worth keeping as a link block.
LIST_TAGS: frozenset[str] = frozenset(("ul", "ol", "dl", "table", "tbody", "menu"))

# --- class / id tokens ----------------------------------------------------------------------

#: Substrings of class/id values that mark furniture (related lists, sharing, comments, ads...).
CLUTTER_SUBSTRINGS: tuple[str, ...] = (
    "related",
    "recommend",
    "sidebar",
    "comment",
    "share",
    "social",
    "newsletter",
    "subscribe",
    "breadcrumb",
    "crumb",
    "advert",
    "sponsor",
    "promo",
    "taboola",
    "outbrain",
    "popular",
    "trending",
    "mostread",
    "most-read",
    "footer",
    "masthead",
    "navbar",
    "navigation",
    "pagination",
    "byline",
    "author-bio",
    "authorbio",
    "signup",
    "cookie",
    "banner",
    "toolbar",
    "rank",
    "hotnews",
    "hot_news",
    "hot-news",
    "more-stories",
    "morestories",
    "widget-area",
    "widget_area",
    "widgets",
    "breaking",
    "ticker",
    "disqus",
    "copyright",
    "modal",
    "popup",
    "skip-link",
    "visually-hidden",
    "sr-only",
    "screen-reader",
    "signature",
    "userinfo",
)

#: Substrings of class/id values of consent and cookie dialogs: never the story, even when
#: they hold most of a page's prose (a product page whose description is short).
OVERLAY_SUBSTRINGS: tuple[str, ...] = (
    "cookie",
    "consent",
    "gdpr",
    "onetrust",
    "cookiebot",
    "didomi",
)

#: Whole class/id tokens (split on non-alphanumerics) that mark furniture.
CLUTTER_TOKENS: frozenset[str] = frozenset(
    [
        "ad",
        "ads",
        "adv",
        "nav",
        "menu",
        "hot",
        "tags",
        "side",
        "aside",
        "foot",
        "footer",
        "header",
        "topbar",
        "share",
        "tools",
        "meta",
        "dateline",
        "author",
        "source",
        "info",
        "keywords",
        "crumbs",
        "position",
        "location",
        "where",
        "print",
        "email",
        "follow",
        "login",
        "register",
        "search",
        "logo",
        "copyright",
        "statement",
    ]
)

#: Whole class/id tokens that name navigation.
NAV_TOKENS: frozenset[str] = frozenset(
    ("nav", "menu", "navbar", "navigation", "topnav", "mainnav", "menubar", "subnav")
)

#: Substrings of class/id values (or itemprop) that mark the story container.
CONTENT_SUBSTRINGS: tuple[str, ...] = (
    "articlebody",
    "article-body",
    "article_body",
    "article-content",
    "article_content",
    "articlecontent",
    "post-content",
    "post_content",
    "postcontent",
    "post-body",
    "post_body",
    "entry-content",
    "entry_content",
    "story-body",
    "storybody",
    "story-content",
    "main-content",
    "maincontent",
    "post_text",
    "post-text",
    "content-body",
    "text-content",
    "rich-text",
    "richtext",
    "body-text",
)

#: Class/id substrings of image captions (kept in the text).
CAPTION_SUBSTRINGS: tuple[str, ...] = ("caption", "figcaption", "img_desc", "imgdesc", "pic_desc")

#: Class/id substrings of breadcrumb trails (the ``section`` path).
BREADCRUMB_SUBSTRINGS: tuple[str, ...] = ("breadcrumb", "crumb", "position", "location", "curpos")

#: Class/id substrings of the element that names the writers of the story.
AUTHOR_SUBSTRINGS: tuple[str, ...] = ("author", "byline", "writer", "reporter")

#: Class/id substrings of elements about the writer rather than naming them (author-title,
#: author-bio): never read as a byline.
AUTHOR_ABOUT_SUBSTRINGS: tuple[str, ...] = ("title", "role", "bio", "job", "position", "desc")
#: Inline elements named as the story's source (outlet), read when no 来源 label is printed.
SOURCE_SELECTOR = '[class*="source"], [id*="source"], [class*="laiyuan"]'
#: Languages whose portals name the source element (``<span class="a_source">``); elsewhere
#: "source" classes mostly hold image credits, and looking costs a pass over the tree.
SOURCE_ELEMENT_LANGS: frozenset[str] = frozenset(("zh",))

# --- printed labels of bylines and credits ---------------------------------------------------
# Labels are matched followed by a colon (：or :); ``*_PREFIXES`` start a line without one.

#: Labels of the story's writers.
WRITER_LABELS: tuple[str, ...] = (
    "作者", "记者", "撰文", "文字", "执笔", "执笔人", "author", "written by",
)  # fmt: skip
#: Words that start a writer line without a colon ("By Jane Doe", "Par ...").
WRITER_PREFIXES: tuple[str, ...] = (
    "by", "written by", "words by", "text by", "story by", "par", "von", "por", "thread starter",
    "started by",
)  # fmt: skip
#: Labels of the source (outlet) a story comes from.
SOURCE_LABELS: tuple[str, ...] = (
    "来源", "稿源", "出处", "文章来源", "本文来源", "信息来源", "新闻来源", "发文机关", "发布机构",
    "source",
)  # fmt: skip
#: Labels of the publication time on a date line (发布时间：..., Published: ...).
PUBLISHED_LABELS: tuple[str, ...] = (
    "发布时间", "发布日期", "发表时间", "发表日期", "发表于", "发布于", "时间", "日期",
    "published", "posted", "date",
)  # fmt: skip
#: Labels of a member's dates in a forum's user box (Joined Nov 4, 2011): never the post's.
USER_DATE_LABELS: tuple[str, ...] = (
    "joined", "member since", "registered", "注册时间", "注册日期", "加入时间",
)  # fmt: skip
#: Other labels met on byline lines: where a value before them ends.
OTHER_LABELS: tuple[str, ...] = (
    "浏览", "浏览次数", "阅读", "阅读量", "点击", "点击数", "字号", "评论", "栏目", "标签",
    "关键词", "关键字", "摄影", "通讯员", "发布者", "审核", "校对", "监制", "主编", "类别",
    "分类",
)  # fmt: skip
#: Buttons printed right after a byline name (the report, share, save buttons): never part of
#: a name or source.
ACTION_WORDS: tuple[str, ...] = (
    "举报", "分享", "收藏", "打印", "评论", "纠错", "关注", "订阅", "字号", "投诉", "复制链接",
    "Follow", "Share",
)  # fmt: skip
#: Words and marks printed between two names of one credit (张三、李四; Kim, Jett; A et B).
NAME_JOINERS: tuple[str, ...] = ("、", ",", "，", ";", "；", "/", "／", "和", "与", "及")
NAME_JOINER_WORDS: tuple[str, ...] = ("and", "et", "und", "y", "e")
#: Ends of outlet names (石佳/中国青年报 names a writer and an outlet).
OUTLET_SUFFIXES: tuple[str, ...] = (
    "报", "社", "网", "台", "刊", "杂志", "新闻", "客户端", "频道",
)  # fmt: skip
#: Ends of organisation names other than outlets' (an "author" so named is no writer).
ORG_SUFFIXES: tuple[str, ...] = ("集团", "公司", "出版社", "传媒", "报业", "网络")
#: Two-character surnames: a four-character run of glued names that starts with one is one
#: name (欧阳明远), any other is two (罗科苏盈 → 罗科, 苏盈).
DOUBLE_SURNAMES: frozenset[str] = frozenset((
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "宇文", "长孙",
    "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "司徒", "司空", "百里", "呼延", "万俟", "闻人",
    "澹台", "公冶", "申屠", "太史",
))  # fmt: skip
#: Last words of job titles printed after a writer's name (AP Auto Writer, Software Engineer):
#: such a value is no name.
JOB_TITLE_WORDS: frozenset[str] = frozenset((
    "writer", "editor", "correspondent", "reporter", "columnist", "contributor", "engineer",
    "producer", "photographer",
))  # fmt: skip
#: Words of bracketed notes closing a story, never in a writer's name (（未完待续）, （资料图）).
NOT_NAME_WORDS: tuple[str, ...] = (
    "完", "续", "图", "摄", "注", "略", "转", "接", "编", "译", "供稿", "资料", "新闻", "报道",
    "讯",
)  # fmt: skip
#: Words a page prints alone under its headline, never a writer's name (摘要, 编者按).
HEADLINE_WORDS: tuple[str, ...] = (
    "摘要", "提要", "导读", "导语", "按语", "前言", "引言", "序言", "正文", "全文", "原创", "转载",
    "评论", "专栏", "社论", "目录", "简介", "背景", "附件", "声明", "公告", "通知", "首页", "返回",
    "打印", "关闭", "分享", "收藏", "推荐", "热门", "相关", "更多", "视频", "专题", "直播", "快讯",
    "要闻", "头条", "时评", "观点", "访谈", "阅读", "字号", "投稿", "来稿",
)  # fmt: skip
#: Units of counters printed in author boxes (总篇数919 篇, 1.2万粉丝): such a line is no name.
COUNTER_UNITS: tuple[str, ...] = (
    "篇", "条", "粉丝", "关注", "阅读", "次", "帖", "积分", "followers", "posts", "messages",
    "reaction score", "points",
)  # fmt: skip

# --- titles ---------------------------------------------------------------------------------

#: Separators between a site or section name and the headline in ``<title>``, tried after
#: ``words.TITLE_SEPARATORS`` (明日股市预测--标题, 新闻动态--中国地理学会官网).
SITE_SEPARATORS: tuple[str, ...] = ("--", "——", " ｜ ", "：：")

# --- meta tags ------------------------------------------------------------------------------

#: Meta names/properties that hold the publication time, best first.
PUBLISHED_META_NAMES: tuple[str, ...] = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "article.published",
    "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "firstpublishedtime", "publishtime", "publish_time", "pubtime", "ptime", "article:published",
    "og:release_date", "datecreated", "dc.date.created", "weibo:article:create_at",
    "ld:datepublished", "og:time", "date",
)  # fmt: skip
#: Meta names/properties of the last update: a page's date when it gives no other.
UPDATED_META_NAMES: tuple[str, ...] = (
    "dateupdate", "datemodified", "article:modified_time", "og:updated_time", "lastmod",
    "last-modified", "dc.date.modified",
)  # fmt: skip
#: Keys of publication times in inline scripts (compared lower-cased; ``ct`` is WeChat's Unix
#: time): read when neither the head nor the printed lines give a date.
SCRIPT_DATE_KEYS: tuple[str, ...] = (
    "datepublished", "publishdate", "publish_date", "publishtime", "publish_time", "pubtime",
    "pub_time", "pubdate", "pub_date", "firstpublishtime", "first_publish_time", "ptime",
    "createtime", "create_time", "createdat", "created_at", "newstime", "releasedate", "ct",
)  # fmt: skip
#: UTC offsets (hours) of languages spoken in one time zone: a Unix timestamp on such a page
#: is shown in it (as the page prints its times), elsewhere in UTC.
LANG_OFFSETS: Mapping[str, int] = MappingProxyType({"zh": 8, "ja": 9, "ko": 9})
#: Meta names that name the story's source (outlet), best first; a value may keep its label
#: (来源：人民网).
SOURCE_META_NAMES: tuple[str, ...] = ("source", "contentsource")
#: Meta names kept in ``Article.meta``.
KEPT_META_NAMES: tuple[str, ...] = (
    "og:type",
    "og:site_name",
    "keywords",
    "news_keywords",
    "article:section",
    "article:tag",
    "og:locale",
)
