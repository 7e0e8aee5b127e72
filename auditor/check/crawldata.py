"""Reading one stored crawl (docs/schema.md, crawl tables) for the check."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from sqlite_utils import Database

from ..errors import AuditorError
from ..portal import Portal
from ..units import Registry

PAGE_COLUMNS = "url, final_url, status, title, publisher, column_name, text, date, meta, is_list, empty_list"


@dataclass
class Crawl:
    """A crawl run as the check needs it."""

    run: int
    portal: Portal
    crawled_at: str
    pages: int
    unit_filter: str | None = None
    unreachable: dict[str, list[dict]] = field(default_factory=dict)  # unit → its failed URLs

    @property
    def homes(self) -> dict[str, str]:
        """Home page URL → unit: the start URLs (the owner's) and every unit's configured URLs."""
        out = {u: self.portal.owner for u in self.portal.start_urls}
        for unit, prefixes in self.portal.units.items():
            out.update({p: unit for p in prefixes})
        return out


@dataclass
class PageRow:
    url: str
    final_url: str
    status: int | None
    title: str
    publisher: str
    column: str
    text: str
    date: date | None
    meta: str
    is_list: bool
    empty_list: bool


def latest_crawl_run(db: Database) -> int:
    """The newest complete crawl run; a one-line error if there is none."""
    if "runs" not in db.table_names():
        raise AuditorError("the database holds no crawl: run 'auditor crawl' first", "--db")
    row = db.execute("SELECT id FROM runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1").fetchone()
    if not row:
        raise AuditorError("no complete crawl run in the database: run 'auditor crawl' first", "--db")
    return row[0]


def portal_from_config(name: str, config: dict, registry: Registry) -> Portal:
    """The `Portal` a crawl was made with, from its stored config; unit names resolved."""
    units: dict[str, list[str]] = {}
    for unit, prefixes in (config.get("units") or {}).items():
        units.setdefault(registry.resolve(unit) or unit, []).extend([prefixes] if isinstance(prefixes, str) else prefixes)
    owner = str(config.get("owner") or "")
    return Portal(name=name, start_urls=list(config.get("start_urls") or []), owner=registry.resolve(owner) or owner, units=units)


def load_crawl(db: Database, registry: Registry, run: int | None = None) -> Crawl:
    run = latest_crawl_run(db) if run is None else run
    row = db.execute("SELECT portal, config, started_at, pages, unit_filter FROM runs WHERE id = ?", [run]).fetchone()
    if not row:
        raise AuditorError(f"no crawl run {run} in the database", "--db")
    portal_name, config, started_at, pages, unit_filter = row
    try:
        config = json.loads(config or "{}")
    except ValueError:
        raise AuditorError(f"crawl run {run} has an unreadable portal config", "--db") from None
    portal = portal_from_config(portal_name or "", config, registry)
    if pages is None:
        pages = db.execute("SELECT COUNT(*) FROM pages WHERE run = ?", [run]).fetchone()[0]
    filt = registry.resolve(unit_filter) if unit_filter else None
    return Crawl(run, portal, started_at or "", pages, filt, _unreachable(db, run, registry))


def _unreachable(db: Database, run: int, registry: Registry) -> dict[str, list[dict]]:
    """Units none of whose configured URLs answered, with the failures."""
    by_unit: dict[str, list[dict]] = defaultdict(list)
    ok_units = set()
    for unit, url, ok, status, error in db.execute(
        "SELECT unit, url, ok, status, error FROM unit_reach WHERE run = ?", [run]
    ):
        unit = registry.resolve(unit) or unit
        if ok:
            ok_units.add(unit)
        else:
            by_unit[unit].append({"url": url, "status": status, "error": error or ""})
    return {u: fails for u, fails in by_unit.items() if u not in ok_units}


def names_of(url: str, text: str) -> list[str]:
    """The names an attachment gives a document: its link text and its file name."""
    names = [text] if text else []
    fname = (url or "").rsplit("/", 1)[-1]
    if fname and fname != text:
        names.append(fname)
    return names


def attachment_names(db: Database, run: int) -> dict[str, list[str]]:
    """Page URL → the link texts and file names of its attachments."""
    out: dict[str, list[str]] = defaultdict(list)
    for page_url, url, text in db.execute("SELECT page_url, url, text FROM attachments WHERE run = ?", [run]):
        out[page_url] += names_of(url, text)
    return out


def iter_pages(db: Database, run: int) -> Iterator[PageRow]:
    """Every page of the run, streamed (a large crawl never sits in memory at once)."""
    cursor = db.conn.execute(f"SELECT {PAGE_COLUMNS} FROM pages WHERE run = ?", [run])
    while True:
        rows = cursor.fetchmany(2000)
        if not rows:
            return
        for url, final_url, status, title, publisher, column, text, day, meta, is_list, empty in rows:
            yield PageRow(url, final_url or url, status, title or "", publisher or "", column or "", text or "",
                          _date(day), meta or "", bool(is_list), bool(empty))


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
