"""The schema: docs/schema.md matches the database, old databases migrate, new ones are refused."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database
from test_store_counts import assert_counts_match

from store import SCHEMA_VERSION, SchemaVersionError, Store, StoreError
from store._docs import render_markdown
from store._migrate import migrate
from store._synthetic import article_outcome

DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
HEADING = re.compile(r"^### `(\w+)`$")
ROW = re.compile(r"^\| `(\w+)` \| ([A-Z]+|—) \|")

# The schema as newsdesk shipped it at version 1 (before near-duplicate detection), frozen here.
V1_SCHEMA = """
CREATE TABLE crawls (id INTEGER PRIMARY KEY, started TEXT, finished TEXT, seeds TEXT,
  settings TEXT, stats TEXT, version TEXT);
CREATE TABLE pages (id INTEGER PRIMARY KEY, url TEXT, final_url TEXT, host TEXT, status INTEGER,
  content_type TEXT, charset TEXT, bytes INTEGER, fetched_at TEXT, elapsed_ms FLOAT, etag TEXT,
  last_modified TEXT, article_id INTEGER, crawl_id INTEGER REFERENCES crawls(id));
CREATE INDEX idx_pages_url ON pages (url);
CREATE INDEX idx_pages_host_fetched_at ON pages (host, fetched_at);
CREATE INDEX idx_pages_crawl_id ON pages (crawl_id);
CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT, canonical_url TEXT, host TEXT, site TEXT,
  lang TEXT, title TEXT, text TEXT, published TEXT, day TEXT, authors TEXT, source TEXT,
  section TEXT, description TEXT, encoding TEXT, text_hash TEXT, topic TEXT, topic_score FLOAT,
  model_id TEXT, first_seen TEXT, last_seen TEXT, crawl_id INTEGER REFERENCES crawls(id));
CREATE UNIQUE INDEX idx_articles_canonical_url ON articles (canonical_url);
CREATE INDEX idx_articles_url ON articles (url);
CREATE INDEX idx_articles_host_day ON articles (host, day);
CREATE INDEX idx_articles_topic ON articles (topic);
CREATE INDEX idx_articles_crawl_id ON articles (crawl_id);
CREATE TABLE article_versions (id INTEGER PRIMARY KEY,
  article_id INTEGER REFERENCES articles(id), title TEXT, text TEXT, published TEXT,
  text_hash TEXT, seen_from TEXT, seen_until TEXT, replaced_at TEXT);
CREATE INDEX idx_article_versions_article_id ON article_versions (article_id);
CREATE TABLE link_blocks (id INTEGER PRIMARY KEY, article_id INTEGER REFERENCES articles(id),
  kind TEXT, heading TEXT, block_position INTEGER, link_position INTEGER, link_text TEXT,
  link_url TEXT, link_timestamp TEXT, link_source TEXT, seen_at TEXT);
CREATE INDEX idx_link_blocks_article_id ON link_blocks (article_id);
CREATE INDEX idx_link_blocks_link_url_kind ON link_blocks (link_url, kind);
CREATE TABLE images (id INTEGER PRIMARY KEY, article_id INTEGER REFERENCES articles(id),
  position INTEGER, src TEXT, caption TEXT, alt TEXT);
CREATE INDEX idx_images_article_id ON images (article_id);
CREATE TABLE topics (article_id INTEGER REFERENCES articles(id), model_id TEXT, rank INTEGER,
  label TEXT, score FLOAT, tagged_at TEXT, PRIMARY KEY (article_id, model_id, rank));
CREATE INDEX idx_topics_model_id_label ON topics (model_id, label);
CREATE TABLE models (model_id TEXT PRIMARY KEY, card TEXT, path TEXT, created TEXT,
  active INTEGER);
CREATE TABLE labels (url TEXT, source TEXT, label TEXT, created TEXT, PRIMARY KEY (url, source));
CREATE INDEX idx_labels_source ON labels (source);
CREATE TABLE failures (id INTEGER PRIMARY KEY, url TEXT, host TEXT, stage TEXT, error TEXT,
  message TEXT, crawl_id INTEGER REFERENCES crawls(id), at TEXT);
CREATE INDEX idx_failures_host ON failures (host);
CREATE INDEX idx_failures_crawl_id_stage ON failures (crawl_id, stage);
CREATE TABLE frontier (url TEXT PRIMARY KEY, state TEXT, depth INTEGER, priority FLOAT,
  kind TEXT, kind_rank INTEGER, referrer TEXT, attempts INTEGER, crawl_id INTEGER,
  added_at TEXT, updated_at TEXT);
CREATE INDEX idx_frontier_state_kind_rank_priority_depth
  ON frontier (state, kind_rank, priority DESC, depth);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id',
  tokenize='trigram');
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text)
  VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text)
  VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
INSERT INTO crawls (id, started) VALUES (1, '2025-06-01T00:00:00+00:00');
INSERT INTO articles (id, url, canonical_url, host, title, text, day, first_seen, last_seen,
  crawl_id) VALUES (1, 'https://a.cn/1', 'https://a.cn/1', 'a.cn', '旧文章',
  '北京市救助管理站今天向市民开放，工作人员介绍了寒冬街头救助的流程，来访者参观了宿舍和食堂，'
  || '了解受助人员如何返乡。站长呼吁市民发现需要帮助的人及时拨打热线。',
  '2025-06-01', '2025-06-01T00:00:00+00:00', '2025-06-01T00:00:00+00:00', 1);
INSERT INTO link_blocks (article_id, kind, heading, block_position, link_position, link_text,
  link_url) VALUES (1, 'hot', '热点推荐', 0, 0, '热点', 'https://a.cn/hot');
PRAGMA user_version = 1;
"""


def documented() -> dict[str, list[tuple[str, str]]]:
    """{table or view: [(column, type)]} as docs/schema.md states them."""
    found: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if heading := HEADING.match(line):
            current = found.setdefault(heading[1], [])
        elif (row := ROW.match(line)) and current is not None:
            current.append((row[1], "" if row[2] == "—" else row[2]))
    return found


def actual(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """{table or view: [(column, declared type)]} of the real database (FTS internals left out)."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'articles_fts_%' ORDER BY name"
        )
    ]
    return {n: [(r[1], r[2]) for r in conn.execute(f"PRAGMA table_info({n})")] for n in names}


def schema_dump(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Columns (with types, pk) and indexes of every table and view, to compare two databases."""
    out: dict[str, list[tuple[object, ...]]] = {}
    for name in actual(conn):
        cols = [tuple(r[1:]) for r in conn.execute(f"PRAGMA table_info({name})")]
        indexes = sorted(
            (r[1], r[2], tuple(c[2] for c in conn.execute(f"PRAGMA index_xinfo({r[1]})") if c[5]))
            for r in conn.execute(f"PRAGMA index_list({name})")
        )
        out[name] = [*cols, *indexes]
    return out


def test_schema_doc_matches_the_database_column_by_column(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        real = actual(store.conn)
    doc = documented()
    assert sorted(doc) == sorted(real), "tables/views in docs/schema.md differ from the database"
    views = {n for (n,) in store_views(tmp_path / "news.db")}
    for name, columns in real.items():
        if name in views or name == "articles_fts":
            columns = [(c, "") for c, _ in columns]
        assert doc[name] == columns, f"docs/schema.md is out of date for {name}"


def store_views(path: Path) -> list[tuple[str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall()
    finally:
        conn.close()


def test_schema_doc_is_rendered_from_the_schema_source() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "regenerate it: python -m store._docs > docs/schema.md"
    )


def database_at_version(path: Path, version: int, rows: str) -> sqlite3.Connection:
    """A real database file as version ``version`` of newsdesk left it, holding ``rows``."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(V1_SCHEMA)
    migrate(Database(conn), path, target=version)
    conn.executescript(rows)
    return conn


def test_a_version_1_database_is_migrated_in_place(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.executescript(V1_SCHEMA)
    conn.close()
    with pytest.raises(StoreError, match="older"):
        Store(old, readonly=True)
    with Store(old) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        article = store.article("https://a.cn/1")
        assert article["title"] == "旧文章" and article["simhash"] is not None
        assert article["link_blocks"][0]["heading"] == "热点推荐"
        assert [h.url for h in store.search("救助管理站")] == ["https://a.cn/1"]
        assert store.db["simhash_bands"].count == 4
        migrated = schema_dump(store.conn)
    with Store(tmp_path / "new.db") as fresh:
        assert migrated == schema_dump(fresh.conn)
    with Store(old, readonly=True) as reader:
        assert reader.summary()["articles_stored"] == 1


# Rows as newsdesk 3 wrote them (after V1_SCHEMA migrated to version 3), and its pushed_links view.
V3_ROWS = """
CREATE VIEW pushed_links AS SELECT link_url AS url, max(link_text) AS text, kind,
  count(*) AS appearances, count(DISTINCT article_id) AS articles,
  count(DISTINCT substr(seen_at, 1, 10)) AS days, min(seen_at) AS first_seen,
  max(seen_at) AS last_seen
FROM link_blocks WHERE kind IN ('hot', 'recommended') GROUP BY link_url, kind;
INSERT INTO articles (id, url, canonical_url, host, title, text, day, first_seen, last_seen,
  crawl_id, simhash) VALUES (2, 'https://a.cn/2', 'https://a.cn/2', 'a.cn', 'Budget',
  'The city council approved a new budget for public transport on Tuesday, adding night buses.',
  '2025-06-02', '2025-06-02T08:00:00+00:00', '2025-06-02T08:00:00+00:00', 1, 1234567);
INSERT INTO simhash_bands (band, value, article_id) VALUES (0, 54919, 2), (1, 18, 2), (2, 0, 2),
  (3, 0, 2);
INSERT INTO link_blocks (article_id, kind, heading, block_position, link_position, link_text,
  link_url, seen_at) VALUES
  (1, 'recommended', '相关推荐', 1, 0, '相关', 'https://a.cn/rec', '2025-06-01T00:00:00+00:00'),
  (2, 'hot', '热点推荐', 0, 0, '热点', 'https://a.cn/hot', '2025-06-02T08:00:00+00:00'),
  (2, 'hot', '热点推荐', 0, 1, '热点', 'https://a.cn/hot', '2025-06-02T08:00:00+00:00');
"""


def test_a_version_3_database_is_migrated_to_bulk_writes(tmp_path: Path) -> None:
    old = tmp_path / "v3.db"
    conn = database_at_version(old, 3, V3_ROWS)
    scanned = conn.execute("SELECT * FROM pushed_links ORDER BY url").fetchall()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()
    with Store(old) as store:
        one = store.conn.execute
        assert one("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert one("SELECT * FROM pushed_links ORDER BY url").fetchall() == scanned
        bands = one("SELECT DISTINCT b.article_id, b.simhash = a.simhash FROM simhash_bands AS b "
                    "JOIN articles AS a ON a.id = b.article_id ORDER BY 1").fetchall()  # fmt: skip
        assert bands == [(1, 1), (2, 1)]
        table = one("SELECT sql FROM sqlite_master WHERE name = 'simhash_bands'").fetchone()[0]
        assert "WITHOUT ROWID" in table
        assert one("SELECT indexed_upto FROM fts_progress").fetchone()[0] == 2
        hits = store.search("救助管理站")
        assert [h.url for h in hits] == ["https://a.cn/1"] and hits[0].rank > 0
        crawl = store.start_crawl([], {})
        text = "市救助管理站举办开放日，邀请市民参观宿舍、医务室和食堂，介绍冬季救助流程。" * 2
        assert store.save_outcomes([article_outcome("https://a.cn/3", "新", text, crawl_id=crawl)])
        assert {h.url for h in store.search("救助管理站")} == {"https://a.cn/1", "https://a.cn/3"}
        store.finish_crawl(crawl, {})
        assert store.search_backlog() == 0
        migrated = schema_dump(store.conn)
    with Store(tmp_path / "new.db") as fresh:
        assert migrated == schema_dump(fresh.conn)


# Rows as newsdesk 4 wrote them (after V1_SCHEMA migrated to version 4): more articles, a
# near-duplicate, an untagged one without a day, pages, a failure and frontier URLs in each state.
V4_ROWS = """
INSERT INTO articles (id, url, canonical_url, host, title, text, day, topic, first_seen,
  last_seen, crawl_id, simhash) VALUES
  (2, 'https://a.cn/2', 'https://a.cn/2', 'a.cn', 'Budget', 'Council budget text.', '2025-06-02',
   'economy', '2025-06-02T08:00:00+00:00', '2025-06-02T08:00:00+00:00', 1, 1),
  (3, 'https://b.cn/3', 'https://b.cn/3', 'b.cn', 'Match', 'Football match report.', '2025-06-02',
   'sports', '2025-06-02T09:00:00+00:00', '2025-06-02T09:00:00+00:00', 1, 2),
  (4, 'https://b.cn/4', 'https://b.cn/4', 'b.cn', 'Untitled', 'Short.', NULL, NULL,
   '2025-06-03T09:00:00+00:00', '2025-06-03T09:00:00+00:00', 1, 3);
INSERT INTO articles (id, url, canonical_url, host, title, day, topic, duplicate_of, crawl_id)
  VALUES (5, 'https://c.cn/5', 'https://c.cn/5', 'c.cn', 'Copy', '2025-06-02', 'economy',
  'https://a.cn/2', 1);
INSERT INTO pages (url, host, status, fetched_at, article_id, crawl_id) VALUES
  ('https://a.cn/1', 'a.cn', 200, '2025-06-01T00:00:00+00:00', 1, 1),
  ('https://a.cn/2', 'a.cn', 200, '2025-06-02T08:00:00+00:00', 2, 1),
  ('https://b.cn/3', 'b.cn', 200, '2025-06-02T09:00:00+00:00', 3, 1),
  ('https://d.cn/', 'd.cn', 304, '2025-06-02T10:00:00+00:00', NULL, 1);
INSERT INTO failures (url, host, stage, error, crawl_id, at) VALUES
  ('https://e.cn/x', 'e.cn', 'http', 'FetchError', 1, '2025-06-02T11:00:00+00:00');
INSERT INTO frontier (url, state, depth, priority, kind, kind_rank, attempts) VALUES
  ('https://a.cn/1', 'done', 0, 0, 'article', 0, 1),
  ('https://a.cn/2', 'done', 0, 0, 'article', 0, 1),
  ('https://b.cn/3', 'done', 0, 0, 'article', 0, 1),
  ('https://e.cn/x', 'failed', 0, 0, 'article', 0, 1),
  ('https://d.cn/', 'not_modified', 0, 0, 'listing', 2, 1),
  ('https://f.cn/1', 'queued', 1, 0, 'article', 0, 0),
  ('https://f.cn/2', 'in_flight', 1, 0, 'article', 0, 1);
"""


def test_a_version_4_database_is_migrated_to_counter_tables(tmp_path: Path) -> None:
    old = tmp_path / "v4.db"
    conn = database_at_version(old, 4, V4_ROWS)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'topic_counts'").fetchone()[0]
        == 0
    )
    conn.close()
    with Store(old) as store:
        one = store.conn.execute
        assert one("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.frontier_counts() == {"done": 3, "failed": 1, "not_modified": 1,
                                           "queued": 1, "in_flight": 1}  # fmt: skip
        summary = store.summary()
        assert summary["articles_per_topic"] == {"untagged": 2, "economy": 1, "sports": 1}
        assert summary["duplicates"] == 1 and summary["pages_fetched"] == 4
        sites = one("SELECT host, pages, articles, failures FROM site_crawl_stats ORDER BY host")
        assert sites.fetchall() == [("a.cn", 2, 2, 0), ("b.cn", 1, 2, 0), ("c.cn", 0, 1, 0),
                                    ("d.cn", 1, 0, 0), ("e.cn", 0, 0, 1)]  # fmt: skip
        by_day = one("SELECT * FROM topic_counts_by_day").fetchall()
        assert by_day == [(None, "untagged", 1), ("2025-06-01", "untagged", 1),
                          ("2025-06-02", "economy", 1), ("2025-06-02", "sports", 1)]  # fmt: skip
        assert_counts_match(store.conn)
        crawl = store.start_crawl([], {})
        text = "市救助管理站举办开放日，邀请市民参观宿舍、医务室和食堂，介绍冬季救助流程。" * 2
        assert store.save_outcomes([article_outcome("https://a.cn/6", "新", text, crawl_id=crawl)])
        store.requeue_in_flight()
        assert_counts_match(store.conn)
        migrated = schema_dump(store.conn)
    with Store(tmp_path / "new.db") as fresh:
        assert migrated == schema_dump(fresh.conn)


# Rows as newsdesk 5 wrote them (after V1_SCHEMA migrated to version 5): one row per link, two
# blocks on a page, a link shown twice in one block, its counters and the end-of-crawl snapshot.
V5_ROWS = """
INSERT INTO articles (id, url, canonical_url, host, title, text, day, topic, first_seen,
  last_seen, crawl_id) VALUES
  (2, 'https://a.cn/2', 'https://a.cn/2', 'a.cn', 'Budget', 'Council budget text.', '2025-06-02',
   'economy', '2025-06-02T08:00:00+00:00', '2025-06-02T08:00:00+00:00', 1),
  (3, 'https://b.cn/3', 'https://b.cn/3', 'b.cn', 'Match', 'Football match report.', '2025-06-03',
   'sports', '2025-06-03T09:00:00+00:00', '2025-06-03T09:00:00+00:00', 1);
DELETE FROM link_blocks;
DELETE FROM pushed_link_counts;
INSERT INTO link_blocks (article_id, kind, heading, block_position, link_position, link_text,
  link_url, link_timestamp, link_source, seen_at) VALUES
  (2, 'related', '相关推荐', 0, 0, '相关一', 'https://a.cn/r1', '2025-06-01 10:00', '新华网',
   '2025-06-02T08:00:00+00:00'),
  (2, 'related', '相关推荐', 0, 1, '相关二', 'https://a.cn/r2', NULL, NULL,
   '2025-06-02T08:00:00+00:00'),
  (2, 'hot', '热点推荐', 1, 0, '热点', 'https://a.cn/hot', NULL, NULL, '2025-06-02T08:00:00+00:00'),
  (2, 'hot', '热点推荐', 1, 1, '热点', 'https://a.cn/hot', NULL, NULL, '2025-06-02T08:00:00+00:00'),
  (3, 'hot', '热点', 0, 0, '热点!', 'https://a.cn/hot', NULL, NULL, '2025-06-03T09:00:00+00:00'),
  (3, 'recommended', '推荐', 1, 0, '推荐', 'https://b.cn/rec', NULL, NULL,
   '2025-06-03T09:00:00+00:00');
INSERT INTO pushed_link_counts (url, kind, text, appearances, articles, days, first_seen,
  last_seen) VALUES
  ('https://a.cn/hot', 'hot', '热点!', 3, 2, 2, '2025-06-02T08:00:00+00:00',
   '2025-06-03T09:00:00+00:00'),
  ('https://b.cn/rec', 'recommended', '推荐', 1, 1, 1, '2025-06-03T09:00:00+00:00',
   '2025-06-03T09:00:00+00:00');
INSERT INTO pushed_links_top SELECT url, text, kind, appearances, articles, days, first_seen,
  last_seen, '2025-06-04T00:00:00+00:00' FROM pushed_link_counts;
"""
LINK_COLUMNS = (
    "article_id, kind, heading, block_position, link_position, link_text, link_url, "
    "link_timestamp, link_source, seen_at"
)


def test_a_version_5_database_gets_link_blocks_as_json_and_indexed_topic_filters(
    tmp_path: Path,
) -> None:
    old = tmp_path / "v5.db"
    conn = database_at_version(old, 5, V5_ROWS)
    links = conn.execute(f"SELECT {LINK_COLUMNS} FROM link_blocks ORDER BY id").fetchall()
    counters = "SELECT url, text, kind, appearances, articles, days, first_seen, last_seen FROM"
    pushed = conn.execute(f"{counters} pushed_link_counts ORDER BY url").fetchall()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5 and len(links) == 6
    conn.close()
    with Store(old) as store:
        one = store.conn.execute
        assert one("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {n for (n,) in one("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "pushed_links_top" not in tables and "link_blocks" not in tables
        assert store.db["blocks"].count == 4
        view = one(f"SELECT {LINK_COLUMNS} FROM link_blocks ORDER BY block_id, link_position")
        assert view.fetchall() == links
        assert one(f"{counters} pushed_links ORDER BY url").fetchall() == pushed
        assert [b["links"][1]["url"] for b in store.link_blocks(2) if b["kind"] == "hot"] == [
            "https://a.cn/hot"
        ]
        # The trigger moved to blocks: deleting a block takes its links off the counters.
        one("DELETE FROM blocks WHERE article_id = 2 AND kind = 'hot'")
        top = one("SELECT url, appearances, articles FROM pushed_links ORDER BY url").fetchall()
        assert top == [("https://a.cn/hot", 1, 1), ("https://b.cn/rec", 1, 1)]
        assert_counts_match(store.conn)
        migrated = schema_dump(store.conn)
    with Store(tmp_path / "new.db") as fresh:
        assert migrated == schema_dump(fresh.conn)


# An article as newsdesk 6 wrote it: no editors column yet.
V6_ROWS = """
INSERT INTO articles (id, url, canonical_url, host, title, text, day, authors, first_seen,
  last_seen, crawl_id) VALUES
  (2, 'https://a.cn/2', 'https://a.cn/2', 'a.cn', 'Budget', 'Council budget text.', '2025-06-02',
   '["记者"]', '2025-06-02T08:00:00+00:00', '2025-06-02T08:00:00+00:00', 1);
"""


def test_a_version_6_database_gets_an_editors_column(tmp_path: Path) -> None:
    old = tmp_path / "v6.db"
    conn = database_at_version(old, 6, V6_ROWS)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    assert "editors" not in columns
    conn.close()
    with Store(old) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
        kept = store.article("https://a.cn/2")
        assert kept["authors"] == ["记者"] and kept["editors"] == []
        text = "救助管理站开放日活动举行，市民参观了站内设施。" * 5
        outcome = article_outcome("https://a.cn/3", "新", text, crawl_id=1)
        edited = replace(outcome, article=replace(outcome.article, editors=("汤诗瑶", "丁涛")))
        assert store.save_outcomes([edited])
        assert store.article("https://a.cn/3")["editors"] == ["汤诗瑶", "丁涛"]
        migrated = schema_dump(store.conn)
    with Store(tmp_path / "new.db") as fresh:
        assert migrated == schema_dump(fresh.conn)


@pytest.mark.parametrize(
    ("where", "index"),
    [
        ("day = ?", "idx_article_counts_day_host"),
        ("day > ?", "idx_article_counts_day_host"),
        ("host = ?", "idx_article_counts_host_day"),
        ("host = ? AND day > ?", "idx_article_counts_host_day"),
    ],
)
def test_topic_counts_daily_filtered_by_day_or_host_is_an_index_read(
    tmp_path: Path, where: str, index: str
) -> None:
    with Store(tmp_path / "news.db") as store:
        plan = store.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT * FROM topic_counts_daily WHERE {where}",
            ["x"] * where.count("?"),
        ).fetchall()
    details = [row[3] for row in plan]
    assert any(d.startswith(f"SEARCH article_counts USING INDEX {index}") for d in details), plan


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with Store(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    for readonly in (False, True):
        with pytest.raises(SchemaVersionError, match="upgrade newsdesk"):
            Store(path, readonly=readonly)
