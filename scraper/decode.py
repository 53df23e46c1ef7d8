"""Turn the bytes of a page into text without mojibake.

Cascade (first that fits wins):

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. strict UTF-8: real UTF-8 almost never decodes by accident, and many saved pages were
   transcoded to UTF-8 while still declaring gb2312 in ``<meta>``;
3. the declared charsets, HTTP ``encoding`` hint first, then ``<meta charset>`` /
   ``http-equiv`` found by parsing the first bytes with selectolax (GB2312/GBK are read as
   their superset GB18030, Latin-1/ASCII as cp1252) -- strictly, then leniently when only a few
   stray bytes are wrong (old portal pages often contain some);
4. when nothing is declared or the declaration is wrong: GB18030 if it reads the page with
   almost no error (newsdesk's portals are mostly Chinese, and charset-normalizer mistakes
   undeclared GBK for Cyrillic code pages), else detection with charset-normalizer;
5. otherwise :class:`~newsdesk.errors.ExtractError`: binary data or an unknown encoding.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Mapping
from types import MappingProxyType

from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser

from newsdesk.errors import ExtractError

log = logging.getLogger(__name__)

#: Declared labels read as a superset that decodes the same pages and more.
ENCODING_SUPERSETS: Mapping[str, str] = MappingProxyType(
    {
        "gb2312": "gb18030",
        "gbk": "gb18030",
        "x-gbk": "gb18030",
        "gb_2312-80": "gb18030",
        "euc-cn": "gb18030",
        "hz-gb-2312": "gb18030",
        "latin-1": "cp1252",
        "latin1": "cp1252",
        "iso-8859-1": "cp1252",
        "iso8859-1": "cp1252",
        "ascii": "cp1252",
        "us-ascii": "cp1252",
        "big5": "big5hkscs",
        "shift_jis": "cp932",
        "sjis": "cp932",
        "euc-kr": "cp949",
        "utf8": "utf-8",
        "unicode": "utf-8",
    }
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: How much of the page is parsed to find a ``<meta>`` charset declaration.
SNIFF_BYTES = 32_768
#: Share of undecodable bytes tolerated when a declared charset almost fits.
LENIENT_SHARE = 0.005
#: Share tolerated when GB18030 is only guessed: text in other encodings read as GB18030 breaks
#: on almost every word, real GBK pages only on a few stray bytes.
GUESS_SHARE = 0.0005


def normalize_encoding(label: str | None) -> str | None:
    """The Python codec name for a charset label, widened to its superset; None if unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    key = ENCODING_SUPERSETS.get(key, key)
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    if name in ("base64", "hex", "rot-13", "bz2", "zlib", "uu", "quopri"):
        return None
    return ENCODING_SUPERSETS.get(name, name)


def declared_charset(body: bytes) -> str | None:
    """The charset named by a ``<meta>`` element near the start of the page, if any."""
    head = LexborHTMLParser(body[:SNIFF_BYTES])
    for meta in head.css("meta"):
        attrs = meta.attributes
        if attrs.get("charset"):
            return attrs["charset"]
        content = attrs.get("content") or ""
        if (attrs.get("http-equiv") or "").lower() == "content-type" and "charset=" in content:
            return content.lower().split("charset=", 1)[1].split(";")[0].strip()
    return None


def _lenient(body: bytes, encoding: str, share: float = LENIENT_SHARE) -> str | None:
    """Decode with replacement when only a small ``share`` of characters is wrong."""
    try:
        text = body.decode(encoding, "replace")
    except LookupError:
        return None
    if text.count("\ufffd") <= share * max(1, len(text)):
        return text
    return None


_CONTROL_BYTES = bytes((0, 1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25))


def _looks_binary(body: bytes) -> bool:
    """NUL bytes or many control characters: not an HTML page in any text encoding."""
    sample = body[:65_536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.01 * len(sample)


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; return ``(text, encoding used)``. See the module docstring."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, "replace"), encoding.removesuffix("-sig")
    if _looks_binary(body):
        raise ExtractError("input looks like binary data, not an HTML page; check the URL")
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for label in (declared, declared_charset(body)):
        name = normalize_encoding(label)
        if name and name not in candidates:
            candidates.append(name)
    for name in candidates:
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            continue
    for name in candidates:
        text = _lenient(body, name)
        if text is not None:
            log.debug("decoded leniently as %s", name)
            return text, name
    text = _lenient(body, "gb18030", GUESS_SHARE)
    if text is not None:
        return text, "gb18030"
    best = from_bytes(body[:200_000]).best()
    if best is not None:
        name = normalize_encoding(best.encoding) or best.encoding
        text = _lenient(body, name)
        if text is not None:
            return text, name
    for name in ("gb18030", "cp1252"):
        text = _lenient(body, name)
        if text is not None:
            return text, name
    raise ExtractError(
        f"cannot decode the page (declared {candidates or 'nothing'}); "
        "pass the right charset as encoding="
    )
