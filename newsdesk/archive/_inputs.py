"""The inputs of an archive job: WARC files named by paths, globs or fsspec URLs, cut into tasks.

Every input is listed with its size and etag (S3's ETag; a local file's modification time), and
a task's shard is named after the input, that identity and its byte range: the same command run
again finds the same names, while a file replaced under the same name gets new ones. A file much
larger than the rest is cut at record offsets into ranges of about the typical file's size, so
one file does not keep one core busy while the others idle.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.errors import ConfigError

WARC_SUFFIXES = (".warc", ".warc.gz")
# A file is cut when it is this many times the median size and larger than MIN_SPLIT_BYTES.
SPLIT_FACTOR = 2.0
MIN_SPLIT_BYTES = 64 * 1024 * 1024
_GLOB = re.compile(r"[*?\[]")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class ArchiveTask:
    """One unit of work: the records of ``source`` that start in ``[start, end)``."""

    source: str
    size: int
    etag: str
    start: int = 0
    end: int | None = None

    @property
    def name(self) -> str:
        """The shard's name: the input's file name and a digest of its identity and range."""
        identity = f"{self.source}\n{self.size}\n{self.etag}\n{self.start}\n{self.end}"
        digest = hashlib.sha1(identity.encode()).hexdigest()[:16]
        stem = self.source.rstrip("/").rsplit("/", 1)[-1]
        for suffix in WARC_SUFFIXES[::-1]:
            stem = stem.removesuffix(suffix)
        return f"{_UNSAFE.sub('_', stem)[:60]}-{digest}"


def expand_inputs(specs: Iterable[str]) -> list[ArchiveTask]:
    """One whole-file task per WARC file named by ``specs``: paths, directories, globs and fsspec
    URLs (``s3://bucket/prefix/*.warc.gz``, ``file://``, ``http(s)://``), in sorted order."""
    import fsspec

    tasks: dict[str, ArchiveTask] = {}
    for spec in specs:
        fs, path = fsspec.core.url_to_fs(spec)
        if _GLOB.search(path):
            paths = fs.glob(path)
        elif fs.isdir(path):
            paths = [p for p in fs.find(path) if p.endswith(WARC_SUFFIXES)]
        else:
            paths = [path]
        if not paths:
            raise ConfigError(f"no WARC file matches {spec}")
        for found in paths:
            try:
                info = fs.info(found)
            except FileNotFoundError as exc:
                raise ConfigError(f"no such WARC file: {spec}") from exc
            local = "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
            url = found if local else fs.unstrip_protocol(found)
            tasks[url] = ArchiveTask(url, int(info.get("size") or 0), _etag(info))
    return [tasks[url] for url in sorted(tasks)]


def _etag(info: dict[str, object]) -> str:
    """What changes when the file is replaced: the server's ETag, else the modification time."""
    for key in ("ETag", "etag", "mtime", "LastModified", "last_modified", "created"):
        value = info.get(key)
        if value:
            return str(value).strip('"')
    return ""


def plan_tasks(inputs: list[ArchiveTask], split_bytes: int | None = None) -> list[ArchiveTask]:
    """The tasks of a job: each input whole, or cut at record offsets into ranges of about
    ``split_bytes`` (default: the median input size, for inputs over ``SPLIT_FACTOR`` × median
    and ``MIN_SPLIT_BYTES``). Cutting reads the file's record headers once, here."""
    if not inputs:
        return []
    median = statistics.median(task.size for task in inputs)
    if split_bytes is None:
        split_bytes = int(median)
        threshold = max(SPLIT_FACTOR * median, MIN_SPLIT_BYTES)
    else:
        threshold = split_bytes
    tasks = []
    for task in inputs:
        if split_bytes > 0 and task.size > threshold:
            tasks.extend(_split(task, split_bytes))
        else:
            tasks.append(task)
    return tasks


def _split(task: ArchiveTask, piece: int) -> list[ArchiveTask]:
    """``task`` cut at the first record offset past each multiple of ``piece`` bytes."""
    from scraper.fetch.warc import record_offsets

    cuts = [0]
    for offset in record_offsets(task.source):
        if offset >= cuts[-1] + piece:
            cuts.append(offset)
    ends: list[int | None] = [*cuts[1:], None]
    return [
        ArchiveTask(task.source, task.size, task.etag, start, end)
        for start, end in zip(cuts, ends, strict=True)
    ]
