"""Discovery from HTML pages, sitemaps (plain, news, index, gzip), RSS and Atom."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime

import pytest

from newsdesk.errors import ExtractError
from scraper._records import Fetched, FrontierEntry
from scraper.discovery import discover, kind_of_seed

BASE = "https://news.example.com/world/index.html"


def fetched(body: bytes | str, ctype: str = "text/html; charset=utf-8", url: str = BASE) -> Fetched:
    raw = body.encode() if isinstance(body, str) else body
    charset = ctype.partition("charset=")[2] or None
    return Fetched(url, url, 200, {"content-type": ctype}, raw, charset, datetime.now(UTC))


def by_url(entries: list[FrontierEntry]) -> dict[str, FrontierEntry]:
    return {e.url: e for e in entries}


HTML = """<!doctype html><html><head>
<link rel="alternate" type="application/rss+xml" href="/rss/world.xml">
<link rel="alternate" type="application/atom+xml" href="https://news.example.com/atom">
<link rel="stylesheet" href="/site.css">
<link rel="next" href="/world/index_2.html">
</head><body>
<a href="/2024/06/19/floods-hit-the-south.html?utm_source=home#top">Floods</a>
<a href="https://news.example.com/2024/06/19/floods-hit-the-south.html">Floods again</a>
<a href="story/20240619/123456.html">Relative story</a>
<a href="/world/">World</a>
<a href="/tag/floods">Floods tag</a>
<a href="?page=3">3</a>
<a href="/world/list_4.html">下一页</a>
<a href="javascript:void(0)">js</a>
<a href="mailto:desk@example.com">mail</a>
<a href="#comments">comments</a>
<a href="/img/photo.jpg">photo</a>
<a href="index.html">self</a>
<a>no href</a>
</body></html>"""


def test_html_links_are_canonical_deduplicated_and_typed() -> None:
    entries = discover(fetched(HTML), HTML, depth=2)
    urls = by_url(entries)
    article = urls["https://news.example.com/2024/06/19/floods-hit-the-south.html"]
    assert article.kind == "article" and article.depth == 3 and article.referrer == BASE
    assert urls["https://news.example.com/world/story/20240619/123456.html"].kind == "article"
    assert urls["https://news.example.com/world/"].kind == "listing"
    assert urls["https://news.example.com/tag/floods"].kind == "listing"
    assert urls["https://news.example.com/rss/world.xml"].kind == "feed"
    assert urls["https://news.example.com/atom"].kind == "feed"
    assert len(entries) == len(urls)
    assert not any(u.endswith((".jpg", ".css")) or "mailto" in u for u in urls)
    assert BASE not in urls
    assert article.priority > urls["https://news.example.com/world/"].priority


def test_pagination_is_a_listing_ahead_of_other_listings() -> None:
    urls = by_url(discover(fetched(HTML), HTML, depth=0))
    for page in ("index_2.html", "list_4.html"):
        entry = urls[f"https://news.example.com/world/{page}"]
        assert entry.kind == "listing"
        assert entry.priority > urls["https://news.example.com/tag/floods"].priority
    assert urls["https://news.example.com/world/index.html?page=3"].kind == "listing"


def test_base_href_is_honoured() -> None:
    html = '<html><head><base href="https://cdn.example.com/mirror/"></head><body>'
    html += '<a href="2024/06/19/a-long-story-title.html">a</a></body></html>'
    urls = by_url(discover(fetched(html), html, 0))
    assert list(urls) == ["https://cdn.example.com/mirror/2024/06/19/a-long-story-title.html"]


def test_text_is_decoded_from_the_body_when_not_given() -> None:
    html = "<a href='/2024/06/19/新闻-story.html'>新闻</a>".encode("gbk")
    entries = discover(fetched(html, "text/html; charset=gb2312"), None, 0)
    assert entries[0].url == "https://news.example.com/2024/06/19/%E6%96%B0%E9%97%BB-story.html"


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://news.example.com/2024/06/19/a.html</loc><lastmod>2024-06-19</lastmod>
    <news:news><news:publication><news:name>Example</news:name></news:publication>
    <news:title>A</news:title></news:news>
    <image:image><image:loc>https://img.example.com/a.jpg</image:loc></image:image></url>
  <url><loc> https://news.example.com/2024/06/19/b.html </loc></url>
  <url><loc>https://news.example.com/2024/06/19/a.html</loc></url>
</urlset>"""


def test_sitemap_urls_are_articles() -> None:
    entries = discover(
        fetched(SITEMAP, "application/xml", "https://news.example.com/sitemap.xml"), None, 0
    )
    assert [e.url for e in entries] == [
        "https://news.example.com/2024/06/19/a.html",
        "https://news.example.com/2024/06/19/b.html",
    ]
    assert {e.kind for e in entries} == {"article"} and {e.depth for e in entries} == {1}


def test_sitemap_index_gives_sitemaps() -> None:
    xml = """<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://news.example.com/sitemap-1.xml.gz</loc></sitemap>
    <sitemap><loc>/sitemap-2.xml</loc></sitemap></sitemapindex>"""
    entries = discover(fetched(xml, "text/xml", "https://news.example.com/sitemap.xml"), None, 0)
    assert [(e.url, e.kind) for e in entries] == [
        ("https://news.example.com/sitemap-1.xml.gz", "sitemap"),
        ("https://news.example.com/sitemap-2.xml", "sitemap"),
    ]


@pytest.mark.parametrize("ctype", ["application/x-gzip", "application/octet-stream", ""])
def test_gzip_sitemap_is_decompressed(ctype: str) -> None:
    body = gzip.compress(SITEMAP.encode())
    page = fetched(body, ctype, "https://news.example.com/sitemap.xml.gz")
    assert len(discover(page, None, 0)) == 2


def test_gzip_bomb_sitemap_is_refused() -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    bomb = b"".join(compressor.compress(bytes(1 << 20)) for _ in range(60)) + compressor.flush()
    with pytest.raises(ExtractError, match="expands beyond"):
        discover(fetched(bomb, "application/x-gzip", "https://x.com/sitemap.xml.gz"), None, 0)


RSS = """<?xml version="1.0" encoding="gb2312"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>新闻</title><link>https://news.example.com/</link>
<atom:link rel="self" href="https://news.example.com/rss.xml"/>
<item><title>一</title><link>https://news.example.com/2024/06/19/one.html</link></item>
<item><title>二</title><guid>https://news.example.com/2024/06/19/two.html</guid></item>
<item><title>三</title><guid isPermaLink="false">abc-123</guid></item>
<item><title>四</title><link>/2024/06/19/four.html</link></item>
</channel></rss>"""


def test_rss_items_are_articles_in_any_declared_encoding() -> None:
    page = fetched(RSS.encode("gb2312"), "application/rss+xml", "https://news.example.com/rss.xml")
    assert [(e.url, e.kind) for e in discover(page, None, 0)] == [
        ("https://news.example.com/2024/06/19/one.html", "article"),
        ("https://news.example.com/2024/06/19/two.html", "article"),
        ("https://news.example.com/2024/06/19/four.html", "article"),
    ]


def test_rss_1_0_rdf_items() -> None:
    xml = """<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://x.com/"><title>x</title></channel>
    <item rdf:about="https://x.com/2024/06/19/a.html"><title>a</title></item>
    <item><title>b</title><link>https://x.com/2024/06/19/b.html</link></item></rdf:RDF>"""
    entries = discover(fetched(xml, "application/rdf+xml", "https://x.com/index.rdf"), None, 0)
    assert [e.url for e in entries] == [
        "https://x.com/2024/06/19/a.html",
        "https://x.com/2024/06/19/b.html",
    ]


def test_atom_entries_use_the_alternate_link() -> None:
    xml = """<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
    <link rel="self" href="https://x.com/atom.xml"/>
    <entry><link rel="edit" href="https://x.com/edit/1"/><link href="https://x.com/2024/06/19/a.html"/>
    <id>tag:x.com,2024:1</id></entry>
    <entry><link rel="alternate" type="text/html" href="/2024/06/19/b.html"/></entry>
    <entry><id>https://x.com/2024/06/19/c.html</id></entry></feed>"""
    entries = discover(fetched(xml, "application/atom+xml", "https://x.com/atom.xml"), None, 0)
    assert [e.url for e in entries] == [
        "https://x.com/2024/06/19/a.html",
        "https://x.com/2024/06/19/b.html",
        "https://x.com/2024/06/19/c.html",
    ]


def test_untyped_xml_is_sniffed() -> None:
    assert len(discover(fetched(SITEMAP, ""), None, 0)) == 2


@pytest.mark.parametrize(
    "xml",
    [
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        "<rss><channel><item><link>&lol2;</link></item></channel></rss>",
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>',
        '<?xml version="1.0"?><urlset><url><loc>https://x.com/a</loc></url>',
    ],
)
def test_hostile_or_broken_xml_is_an_extract_error(xml: str) -> None:
    with pytest.raises(ExtractError):
        discover(fetched(xml, "application/xml"), None, 0)


@pytest.mark.parametrize(
    "doctype",
    ["", '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "xhtml1-strict.dtd">'],
)
def test_xhtml_served_as_xml_is_read_as_html(doctype: str) -> None:
    xhtml = f'<?xml version="1.0"?>{doctype}<html xmlns="http://www.w3.org/1999/xhtml"><body>'
    xhtml += '<a href="/2024/06/19/a-long-story-title.html">a</a></body></html>'
    entries = discover(fetched(xhtml, "application/xml"), None, 0)
    assert [e.url for e in entries] == [
        "https://news.example.com/2024/06/19/a-long-story-title.html"
    ]


def test_unknown_xml_gives_no_links() -> None:
    assert discover(fetched("<?xml version='1.0'?><config/>", "text/xml"), None, 0) == []


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.example.com/sitemap.xml", "sitemap"),
        ("https://www.example.com/sitemap_index.xml", "sitemap"),
        ("https://www.example.com/sitemaps/news-sitemap.xml", "sitemap"),
        ("https://www.example.com/s/2024.xml.gz", "sitemap"),
        ("https://www.example.com/rss/world.xml", "feed"),
        ("https://www.example.com/feed", "feed"),
        ("https://www.example.com/feed/", "feed"),
        ("https://www.example.com/atom.xml", "feed"),
        ("https://www.example.com/news.rss", "feed"),
        ("https://www.example.com/?feed=rss2", "feed"),
        ("https://www.163.com/", "listing"),
        ("https://news.163.com/20/0619/10/FF8N9I6K0001899O.html", "article"),
    ],
)
def test_kind_of_seed(url: str, kind: str) -> None:
    assert kind_of_seed(url) == kind
