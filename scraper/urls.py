"""URL rules of the crawler: canonical form, crawl scope and the "looks like an article" score.

Everything here is a pure function of strings built on :mod:`urllib.parse`; junk input gives
``None`` (or a refusal), never an exception, because URLs come from untrusted pages.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit, urlunsplit

from scraper._url_score import (
    ARTICLE_BASE_SCORE,
    ARTICLE_THRESHOLD,
    URL_FEATURES,
    UrlFeature,
    looks_like_article,
    url_pattern,
)

if TYPE_CHECKING:
    import tldextract

__all__ = [
    "ARTICLE_BASE_SCORE",
    "ARTICLE_THRESHOLD",
    "URL_FEATURES",
    "Scope",
    "UrlFeature",
    "canonicalize",
    "is_tracking_param",
    "looks_like_article",
    "registered_domain",
    "url_pattern",
]

log = logging.getLogger(__name__)

HTTP_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only say where a click came from; they never change the page.
TRACKING_PARAMS = frozenset(
    {
        "spm",
        "scm",
        "from",
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "yclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "_ga",
        "ref_src",
        "ref_url",
        "share_token",
        "share_source",
        "share_medium",
        "vd_source",
        "wt.mc_id",
        "phpsessid",
        "jsessionid",
        "aspsessionid",
    }
)
# Session ids some servers put in the path (``/a.jsp;jsessionid=ABC``): never part of the page.
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?]*", re.IGNORECASE)
TRACKING_PREFIXES = ("utm_",)

# Characters left as they are when re-quoting a path or query (RFC 3986 reserved + unreserved + %).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_STRIPPED_CHARS = str.maketrans("", "", "\t\r\n")
# Hrefs that urljoin returns unchanged whatever the base (already absolute http(s) URLs).
_ABSOLUTE_PREFIXES = ("http://", "https://")
# Hosts whose scope verdict a Scope remembers (cleared when full).
HOST_VERDICTS_MAX = 10_000
# Memoized canonical forms (~0.5 KB each): enough for a portal's recurring links.
CANONICAL_CACHE_SIZE = 2048
# Hrefs already in canonical form but for the origin: a root-relative path (or a whole URL with
# a lower-case host and no port) of plain segments only, without query, fragment, escapes,
# ``;params``, empty or dot segments. Most links of a page are such; they skip the parsing.
_PLAIN_PATH = re.compile(r"(?:/[\w~-][\w.~-]*)*/?", re.ASCII)
_PLAIN_URL = re.compile(r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*((?:/[\w~-][\w.~-]*)*/?)", re.ASCII)


def canonicalize(url: str, base: str | None = None) -> str | None:
    """The canonical absolute http(s) form of ``url`` (resolved against ``base``), else None.

    Pages repeat the same links (navigation, hot lists), so results are memoized; an absolute
    href does not depend on ``base`` and a root-relative one only on its origin, which keeps
    those keys shared across pages.
    """
    if not isinstance(url, str):
        return None
    raw = url.strip().translate(_STRIPPED_CHARS)
    plain = _PLAIN_URL.fullmatch(raw)
    if plain is not None:
        return raw if plain.group(1) else raw + "/"
    if base:
        if _has_netloc(raw):
            base = None
        elif raw.startswith("/") and not raw.startswith("//"):
            origin = _origin_prefix(base.strip())
            if origin is not None and _PLAIN_PATH.fullmatch(raw):
                prefix = _canonical_origin(origin)
                if prefix is not None:
                    return prefix + raw
            base = origin or base
    return _canonicalize_cached(raw, base)


@functools.lru_cache(maxsize=256)
def _canonical_origin(origin: str) -> str | None:
    """``scheme://host[:port]`` in canonical form (lower case, no default port), else None."""
    canonical = _canonicalize_cached(origin + "/", None)
    return canonical[:-1] if canonical is not None else None


def _has_netloc(raw: str) -> bool:
    """True for ``http(s)://host…``, which urljoin returns as it is whatever the base."""
    for prefix in _ABSOLUTE_PREFIXES:
        if raw.startswith(prefix):
            return len(raw) > len(prefix) and raw[len(prefix)] not in "/?#"
    return False


def _origin_prefix(base: str) -> str | None:
    """``scheme://host[:port]`` of a plain absolute ``base``, else None (let urljoin decide)."""
    start = base.find("//")
    if start <= 0:
        return None
    end = base.find("/", start + 2)
    origin = base if end < 0 else base[:end]
    return None if "?" in origin or "#" in origin or "\\" in origin else origin


@functools.lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def _canonicalize_cached(raw: str, base: str | None) -> str | None:
    try:
        if base:
            raw = urljoin(base.strip(), raw)
        return _canonical(urlsplit(raw))
    except (ValueError, UnicodeError):
        return None


def _canonical(parts: SplitResult) -> str | None:
    scheme = parts.scheme.lower()
    if scheme not in HTTP_SCHEMES:
        return None
    host = _canonical_host(parts.hostname or "")
    if not host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    port = parts.port
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = _PATH_SESSION.sub("", parts.path) or "/"
    path = _quote(_remove_dot_segments(path), _PATH_SAFE)
    query = _canonical_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def _canonical_host(host: str) -> str | None:
    """Lower-case, IDNA-encoded host without the trailing dot; None when it cannot be encoded."""
    host = host.strip().rstrip(".").lower()
    if not host or any(c in host for c in " /\\@"):
        return None
    if host.isascii():
        return host
    return host.encode("idna").decode("ascii")


def _canonical_query(query: str) -> str:
    """Drop tracking parameters and sort the rest, keeping each pair's original bytes."""
    pairs = [p for p in query.split("&") if p]
    kept = [p for p in pairs if not is_tracking_param(unquote(p.split("=", 1)[0]))]
    return "&".join(sorted(_quote(p, _QUERY_SAFE) for p in kept))


def is_tracking_param(name: str) -> bool:
    """True for parameters like ``utm_source`` or ``fbclid`` that only track the click."""
    name = name.strip().lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _quote(text: str, safe: str) -> str:
    """Percent-encode what must be, with upper-case escapes, leaving valid escapes alone."""
    return _PERCENT_ESCAPE.sub(_normal_escape, quote(text, safe=safe))


def _normal_escape(match: re.Match[str]) -> str:
    """``%7e`` → ``~`` (unreserved characters need no escape), other escapes upper-cased."""
    char = chr(int(match.group(0)[1:], 16))
    return char if char in _UNRESERVED else match.group(0).upper()


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: resolve ``.`` and ``..`` segments of an absolute path."""
    if "." not in path:
        return path if path.startswith("/") else "/" + path
    output: list[str] = []
    segments = path.split("/")
    for segment in segments:
        if segment == "..":
            if len(output) > 1:
                output.pop()
        elif segment != ".":
            output.append(segment)
    if segments[-1] in (".", ".."):
        output.append("")
    result = "/".join(output)
    return result if result.startswith("/") else "/" + result


@functools.cache
def _extractor() -> tldextract.TLDExtract:
    """The public-suffix matcher from tldextract's bundled snapshot: no network, no disk cache.

    Imported here, on first use: tldextract pulls in requests (~8 MB) and only scopes need it,
    not the extraction workers that import this module for :func:`canonicalize`.
    """
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(host: str) -> str:
    """The registrable domain (``sports.163.com`` → ``163.com``); IPs and bare names as given."""
    host = (host or "").strip().rstrip(".").lower()
    if not host or _ip_of(host) is not None:
        return host
    parts = _extractor()(host)
    return parts.top_domain_under_public_suffix or host


def _ip_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a literal-IP host names, including forms like ``2130706433`` or ``0x7f.1``."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or not all(c in "0123456789abcdefx." for c in host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _is_private_host(host: str) -> bool:
    """Loopback, private, link-local, reserved and ``localhost`` hosts (no DNS lookup)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    ip = _ip_of(host)
    if ip is None:
        return False
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


@dataclass(frozen=True, slots=True)
class ScopeOptions:
    """The scope rules a crawl is given; the application builds them from its own settings."""

    allowed_hosts: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allow_private: tuple[str, ...] = ()


class Scope:
    """Which URLs a crawl may fetch: hosts, include/exclude patterns and private addresses.

    Allowed hosts default to the seeds' registered domains and all their subdomains;
    ``options.allowed_hosts`` replaces them. Private and loopback hosts are refused unless
    listed in ``options.allow_private`` (a host, an IP or a network such as ``10.0.0.0/8``).
    Hosts are not resolved, so a public name pointing to a private address is not caught.
    """

    def __init__(self, options: ScopeOptions, seeds: Iterable[str]) -> None:
        hosts = options.allowed_hosts or tuple(_seed_domains(seeds))
        self.hosts = frozenset(_bare_host(h) for h in hosts if _bare_host(h))
        self.include = tuple(re.compile(p) for p in options.include)
        self.exclude = tuple(re.compile(p) for p in options.exclude)
        self._private_hosts = frozenset(h.strip().lower() for h in options.allow_private)
        self._private_networks = tuple(_networks(options.allow_private))
        # Host → refusal (None: allowed), since a crawl meets the same few hosts again and again.
        self._host_verdicts: dict[str, str | None] = {}

    def allows(self, url: str) -> bool:
        """True when ``url`` may be fetched by this crawl."""
        return self.refusal(url) is None

    def refusal(self, url: str) -> str | None:
        """Why ``url`` is out of scope, or None when it is in scope."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").rstrip(".").lower()
        except ValueError:
            return f"not a valid URL: {url!r}"
        if parts.scheme.lower() not in HTTP_SCHEMES:
            return f"not an http(s) URL: {url!r}"
        if not host:
            return f"no host in {url!r}"
        verdicts = self._host_verdicts
        if host not in verdicts:
            if len(verdicts) >= HOST_VERDICTS_MAX:
                verdicts.clear()
            verdicts[host] = self._host_refusal(host)
        if verdicts[host] is not None:
            return verdicts[host]
        for pattern in self.exclude:
            if pattern.search(url):
                return f"matches exclude pattern {pattern.pattern!r}"
        if self.include and not any(p.search(url) for p in self.include):
            return "matches no include pattern"
        return None

    def _host_refusal(self, host: str) -> str | None:
        if not self._host_allowed(host):
            return f"host {host} is outside the allowed hosts ({', '.join(sorted(self.hosts))})"
        if _is_private_host(host) and not self._private_allowed(host):
            return f"host {host} is a private or loopback address (list it in allow_private)"
        return None

    def _host_allowed(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def _private_allowed(self, host: str) -> bool:
        if host in self._private_hosts or host.strip("[]") in self._private_hosts:
            return True
        ip = _ip_of(host)
        return ip is not None and any(ip in net for net in self._private_networks)


def _bare_host(entry: str) -> str:
    """``*.Example.com:8080`` → ``example.com``: the host part of an allowed-hosts entry."""
    entry = entry.strip().lower().removeprefix("*.")
    if entry.count(":") > 1 and not entry.startswith("["):
        return entry
    try:
        return (urlsplit("//" + entry).hostname or "").strip(".")
    except ValueError:
        return ""


def _seed_domains(seeds: Iterable[str]) -> Iterable[str]:
    for seed in seeds:
        canonical = canonicalize(seed)
        if canonical is None:
            log.warning("seed %r is not an http(s) URL; it adds no host to the scope", seed)
            continue
        yield registered_domain(urlsplit(canonical).hostname or "")


def _networks(entries: Iterable[str]) -> Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    for entry in entries:
        try:
            yield ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            continue
