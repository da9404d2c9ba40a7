"""The sources file of ``warledger follow`` (TOML): which feeds to poll, how often, how politely.

    [defaults]                  # every key optional
    interval = 600              # seconds between two polls of a source
    timeout = 20                # seconds any one request may take
    host_delay = 1.0            # seconds between two requests to one host
    retry = 60                  # seconds before trying a failed source again; doubles per failure
    max_backoff = 3600          # ... up to this
    batch = 8                   # pages read, then extracted and stored together
    contact = "desk@example.org"    # added to the User-Agent (or set user_agent whole)

    [[source]]
    name = "example-daily"      # names the source in messages and in the ledger
    url = "https://example.org/feed.xml"
    interval = 300              # optional, as in [defaults]
    host_delay = 5.0            # optional: the delay for this feed's host
    outlet = "Example Daily"    # optional: the articles' outlet (default: the feed's title)

An unknown key is an error (a typo must not pass for a default).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warledger import __version__
from warledger.errors import ConfigError

DEFAULTS: dict[str, float] = {
    "interval": 600.0,
    "timeout": 20.0,
    "host_delay": 1.0,
    "retry": 60.0,
    "max_backoff": 3600.0,
    "batch": 8,
}
_DEFAULT_KEYS = {*DEFAULTS, "contact", "user_agent"}
_SOURCE_KEYS = {"name", "url", "interval", "host_delay", "outlet"}
USER_AGENT = f"warledger/{__version__} (feed follower)"


@dataclass(frozen=True, slots=True)
class Source:
    """One followed feed."""

    name: str
    url: str
    interval: float
    host_delay: float
    outlet: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc.lower()


@dataclass(frozen=True, slots=True)
class FollowConfig:
    """A whole sources file: the sources, and what applies to every request."""

    path: str
    sources: tuple[Source, ...]
    timeout: float = DEFAULTS["timeout"]
    host_delay: float = DEFAULTS["host_delay"]
    retry: float = DEFAULTS["retry"]
    max_backoff: float = DEFAULTS["max_backoff"]
    batch: int = int(DEFAULTS["batch"])
    user_agent: str = USER_AGENT

    def host_delays(self) -> dict[str, float]:
        """Seconds between requests per host a source names (the longest when several name one)."""
        delays: dict[str, float] = {}
        for s in self.sources:
            delays[s.host] = max(delays.get(s.host, 0.0), s.host_delay)
        return delays

    def backoff(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failures in a row: ``retry`` doubled each time, capped."""
        return float(min(self.max_backoff, self.retry * 2 ** max(0, failures - 1)))


def _number(table: dict[str, Any], key: str, where: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(where, f"'{key}' must be a positive number of seconds (got {value!r})")
    return float(value)


def _text(table: dict[str, Any], key: str, where: str, required: bool = False) -> str | None:
    value = table.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(where, f"'{key}' must be a non-empty string (got {value!r})")
    return value.strip()


def _unknown(table: dict[str, Any], known: set[str], where: str) -> None:
    extra = sorted(set(table) - known)
    if extra:
        raise ConfigError(where, f"unknown key(s) {', '.join(extra)} (known: {', '.join(sorted(known))})")


def _user_agent(defaults: dict[str, Any], where: str) -> str:
    whole = _text(defaults, "user_agent", where)
    if whole is not None:
        return whole
    contact = _text(defaults, "contact", where)
    return f"warledger/{__version__} (feed follower; +{contact})" if contact else USER_AGENT


def _source(table: Any, n: int, path: str, defaults: dict[str, float]) -> Source:
    where = f"{path}: source {n}"
    if not isinstance(table, dict):
        raise ConfigError(where, "each [[source]] must be a table")
    name = _text(table, "name", where, required=True)
    assert name is not None
    where = f"{path}: source {name}"
    _unknown(table, _SOURCE_KEYS, where)
    url = _text(table, "url", where, required=True)
    assert url is not None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(where, f"'url' must be an http(s) URL (got {url!r})")
    return Source(
        name=name,
        url=url,
        interval=_number(table, "interval", where, defaults["interval"]),
        host_delay=_number(table, "host_delay", where, defaults["host_delay"]),
        outlet=_text(table, "outlet", where),
    )


def parse_config(text: str, path: str = "<sources>") -> FollowConfig:
    """A sources file's text as a FollowConfig; ConfigError naming the file and the problem."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(path, f"not valid TOML ({err})") from None
    _unknown(doc, {"defaults", "source"}, path)
    raw = doc.get("defaults", {})
    if not isinstance(raw, dict):
        raise ConfigError(path, "[defaults] must be a table")
    where = f"{path}: [defaults]"
    _unknown(raw, _DEFAULT_KEYS, where)
    defaults = {key: _number(raw, key, where, value) for key, value in DEFAULTS.items()}
    if not float(defaults["batch"]).is_integer():
        raise ConfigError(where, f"'batch' must be a whole number (got {raw['batch']!r})")
    tables = doc.get("source", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError(path, "no [[source]] tables: name at least one feed")
    sources = [_source(t, n, path, defaults) for n, t in enumerate(tables, start=1)]
    names = [s.name for s in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(path, f"source name(s) used twice: {', '.join(twice)}")
    return FollowConfig(
        path=path,
        sources=tuple(sources),
        timeout=defaults["timeout"],
        host_delay=defaults["host_delay"],
        retry=defaults["retry"],
        max_backoff=defaults["max_backoff"],
        batch=int(defaults["batch"]),
        user_agent=_user_agent(raw, where),
    )


def load_config(path: str | Path) -> FollowConfig:
    """Read a sources file; ConfigError when it cannot be read or used."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(str(path), f"cannot read file ({err})") from None
    return parse_config(text, str(path))
