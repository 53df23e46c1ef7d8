"""Serve the bundled fixture news portal on 127.0.0.1, for tests, demos and benchmarks.

The portal is a folder of static files (``fixtures/portal`` in a checkout, ``newsdesk/_portal`` in
an installed wheel). What differs per path — the Content-Type and charset sent, redirects, pages
that are gone, files whose ``{{BASE}}`` placeholder becomes the server's base URL — is data in the
folder's ``_site.json``, so the server itself has no site-specific branches. Files and folders whose
names start with ``_`` or ``.`` are never served.

Only the standard library is used: a ``ThreadingHTTPServer`` on a port the OS picks (port 0) runs in
a background thread for the length of a ``with serve_portal() as base_url:`` block.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import logging
import socket
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsdesk.errors import ConfigError

log = logging.getLogger(__name__)

SITE_FILE = "_site.json"
PLACEHOLDER = b"{{BASE}}"
FALLBACK_TYPE = "application/octet-stream"


def default_portal_root() -> Path:
    """The portal folder of a source checkout, else the copy bundled in the wheel."""
    here = Path(__file__).resolve().parent
    checkout = here.parent / "fixtures" / "portal"
    if checkout.is_dir():
        return checkout
    return here / "_portal"


PORTAL_ROOT: Path = default_portal_root()


@dataclass(frozen=True, slots=True)
class Response:
    """What the handler sends: status, headers and body (empty for redirects and errors)."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class SiteRules:
    """Per-path behaviour of a portal, read from its ``_site.json``.

    ``types`` are (glob, content type) pairs tried in order, the first match wins; ``redirects``
    map a path to (status, target path); ``gone`` paths answer 404 even if a file exists;
    ``templates`` are globs of files whose ``{{BASE}}`` placeholder is replaced; ``hidden`` are
    globs never served.
    """

    types: tuple[tuple[str, str], ...] = ()
    redirects: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    gone: frozenset[str] = frozenset()
    templates: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()

    @classmethod
    def load(cls, root: Path) -> SiteRules:
        """Read ``root/_site.json``; a portal without one gets plain defaults."""
        path = root / SITE_FILE
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                types=tuple((rule["glob"], rule["type"]) for rule in data.get("types", ())),
                redirects={
                    source: (int(status), target)
                    for source, (status, target) in data.get("redirects", {}).items()
                },
                gone=frozenset(data.get("gone", ())),
                templates=tuple(data.get("templates", ())),
                hidden=tuple(data.get("hidden", ())),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path} is not a valid site rules file ({exc}); fix it") from exc

    def content_type(self, path: str) -> str:
        """The Content-Type header for ``path``: the first matching glob's type."""
        for glob, content_type in self.types:
            if fnmatch.fnmatchcase(path, glob):
                return content_type
        return FALLBACK_TYPE

    def is_template(self, path: str) -> bool:
        """Whether ``{{BASE}}`` placeholders in this file are replaced by the base URL."""
        return any(fnmatch.fnmatchcase(path, glob) for glob in self.templates)

    def is_hidden(self, path: str) -> bool:
        """Whether the path must answer 404 although a file may exist."""
        return path in self.gone or any(fnmatch.fnmatchcase(path, glob) for glob in self.hidden)


def _not_found() -> Response:
    body = b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"
    return Response(404, {"Content-Type": "text/html; charset=utf-8"}, body)


def _file_for(root: Path, path: str) -> Path | None:
    """The file a URL path names inside ``root``, or None (hidden names, escapes, folders)."""
    parts = [part for part in path.split("/") if part]
    if any(part.startswith(("_", ".")) for part in parts):
        return None
    candidate = root.joinpath(*parts)
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _not_modified(request_headers: Mapping[str, str], etag: str, mtime: float) -> bool:
    """Whether the client's validators still match (If-None-Match wins over If-Modified-Since)."""
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        return etag in {tag.strip() for tag in if_none_match.split(",")} or if_none_match == "*"
    since = request_headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(since).timestamp() >= int(mtime)
    except (TypeError, ValueError):
        return False


def respond(
    root: Path, rules: SiteRules, base_url: str, target: str, request_headers: Mapping[str, str]
) -> Response:
    """Answer one GET for ``target`` (path and query); pure apart from reading the file."""
    path = unquote(urlsplit(target).path) or "/"
    if path in rules.redirects:
        status, location = rules.redirects[path]
        return Response(status, {"Location": base_url + location})
    if rules.is_hidden(path):
        return _not_found()
    file = _file_for(root, path)
    if file is None:
        return _not_found()
    if file.name == "index.html" and not path.endswith(("/", ".html")):
        return Response(301, {"Location": base_url + path + "/"})
    served_as = path + "index.html" if path.endswith("/") else path
    body = file.read_bytes()
    if rules.is_template(served_as):
        body = body.replace(PLACEHOLDER, base_url.encode("ascii"))
    mtime = file.stat().st_mtime
    etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
    if _not_modified(request_headers, etag, mtime):
        return Response(304, headers)
    headers["Content-Type"] = rules.content_type(served_as)
    return Response(200, headers, body)


class _PortalServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its portal folder, rules and base URL."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], root: Path, rules: SiteRules) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _PortalHandler)
        self.root = root
        self.rules = rules
        host, port = self.server_address[:2]
        self.base_url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-response is normal for crawlers; log it, do not print it."""
        log.debug("portal: error while serving %s", client_address, exc_info=True)


class _PortalHandler(BaseHTTPRequestHandler):
    """Maps GET/HEAD requests to ``respond``; logs at DEBUG instead of writing to stderr."""

    server: _PortalServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "newsdesk-portal/1"

    def do_GET(self) -> None:
        self._send(head_only=False)

    def do_HEAD(self) -> None:
        self._send(head_only=True)

    def _send(self, *, head_only: bool) -> None:
        headers = {key.lower(): value for key, value in self.headers.items()}
        server = self.server
        response = respond(server.root, server.rules, server.base_url, self.path, headers)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if not head_only and response.body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("portal %s " + format, self.address_string(), *args)


@contextlib.contextmanager
def serve_portal(root: Path | None = None, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the portal at ``root`` (default: the bundled one) and yield its base URL.

    Port 0 lets the OS pick a free port, so parallel tests never collide; the server stops when
    the ``with`` block ends.
    """
    folder = Path(root) if root is not None else default_portal_root()
    if not folder.is_dir():
        raise ConfigError(f"portal folder {folder} does not exist; pass an existing folder")
    server = _PortalServer((host, port), folder, SiteRules.load(folder))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    log.debug("serving portal %s at %s", folder, server.base_url)
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
