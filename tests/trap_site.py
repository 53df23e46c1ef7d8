"""The trap shapes of the hostile server (``/traps/…``), one small site for crawl-budget tests.

``/traps/`` is a list of :data:`HOME_STORIES` stories that links one entry into each trap:

    /traps/cal/2026/11/26/         endless calendar: the month's day links, previous and next
                                   month, for ever; no stories
    /traps/find?q=W[&p=N]          endless search results: ten known stories and 下一页 for ever
    /traps/list/?page=N            a list whose ``?page=`` never ends (past page 2 it shows page
                                   2 again, with a next link)
    /traps/sorted/?sort=S          sort orders: the same list, linking a new sort value, for ever
    /traps/session/?sid=X          session ids: the same list, linking a new session id, for ever
    /traps/days/YYYY/MM/DD/        a date archive that does lead to stories: days 1 to 26 of
                                   November 2026 list two stories each (found nowhere else),
                                   previous and next day for ever

Each trap's requests are counted by its path (``HostileServer.hits``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

HOME_STORIES = 12
ARCHIVE_FIRST = dt.date(2026, 11, 1)
ARCHIVE_LAST = dt.date(2026, 11, 26)
WORDS = [
    "council",
    "residents",
    "officials",
    "budget",
    "shelter",
    "volunteers",
    "street",
    "market",
    "investors",
    "bank",
    "research",
    "network",
    "museum",
    "theatre",
    "hospital",
    "school",
    "traffic",
    "subway",
    "park",
    "library",
    "weather",
    "harbour",
    "river",
    "bridge",
    "election",
    "mayor",
    "court",
    "farmers",
    "teachers",
    "nurses",
    "engineers",
]
_SESSIONS = itertools.count(1000)

Answer = tuple[int, bytes]


def _page(title: str, body: str) -> bytes:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    ).encode()


def _list(paths: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<li><h3><a href='{path}'>{title}</a></h3><span>2026-11-26 16:43</span></li>"
        for path, title in paths
    )
    return f"<ul class='list'>{items}</ul>"


def _home_story(n: int) -> tuple[str, str]:
    return f"/traps/story/{n}.html", f"Home story {n}: the council votes on the harbour budget"


def _day_stories(day: dt.date) -> list[tuple[str, str]]:
    if not ARCHIVE_FIRST <= day <= ARCHIVE_LAST:
        return []
    return [
        (f"/traps/day-story/{day:%m%d}-{k}.html", f"Archive story {day:%m%d}-{k}: river report")
        for k in (1, 2)
    ]


def _story(key: str) -> bytes:
    pick = random.Random(key)
    paragraphs = "".join(
        f"<p>{' '.join(pick.choice(WORDS) for _ in range(30)).capitalize()}.</p>" for _ in range(5)
    )
    head = "<meta property='og:type' content='article'>"
    return _page(f"Story {key}", f"<article>{paragraphs}</article>").replace(
        b"</head>", head.encode() + b"</head>"
    )


def answer(path: str, query: dict[str, str]) -> Answer:
    """The trap site's response for one request: (status, UTF-8 HTML)."""
    if path == "/traps/":
        entries = (
            "<a href='/traps/cal/2026/11/26/'>Calendar</a> <a href='/traps/find?q=budget'>"
            "Search budget</a> <a href='/traps/list/?page=1'>All stories</a> "
            "<a href='/traps/sorted/?sort=hot'>Hot first</a> "
            f"<a href='/traps/session/?sid={next(_SESSIONS)}'>My list</a> "
            "<a href='/traps/days/2026/11/26/'>Archive</a>"
        )
        return 200, _page(
            "Trap site", _list([_home_story(n) for n in range(HOME_STORIES)]) + entries
        )
    if path.startswith(("/traps/story/", "/traps/day-story/")):
        return 200, _story(path)
    if path == "/traps/find":
        page = int(query.get("p", "1"))
        results = [_home_story((page + k) % HOME_STORIES) for k in range(10)]
        more = f"<a href='/traps/find?q={query.get('q', '')}&p={page + 1}'>下一页</a>"
        return 200, _page("Search results", _list(results) + more)
    if path in ("/traps/list/", "/traps/sorted/", "/traps/session/"):
        return 200, _endless_list(path, query)
    if path.startswith(("/traps/cal/", "/traps/days/")):
        try:
            day = dt.date(*(int(p) for p in path.strip("/").split("/")[2:5]))
        except (TypeError, ValueError):
            return 404, _page("No such day", "")
        return 200, _calendar(day) if path.startswith("/traps/cal/") else _archive(day)
    return 404, _page("Not found", "")


def _endless_list(path: str, query: dict[str, str]) -> bytes:
    page = int(query.get("page", "1"))
    half = HOME_STORIES // 2
    shown = [_home_story(n) for n in (range(half) if page == 1 else range(half, HOME_STORIES))]
    if path == "/traps/list/":
        link = f"<a href='{path}?page={page + 1}'>Next</a>"
    elif path == "/traps/sorted/":
        link = f"<a href='{path}?sort={query.get('sort', 'hot')}x'>Sort again</a>"
    else:
        link = f"<a href='{path}?sid={next(_SESSIONS)}'>Refresh</a>"
    return _page("All stories", _list(shown) + link)


def _calendar(day: dt.date) -> bytes:
    first = day.replace(day=1)
    before = (first - dt.timedelta(days=1)).replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    days = "".join(f"<a href='/traps/cal/{first:%Y/%m}/{d:02d}/'>{d}</a> " for d in range(1, 29))
    nav = (
        f"<a href='/traps/cal/{before:%Y/%m/%d}/'>Previous month</a> "
        f"<a href='/traps/cal/{after:%Y/%m/%d}/'>Next month</a>"
    )
    return _page(f"Calendar {day:%Y-%m-%d}", f"<p>{days}</p>{nav}")


def _archive(day: dt.date) -> bytes:
    before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    nav = (
        f"<a href='/traps/days/{before:%Y/%m/%d}/'>Previous day</a> "
        f"<a href='/traps/days/{after:%Y/%m/%d}/'>Next day</a>"
    )
    return _page(f"Archive {day:%Y-%m-%d}", _list(_day_stories(day)) + nav)


def archive_stories() -> set[str]:
    """Paths of the stories only the date archive leads to."""
    days = (ARCHIVE_FIRST + dt.timedelta(days=n) for n in range(26))
    return {path for day in days for path, _ in _day_stories(day)}
