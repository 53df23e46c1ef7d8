"""A self-contained HTML report of a store: counts, topic share over time (an inline SVG drawn
here, no scripts, no network), top sites and the most pushed links. Opens from a file:// URL."""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from store._store import Store

PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
MAX_TOPICS = len(PALETTE) - 1
MAX_BARS = 60
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 960, 320, 48, 40, 16

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; } td, th { padding: 4px 8px; text-align: left; }
tr:nth-child(even) { background: #f4f6f8; } td.n, th.n { text-align: right; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { background: #eef3f8; border-radius: 6px; padding: 10px 16px; min-width: 120px; }
.card b { display: block; font-size: 1.6em; } .legend span { margin-right: 14px; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; }
"""


_PUSHED = (
    "SELECT text, url, kind, appearances, articles, days, last_seen FROM pushed_links "
    "ORDER BY appearances DESC, url LIMIT ?"
)


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def topic_share(store: Store) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """(buckets, topics, counts) for the chart: days, or months when there are too many days;
    the most frequent topics, the rest folded into 'other'."""
    rows = store.conn.execute(
        "SELECT day, topic, articles FROM topic_counts_by_day WHERE day IS NOT NULL"
    ).fetchall()
    days = sorted({day for day, _, _ in rows})
    width = 7 if len(days) > MAX_BARS else 10
    totals: dict[str, int] = defaultdict(int)
    for _, topic, n in rows:
        totals[topic] += n
    ranked = sorted(totals, key=lambda t: (-totals[t], t))
    keep = set(ranked[:MAX_TOPICS])
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for day, topic, n in rows:
        counts[(day[:width], topic if topic in keep else "other")] += n
    buckets = sorted({bucket for bucket, _ in counts})[-MAX_BARS:]
    topics = [t for t in ranked if t in keep] + (["other"] if len(ranked) > MAX_TOPICS else [])
    return buckets, topics, counts


def topic_chart_svg(store: Store) -> str:
    """Stacked bars: each bar one day (or month), each band a topic's share of its articles."""
    buckets, topics, counts = topic_share(store)
    if not buckets:
        return "<p>No articles yet.</p>"
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = plot_w / len(buckets)
    color = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(topics)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Topic share over time">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
    ]
    for pct in (0, 25, 50, 75, 100):
        y = TOP + plot_h * (1 - pct / 100)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
                     f"{pct}%</text>")  # fmt: skip
    for i, bucket in enumerate(buckets):
        total = sum(counts.get((bucket, t), 0) for t in topics) or 1
        y = TOP + plot_h
        for topic in topics:
            share = counts.get((bucket, topic), 0) / total
            if share == 0:
                continue
            h = share * plot_h
            y -= h
            parts.append(
                f'<rect x="{LEFT + i * step + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" '
                f'height="{h:.1f}" fill="{color[topic]}"><title>{_e(bucket)} {_e(topic)}: '
                f"{share:.0%}</title></rect>"
            )
    for i in sorted({0, len(buckets) // 2, len(buckets) - 1}):
        x = LEFT + (i + 0.5) * step
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 20}" font-size="11" text-anchor="middle">'
                     f"{_e(buckets[i])}</text>")  # fmt: skip
    parts.append("</svg>")
    legend = "".join(
        f'<span><i class="swatch" style="background:{color[t]}"></i>{_e(t)}</span>' for t in topics
    )
    return "".join(parts) + f'<p class="legend">{legend}</p>'


def _table(headers: list[str], rows: list[tuple[Any, ...]], numeric: set[int]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f'<th class="{"n" if i in numeric else ""}">{_e(h)}</th>'
                   for i, h in enumerate(headers))  # fmt: skip
    body = "".join(
        "<tr>" + "".join(f'<td class="{"n" if i in numeric else ""}">{_e(v)}</td>'
                         for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_report(store: Store, *, top: int = 20) -> str:
    """The report's HTML text."""
    summary = store.summary()
    failures = sum(summary["failures_by_stage"].values())
    crawls = store.conn.execute("SELECT count(*) FROM crawls").fetchone()[0]
    cards = [
        ("pages fetched", summary["pages_fetched"]),
        ("articles", summary["articles_stored"]),
        ("near-duplicates", summary["duplicates"]),
        ("failures", failures),
        ("crawls", crawls),
    ]
    sites = store.conn.execute(
        "SELECT host, pages, articles, failures, last_fetch FROM site_crawl_stats "
        "ORDER BY articles DESC, pages DESC, host LIMIT ?",
        (top,),
    ).fetchall()
    pushed = store.conn.execute(_PUSHED, (top,)).fetchall()
    topics = sorted(summary["articles_per_topic"].items(), key=lambda kv: (-kv[1], kv[0]))
    stages = sorted(summary["failures_by_stage"].items(), key=lambda kv: (-kv[1], kv[0]))
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    card_html = "".join(f'<div class="card"><b>{v:,}</b>{_e(k)}</div>' for k, v in cards)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newsdesk report — {_e(store.path.name)}</title>
<style>{_CSS}</style></head><body>
<h1>newsdesk report</h1>
<p>Database <code>{_e(store.path)}</code>, generated {_e(stamp)}.</p>
<div class="cards">{card_html}</div>
<h2>Topic share over time</h2>{topic_chart_svg(store)}
<h2>Articles per topic</h2>{_table(["topic", "articles"], topics, {1})}
<h2>Top sites</h2>
{_table(["site", "pages", "articles", "failures", "last fetch"], sites, {1, 2, 3})}
<h2>Most pushed links (hot and recommended blocks)</h2>
<p>Live counts (pushed_link_counts).</p>
{_table(["text", "url", "kind", "appearances", "articles", "days", "last seen"], pushed, {3, 4, 5})}
<h2>Failures by stage</h2>{_table(["stage", "failures"], stages, {1})}
</body></html>
"""


def write_report(store: Store, out: Path) -> Path:
    """Write the report to ``out`` (UTF-8) and return the path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(store), encoding="utf-8")
    return out
