"""The data commands: search, export, report (opened in headless Chromium) and serve (Datasette)."""

from __future__ import annotations

import csv
import json
import random
import shutil
import socket
import subprocess
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newsdesk.commands.data import COMMANDS, export, index, report, search
from store import Store, StoreError
from store._datasette import CANNED_QUERIES, make_server
from store._synthetic import SyntheticTopic, article_outcome, synthetic_outcome

RELIEF = (
    "北京市救助管理站今天向市民开放，工作人员介绍了寒冬街头救助的流程。来访者参观了宿舍、医务室和"
    "食堂，了解受助人员如何返乡。站长表示，今年冬季已救助流浪乞讨人员三百余人次。"
)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "news.db"
    rng = random.Random(3)
    with Store(path) as store:
        crawl = store.start_crawl(["https://a.cn/"], {})
        topics = (SyntheticTopic("society", 0.9),)
        relief = article_outcome(
            "https://a.cn/relief", "救助站开放日", RELIEF, crawl_id=crawl, topics=topics
        )
        others = [synthetic_outcome(i, rng, crawl_id=crawl) for i in range(300)]
        store.save_outcomes([relief, *others])
        store.finish_crawl(crawl, {"fetched": 301})
    return path


def invoke(command: object, args: list[str]) -> str:
    result = CliRunner().invoke(command, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_data_command_explains_itself() -> None:
    for command in COMMANDS:
        assert command.help and len(command.help.split()) >= 5
        assert all(p.help for p in command.params if hasattr(p, "help") and p.name != "query")


def test_search_prints_ranked_hits_with_snippets(db: Path) -> None:
    out = invoke(search, ["救助管理站", "--db", str(db)])
    assert "救助站开放日" in out and "https://a.cn/relief" in out
    lines = invoke(search, ["救助管理站", "--db", str(db), "--format", "json"]).splitlines()
    hit = json.loads(lines[0])
    assert hit["url"] == "https://a.cn/relief" and "[救助管理站]" in hit["snippet"]
    three = invoke(search, ["新闻", "--db", str(db), "--format", "json", "--limit", "3"])
    assert len(three.splitlines()) == 3
    assert "no article matches" in invoke(search, ["zzzzzz", "--db", str(db)])


def test_index_catches_up_after_a_bulk_load(tmp_path: Path) -> None:
    path = tmp_path / "bulk.db"
    with Store(path, bulk=True) as store:
        crawl = store.start_crawl([], {})
        store.save_outcomes([article_outcome("https://a.cn/r", "救助", RELIEF, crawl_id=crawl)])
        assert store.search_backlog() == 1
    before = json.loads(invoke(search, ["救助管理站", "--db", str(path), "--format", "json"]))
    assert before["url"] == "https://a.cn/r" and before["rank"] == 0.0  # found unindexed
    assert invoke(index, ["--db", str(path)]).strip() == "indexed 1 articles"
    after = json.loads(invoke(search, ["救助管理站", "--db", str(path), "--format", "json"]))
    assert after["url"] == "https://a.cn/r" and after["rank"] > 0
    assert invoke(index, ["--db", str(path)]).strip() == "indexed 0 articles"
    missing = CliRunner().invoke(index, ["--db", str(tmp_path / "none.db")])
    assert missing.exit_code != 0 and "no database" in missing.output
    assert not (tmp_path / "none.db").exists()


def test_search_on_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(search, ["x", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0
    assert "no database" in str(result.exception)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_writes_the_filtered_articles(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"articles.{fmt}"
    where = "topic = 'society'"
    output = invoke(export, ["--db", str(db), "--format", fmt, "--where", where, "--out", str(out)])
    with Store(db, readonly=True) as store:
        expected = store.conn.execute("SELECT count(*) FROM articles WHERE topic = 'society'")
        n = expected.fetchone()[0]
    assert f"wrote {n} articles" in output and n > 1
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        for row in rows:
            row["section"] = json.loads(row["section"])
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    assert len(rows) == n
    assert {r["topic"] for r in rows} == {"society"}
    relief = next(r for r in rows if r["canonical_url"] == "https://a.cn/relief")
    assert relief["section"] == ["新闻", "社会"] and relief["title"] == "救助站开放日"


def test_export_to_stdout(db: Path) -> None:
    out = invoke(export, ["--db", str(db), "--where", "canonical_url = 'https://a.cn/relief'"])
    assert json.loads(out)["title"] == "救助站开放日"


def _png_non_white(path: Path) -> tuple[int, int]:
    """(non-white pixels, total) of an 8-bit RGB/RGBA PNG, decoded with zlib only."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            depth, color = body[8], body[9]
            assert depth == 8 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    non_white = 0
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upleft = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else upleft
                line[i] = (line[i] + pred) & 0xFF
        non_white += sum(1 for x in range(0, stride, channels) if min(line[x : x + 3]) < 240)
        previous = line
    return non_white, width * height


def test_report_is_self_contained_and_renders_in_a_browser(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert "wrote" in invoke(report, ["--db", str(db), "--out", str(out)])
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "Topic share over time" in page and "society" in page
    assert "https://hot.example.cn/h1" in page or "热点" in page
    assert "<script" not in page and "http://" not in page.split("<body>")[1].split("xmlns")[0]
    if CHROMIUM is None:
        pytest.skip("chromium is not installed: apt-get install chromium")
    shot = tmp_path / "report.png"
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'chrome'}", f"--screenshot={shot}", "--window-size=1200,900",
    ]  # fmt: skip
    subprocess.run([CHROMIUM, *flags, out.as_uri()], check=True, capture_output=True, timeout=120)
    non_white, total = _png_non_white(shot)
    assert non_white > total * 0.02, f"the report screenshot is (almost) blank: {non_white}/{total}"


@pytest.fixture
def datasette_url(db: Path) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = make_server(db, "127.0.0.1", port)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def test_datasette_serves_the_canned_queries_and_descriptions(datasette_url: str) -> None:
    with httpx.Client(base_url=datasette_url, timeout=30) as client:
        top = client.get("/news/top_pushed_links.json", params={"_shape": "array"}).json()
        assert top and top[0]["appearances"] >= top[-1]["appearances"]
        for name in CANNED_QUERIES:
            params = {"_shape": "array", "q": "救助管理站", "url": "https://a.cn/relief"}
            response = client.get(f"/news/{name}.json", params=params)
            assert response.status_code == 200, (name, response.text[:300])
            assert isinstance(response.json(), list)
        share = client.get("/news/topic_share_daily.json", params={"_shape": "array"}).json()
        days = {row["day"] for row in share}
        for day in days:
            assert sum(r["share"] for r in share if r["day"] == day) == pytest.approx(100, abs=1)
        query = {"_shape": "array", "q": "救助管理站"}
        found = client.get("/news/search_articles.json", params=query).json()
        assert [r["canonical_url"] for r in found] == ["https://a.cn/relief"]
        query = {"_shape": "array", "url": "https://a.cn/relief"}
        blocks = client.get("/news/article_link_blocks.json", params=query).json()
        assert [b["heading"] for b in blocks][:1] == ["相关推荐"]
        page = client.get("/news/articles").text
        assert "One row per canonical URL" in page
        query = {"_search": "救助管理站", "_shape": "array"}
        rows = client.get("/news/articles.json", params=query)
        assert [r["canonical_url"] for r in rows.json()] == ["https://a.cn/relief"]
        metadata = client.get("/-/metadata.json").json()
        columns = metadata["databases"]["news"]["tables"]["pushed_links"]["columns"]
        assert "appearances" in columns


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        make_server(tmp_path / "missing.db")
