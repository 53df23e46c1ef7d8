"""The bundled fixture portal, served by newsdesk.portal on 127.0.0.1, matches its manifest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsdesk.errors import ConfigError
from newsdesk.portal import SiteRules, default_portal_root, respond, serve_portal

ROOT = default_portal_root()
MANIFEST = json.loads((ROOT / "_manifest.json").read_text(encoding="utf-8"))
ARTICLES = MANIFEST["articles"]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_portal() as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=10) as http:
        yield http


def _article(path: str) -> dict:
    return next(a for a in ARTICLES if a["path"] == path)


def test_default_root_is_the_checkout_portal() -> None:
    checkout = Path(__file__).resolve().parent.parent / "fixtures" / "portal"
    assert default_portal_root() == checkout


def test_manifest_meets_the_minimums() -> None:
    assert len(ARTICLES) >= 64
    assert len({a["topic"] for a in ARTICLES}) >= 8
    assert sum(a["encoding"] != "utf-8" for a in ARTICLES) >= 10
    zh = sum(a["lang"] == "zh" for a in ARTICLES)
    assert 0.55 <= zh / len(ARTICLES) <= 0.75
    assert len({a["path"] for a in ARTICLES}) == len(ARTICLES)
    seeds = [a for a in ARTICLES if a["seed"]]
    assert [a["path"] for a in seeds] == [MANIFEST["seed"]]
    assert seeds[0]["topic"] == "society"
    assert "救助管理站" in seeds[0]["first_paragraph"]


def test_home_page_links_feed_private_page_and_tracking_urls(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert 'type="application/rss+xml"' in html
    assert MANIFEST["robots_disallowed"][0] in html
    for duplicate in MANIFEST["tracking_duplicates"]:
        assert duplicate["url"].replace("&", "&amp;") in html
    assert f'href="{client.base_url}/"' in html, "the canonical placeholder was not replaced"


def test_gbk_header_only_page(client: httpx.Client) -> None:
    path = MANIFEST["gbk"]["header_only"][0]
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=gbk"
    text = response.content.decode("gb18030")
    assert _article(path)["title"] in text
    assert "charset" not in text.split("</head>")[0].lower()
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")


def test_gbk_meta_only_page_has_no_header_charset(client: httpx.Client) -> None:
    for path in MANIFEST["gbk"]["meta_only"]:
        response = client.get(path)
        assert response.headers["content-type"] == "text/html"
        head = response.content.decode("gb18030").split("</head>")[0].lower()
        assert "charset=gbk" in head or 'charset="gbk"' in head
        assert _article(path)["title"] in response.content.decode("gb18030")


def test_gb2312_label_on_gb18030_bytes(client: httpx.Client) -> None:
    [path] = MANIFEST["gbk"]["gb2312_mislabel"]
    body = client.get(path).content
    assert b"charset=gb2312" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    assert "䶮" in body.decode("gb18030")


def test_robots_txt_has_rules_and_absolute_sitemap(client: httpx.Client) -> None:
    text = client.get("/robots.txt").text
    lines = text.splitlines()
    assert "Disallow: /private/" in lines
    assert "Crawl-delay: 0.1" in lines
    assert f"Sitemap: {client.base_url}/sitemap.xml" in lines
    assert "{{BASE}}" not in text


def test_sitemap_and_feed_list_articles_with_real_base(client: httpx.Client) -> None:
    sitemap = client.get("/sitemap.xml").text
    assert sitemap.count("<lastmod>") == len(ARTICLES)
    assert f"<loc>{client.base_url}{MANIFEST['seed']}</loc>" in sitemap
    feed = client.get("/rss/news.xml")
    assert feed.headers["content-type"].startswith("application/rss+xml")
    assert f"<link>{client.base_url}/" in feed.text


def test_redirect_and_dead_link(client: httpx.Client) -> None:
    [redirect] = MANIFEST["redirects"]
    response = client.get(redirect["source"])
    assert response.status_code == redirect["status"] == 301
    assert response.headers["location"] == f"{client.base_url}{redirect['target']}"
    assert client.get(MANIFEST["dead_links"][0]).status_code == 404
    assert client.get("/no/such/page.html").status_code == 404


def test_private_and_build_files_are_not_served(client: httpx.Client) -> None:
    for path in ("/_manifest.json", "/_site.json", "/build.py", "/_src/zh_a.txt", "/../README.md"):
        assert client.get(path).status_code == 404, path
    assert client.get(MANIFEST["robots_disallowed"][0]).status_code == 200


def test_folder_without_slash_redirects_and_listing_pages_exist(client: httpx.Client) -> None:
    assert client.get("/sports").headers["location"] == f"{client.base_url}/sports/"
    for path in MANIFEST["listings"]:
        assert client.get(path).status_code == 200, path
    assert "/sports/index_2.html" in MANIFEST["listings"]


def test_two_page_article_links_to_page_two(client: httpx.Client) -> None:
    first, second = MANIFEST["two_page_article"]["pages"]
    html = client.get(first).text
    assert f'href="{second}">下一页' in html
    assert client.get(second).status_code == 200


def test_tracking_duplicate_serves_the_same_article(client: httpx.Client) -> None:
    duplicate = MANIFEST["tracking_duplicates"][0]
    assert client.get(duplicate["url"]).content == client.get(duplicate["canonical"]).content


def test_etag_gives_not_modified(client: httpx.Client) -> None:
    first = client.get(MANIFEST["seed"])
    again = client.get(MANIFEST["seed"], headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("article", ARTICLES, ids=[a["path"] for a in ARTICLES])
def test_every_article_is_served_with_its_title(client: httpx.Client, article: dict) -> None:
    for path in article["pages"]:
        response = client.get(path)
        assert response.status_code == 200
        text = response.content.decode(article["encoding"])
        assert f">{article['title']}</h1>" in text.replace("&quot;", '"').replace("&#x27;", "'")
    assert article["published"] in client.get(article["path"]).content.decode(article["encoding"])


def test_seed_story_page_keeps_its_clutter(client: httpx.Client) -> None:
    seed = _article(MANIFEST["seed"])
    html = client.get(seed["path"]).text
    assert f"{seed['published']}　来源: " in html
    for text in ("相关推荐", "热点推荐", "头条要闻", "分享至", "新闻台首页", "图为"):
        assert text in html
    assert len(seed["captions"]) >= 3


def test_respond_substitutes_only_templates(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"{{BASE}}/x")
    (tmp_path / "b.txt").write_bytes(b"{{BASE}}/x")
    rules = SiteRules(types=(("*.txt", "text/plain"),), templates=("/a.txt",))
    assert respond(tmp_path, rules, "http://h:1", "/a.txt", {}).body == b"http://h:1/x"
    assert respond(tmp_path, rules, "http://h:1", "/b.txt", {}).body == b"{{BASE}}/x"


def test_serve_portal_rejects_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError), serve_portal(tmp_path / "missing"):
        pass
