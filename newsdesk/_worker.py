"""Extraction workers: child processes that turn fetched pages into articles and new links.

Extraction is CPU work in Python; on the event loop it would stall fetching, so with
``workers > 0`` it runs in child processes on the other cores. Each worker is a plain
``python -P -c`` subprocess (``-P``: the working directory is not importable) that speaks
length-prefixed pickles over its stdin and stdout:

- the crawl process writes and reads those pipes on its event loop, with no threads;
  ``concurrent.futures.ProcessPoolExecutor`` cost the crawl process ~1.5 ms of CPU per page in
  its feeder and manager threads (pickling dataclasses, fighting the loop for the GIL), and
  its spawn start adds a resource-tracker process (~12 MB);
- a worker imports the extractor and link discovery only (no fetcher, store, model or
  scikit-learn): ~34 MB resident after a few hundred pages (44 MB when it loaded the fetcher too);
- a worker ends when its stdin closes, so a crawl killed with ``kill -9`` leaves no orphan;
- a worker passes each link on once (:class:`~newsdesk._pages.LinkFilter`), so the links a
  page shares with the pages before it (navigation, hot lists) never cross the pipe.

Pickles only ever travel between the crawl process and the workers it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import copyreg
import dataclasses
import io
import logging
import pickle
import struct
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.errors import ExtractError, NewsdeskError
from scraper import Article, Fetched, FrontierEntry, Image, Link, LinkBlock

log = logging.getLogger(__name__)

HEADER = struct.Struct("!I")
# Seconds a worker gets to finish after its stdin closes, before it is killed.
EXIT_WAIT_S = 5.0
# Start a worker with the project importable whatever the working directory is.
_BOOT = "import sys; sys.path.insert(0, {root!r}); from newsdesk._worker import serve; serve()"

Result = tuple[Article | None, list[FrontierEntry]]
# Records pickled as ``cls(*fields)``: loading them then skips the generic per-field
# ``__setstate__`` of slotted dataclasses, about half the cost of reading an answer.
RECORDS = (Article, Link, LinkBlock, Image, FrontierEntry)


class WorkerError(NewsdeskError):
    """An extraction worker died or failed on a page with an error that is not ExtractError."""


class Workers:
    """``count`` extraction processes; ``await workers.process(fetched, depth)`` in a crawl.

    Use as ``async with Workers(2) as workers``. Pages go to the worker with the fewest pages
    in flight; answers are matched to requests by sequence number.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self._workers: list[_Worker] = []

    async def __aenter__(self) -> Workers:
        for _ in range(self.count):
            self._workers.append(await _Worker.start())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        workers, self._workers = self._workers, []
        for worker in workers:
            await worker.close()

    async def process(self, fetched: Fetched, depth: int) -> Result:
        """The page's article (None unless it is a story) and its links not passed on before."""
        if not self._workers:
            raise RuntimeError("Workers are not started; use `async with Workers(n) as w`")
        worker = min(self._workers, key=lambda w: len(w.pending))
        if not worker.alive:
            log.warning("extraction worker exited (code %s); starting another", worker.returncode)
            self._workers.remove(worker)
            await worker.close()
            worker = await _Worker.start()
            self._workers.append(worker)
        return await worker.submit(fetched, depth)


class _Worker:
    """One worker process: the requests in flight and the task that reads its answers."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.pending: dict[int, asyncio.Future[Result]] = {}
        self._next = 0
        self._reader = asyncio.create_task(self._read_answers())

    @classmethod
    async def start(cls) -> _Worker:
        """Start one worker process with the project importable."""
        root = str(Path(__file__).resolve().parents[1])
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-P",
            "-c",
            _BOOT.format(root=root),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(process)

    @property
    def alive(self) -> bool:
        """False once the process has gone (exited, or its answers' reader has ended)."""
        return self.process.returncode is None and not self._reader.done()

    @property
    def returncode(self) -> int | None:
        """The process's exit code once it has ended."""
        return self.process.returncode

    async def submit(self, fetched: Fetched, depth: int) -> Result:
        if not self.alive:
            raise WorkerError(f"extraction worker exited (code {self.process.returncode})")
        seq = self._next
        self._next += 1
        request = (seq, fetched.url, fetched.final_url, fetched.headers.get("content-type", ""),
                   fetched.encoding, fetched.body, depth)  # fmt: skip
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        future = asyncio.get_running_loop().create_future()
        self.pending[seq] = future
        assert self.process.stdin is not None
        self.process.stdin.write(HEADER.pack(len(data)) + data)
        await self.process.stdin.drain()
        return await future

    async def _read_answers(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while True:
                (size,) = HEADER.unpack(await stdout.readexactly(HEADER.size))
                seq, status, payload = pickle.loads(await stdout.readexactly(size))
                future = self.pending.pop(seq)
                if future.done():
                    continue
                if status == "ok":
                    future.set_result(payload)
                elif status == "extract":
                    future.set_exception(ExtractError(payload))
                else:
                    future.set_exception(WorkerError(payload))
        except asyncio.IncompleteReadError:
            code = await self.process.wait()
            error = WorkerError(f"extraction worker exited (code {code})")
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(error)
            self.pending.clear()

    async def close(self) -> None:
        """Close the worker's stdin (it ends by itself) and wait, killing it if it hangs."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), EXIT_WAIT_S)
        except TimeoutError:
            log.warning("extraction worker %d did not exit; killing it", self.process.pid)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        await self._reader


def serve() -> None:
    """Worker main loop: answer page requests from stdin on stdout until stdin closes."""
    from newsdesk._pages import LinkFilter, process_page

    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    links = LinkFilter()
    reducers = _record_reducers()
    while True:
        head = requests.read(HEADER.size)
        if len(head) < HEADER.size:
            return
        (size,) = HEADER.unpack(head)
        seq, url, final_url, content_type, encoding, body, depth = pickle.loads(requests.read(size))
        fetched = Fetched(
            url, final_url, 200, {"content-type": content_type}, body, encoding, datetime.now(UTC)
        )
        try:
            article, found = process_page(fetched, FrontierEntry(url, depth))
            answer: tuple[int, str, object] = (seq, "ok", (article, links.fresh(found)))
        except ExtractError as exc:
            answer = (seq, "extract", str(exc))
        except Exception as exc:  # reported to the crawl, which stops with it
            log.exception("extraction worker failed on %s", url)
            answer = (seq, "error", f"{type(exc).__name__} on {url}: {exc}")
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = reducers
        pickler.dump(answer)
        answers.write(HEADER.pack(buffer.tell()) + buffer.getvalue())
        answers.flush()


def _record_reducers() -> dict[type, Callable[[object], tuple[object, ...]]]:
    """A pickler dispatch table that writes each of :data:`RECORDS` as its class and fields."""

    def reducer(cls: type) -> Callable[[object], tuple[object, ...]]:
        names = tuple(field.name for field in dataclasses.fields(cls))
        return lambda record: (cls, tuple(getattr(record, name) for name in names))

    table: dict[type, Callable[[object], tuple[object, ...]]] = dict(copyreg.dispatch_table)
    table.update({cls: reducer(cls) for cls in RECORDS})
    return table
