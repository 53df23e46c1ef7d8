"""The schema as data: every table and column with its type, the version it appeared in and a
description. Migrations create the database from it, ``docs/schema.md`` and the Datasette
metadata are rendered from it, and a test checks the real database against it.
"""

from __future__ import annotations

from store._spec import Column, Index, Table

SCHEMA_VERSION = 7


def _c(name: str, type_: str, doc: str, since: int = 1) -> Column:
    return Column(name, type_, doc, since)


_ID = _c("id", "INTEGER", "Row id.")
_CRAWL = _c("crawl_id", "INTEGER", "The crawl that wrote the row (crawls.id).")
_HOST = _c("host", "TEXT", "Lower-case host name of the URL; the 'site' key of the views.")

TABLES: tuple[Table, ...] = (
    Table(
        "crawls",
        "One row per run of the crawler (or of an ingest), with what it was asked and what it did.",
        (
            _ID,
            _c("started", "TEXT", "Start time, ISO 8601 UTC."),
            _c("finished", "TEXT", "End time, ISO 8601 UTC; NULL while running or if interrupted."),
            _c("seeds", "TEXT", "JSON list of the seed URLs."),
            _c("settings", "TEXT", "JSON object of the settings the crawl ran with."),
            _c("stats", "TEXT", "JSON object of the crawl's counts, written when it finishes."),
            _c("version", "TEXT", "newsdesk version that ran the crawl."),
        ),
    ),
    Table(
        "pages",
        "Every HTTP fetch, successful or not-modified, whether or not it yielded an article.",
        (
            _ID,
            _c("url", "TEXT", "The URL asked for (canonical frontier form)."),
            _c("final_url", "TEXT", "The URL after redirects."),
            _HOST,
            _c("status", "INTEGER", "HTTP status code."),
            _c("content_type", "TEXT", "Media type without parameters, lower-case."),
            _c("charset", "TEXT", "Charset named by the HTTP Content-Type header, if any."),
            _c("bytes", "INTEGER", "Size of the body in bytes."),
            _c("fetched_at", "TEXT", "When the response arrived, ISO 8601 UTC."),
            _c("elapsed_ms", "FLOAT", "Time the fetch took, in milliseconds."),
            _c("etag", "TEXT", "ETag response header, for conditional recrawls."),
            _c("last_modified", "TEXT", "Last-Modified response header, for conditional recrawls."),
            _c("article_id", "INTEGER", "Article extracted from this page (articles.id)."),
            _CRAWL,
        ),
        foreign_keys=(("crawl_id", "crawls", "id"),),
        indexes=(Index(("url",)), Index(("host", "fetched_at")), Index(("crawl_id",))),
    ),
    Table(
        "articles",
        "One row per canonical URL: the story as last extracted, and how it was classified.",
        (
            _ID,
            _c("url", "TEXT", "URL of the page the article was last extracted from."),
            _c("canonical_url", "TEXT", "The article's key: rel=canonical, else the page URL."),
            _HOST,
            _c("site", "TEXT", "Site name as the page states it (og:site_name ...)."),
            _c("lang", "TEXT", "Language code, e.g. zh or en."),
            _c("title", "TEXT", "Headline."),
            _c("text", "TEXT", "Story text, paragraphs joined by newlines; NULL for a duplicate."),
            _c("published", "TEXT", "Publication time as ISO 8601 (with the page's offset)."),
            _c("day", "TEXT", "YYYY-MM-DD of published (as printed), else of first_seen."),
            _c("authors", "TEXT", "JSON list of author names."),
            _c("source", "TEXT", "Originating outlet as printed (来源 ...)."),
            _c("section", "TEXT", "JSON list: the section path (breadcrumb), outermost first."),
            _c("description", "TEXT", "Meta description / standfirst."),
            _c("encoding", "TEXT", "Character encoding the page was decoded with."),
            _c("text_hash", "TEXT", "SHA-1 of the whitespace-normalised text; detects changes."),
            _c("topic", "TEXT", "Top topic label of the latest tagging (denormalised topics)."),
            _c("topic_score", "FLOAT", "Score of that top topic."),
            _c("model_id", "TEXT", "Model of the latest tagging (models.model_id)."),
            _c("first_seen", "TEXT", "When the URL was first stored, ISO 8601 UTC."),
            _c("last_seen", "TEXT", "When the URL was last fetched, ISO 8601 UTC."),
            _CRAWL,
            _c("simhash", "INTEGER", "Signed 64-bit simhash of the text.", 2),
            _c("duplicate_of", "TEXT", "canonical_url of the first copy when a near-duplicate.", 2),
            _c("editors", "TEXT", "JSON list of editor names (责任编辑 ..., Editor:).", 7),
        ),
        foreign_keys=(("crawl_id", "crawls", "id"),),
        indexes=(
            Index(("canonical_url",), unique=True),
            Index(("url",), until=6),
            Index(("host", "day")),
            Index(("topic",)),
            Index(("crawl_id",)),
            Index(("day", "host", "topic", "duplicate_of"), since=2, until=6),
            Index(("published",), since=2),
            # Pages whose URL is not the canonical one: a lookup by page URL finds the others by
            # canonical_url, and most articles skip this (random) index on write.
            Index(("url",), since=6, name="idx_articles_alias_url", where="url <> canonical_url"),
        ),
    ),
    Table(
        "article_versions",
        "Earlier texts of an article: the row as it was before a recrawl found the text changed.",
        (
            _ID,
            _c("article_id", "INTEGER", "The article (articles.id)."),
            _c("title", "TEXT", "Headline of that version."),
            _c("text", "TEXT", "Text of that version."),
            _c("published", "TEXT", "Publication time that version stated."),
            _c("text_hash", "TEXT", "SHA-1 of that version's normalised text."),
            _c("seen_from", "TEXT", "first time this version was stored (ISO 8601 UTC)."),
            _c("seen_until", "TEXT", "last time this version was fetched (ISO 8601 UTC)."),
            _c("replaced_at", "TEXT", "When the newer text replaced it (ISO 8601 UTC)."),
        ),
        foreign_keys=(("article_id", "articles", "id"),),
        indexes=(Index(("article_id",)),),
    ),
    Table(
        "link_blocks",
        "Until v6: one row per link of each link block; now the link_blocks view over blocks.",
        (
            _ID,
            _c("article_id", "INTEGER", "The article whose page shows the block (articles.id)."),
            _c("kind", "TEXT", "recommended, hot, related, nav or other."),
            _c("heading", "TEXT", "The block's heading as printed."),
            _c("block_position", "INTEGER", "Order of the block on the page (0 first)."),
            _c("link_position", "INTEGER", "Order of the link within its block (0 first)."),
            _c("link_text", "TEXT", "Anchor text."),
            _c("link_url", "TEXT", "Absolute link URL."),
            _c("link_timestamp", "TEXT", "Date/time printed beside the link, verbatim."),
            _c("link_source", "TEXT", "Source printed beside the link, verbatim."),
            _c("seen_at", "TEXT", "When the page showing the block was fetched (ISO 8601 UTC)."),
        ),
        foreign_keys=(("article_id", "articles", "id"),),
        indexes=(
            Index(("article_id",)),
            Index(("link_url", "kind"), until=2),
            Index(("link_url", "kind", "article_id", "seen_at", "link_text"), since=2, until=4),
        ),
        until=6,
    ),
    Table(
        "blocks",
        "The clutter kept as data: one row per link block of a page (相关推荐, 热点推荐 ...), its "
        "links as one JSON list; the link_blocks view gives one row per link.",
        (
            _ID,
            _c("article_id", "INTEGER", "The article whose page shows the block (articles.id).", 6),
            _c("kind", "TEXT", "recommended, hot, related, nav or other.", 6),
            _c("heading", "TEXT", "The block's heading as printed.", 6),
            _c("position", "INTEGER", "Order of the block on the page (0 first).", 6),
            _c(
                "links",
                "TEXT",
                "JSON list of the links in order, each [text, url, timestamp, source] (timestamp "
                "and source as printed beside the link, or null).",
                6,
            ),
            _c("seen_at", "TEXT", "When the page showing the block was fetched (ISO 8601 UTC).", 6),
        ),
        foreign_keys=(("article_id", "articles", "id"),),
        indexes=(Index(("article_id",), since=6),),
        since=6,
    ),
    Table(
        "images",
        "Images of the story with their captions.",
        (
            _ID,
            _c("article_id", "INTEGER", "The article (articles.id)."),
            _c("position", "INTEGER", "Order in the story (0 first)."),
            _c("src", "TEXT", "Absolute image URL."),
            _c("caption", "TEXT", "Caption (图为…), if any."),
            _c("alt", "TEXT", "alt text, if any."),
        ),
        foreign_keys=(("article_id", "articles", "id"),),
        indexes=(Index(("article_id",)),),
    ),
    Table(
        "topics",
        "Every topic a model gave an article, best first; articles.topic keeps the latest top one.",
        (
            _c("article_id", "INTEGER", "The article (articles.id)."),
            _c("model_id", "TEXT", "The model that tagged it (models.model_id)."),
            _c("rank", "INTEGER", "0 for the best topic, then 1, 2 ..."),
            _c("label", "TEXT", "Topic label (taxonomy id)."),
            _c("score", "FLOAT", "The model's score for the label."),
            _c("tagged_at", "TEXT", "When it was tagged, ISO 8601 UTC."),
        ),
        pk=("article_id", "model_id", "rank"),
        foreign_keys=(("article_id", "articles", "id"),),
        indexes=(Index(("model_id", "label")),),
    ),
    Table(
        "models",
        "Topic models known to this database; exactly one may be active.",
        (
            _c("model_id", "TEXT", "The model's id, e.g. default-2026-11-29-ab12cd."),
            _c("card", "TEXT", "JSON model card: labels, data digest, metrics, versions."),
            _c("path", "TEXT", "Directory the model files live in."),
            _c("created", "TEXT", "When it was registered, ISO 8601 UTC."),
            _c("active", "INTEGER", "1 for the model new crawls use, else 0."),
        ),
        pk="model_id",
    ),
    Table(
        "labels",
        "Training labels for articles: from the section path or given by hand.",
        (
            _c("url", "TEXT", "Article URL (canonical or page URL)."),
            _c("source", "TEXT", "section (derived from the section path) or manual."),
            _c("label", "TEXT", "Topic label (taxonomy id)."),
            _c("created", "TEXT", "When imported, ISO 8601 UTC."),
        ),
        pk=("url", "source"),
        indexes=(Index(("source",)),),
    ),
    Table(
        "failures",
        "Pages that failed at some stage; the crawl went on.",
        (
            _ID,
            _c("url", "TEXT", "The URL that failed."),
            _HOST,
            _c("stage", "TEXT", "dns, connect, timeout, http, too_large, robots, extract ..."),
            _c("error", "TEXT", "Error class name."),
            _c("message", "TEXT", "Error message."),
            _CRAWL,
            _c("at", "TEXT", "When it was recorded, ISO 8601 UTC."),
        ),
        foreign_keys=(("crawl_id", "crawls", "id"),),
        indexes=(Index(("host",)), Index(("crawl_id", "stage"))),
    ),
    Table(
        "frontier",
        "URLs to fetch and their state; lives next to the results so both commit together.",
        (
            _c("url", "TEXT", "Canonical URL."),
            _c(
                "state",
                "TEXT",
                "queued, in_flight, done, failed, not_modified, or skipped (its URL pattern had "
                "spent its budget without yielding stories).",
            ),
            _c("depth", "INTEGER", "Link distance from a seed."),
            _c("priority", "FLOAT", "Higher is fetched first (after the kind order)."),
            _c("kind", "TEXT", "article, listing, sitemap, feed or unknown."),
            _c("kind_rank", "INTEGER", "Claim order: article 0, sitemap/feed 1, other 2."),
            _c("referrer", "TEXT", "URL of the page it was found on."),
            _c("attempts", "INTEGER", "How many times it was claimed."),
            _CRAWL,
            _c("added_at", "TEXT", "When it joined the frontier, ISO 8601 UTC."),
            _c("updated_at", "TEXT", "Last state change, ISO 8601 UTC."),
        ),
        pk="url",
        indexes=(Index(("state", "kind_rank", "-priority", "depth")),),
    ),
    Table(
        "pushed_links_top",
        "Snapshot of the 1000 most pushed links (the pushed_links view ordered by appearances), "
        "refreshed when a crawl finishes: ordering the live view costs a scan of every link row.",
        (
            _c("url", "TEXT", "The pushed link's URL.", 2),
            _c("text", "TEXT", "Its anchor text (one of them, if it varies).", 2),
            _c("kind", "TEXT", "hot or recommended.", 2),
            _c("appearances", "INTEGER", "Appearances in blocks of stored pages.", 2),
            _c("articles", "INTEGER", "Distinct articles whose pages showed it.", 2),
            _c("days", "INTEGER", "Distinct days it was seen on.", 2),
            _c("first_seen", "TEXT", "Earliest fetch that showed it.", 2),
            _c("last_seen", "TEXT", "Latest fetch that showed it.", 2),
            _c("refreshed_at", "TEXT", "When the snapshot was taken, ISO 8601 UTC.", 2),
        ),
        pk=("url", "kind"),
        indexes=(Index(("appearances",), since=2),),
        since=2,
        until=6,
    ),
    Table(
        "simhash_bands",
        "The four 16-bit bands of each original article's simhash, with the simhash itself; any "
        "article within Hamming distance 3 shares one band, so near-duplicate lookup is four "
        "index probes that need not read the articles. WITHOUT ROWID since v4.",
        (
            _c("band", "INTEGER", "Band number 0-3."),
            _c("value", "INTEGER", "The band's 16 bits."),
            _c("article_id", "INTEGER", "The article (articles.id)."),
            _c("simhash", "INTEGER", "articles.simhash: candidates are checked in the index.", 4),
        ),
        pk=("band", "value", "article_id"),
        since=2,
    ),
    Table(
        "article_counts",
        "Articles per day, host, top topic and duplicate flag, kept by triggers on articles in "
        "the writing transaction, so the topic and site views read counts instead of scanning. "
        "Empty day or host stands for NULL (keys must not be NULL); rows may fall to 0.",
        (
            _c("day", "TEXT", "articles.day, '' when NULL.", 3),
            _c("host", "TEXT", "articles.host, '' when NULL.", 3),
            _c("topic", "TEXT", "articles.topic, 'untagged' when NULL.", 3),
            _c("duplicate", "INTEGER", "1 for near-duplicates (duplicate_of set), else 0.", 3),
            _c("articles", "INTEGER", "Number of articles with that key.", 3),
        ),
        pk=("day", "host", "topic", "duplicate"),
        # topic_counts_daily shows '' keys as NULL: these serve its WHERE day / host (v6).
        indexes=(
            Index(
                ("nullif(day, '')", "nullif(host, '')", "topic"),
                since=6,
                name="idx_article_counts_day_host",
            ),
            Index(
                ("nullif(host, '')", "nullif(day, '')", "topic"),
                since=6,
                name="idx_article_counts_host_day",
            ),
        ),
        since=3,
    ),
    Table(
        "site_counts",
        "Pages, failures and (since v5) articles per host, kept by triggers on pages, failures "
        "and articles in the writing transaction (site_crawl_stats reads it). Empty host "
        "stands for NULL.",
        (
            _c("host", "TEXT", "pages.host / failures.host, '' when NULL.", 3),
            _c("pages", "INTEGER", "Rows in pages for the host.", 3),
            _c("failures", "INTEGER", "Rows in failures for the host.", 3),
            _c("articles", "INTEGER", "Rows in articles for the host (NULL read as 0).", 5),
        ),
        pk="host",
        since=3,
    ),
    Table(
        "pushed_link_counts",
        "Per link of hot / recommended blocks: how often pages show it, kept per batch by the "
        "writer (a trigger subtracts the links of deleted blocks), so the pushed_links view and "
        "its top-N are an index read. appearances and articles count the links stored now; days, "
        "first_seen and last_seen are the history of the fetches that showed it (a recrawl that "
        "replaces a page's blocks does not take its day back); days is exact when pages are "
        "written in fetch-time order, as a crawl writes them.",
        (
            _c("url", "TEXT", "The pushed link's URL.", 4),
            _c("kind", "TEXT", "hot or recommended.", 4),
            _c("text", "TEXT", "Its anchor text (the greatest, if it varies).", 4),
            _c("appearances", "INTEGER", "Link rows: appearances in blocks of stored pages.", 4),
            _c("articles", "INTEGER", "Distinct articles whose stored pages show it.", 4),
            _c("days", "INTEGER", "Distinct days (of the fetch time, UTC) it was seen on.", 4),
            _c("first_seen", "TEXT", "Earliest fetch that showed it.", 4),
            _c("last_seen", "TEXT", "Latest fetch that showed it.", 4),
        ),
        pk=("url", "kind"),
        indexes=(Index(("appearances",), since=4),),
        since=4,
    ),
    Table(
        "fts_progress",
        "How far the full-text index has got: articles with id <= indexed_upto are in "
        "articles_fts; newer ones are found by Store.search with LIKE until the writer (or "
        "Store.index_search) indexes them in one go.",
        (
            _c("id", "INTEGER", "Always 1 (one row).", 4),
            _c("indexed_upto", "INTEGER", "Highest articles.id in the index.", 4),
            _c("indexed_at", "TEXT", "When the index last caught up, ISO 8601 UTC.", 4),
        ),
        since=4,
    ),
    Table(
        "topic_counts",
        "Articles per top topic and duplicate flag, kept by triggers on articles (summary() "
        "reads it instead of summing article_counts). Rows may fall to 0.",
        (
            _c("topic", "TEXT", "articles.topic, 'untagged' when NULL.", 5),
            _c("duplicate", "INTEGER", "1 for near-duplicates (duplicate_of set), else 0.", 5),
            _c("articles", "INTEGER", "Number of articles with that key.", 5),
        ),
        pk=("topic", "duplicate"),
        since=5,
    ),
    Table(
        "day_topic_counts",
        "Original articles (no near-duplicates) per day and top topic, kept by triggers on "
        "articles; the topic_counts_by_day view and the topic-share chart read it. Empty day "
        "stands for NULL; rows may fall to 0.",
        (
            _c("day", "TEXT", "articles.day, '' when NULL.", 5),
            _c("topic", "TEXT", "articles.topic, 'untagged' when NULL.", 5),
            _c("articles", "INTEGER", "Number of articles with that key.", 5),
        ),
        pk=("day", "topic"),
        since=5,
    ),
    Table(
        "url_patterns",
        "The crawl budget per URL pattern (host and path with numbers and query values blanked): "
        "patterns that keep leading to no new story stop being fetched (newsdesk._budget).",
        (
            _c("pattern", "TEXT", "host/path?keys, digits as #, query values dropped.", 7),
            _c("requests", "INTEGER", "Pages of the pattern fetched.", 7),
            _c("yielded", "INTEGER", "Of them, pages that were stories or first led to one.", 7),
            _c("dry", "INTEGER", "Pages fetched in a row that yielded nothing.", 7),
            _c("updated_at", "TEXT", "Last change, ISO 8601 UTC.", 7),
        ),
        pk="pattern",
        since=7,
    ),
    Table(
        "frontier_counts",
        "Frontier URLs per state, kept by triggers on frontier (summary() and "
        "Store.frontier_counts() read it instead of counting the frontier). Rows may fall to 0.",
        (
            _c("state", "TEXT", "frontier.state, '' when NULL.", 5),
            _c("urls", "INTEGER", "Number of frontier URLs in that state.", 5),
        ),
        pk="state",
        since=5,
    ),
)

FTS_TABLE = "articles_fts"
FTS_DOC = (
    "FTS5 index (trigram tokenizer) over articles.title and articles.text, external content; "
    "rowid = articles.id. Filled in id order up to fts_progress.indexed_upto; triggers re-index "
    "indexed rows whose title or text change and remove deleted ones."
)
FTS_COLUMNS: tuple[Column, ...] = (
    Column("title", "", "articles.title"),
    Column("text", "", "articles.text"),
)


def table(name: str) -> Table:
    """The table spec called ``name``."""
    for spec in TABLES:
        if spec.name == name:
            return spec
    raise KeyError(name)
