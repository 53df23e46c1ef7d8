"""What the page says about the story: head metadata, JSON-LD, breadcrumb, date, source, authors.

Cascade per field (first found wins):

- title: an ``<h1>`` that the ``<title>``/og:title also prints; og:title or JSON-LD headline with
  the site suffix cut; ``<title>`` with the site suffix cut; the first ``<h1>``;
- published: JSON-LD ``datePublished``; meta tags (``PUBLISHED_META_NAMES``); ``<time datetime>``;
  the first printed date line between the headline and the story;
- authors: JSON-LD ``author``; meta author; a byline element; an ``作者：`` / ``By`` line;
- source: a ``来源：`` line near the headline; meta ``source``;
- section: a breadcrumb element (class/id ``crumb``, ``position`` ...) or JSON-LD
  BreadcrumbList, without a trailing 正文;
- lang: ``<html lang>``, content-language, og:locale, else the script of the story text.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from scraper._text import cjk_share, heading_key, squeeze, weight
from scraper.extract.data import SITE_SEPARATORS, SOURCE_SELECTOR
from scraper.extract.walk import Flat
from scraper.extract.words import BREADCRUMB_SEPARATORS, BREADCRUMB_TAILS, TITLE_SEPARATORS

#: Elements read before the body is walked.
HEAD_SELECTOR = 'title, meta, link[rel][href], base[href], script[type="application/ld+json"]'
#: Printed elements that name the author or the time (read only when the head names neither:
#: the extra selectors cost a twentieth of a millisecond per page).
ELEMENT_SELECTOR = (
    '[itemprop="author"], a[rel="author"], [itemprop="datePublished"], [itemprop="dateCreated"], '
    "time[datetime]"
)
#: Lines searched for a printed headline that starts the ``<title>``.
TITLE_LOOKAHEAD = 300
#: Longest part of a ``<title>`` that may be a section or site name rather than a headline.
SECTION_NAME_CHARS = 12
#: Lines above the headline searched for a printed breadcrumb.
CRUMB_LOOKAHEAD = 60
_CDATA_OPENS = ("<![CDATA[", "//<![CDATA[", "/*<![CDATA[*/")
_CDATA_CLOSES = ("]]>", "//]]>", "/*]]>*/")
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenews", "report", "webpage")
#: Ends of the schema.org subtypes of Article (ReportageNewsArticle, LiveBlogPosting ...).
_ARTICLE_TYPE_ENDS = ("article", "posting")


@dataclass(slots=True)
class Head:
    """Everything read from ``<head>`` and JSON-LD before the body is walked."""

    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None
    next_page: str | None = None
    lang: str | None = None
    base: str | None = None
    ld: dict = field(default_factory=dict)
    crumbs: tuple[str, ...] = ()
    source_texts: list[str] = field(default_factory=list)
    #: Names of JSON-LD objects by their @id (a Person of a @graph that an author refers to).
    ld_named: dict[str, str] = field(default_factory=dict)


def read_head(tree: LexborHTMLParser) -> Head:
    """Read ``<title>``, meta tags, link rels, ``<html lang>`` and JSON-LD in one selector pass."""
    head = Head()
    root = tree.root
    if root is not None and root.tag == "html":
        attrs = root.attributes
        head.lang = attrs.get("lang") or attrs.get("xml:lang")
    for node in tree.css(HEAD_SELECTOR):
        tag = node.tag
        if tag == "meta":
            _read_meta(node.attributes, head)
        elif tag == "script":
            _read_ld(node.text(), head)
        elif tag == "title":
            head.title = head.title or squeeze(node.text())
        elif tag == "base":
            head.base = head.base or node.attributes.get("href")
        else:
            attrs = node.attributes
            rel = (attrs.get("rel") or "").lower().split()
            if "canonical" in rel and head.canonical is None:
                head.canonical = attrs.get("href")
            if "next" in rel and head.next_page is None:
                head.next_page = attrs.get("href")
    return head


def read_elements(tree: LexborHTMLParser, head: Head, sources: bool = False) -> None:
    """Add to ``head`` what printed elements say, in one selector pass (``ELEMENT_SELECTOR``,
    with ``sources`` also ``SOURCE_SELECTOR``): the author of schema.org microdata or a
    rel=author link as ``meta["element:author"]``, an itemprop time by its lower-cased name
    (and the first of them, whichever its name, as ``meta["element:dated"]``: a question's
    dateCreated comes before its answers' datePublished),
    the first other ``<time datetime>`` as ``meta["element:time"]``, the texts of elements
    named as the source in ``source_texts``."""
    selector = f"{ELEMENT_SELECTOR}, {SOURCE_SELECTOR}" if sources else ELEMENT_SELECTOR
    for node in tree.css(selector):
        attrs = node.attributes
        prop = (attrs.get("itemprop") or "").lower()
        if node.tag == "time" and not prop:
            head.meta.setdefault("element:time", attrs.get("datetime") or "")
        elif prop == "author" or (not prop and (attrs.get("rel") or "").lower() == "author"):
            head.meta.setdefault("element:author", squeeze(node.text(separator=" ")))
        elif prop in ("datepublished", "datecreated"):
            value = squeeze(attrs.get("datetime") or attrs.get("content") or node.text())
            head.meta.setdefault(prop, value)
            head.meta.setdefault("element:dated", value)
        elif sources and node.tag != "time":
            head.source_texts.append(node.text(separator=" "))


def _read_meta(attrs: dict[str, str | None], head: Head) -> None:
    names = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
    content = attrs.get("content")
    if names and content:
        value = content.strip()
        if " " not in names:
            head.meta.setdefault(names, value)
        else:
            for name in names.split():  # RDFa: property="dc:title og:title"
                head.meta.setdefault(name, value)
    if content and (attrs.get("http-equiv") or "").lower() == "content-language":
        head.meta.setdefault("content-language", content.strip())


def _ld_objects(value: object) -> list[dict]:
    if isinstance(value, list):
        return [o for item in value for o in _ld_objects(item)]
    if isinstance(value, dict):  # a @graph's objects, and a page's mainEntity (a forum post)
        return [value, *_ld_objects(value.get("@graph", [])), *_ld_objects(value.get("mainEntity"))]
    return []


def ld_types(obj: dict) -> list[str]:
    """The lower-cased JSON-LD @type values of an object."""
    kind = obj.get("@type", "")
    return [str(k).lower() for k in (kind if isinstance(kind, list) else [kind])]


def _read_ld(raw: str, head: Head) -> None:
    """Keep the page's article object, its breadcrumb, the first ``datePublished`` of any
    object (``ld:datepublished``: some pages type their story as something else) and the
    names of objects by @id."""
    raw = raw.strip()
    if raw.startswith(_CDATA_OPENS) or raw.endswith(_CDATA_CLOSES):
        raw = raw.split("<![CDATA[", 1)[-1].rsplit("]]>", 1)[0].strip().removesuffix("//")
    try:
        data = json.loads(raw)
    except ValueError:
        return
    for obj in _ld_objects(data):
        if isinstance(obj.get("@id"), str) and isinstance(obj.get("name"), str):
            head.ld_named.setdefault(obj["@id"], obj["name"])
        published = obj.get("datePublished")
        if isinstance(published, str):
            head.meta.setdefault("ld:datepublished", published)
        types = ld_types(obj)
        if "breadcrumblist" in types and not head.crumbs:
            items = obj.get("itemListElement") or []
            names = []
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict):
                    inner = item.get("item")
                    name = item.get("name") or (
                        inner.get("name") if isinstance(inner, dict) else None
                    )
                    if isinstance(name, str):
                        names.append(squeeze(name))
            head.crumbs = tuple(names)
        if any(t in _ARTICLE_TYPES or t.endswith(_ARTICLE_TYPE_ENDS) for t in types) and (
            not head.ld or "webpage" in ld_types(head.ld)
        ):
            head.ld = obj


def ld_names(value: object, named: dict[str, str] | None = None) -> list[str]:
    """Names of JSON-LD persons/organisations given as a string, a dict or a list of them; a
    bare ``{"@id": ...}`` reference takes the name of the object ``named`` lists for it."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        if not isinstance(name, str) and named:
            name = named.get(str(value.get("@id")))
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for item in value for n in ld_names(item, named)]
    return []


def _title_parts(title: str) -> list[str]:
    """The parts of a ``<title>`` between the first site-name separator it holds."""
    for sep in (*TITLE_SEPARATORS, *SITE_SEPARATORS):
        if sep in title:
            parts = [p.strip() for p in title.split(sep) if p.strip()]
            if parts:
                return parts
    return [title.strip()]


def cut_site_suffix(title: str) -> str:
    """The headline part of a ``<title>``: the weightiest part between site-name separators
    (a CJK character weighs as a word: 再就业 over "powered by Discuz! Archiver")."""
    return max(_title_parts(title), key=weight)


def _names_a_section(title: str, flat: Flat) -> bool:
    """Whether a ``<title>`` only names a section and the site (新闻动态--中国地理学会官网):
    all its parts are short and one of them is printed as a link (the section's menu item)."""
    parts = _title_parts(title)
    if len(parts) < 2 or any(len(p) > SECTION_NAME_CHARS for p in parts):
        return False
    keys = {heading_key(p) for p in parts}
    return any(heading_key(a.text) in keys for a in flat.anchors if len(a.text) <= 20)


def _site_parts(head: Head, value: str) -> set[str]:
    """Keys of the names a site gives itself: og:site_name, application-name, the last part of
    a ``<title>`` of several parts that is not ``value`` itself."""
    names = [head.meta.get("og:site_name", ""), head.meta.get("application-name", "")]
    if head.title and heading_key(head.title) != heading_key(value):
        parts = _title_parts(squeeze(head.title))
        names += parts[-1:] if len(parts) > 1 else []
    return {heading_key(n) for n in names if n} - {""}


def _without_site(value: str, sites: set[str]) -> str:
    """A title without the site name printed after its last separator, when that is one of
    ``sites`` (else unchanged)."""
    for sep in (*TITLE_SEPARATORS, *SITE_SEPARATORS):
        if sep in value:
            rest, _, last = value.rpartition(sep)
            if rest.strip() and heading_key(last) in sites:
                return rest.strip()
    return value


def _site_heading(key: str, owns: list[str], title_key: str) -> bool:
    """Whether a printed heading is only the site name around the page's own claims (``owns``:
    og:title and JSON-LD headline without a site name, which the ``<title>`` holds with one:
    Silicon Exposed in "Silicon Exposed: Open Verilog flow ...")."""
    return bool(owns) and any(o in title_key for o in owns) and all(key not in o for o in owns)


def _printed_headline(head: Head, flat: Flat, printed: list[int], claims: list[str]) -> int | None:
    """The line of the printed heading (``printed``: h1s, first h2s) that ``claims`` (keys of the
    ``<title>``, og:title, JSON-LD headline) name, best first: one equal to og:title or the
    headline, else the first that is not a site name; never a heading that is only the site
    name around og:title (``_site_heading``) or the short last part of the ``<title>``
    (…--bjreader的博客)."""
    keys = {i: heading_key(flat.texts[i]) for i in printed}
    matched = [i for i in printed if len(keys[i]) > 3 and any(keys[i] in c for c in claims)]
    if not matched:
        return None
    og_title = head.meta.get("og:title", "")
    headline = head.ld.get("headline") if isinstance(head.ld.get("headline"), str) else ""
    exact = {heading_key(v) for v in (og_title, headline) if v}
    for i in matched:  # most pages print og:title itself: the rest is not needed
        if keys[i] in exact:
            return i
    owns = [
        heading_key(_without_site(squeeze(v), _site_parts(head, v)))
        for v in (og_title, headline)
        if v
    ]
    title_key = heading_key(head.title)
    parts = _title_parts(squeeze(head.title)) if head.title else []
    main = max(parts, key=weight) if parts else ""
    names = {heading_key(p) for p in parts if p != main}
    last = heading_key(parts[-1]) if len(parts) > 1 and parts[-1] != main else None
    matched = [
        i
        for i in matched
        if keys[i] in owns or (keys[i] != last and not _site_heading(keys[i], owns, title_key))
    ]
    named = [i for i in matched if keys[i] not in names]  # not a logo: 示例新闻网
    if not matched:
        return None
    return next((i for i in matched if keys[i] in owns), (named or matched)[0])


def choose_title(head: Head, flat: Flat) -> tuple[str, int | None]:
    """The headline and the line it is printed on (None when not printed as a heading)."""
    printed = [i for i, tag in enumerate(flat.tags) if tag == "h1"]
    printed += [i for i, tag in enumerate(flat.tags) if tag == "h2"][:3]
    headline = head.ld.get("headline") if isinstance(head.ld.get("headline"), str) else ""
    og_title = head.meta.get("og:title", "")
    claims = [heading_key(v) for v in (head.title, og_title, headline) if v]
    best = _printed_headline(head, flat, printed, claims)
    if best is not None:
        return flat.texts[best], best
    title_key = heading_key(head.title)
    if title_key:
        for i, text in enumerate(flat.texts[:TITLE_LOOKAHEAD]):
            key = heading_key(text)
            if len(key) >= max(4, 0.4 * len(title_key)) and title_key.startswith(key):
                return text, i
    if printed and head.title and _names_a_section(squeeze(head.title), flat):
        return flat.texts[printed[0]], printed[0]
    for value in (og_title, headline, head.title):
        if value:
            value = squeeze(value)
            cut = _without_site(value, _site_parts(head, value))
            return (cut if cut != value else cut_site_suffix(value)), None
    return (flat.texts[printed[0]], printed[0]) if printed else ("", None)


def find_section(flat: Flat, head: Head, title_line: int | None) -> tuple[str, ...]:
    """The breadcrumb path printed on the page, without a label or a 'this page' crumb.

    Looks at breadcrumb-named elements first, then at short lines above the headline that
    print two links or more between separators, then at JSON-LD BreadcrumbList.
    """
    for span in flat.spans:
        if span.crumb and span.end - span.start <= 3:
            crumbs = _crumbs(flat, span.start, span.end)
            if len(crumbs) >= 2:
                return crumbs
    last = title_line if title_line is not None else min(len(flat.texts), CRUMB_LOOKAHEAD)
    for i in range(max(0, last - CRUMB_LOOKAHEAD), last):
        text = flat.texts[i]
        if len(text) < 120 and any(sep in text for sep in BREADCRUMB_SEPARATORS[:4]):
            crumbs = _crumbs(flat, i, i + 1)
            if len(crumbs) >= 2:
                return crumbs
    return _clean_crumbs(c for c in head.crumbs if c)


def _crumbs(flat: Flat, start: int, end: int) -> tuple[str, ...]:
    """The crumbs printed in lines ``[start, end)``: their link texts, else the split text."""
    lines = flat.anchor_lines
    anchors = flat.anchors[bisect_left(lines, start) : bisect_left(lines, end)]
    names = [a.text for a in anchors if a.text]
    if len(names) >= 2:
        return _clean_crumbs(names)
    text = " ".join(flat.texts[start:end])
    for sep in BREADCRUMB_SEPARATORS:
        if sep in text:
            return _clean_crumbs(text.split(sep))
    return ()


def _clean_crumbs(parts: Iterable[str]) -> tuple[str, ...]:
    """Squeezed crumbs without a leading label (您的位置：) or a trailing 正文."""
    crumbs = [squeeze(p) for p in parts]
    crumbs = [c for c in crumbs if c]
    if crumbs:
        for colon in ("：", ":"):
            crumbs[0] = crumbs[0].rsplit(colon, 1)[-1].strip()
    while crumbs and heading_key(crumbs[-1]) in BREADCRUMB_TAILS:
        crumbs.pop()
    return tuple(c for c in crumbs if c)


def after_label(text: str, labels: tuple[str, ...]) -> str | None:
    """The word printed right after one of ``labels`` in a line (e.g. 来源：新华社 → 新华社)."""
    for label in labels:
        at = text.find(label)
        if at >= 0:
            rest = text[at + len(label) :].strip(" ：:")
            words = rest.split()
            if words and not any(ch in words[0] for ch in '=<>"{}'):
                return words[0]
    return None


def detect_lang(head: Head, text: str) -> str | None:
    """Declared language (primary subtag) or a guess from the script of the story.

    A page declared as, say, ``en`` whose story is mostly CJK text is Chinese or Japanese: old
    portal templates often keep a wrong ``<html lang>``.
    """
    declared = head.lang or head.meta.get("content-language") or head.meta.get("og:locale")
    primary = declared.replace("_", "-").split("-")[0].strip().lower() if declared else ""
    if cjk_share(text[:2000]) > 0.3 and primary not in ("zh", "ja", "ko"):
        kana = sum(1 for ch in text[:2000] if "\u3040" <= ch <= "\u30ff")
        return "ja" if kana > 20 else "zh"
    if primary:
        return primary
    words = text[:5000].lower().split()
    if words and sum(w in ("the", "and", "of", "to", "is") for w in words) / len(words) > 0.04:
        return "en"
    return None
