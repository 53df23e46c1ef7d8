"""One walk over the parsed tree that flattens the page into lines of text ("blocks").

Every block-level element ends the current line; ``<br>`` does too. For each line the walk keeps
its text, how many of its characters sit inside links, and the element that holds it. For each
block-level element it keeps the range of lines it spans, so later stages can score whole
subtrees with prefix sums instead of walking the tree again. Links and images are recorded with
the index of the line they belong to.

The walk is recursive but bounded: below ``MAX_DEPTH``, or once ``MAX_BLOCKS`` block elements
have been walked, a subtree is read as flat text by lexbor, so pathologically deep or huge pages
cost time linear in their size and never a RecursionError.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from scraper._text import GAP, squeeze
from scraper.extract.data import BLOCK_TAGS, DROP_TAGS, NAMED_TAGS
from scraper.extract.lines import Anchor, Flat, Picture, Span, span_key

__all__ = ["Anchor", "Flat", "Picture", "Span", "flatten", "span_key"]

#: Zero-width characters that make a line look non-empty while showing nothing.
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
#: Depth below which a subtree is read as flat text.
MAX_DEPTH = 250
#: A ``javascript:`` link around these is a scripted wrapper of the text, not a link (a script
#: link without them is a button: 打印本页, "Print").
WRAPPED_BLOCKS = "p, div, section, article"
#: Block elements walked one by one; past this budget, subtrees are read as flat text so that
#: a huge page costs lexbor's time, not Python's (the largest real pages seen have ~13,000).
MAX_BLOCKS = 40_000
#: Subtrees never read (code, styling, embeds, form controls), skipped by the walk.
UNREAD = frozenset(DROP_TAGS)


def flatten(body: LexborNode) -> Flat:
    """Flatten the subtree under ``body`` (usually ``<body>``) into lines; see the module doc."""
    flat = Flat()
    texts, link_chars, tags = flat.texts, flat.link_chars, flat.tags
    add_text, add_links, add_tag = texts.append, link_chars.append, tags.append
    add_span, anchors, pictures = flat.spans.append, flat.anchors, flat.pictures
    buf: list[str] = []
    push = buf.append
    in_link = 0
    budget = MAX_BLOCKS

    def flush(tag: str) -> None:
        nonlocal in_link
        text = "".join(buf)
        buf.clear()
        if text.isascii():
            text = " ".join(text.split())
        else:
            if INVISIBLE_RE.search(text):
                text = INVISIBLE_RE.sub("", text)
            text = squeeze(text)
        if text:
            add_text(text)
            add_links(min(in_link, len(text)))
            add_tag(tag)
        in_link = 0

    def read_flat(node: LexborNode) -> None:
        node.strip_tags(list(DROP_TAGS))
        push(" " + node.text(separator=" ") + " ")

    def walk(node: LexborNode, owner: str, depth: int, linked: bool) -> None:
        nonlocal in_link, budget
        mark = 0  # where a link's text starts in the buffer (set for each link)
        for child in node.iter(include_text=True, skip_empty=True):
            tag = child.tag
            if tag == "-text":
                text = child.text_content
                if text:
                    push(text)
                    if linked:
                        in_link += len(text.strip())
            elif tag in BLOCK_TAGS:
                if depth > MAX_DEPTH or budget <= 0:
                    read_flat(child)
                    continue
                budget -= 1
                if buf:
                    flush(owner)
                if tag == "br" or tag == "hr":
                    continue
                start = len(texts)
                if tag == "pre":
                    child.strip_tags(list(DROP_TAGS))
                    code = child.text().strip("\n")
                    if code.strip():
                        add_text(code)
                        add_links(0)
                        add_tag(tag)
                else:
                    walk(child, tag, depth + 1, linked)
                    if buf:
                        flush(tag)
                end = len(texts)
                if end > start:
                    attrs = child.attributes if tag in NAMED_TAGS else None
                    add_span(Span(tag, start, end, span_key(attrs) if attrs else ""))
            elif tag[0] == "-" or tag in UNREAD:
                pass
            elif depth > MAX_DEPTH or budget <= 0:
                read_flat(child)
            elif tag == "img":
                attrs = child.attrs
                src = attrs.get("src") or attrs.get("data-src") or attrs.get("data-original")
                if src:
                    pictures.append(Picture(len(texts), src, attrs.get("alt") or ""))
            else:
                href = None
                inside = linked
                if tag == "a":
                    mark = len(buf)
                    href = child.attrs.get("href")
                    if (
                        href
                        and (href[0] in "jJ" or href[0].isspace())
                        and href.lstrip()[:11].lower() == "javascript:"
                        and child.css_first(WRAPPED_BLOCKS)
                    ):
                        href = None
                    inside = linked or bool(href)
                first = child.first_child
                if first is None:
                    pass
                elif first.next is None and first.tag == "-text":
                    text = first.text_content
                    if text and not (text.isspace() and text.isascii()):
                        push(text)
                        if inside:
                            in_link += len(text.strip())
                else:
                    walk(child, owner, depth + 1, inside)
                if href:
                    anchors.append(Anchor(len(texts), " ".join("".join(buf[mark:]).split()), href))
                push(GAP)

    walk(body, "body", 0, False)
    if buf:
        flush("body")
    add_span(Span("body", 0, len(texts)))
    flat.anchor_lines = [a.line for a in anchors]
    return flat
