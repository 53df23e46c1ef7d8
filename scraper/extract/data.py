"""Named data for the article extractor: tags, class/id tokens, meta names.

What the extractor "knows" about page markup lives here, grouped by purpose, so that tuning
means editing data, never adding per-site branches to code. The words pages *print* (list
headings, labels, boilerplate lines) live in ``words``.
"""

from __future__ import annotations

# --- tags -----------------------------------------------------------------------------------

#: Subtrees never read: code, styling, embedded objects and form controls.
DROP_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "template",
    "svg",
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

# --- meta tags ------------------------------------------------------------------------------

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
