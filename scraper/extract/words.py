"""Named data for the article extractor: words that pages print around a story.

List headings (相关推荐, 热点推荐, Most read ...) by block kind, labels (来源：, By), boilerplate
lines and datelines, title and breadcrumb separators. Headings are compared after lower-casing
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
    "文字编辑",
    "网络编辑",
    "editor",
    "editors",
    "edited by",
    "editing by",
)

#: Other labels a credit line may hold next to the editor's (编辑：张三 审核：李四, 来源：...
#: 编辑：...); the whole line leaves the text when one of its labels is an editor's.
CREDIT_LABELS: tuple[str, ...] = (
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
    "风险提示",
)

#: Widgets printed as short lines in or under a story, by purpose: patterns over the whole
#: lower-cased line (``boilerplate`` checks lines up to ``WIDGET_CHARS``).
WIDGET_PATTERNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "share": (
            r"(?:手机|微信)?扫一扫.{0,30}",
            r"(?:用|使用)?(?:手机|微信)?扫(?:描|码)?(?:下方|上方|左侧|右侧)?二维码.{0,30}",
            r"(?:分享|转发)(?:到|至)[:：]?.{0,12}",
            r"share (?:this(?: article| story| post| page)?|on \w+|via \w+)\W*",
            r"like this:?",
            r"like loading\W*",
        ),
        "subscribe": (
            r"(?:join|subscribe to|sign up (?:for|to)|get|receive) (?:our|the|my)\b.{0,30}"
            r"(?:mailing list|newsletters?|blog|e-?mails?|updates|digest|inbox)\b.{0,40}",
            r"(?:subscribe|sign up)(?: now| today| here| for free)?\W*",
            r"join [\d,.]+\+? (?:subscribers|readers|people|others)\b.{0,120}",
            r"(?:点击|欢迎)?(?:订阅|关注)(?:我们|本号|公众号|微信公众号).{0,16}",
        ),
        "follow": (
            r"follow (?:me|us)(?: on| at)? (?:instagram|twitter|x|facebook|linkedin|youtube"
            r"|tiktok|pinterest|threads|bluesky|mastodon|social media|telegram|flipboard"
            r"|google news|wechat|weibo)\b.{0,30}",
            r"follow (?:me|us)\W*",
            r"(?:stay connected|connect with us)\W*",
        ),
        "feedback": (
            r"感谢(?:您|你)的反馈.{0,30}",
            r"(?:我们)?(?:将会|将|会)?减少(?:此类|类似)(?:文章|内容)?的?推荐.{0,6}",
            r"(?:这篇|本篇|此篇|该)?(?:文章|内容)对(?:您|你)有(?:帮助|用)吗.{0,12}",
            r"(?:was|is|did you find) this (?:article|page|post|answer|information|content)"
            r"(?: helpful| useful)\W*.{0,30}",
            r"(?:was|is) this (?:helpful|useful)\W*.{0,30}",
            r"thanks? (?:you )?for (?:your )?feedback\W*.{0,40}",
            r"(?:give|send|leave) (?:us )?(?:your )?feedback\W*",
            r"rate this (?:article|post|page|story)\W*",
        ),
        "home": (
            r"返回.{0,8}首页\W{0,4}",
            r"返回.{0,6}[，,]查看更多\W{0,4}",
            r"(?:back|return) to (?:top|home|homepage|the homepage)\W*",
            r"回到顶部\W*",
        ),
        "end": (
            r"正文已结束.{0,30}",
            r"(?:正文|全文)(?:完|结束)\W*",
        ),
        "app": (
            r"(?:打开|下载).{0,8}(?:app|客户端)(?:.{0,12})",
            r"打开.{0,8}查看(?:精彩)?(?:图片|更多|全文)\W{0,4}",
            r"(?:展开全文|阅读全文|点击查看全文|展开剩余\d+%)\W*",
        ),
        "comment": (
            r"(?:create an account or )?(?:sign|log) ?in to (?:comment|reply|post)\b.{0,30}",
            r"you (?:need|must) (?:to )?(?:be a member|be logged in|be signed in|log in"
            r"|sign in)\b.{0,30}(?:comment|reply|post)\b.{0,12}",
            r"(?:leave|post|add|write) a (?:comment|reply)\W*",
            r"comments are closed\W*",
            r"not open for further replies\W*",
            r"(?:登录|登陆)后?(?:才能|即可)?(?:参与|发表)?评论.{0,12}",
            r"(?:我要评论|发表评论|网友评论|参与评论|查看评论)\W*",
        ),
        "loading": (
            r"(?:loading|加载中|正在加载)\W*",
            r"(?:load|show|view) more\W*",
            r"(?:expand|collapse) (?:all|description|section)\W*",
            r"(?:查看更多|加载更多)\W*",
        ),
        "more": (
            r"(?:related|recommended|trending|popular|latest|more|other|similar|top)"
            r" (?:articles|stories|posts|news|reads|reading|content|coverage|links|questions"
            r"|videos|resources|publications)\b[^.!?。！？]{0,30}",
            r"(?:most (?:read|popular|viewed|shared)|more from)\b[^.!?。！？]{0,30}",
            r"read more(?::| (?:news|stories|articles|posts)\b[^.!?。！？]{0,30}"
            r"| (?:on|from|about) [^.!?。！？]{1,30})",
            r"you (?:may|might) (?:also )?(?:like|enjoy|be interested)\b[^.!?。！？]{0,40}",
            r"(?:good|great|more|other) (?:articles|reads|posts|stories) to read\b"
            r"[^.!?。！？]{0,20}",
        ),
        "sponsor": (
            r"(?:in partnership with|sponsored by|presented by|brought to you by)\b.{0,40}",
        ),
        "disclosure": (
            r"(?:this|the) (?:article|post|page|story|guide|review|content|video)"
            r" (?:may )?contains? affiliate links?\b.{0,200}",
            r"(?:some of )?the links (?:in|on) this (?:article|post|page) (?:are|may be)"
            r" affiliate\b.{0,120}",
            r"as an amazon associate,? (?:i|we) earn from qualifying purchases\W*",
        ),
        "forum": (
            r"(?:joined|join date|reaction score|trophy points|likes received|points|messages)\W*",
            r"click to (?:expand|shrink)\W*",
        ),
        "shop": (
            r"(?:select|choose) (?:a |an |your )?"
            r"(?:size|colou?r|quantity|option|style|variant)s?\W*",
            r"(?:add to (?:cart|bag|basket|wishlist|wish list)|buy now|in stock|out of stock)\W*",
            r"free (?:\d+-day )?returns?\W*",
            r"free (?:standard |express |next-day )?(?:shipping|delivery)\b.{0,50}",
            r"sold (?:and shipped )?by \S.{0,40}",
            r"more (?:seller|buying|shipping) options\b.{0,10}",
            r"prices? (?:may|might) vary\b.{0,40}",
        ),
        "cta": (
            r"contact us(?: today| now)?\W*",
            r"(?:start|begin|try) (?:your|a|it) ?(?:free|\d+-day)? ?(?:trial|for free)"
            r"(?: today| now)?\W*",
            r"(?:ready to )?get started(?: today| now| for free)?\W*",
            r"(?:book|request|schedule|get) a (?:free |live )?demo\W*",
            r"download our free \w+(?: \w+)?\W*",
            r"talk to (?:our|an?) (?:[\w-]+ ){0,4}experts?\W*",
            r"we want to hear from you\W*",
        ),
        "toc": (
            r"(?:table of )?contents\W*",
            r"(?:文章|本文)?目录\W*",
            r"(?:in this article|on this page|jump to section)\W*",
        ),
    }
)
