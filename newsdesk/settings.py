"""One frozen ``Settings`` built once at the edge: defaults → optional TOML file → CLI flags.

Every component receives the same object; nothing reads the environment or global state.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk import __version__
from newsdesk.errors import ConfigError

if TYPE_CHECKING:
    from scraper.fetch import FetchOptions
    from scraper.urls import ScopeOptions

DEFAULT_USER_AGENT = f"newsdesk/{__version__} (+https://github.com/newsdesk/newsdesk)"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a crawl, an extraction or a classification run can be told."""

    db: Path = Path("newsdesk.db")
    # scope
    max_pages: int | None = None
    max_depth: int = 5
    allowed_hosts: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allow_private: tuple[str, ...] = ()
    # politeness
    user_agent: str = DEFAULT_USER_AGENT
    contact: str | None = None
    obey_robots: bool = True
    concurrency: int = 16
    per_host: int = 1
    delay: float = 1.0
    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 60.0
    # limits
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    # durability and archive
    recrawl: bool = False
    batch_size: int = 25
    workers: int = 0
    warc_dir: Path | None = None
    warc_max_bytes: int = 100 * 1024 * 1024
    # classification
    model: Path | None = None
    threshold: float = 0.3
    # output
    progress: bool | None = None

    @property
    def full_user_agent(self) -> str:
        """The User-Agent header, with the contact appended when one is set."""
        return f"{self.user_agent} {self.contact}" if self.contact else self.user_agent

    def fetch_options(self) -> FetchOptions:
        """The fetcher's options: the library takes its own small record, not these settings."""
        from scraper.fetch import FetchOptions

        names = {f.name for f in dataclasses.fields(FetchOptions)} - {"user_agent"}
        values = {name: getattr(self, name) for name in names}
        return FetchOptions(user_agent=self.full_user_agent, **values)

    def scope_options(self) -> ScopeOptions:
        """The scope rules (hosts, include/exclude patterns, private addresses allowed)."""
        from scraper.urls import ScopeOptions

        names = [f.name for f in dataclasses.fields(ScopeOptions)]
        return ScopeOptions(**{name: getattr(self, name) for name in names})

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied (values of ``None`` are ignored), validated."""
        kept = {k: v for k, v in changes.items() if v is not None}
        unknown = set(kept) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return validate(dataclasses.replace(self, **_coerce(kept)))


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    """Turn TOML/CLI values into the field types (paths, tuples)."""
    out = dict(values)
    for key in ("db", "warc_dir", "model"):
        if isinstance(out.get(key), str):
            out[key] = Path(out[key])
    for key in ("allowed_hosts", "include", "exclude", "allow_private"):
        if isinstance(out.get(key), list | tuple):
            out[key] = tuple(out[key])
        elif isinstance(out.get(key), str):
            out[key] = (out[key],)
    return out


def validate(settings: Settings) -> Settings:
    """Reject values that cannot work, naming the setting and the fix."""
    checks = [
        (settings.concurrency >= 1, "concurrency must be at least 1"),
        (settings.per_host >= 1, "per_host must be at least 1"),
        (settings.delay >= 0, "delay must be 0 or more seconds"),
        (settings.max_depth >= 0, "max_depth must be 0 or more"),
        (settings.max_pages is None or settings.max_pages >= 1, "max_pages must be at least 1"),
        (settings.max_bytes >= 1024, "max_bytes must be at least 1024"),
        (settings.retries >= 0, "retries must be 0 or more"),
        (0.0 <= settings.threshold <= 1.0, "threshold must be between 0 and 1"),
        (settings.batch_size >= 1, "batch_size must be at least 1"),
        (settings.workers >= 0, "workers must be 0 or more"),
    ]
    for ok, message in checks:
        if not ok:
            raise ConfigError(message)
    return settings


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then the ``[newsdesk]`` table of a TOML file if given, then ``overrides``."""
    settings = Settings()
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
        settings = settings.replace(**data.get("newsdesk", data))
    return settings.replace(**overrides)
