"""The evaluation window the crawl keeps to: which list entries it fetches, how far it pages a list.

A district portal holds tens of thousands of items a year, most of them years older than
the evaluation, and the polite pace is about one request a second. An audit of 2018
needs a column's list pages down to the first entry older than the window, and the
detail pages whose list entry is dated inside it; never 2014's notices. So:

- a list entry dated outside the window is recorded as skipped (`Skip`), not fetched;
- a dated list stops paging at the first page none of whose dated entries reach into
  the window (a page, not an entry: pinned or unsorted entries do not end a list early);
- undated entries and undated lists are followed as before;
- columns of standing documents (指南, 目录, 制度, 年报…) are read in full, entries of any
  date, since their evidence may be old: a column or an entry title naming one is
  exempt (``AUDITOR_STANDING_WORDS``).

The window comes from the portal config's ``window:`` (``all`` turns bounding off), else
from the catalogue (`Catalogue.crawl_window`), and is published in the settings as
``AUDITOR_WINDOW`` ("FROM..TO", ISO dates) for every component.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from scrapy.settings import BaseSettings

from ..errors import ConfigError

# Skip reasons (the `skipped` table's ``reason``), as the report names them.
BEFORE = "before_window"
AFTER = "after_window"
LIST_END = "list_before_window"


@dataclass(frozen=True)
class Window:
    """An evaluation window (either end open when None) and the words of standing columns."""

    start: date | None = None
    end: date | None = None
    standing_words: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> "Window":
        start, end = parse(settings.get("AUDITOR_WINDOW") or "")
        return cls(start, end, tuple(settings.getlist("AUDITOR_STANDING_WORDS")))

    @property
    def bounded(self) -> bool:
        return bool(self.start or self.end)

    def standing(self, *texts: str) -> bool:
        """Whether a column or entry title names a standing document (read whatever its date)."""
        return any(word in text for text in texts if text for word in self.standing_words)

    def outside(self, day: str | None) -> str:
        """Why an entry dated ``day`` (ISO) is not fetched: BEFORE, AFTER, or '' (inside or undated)."""
        if not day or not self.bounded:
            return ""
        if self.start and day < self.start.isoformat():
            return BEFORE
        if self.end and day > self.end.isoformat():
            return AFTER
        return ""

    def list_ended(self, days: Iterable[str | None]) -> bool:
        """Whether a list page whose entries carry ``days`` lies wholly before the window."""
        dated = [d for d in days if d]
        return bool(self.start and dated) and all(d < self.start.isoformat() for d in dated)


def catalogue_window(rules_dir: str) -> str:
    """The settings' form of the catalogue's crawl window (`Catalogue.crawl_window`)."""
    from ..rules import load_catalogue
    from ..settings import default_rules_dir

    return format_window(*load_catalogue(rules_dir or default_rules_dir()).crawl_window())


def parse(text: str) -> tuple[date | None, date | None]:
    """``"2018-01-01..2019-03-31"`` → the two dates ('' or either side empty: open)."""
    if not text:
        return None, None
    start, dots, end = str(text).partition("..")
    try:
        if not dots:
            raise ValueError(text)
        return (date.fromisoformat(start) if start else None), (date.fromisoformat(end) if end else None)
    except ValueError:
        raise ConfigError(f"AUDITOR_WINDOW '{text}' is not FROM..TO in ISO dates (2018-01-01..2019-03-31), "
                          "or '' for no window") from None


def window_ends(text: str | None) -> tuple[str | None, str | None]:
    """A run's ``window_from`` and ``window_to`` (ISO dates or None) from the settings' form."""
    start, end = parse(text or "")
    return (start.isoformat() if start else None), (end.isoformat() if end else None)


def format_window(start: date | None, end: date | None) -> str:
    """The settings' form of a window ('' when unbounded)."""
    if not start and not end:
        return ""
    return f"{start.isoformat() if start else ''}..{end.isoformat() if end else ''}"
