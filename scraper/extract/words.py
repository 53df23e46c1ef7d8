"""Named data for the article extractor: words that pages print around a story.

List headings (相关推荐, 热点推荐, Most read ...) by block kind, labels (来源：, By), boilerplate
lines and datelines, title and breadcrumb separators, the labels of credit lines and disclaimers
(责任编辑：, 免责声明：; the widgets are in ``widgets``). Headings are compared after lower-casing
and squeezing out whitespace and punctuation (see ``scraper._text.heading_key``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: Headings of link lists, by block kind. Matched against the whole (short) heading text.
BLOCK_HEADINGS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "recommended": (
            "相关推荐",
            "猜你喜欢",
            "为你推荐",
            "推荐阅读",
            "精彩推荐",
            "编辑推荐",
            "今日推荐",
            "热门推荐",
            "youmayalsolike",
            "youmightalsolike",
            "recommended",
            "recommendedforyou",
            "recommendedstories",
            "morefromus",
            "picksforyou",
            "moretoexplore",
            "youmightlike",
            "suggestedreading",
        ),
        "hot": (
            "热点推荐",
            "热点新闻",
            "热门",
            "热门文章",
            "热门新闻",
            "热门排行",
            "排行",
            "排行榜",
            "热榜",
            "点击排行",
            "24小时排行",
            "一周排行",
            "热读",
            "热搜",
            "mostread",
            "mostpopular",
            "mostviewed",
            "mostshared",
            "trending",
            "trendingnow",
            "trendingstories",
            "popular",
            "popularnow",
            "popularstories",
            "toptrending",
            "topstories",
            "hotnews",
        ),
        "related": (
            "相关阅读",
            "相关新闻",
            "相关文章",
            "相关链接",
            "延伸阅读",
            "相关报道",
            "related",
            "relatedarticles",
            "relatedstories",
            "relatedcontent",
            "relatedposts",
            "relatednews",
            "relatedcoverage",
            "relatedtopics",
            "readmore",
            "readnext",
            "furtherreading",
            "seealso",
            "moreonthisstory",
            "moreonthis",
            "moreonthistopic",
        ),
        "other": (
            "头条要闻",
            "要闻",
            "财经要闻",
            "体育要闻",
            "娱乐要闻",
            "科技要闻",
            "汽车要闻",
            "态度原创",
            "最新",
            "最新新闻",
            "latest",
            "latestnews",
            "latestarticles",
            "morenews",
            "morestories",
            "editorspicks",
        ),
    }
)

#: Printed prefixes that introduce further headings of a kind ("More from ...", "Related: ...").
BLOCK_HEADING_PREFIXES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "related": ("related", "相关", "moreon", "moreabout"),
        "recommended": ("recommended", "youmay", "youmight"),
        "hot": ("mostread", "mostpopular", "trending", "热门", "热点"),
        "other": ("morefrom", "latestfrom", "morein"),
    }
)

#: Headings of lists of other stories that also title a section of a story (a reference work's
#: See also): the line stays in the text.
SECTION_HEADINGS: frozenset[str] = frozenset(("seealso", "furtherreading", "related"))

#: Link texts that lead to the story's next page.
NEXT_PAGE_TEXTS: frozenset[str] = frozenset(
    ("下一页", "下页", "next", "nextpage", "next»", "next›", "nextarticlepage", "›", "»")
)

#: Labels that introduce the source (媒体) of a story.
SOURCE_LABELS: tuple[str, ...] = ("来源：", "来源:", "来源 ", "稿源：", "出处：", "Source:")

#: Labels that introduce the writers of a story.
AUTHOR_LABELS: tuple[str, ...] = ("作者：", "作者:", "记者：", "责任编辑：", "By ", "by ")

#: Last crumb of a breadcrumb trail that only means "this page".
BREADCRUMB_TAILS: frozenset[str] = frozenset(("正文", "内容", "文章", "article", "story"))

#: Separators printed between breadcrumb items.
BREADCRUMB_SEPARATORS: tuple[str, ...] = (">", "›", "»", "→", "/", "|", "＞", ">>")

#: Whole lines that are furniture wherever they appear in a story.
BOILERPLATE_LINES: frozenset[str] = frozenset(
    (
        "advertisement",
        "ad",
        "sponsored",
        "share",
        "sharethis",
        "shareonfacebook",
        "shareontwitter",
        "sharethisarticle",
        "tweet",
        "print",
        "email",
        "comments",
        "readmore",
        "continuereading",
        "skiptocontent",
        "scrolltocontinuewithcontent",
        "分享至",
        "分享到",
        "分享",
        "打印",
        "收藏",
        "返回顶部",
        "举报",
        "举报反馈",
        "关闭",
        "advert",
        "close",
        "home",
        "more",
        "mediaplaybackisunsupportedonyourdevice",
        "pleaseenablejavascript",
        "0",
    )
)

#: Starts of lines that credit an image or announce page chrome (compared lower-cased).
BOILERPLATE_PREFIXES: tuple[str, ...] = (
    "image copyright",
    "image source",
    "image caption",
    "photo credit",
    "photo by ",
    "photograph by ",
    "(image:",
    "(photo:",
    "getty images",
    "back to gallery",
    "advertisement",
    "read more:",
    "related:",
    "see also:",
    "filed under",
    "发布时间",
    "更新时间",
)

#: Words that may surround a date on a dateline ("Updated 5:27 am, Wednesday").
DATELINE_WORDS: frozenset[str] = frozenset(
    (
        "updated",
        "published",
        "posted",
        "first",
        "last",
        "modified",
        "on",
        "at",
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "by",
        "gmt",
        "utc",
        "est",
        "edt",
        "pst",
        "pdt",
        "cst",
        "cet",
        "bst",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    )
)

#: Title separators between the headline and the site name in ``<title>``.
TITLE_SEPARATORS: tuple[str, ...] = (" | ", " - ", " – ", " — ", "_", " :: ", " · ", "｜", " » ")

#: Printed starts of image captions.
CAPTION_PREFIXES: tuple[str, ...] = (
    "图为",
    "图：",
    "图:",
    "图片：",
    "(图",
    "（图",
    "Photo:",
    "Image:",
)

#: Gallery counters and similar chrome, as patterns over a whole (lower-cased) line.
BOILERPLATE_PATTERNS: tuple[str, ...] = (
    r"(?:image|photo|slide|picture)?\s*\d+\s*of\s*\d+\b.*",
    r"\d+\s*/\s*\d+",
)

#: Agencies and stock libraries whose name on a short line marks a photo credit.
CREDIT_NAMES: tuple[str, ...] = (
    "getty images",
    "shutterstock",
    "associated press",
    "ap photo",
    "ap",
    "reuters",
    "afp",
    "epa",
    "alamy",
    "istock",
)

#: Marks of a photo credit inside a caption ("Credit: EPA", "(Image: GETTY)"): a credited
#: caption is picture furniture, not story prose (a caption without one is kept).
CAPTION_CREDIT_MARKS: tuple[str, ...] = (
    "credit:",
    "credits:",
    "image:",
    "images:",
    "photo:",
    "photos:",
    "photograph:",
    "picture:",
    "pictured:",
    "(image",
    "(photo",
    "image credit",
    "photo credit",
    "photo by",
    "©",
)

# --- boilerplate printed inside a story's container (see ``boilerplate``) --------------------

#: Labels of the editor credit printed with a story (责任编辑：霍琦, （责编：汤诗瑶、丁涛）,
#: Editor: ...). A credit line leaves the text; its names are the story's editors.
EDITOR_LABELS: tuple[str, ...] = (
    "责任编辑",
    "责编",
    "编辑",
    "值班编辑",
    "实习编辑",
    "本文编辑",
    "本版编辑",
    "文字编辑",
    "网络编辑",
    "editor",
    "editors",
    "edited by",
    "editing by",
)

#: Labels of the other staff credits (审核：李四, 校对：王五): a line of them is a credit line
#: too, with or without an editor.
STAFF_LABELS: tuple[str, ...] = (
    "审核",
    "审校",
    "校对",
    "校审",
    "初审",
    "复审",
    "终审",
    "监制",
    "主编",
    "统筹",
    "策划",
    "制作",
    "美编",
    "责任校对",
    "图片编辑",
    "视频编辑",
)

#: Byline labels a credit line may hold next to an editor's or staff credit (来源：... 编辑：...,
#: 作者：... 审核：...); alone they make a byline, which stays where it is.
CREDIT_LABELS: tuple[str, ...] = (
    "作者",
    "记者",
    "来源",
    "本文来源",
    "文章来源",
    "稿源",
    "reporting by",
    "additional reporting by",
    "writing by",
    "compiled by",
)

#: Labels that open a portal's disclaimer or rights notice (免责声明：...): the line leaves the
#: text whatever its length. English "Disclaimer:" is left alone: there it is mostly the
#: writer's own note, which the shared sets' ground truths keep.
DISCLAIMER_LABELS: tuple[str, ...] = (
    "免责声明",
    "版权声明",
    "特别声明",
    "郑重声明",
    "原创声明",
    "版权说明",
    "风险提示",
)
