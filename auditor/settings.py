"""The auditor's settings, kept as data with help text (as datasette keeps its settings).

Every setting has a name, a type, a default and help text; the README's settings table
is checked against this list by the tests. Values come, in increasing priority, from
the defaults, a settings file (``--config FILE``: YAML with a ``settings:`` mapping)
and the command line (``--setting NAME VALUE``, datasette's way). Every value is
validated: a bad one is one line naming FILE:LINE or ``--setting NAME``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Callable

from .errors import AuditorError, ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    kind: type = str
    check: Callable[[object], str] | None = None  # returns a problem, or '' when the value is fine


def _positive(value: object) -> str:
    return "" if isinstance(value, int) and value > 0 else "must be a whole number above 0"


SETTINGS: tuple[Setting, ...] = (
    Setting("rules", "rules/", "Folder of the rule catalogue (rules/README.md); the bundled catalogue when absent"),
    Setting("db", "audit.db", "SQLite database holding crawls, findings and scores"),
    Setting("out", "reports/out/", "Folder the HTML report and its data files are written to"),
    Setting("stale_banner_days", 30, "A report whose crawl is older than this many days carries a warning banner",
            int, _positive),
    Setting("page_timeout", 30, "Seconds one page may take to answer before the fetch counts as timed out "
            "(crawl and inspect)", int, _positive),
    Setting("evaluator", "", "The evaluating body named on the report's cover (评估机构); empty: not named"),
)

BY_NAME = {s.name: s for s in SETTINGS}
DEFAULTS = {s.name: s.default for s in SETTINGS}


def _convert(setting: Setting, raw: object) -> object:
    if setting.kind is int and isinstance(raw, str):
        try:
            raw = int(raw.strip())
        except ValueError:
            raise ValueError("must be a whole number") from None
    if setting.kind is int and (not isinstance(raw, int) or isinstance(raw, bool)):
        raise ValueError("must be a whole number")
    if setting.kind is str and not isinstance(raw, str):
        raise ValueError("must be text")
    problem = setting.check(raw) if setting.check else ""
    if problem:
        raise ValueError(problem)
    return raw


class Settings:
    """Effective settings: defaults, then a settings file, then ``--setting`` pairs."""

    def __init__(self, values: dict | None = None) -> None:
        self.given = dict(values or {})  # set by a file or the command line, not defaults
        self.values = dict(DEFAULTS, **self.given)

    def __getitem__(self, name: str) -> object:
        return self.values[name]

    def crawl_overrides(self) -> dict:
        """Scrapy settings these settings set, only where given (a portal config's own
        `settings:` still beats the defaults)."""
        return {"DOWNLOAD_TIMEOUT": self.given["page_timeout"]} if "page_timeout" in self.given else {}

    @classmethod
    def load(cls, config: str | Path | None = None, pairs: tuple[tuple[str, str], ...] = ()) -> "Settings":
        values: dict = {}
        if config:
            values.update(_from_file(Path(config)))
        for name, raw in pairs:
            setting = BY_NAME.get(name)
            if setting is None:
                raise AuditorError(f"unknown setting '{name}' (settings: {', '.join(BY_NAME)})", "--setting")
            try:
                values[name] = _convert(setting, raw)
            except ValueError as exc:
                raise AuditorError(f"{name} {exc}, not '{raw}'", f"--setting {name}") from None
        return cls(values)


def _from_file(path: Path) -> dict:
    from .yamlfile import LineDict, load_yaml

    data = load_yaml(path)
    spec = data.get("settings") if isinstance(data, LineDict) else None
    if not isinstance(spec, LineDict):
        raise ConfigError("expected a mapping with a 'settings' mapping", f"{path}:1")
    out = {}
    for name, raw in spec.items():
        where = f"{path}:{spec.line_of(name)}"
        setting = BY_NAME.get(name)
        if setting is None:
            raise ConfigError(f"unknown setting '{name}' (settings: {', '.join(BY_NAME)})", where)
        try:
            out[name] = _convert(setting, raw)
        except ValueError as exc:
            raise ConfigError(f"{name} {exc}, not '{raw}'", where) from None
    return out


def bundled_rules_dir() -> Path:
    """The rule catalogue shipped inside the package (package data)."""
    return Path(str(files("auditor") / "catalogue"))


def default_rules_dir() -> Path:
    """``rules/`` in the working directory if it holds a catalogue, else the bundled catalogue."""
    here = Path(DEFAULTS["rules"])
    return here if (here / "catalogue.yaml").exists() else bundled_rules_dir()
