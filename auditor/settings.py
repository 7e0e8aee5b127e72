"""Defaults of the auditor, kept as data with help text (as datasette keeps its settings).

The CLI reads its defaults from here and the README's settings table is checked
against this list by the tests, so a default changes in one place only.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("rules", "rules/", "Folder of the rule catalogue (rules/README.md); the bundled catalogue when absent"),
    Setting("db", "audit.db", "SQLite database holding crawls, findings and scores"),
    Setting("out", "reports/out/", "Folder the HTML report and its data files are written to"),
    Setting("stale_banner_days", 30, "A report whose crawl is older than this many days carries a warning banner"),
)

DEFAULTS = {s.name: s.default for s in SETTINGS}


def bundled_rules_dir() -> Path:
    """The rule catalogue shipped inside the package (package data)."""
    return Path(str(files("auditor") / "catalogue"))


def default_rules_dir() -> Path:
    """``rules/`` in the working directory if there is one, else the bundled catalogue."""
    here = Path(DEFAULTS["rules"])
    return here if (here / "units.yaml").exists() else bundled_rules_dir()
