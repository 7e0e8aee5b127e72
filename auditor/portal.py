"""Portal configuration: where the crawl starts, its scope and where each unit publishes.

The format is CONTRACT.md's. Unit names are resolved through the registry here, so
every later stage sees canonical names only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError
from .units import Registry
from .yamlfile import LineDict, LineList, load_yaml

KEYS = {"name", "start_urls", "owner", "units", "as_of", "settings", "window"}


@dataclass
class Portal:
    """A loaded portal configuration."""

    name: str
    start_urls: list[str]
    owner: str
    units: dict[str, list[str]]  # canonical unit → URL prefixes
    path: str = ""
    settings: dict = field(default_factory=dict)  # crawl overrides for this portal (Scrapy names)
    # the crawl's evaluation window: "FROM..TO" (ISO dates, either side open), "" to follow
    # everything, None for the catalogue's (auditor.crawl.window)
    window: str | None = None

    def to_config(self) -> dict:
        """The config as plain data, as a run records it."""
        return asdict(self)

    @property
    def hosts(self) -> set[str]:
        """Every host (host[:port]) of the config: the crawl scope."""
        urls = self.start_urls + [u for prefixes in self.units.values() for u in prefixes]
        return {urlsplit(u).netloc.lower() for u in urls}

    def unit_for_url(self, url: str) -> str | None:
        """The unit whose configured prefix is the longest one containing ``url``."""
        best, best_len = None, -1
        for unit, prefixes in self.units.items():
            for prefix in prefixes:
                if url.startswith(prefix) and len(prefix) > best_len:
                    best, best_len = unit, len(prefix)
        return best


def _url(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError("a URL must be a string", where)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"'{value}' is not an http(s) URL", where)
    return value


def load_portal(path: str | Path, registry: Registry) -> Portal:
    """Load and validate a portal config; errors are one-line `ConfigError`s naming FILE:LINE."""
    data = load_yaml(path)
    if not isinstance(data, LineDict):
        raise ConfigError("a portal config is a mapping (name, start_urls, owner, units)", f"{path}:1")
    at = lambda key: f"{path}:{data.line_of(key)}"  # noqa: E731
    for key in data:
        if key not in KEYS:
            raise ConfigError(f"unknown key '{key}'", at(key))
    for key in ("name", "start_urls", "owner"):
        if key not in data:
            raise ConfigError(f"missing key '{key}'", f"{path}:{data.line}")
    if not isinstance(data["name"], str) or not data["name"].strip():
        raise ConfigError("'name' must be a non-empty string", at("name"))
    starts = data["start_urls"]
    if not isinstance(starts, LineList) or not starts:
        raise ConfigError("'start_urls' must be a non-empty list of URLs", at("start_urls"))
    start_urls = [_url(u, f"{path}:{line}") for u, line in zip(starts, starts.item_lines)]
    owner = registry.resolve(str(data["owner"]))
    if not owner:
        raise ConfigError(f"unknown unit '{data['owner']}'", at("owner"))
    units: dict[str, list[str]] = {}
    raw_units = data.get("units") or LineDict()
    if not isinstance(raw_units, LineDict):
        raise ConfigError("'units' must map unit names to lists of URL prefixes", at("units"))
    for name, prefixes in raw_units.items():
        where = f"{path}:{raw_units.line_of(name)}"
        unit = registry.resolve(str(name))
        if not unit:
            raise ConfigError(f"unknown unit '{name}'", where)
        if isinstance(prefixes, str):
            prefixes = LineList([prefixes])
            prefixes.item_lines = [raw_units.line_of(name)]
        if not isinstance(prefixes, LineList) or not prefixes:
            raise ConfigError(f"unit '{name}' needs a list of URL prefixes", where)
        units.setdefault(unit, []).extend(_url(u, f"{path}:{line}") for u, line in zip(prefixes, prefixes.item_lines))
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise ConfigError("'settings' must be a mapping of crawl settings", at("settings"))
    return Portal(data["name"].strip(), start_urls, owner, units, str(path), dict(settings),
                  _window(data.get("window"), at("window")) if "window" in data else None)


def _window(value: object, where: str) -> str:
    """``window: all`` or ``window: {from: DATE, to: DATE}`` (either may be left out) → "FROM..TO"."""
    if value == "all":
        return ""
    if not isinstance(value, dict) or not value or set(value) - {"from", "to"}:
        raise ConfigError("'window' is 'all' or a mapping with 'from' and/or 'to' dates", where)
    ends = []
    for key in ("from", "to"):
        day = value.get(key)
        if day is not None and not isinstance(day, date):
            raise ConfigError(f"window '{key}' must be a date (YYYY-MM-DD), not '{day}'", where)
        ends.append(day)
    if ends[0] and ends[1] and ends[1] < ends[0]:
        raise ConfigError("the window ends before it begins", where)
    return "..".join(d.isoformat() if d else "" for d in ends)
