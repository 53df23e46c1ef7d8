"""Decoding page bytes: BOMs, declarations, GBK as GB18030, detection, and no mojibake."""

from __future__ import annotations

import pytest

from newsdesk.errors import ExtractError
from scraper.decode import declared_charset, decode_html, normalize_encoding
from scraper.extract import extract

STORY = "救助站开放日当天，市民走进站内参观，了解流浪人员救助和寻亲工作。"


def _page(charset_meta: str = "") -> str:
    return (
        f"<html><head>{charset_meta}<title>开放日</title></head><body><p>{STORY}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("ISO-8859-1", "cp1252"),
        ("utf8", "utf-8"),
        ("Big5", "big5hkscs"),
        ("no-such-charset", None),
        ("base64", None),
        (None, None),
    ],
)
def test_normalize_encoding(label: str | None, name: str | None) -> None:
    assert normalize_encoding(label) == name


def test_meta_charset_is_found_by_parsing() -> None:
    assert declared_charset(b'<html><head><meta charset="gbk"></head>') == "gbk"
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">'
    assert declared_charset(http_equiv) == "gb2312"
    assert declared_charset(b"<html><body>no declaration</body></html>") is None


def test_gbk_declared_in_meta() -> None:
    raw = _page('<meta charset="gbk">').encode("gbk")
    text, used = decode_html(raw)
    assert STORY in text and used == "gb18030"


def test_gb2312_page_with_a_gbk_only_character_is_read_as_gb18030() -> None:
    raw = _page('<meta charset="gb2312">').replace("市民", "市民（镕）").encode("gbk")
    text, used = decode_html(raw)
    assert "镕" in text and used == "gb18030"


def test_gbk_without_any_declaration_is_detected() -> None:
    text, used = decode_html(_page().encode("gbk"))
    assert STORY in text and used == "gb18030"


def test_http_hint_wins_over_guessing() -> None:
    story = "開放日當天，市民走進救助站參觀，了解尋親工作。"
    raw = f"<html><body><p>{story}</p></body></html>".encode("big5")
    text, used = decode_html(raw, "big5")
    assert story in text and used == "big5hkscs"


def test_wrong_declaration_of_utf8_bytes() -> None:
    raw = _page('<meta charset="gb2312">').encode("utf-8")
    text, used = decode_html(raw)
    assert STORY in text and used == "utf-8"


def test_a_few_stray_bytes_in_a_declared_page_are_tolerated() -> None:
    raw = _page('<meta charset="gbk">').encode("gbk") * 5 + b"\xff"
    text, used = decode_html(raw)
    assert STORY in text and used == "gb18030"


def test_latin1_page_without_declaration() -> None:
    raw = "<p>Le café du port, où l'on boit un thé très chaud, rouvre cet été.</p>".encode("cp1252")
    text, _ = decode_html(raw * 3)
    assert "café du port" in text and "été" in text


def test_binary_is_refused() -> None:
    with pytest.raises(ExtractError):
        decode_html(bytes(range(256)) * 20)


def test_extract_reports_the_encoding_used() -> None:
    article = extract(_page('<meta charset="gb2312">').encode("gb2312"), "http://example.cn/a")
    assert article.encoding == "gb18030"
    assert STORY in article.text
    assert extract(_page(), "http://example.cn/a").encoding is None
