"""Named data for the article extractor: tag sets, class/id tokens and heading keywords.

Everything the extractor "knows" about page furniture lives here, grouped by purpose, so that
tuning means editing data, never adding per-site branches to code. Keywords are compared after
lower-casing and squeezing out whitespace and punctuation (see ``scraper._text.heading_key``).
"""

from __future__ import annotations

# --- tags -----------------------------------------------------------------------------------

#: Subtrees never read: code, styling, embedded objects and form controls.
DROP_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "button",
    "select",
    "textarea",
    "input",
    "head",
    "dialog",
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
    "read-more",
    "readmore",
    "widget",
    "breaking",
    "ticker",
    "disqus",
    "copyright",
    "paywall",
    "modal",
    "popup",
    "skip-link",
    "visually-hidden",
    "sr-only",
    "screen-reader",
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

# --- printed keywords -----------------------------------------------------------------------

#: Headings of link lists, by block kind. Matched against the whole (short) heading text.
BLOCK_HEADINGS: dict[str, tuple[str, ...]] = {
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

#: Printed prefixes that introduce further headings of a kind ("More from ...", "Related: ...").
BLOCK_HEADING_PREFIXES: dict[str, tuple[str, ...]] = {
    "related": ("related", "相关", "moreon", "moreabout"),
    "recommended": ("recommended", "youmay", "youmight"),
    "hot": ("mostread", "mostpopular", "trending", "热门", "热点"),
    "other": ("morefrom", "latestfrom", "morein"),
}

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
        "0",
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

#: Meta names/properties that hold the publication time, best first.
PUBLISHED_META_NAMES: tuple[str, ...] = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
)
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
