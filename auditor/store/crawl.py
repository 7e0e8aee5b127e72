"""The crawl's side of the store: runs, batched writes of the crawl's records, earlier runs' state.

Every crawl is a numbered run; rows carry their run and earlier runs are never
altered. Records arrive in batches (`CrawlStore.write`), each one transaction. A page
body already stored (same URL, same content hash) is not stored again: the run's
fetch points at the existing version, so an unchanged nightly re-crawl adds one small
row per URL.
"""

from __future__ import annotations

import json
import os
import socket
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlite_utils import Database

from ..clock import now
from .records import Carry, Fetch, Page, Reach, Skip, version_id

FETCH_COLUMNS = ("url", "kind", "status", "error", "final_url", "host", "bytes", "size", "content_type", "sha1",
                 "etag", "last_modified", "elapsed_ms", "fetched_at", "depth", "referer", "version")
CONTENT_COLUMNS = ("encoding", "title", "date", "date_source", "publisher", "index_no", "doc_no", "topic",
                   "column_name", "text", "meta", "is_list", "empty_list")


WRITTEN = (Fetch, Page, Carry, Reach, Skip)


class Previous(NamedTuple):
    """What an earlier run learnt about one URL."""

    run: int  # the run holding its newest fetch
    kind: str  # page | attachment
    etag: str
    last_modified: str
    has_page: bool  # that run stored it as a page (so it can be carried over)


@dataclass
class PreviousRuns:
    """State of earlier runs of a portal the incremental re-crawl reuses."""

    urls: dict[str, Previous] = field(default_factory=dict)
    # detail URL → (title, date) as last listed at or before its newest fetch
    entries: dict[str, tuple[str, str]] = field(default_factory=dict)

    def validators(self, url: str) -> Previous | None:
        """Validators for a conditional request, if a copy could stand in for a 304."""
        prev = self.urls.get(url)
        if prev and (prev.etag or prev.last_modified) and (prev.has_page or prev.kind == "attachment"):
            return prev
        return None


@dataclass
class StoredPage:
    """A stored page's links, attachments, list entries and next list page (what a carried page leads to)."""

    links: list[tuple[str, bool]]  # (url, internal)
    attachments: list[str]
    entries: list[tuple[str, str, str]]  # (url, title, date)
    next_page: str
    sha1: str
    heading: str = ""  # its title and column name (whether it lists standing documents)


class CrawlStore:
    """Run bookkeeping, batched writes and earlier runs' state of one audit database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # runs ---------------------------------------------------------------
    def start_run(self, portal: str, config: dict, settings: dict, unit_filter: str | None = None,
                  window: tuple[str | None, str | None] = (None, None)) -> int:
        """Record a new run as ``running``; stale runs of dead processes become ``interrupted``."""
        self.mark_stale_runs()
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO runs (portal, config, started_at, status, unit_filter, settings, window_from, "
                "window_to, pid, hostname) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                [portal, json.dumps(config, ensure_ascii=False), now(), unit_filter or "",
                 json.dumps(settings, ensure_ascii=False, default=str), window[0], window[1], os.getpid(),
                 socket.gethostname()])
        return int(cur.lastrowid)

    def close_run(self, run: int, status: str) -> dict:
        """Close ``run`` with ``status`` (complete | interrupted | failed) and record its totals."""
        q = self.db.execute
        with self.db.atomic():
            pages, carried = q("SELECT count(*), coalesce(sum(carried_over), 0) FROM pages WHERE run = ?",
                               [run]).fetchone()
            errors, size = q("""SELECT coalesce(sum(status >= 400 OR error != ''), 0), coalesce(sum(bytes), 0)
                                FROM fetches WHERE run = ?""", [run]).fetchone()
            skipped = q("SELECT count(*) FROM skipped WHERE run = ?", [run]).fetchone()[0]
            totals = {"pages": pages, "carried_over": carried, "errors": errors, "bytes": size, "skipped": skipped}
            self.db["runs"].update(run, {"status": status, "finished_at": now(), **totals})
        return totals

    def mark_stale_runs(self) -> list[int]:
        """Runs left ``running`` by a process of this machine that is gone become ``interrupted``."""
        host = socket.gethostname()
        stale = [
            r["id"] for r in self.db["runs"].rows_where("status = 'running' AND hostname = ?", [host])
            if not _alive(r["pid"])
        ]
        with self.db.atomic():
            for run in stale:
                self.db["runs"].update(run, {"status": "interrupted", "finished_at": now()})
        return stale

    # incremental state ---------------------------------------------------
    def previous(self, portal: str, before: int) -> PreviousRuns:
        """Per URL, the newest fetch of any earlier run of ``portal`` (failed runs aside).

        Interrupted runs count too: what they fetched is as good as a complete run's,
        so a crawl run after an interruption finishes the job cheaply.
        """
        runs = "SELECT id FROM runs WHERE portal = :portal AND id < :before AND status != 'failed'"
        params = {"portal": portal, "before": before}
        state = PreviousRuns()
        for url, run, kind, etag, modified, has_page in self.db.execute(f"""
            WITH latest AS (SELECT url, max(run) AS run FROM fetches WHERE run IN ({runs}) GROUP BY url)
            SELECT f.url, f.run, f.kind, f.etag, f.last_modified, v.id IS NOT NULL AND f.status < 400
            FROM latest JOIN fetches f USING (url, run) LEFT JOIN versions v ON v.id = f.version""", params):
            state.urls[url] = Previous(run, kind, etag or "", modified or "", bool(has_page))
        # A URL's list entry as of the copy a carry-over would take: never one listed after
        # that fetch (an interrupted run may have read a changed list, not the changed page).
        for url, title, date in self.db.execute(f"""
            WITH fetched AS (SELECT url, max(run) AS run FROM fetches WHERE run IN ({runs}) GROUP BY url),
                 listed AS (SELECT e.url, max(e.run) AS run FROM list_entries e JOIN fetched f
                            ON f.url = e.url AND e.run <= f.run WHERE e.run IN ({runs}) GROUP BY e.url)
            SELECT e.url, e.title, e.date FROM listed JOIN list_entries e USING (url, run)""", params):
            state.entries[url] = (title or "", date or "")
        return state

    def stored_page(self, run: int, url: str) -> StoredPage:
        """What ``run`` stored about page ``url``: what a carried-over page leads to."""
        row = self.db.execute(
            "SELECT f.version, coalesce(v.next_page, ''), coalesce(v.sha1, ''), "
            "coalesce(c.title, '') || ' ' || coalesce(c.column_name, '') FROM fetches f "
            "LEFT JOIN versions v ON v.id = f.version LEFT JOIN contents c ON c.sha1 = v.sha1 "
            "WHERE f.run = ? AND f.url = ?", [run, url]).fetchone()
        version, next_page, sha1, heading = row or (None, "", "", "")
        q = self.db.execute
        return StoredPage(
            links=[(r[0], bool(r[1])) for r in q("SELECT to_url, internal FROM version_links WHERE version = ?",
                                                  [version])],
            attachments=[r[0] for r in q("SELECT url FROM version_attachments WHERE version = ?", [version])],
            entries=[tuple(r) for r in q("SELECT url, title, date FROM version_entries WHERE version = ?", [version])],
            next_page=next_page, sha1=sha1, heading=heading,
        )

    # writes -------------------------------------------------------------
    def write(self, run: int, records: Iterable[object]) -> None:
        """Write a batch of records in one transaction; a row already present is kept."""
        kinds: dict[type, list] = defaultdict(list)
        for record in records:
            if type(record) not in WRITTEN:
                raise TypeError(f"not a crawl record: {record!r}")
            kinds[type(record)].append(record)
        if not kinds:
            return
        with self.db.atomic():
            self._fetches(run, kinds[Fetch])
            self._pages(run, kinds[Page])
            self._carries(run, kinds[Carry])
            self._rows("unit_reach", [{"run": run, "unit": r.unit, "url": r.url, "ok": int(r.ok), "status": r.status,
                                       "error": r.error} for r in kinds[Reach]])
            self._rows("skipped", [{"run": run, "url": s.url, "reason": s.reason, "list_url": s.list_url,
                                    "date": s.date} for s in kinds[Skip]])

    def _rows(self, table: str, rows: list[dict]) -> None:
        if rows:
            columns = list(rows[0])
            self.db.conn.executemany(
                f"INSERT OR IGNORE INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})", [[r[c] for c in columns] for r in rows])

    def _fetches(self, run: int, fetches: list[Fetch]) -> None:
        self._rows("fetches", [{"run": run, **{c: getattr(f, c) for c in FETCH_COLUMNS}, "carried_over": 0}
                               for f in fetches])

    def _pages(self, run: int, pages: list[Page]) -> None:
        if not pages:
            return
        self._rows("contents", [{"sha1": p.sha1, **{c: getattr(p, c) for c in CONTENT_COLUMNS},
                                 "is_list": int(p.is_list), "empty_list": int(p.empty_list),
                                 "entries": len(p.entries)} for p in pages])
        ids = {p.version: p for p in pages}
        known = {row[0] for row in self.db.execute(
            f"SELECT id FROM versions WHERE id IN ({', '.join('?' * len(ids))})", list(ids))}
        new = [p for v, p in ids.items() if v not in known]
        self._rows("versions", [{"id": p.version, "url": p.url, "sha1": p.sha1, "next_page": p.next_page} for p in new])
        self._rows("version_links", [{"version": p.version, "to_url": link.to_url, "text": link.text,
                                      "internal": int(link.internal)} for p in new for link in p.links])
        self._rows("version_attachments", [{"version": p.version, "url": a.url, "text": a.text, "ext": a.ext}
                                           for p in new for a in p.attachments])
        self._rows("version_entries", [{"version": p.version, "url": e.url, "title": e.title, "date": e.date}
                                       for p in new for e in p.entries])

    def _carries(self, run: int, carries: list[Carry]) -> None:
        """Take each URL's fetch of ``from_run`` as this run's own, marked carried over (no bytes)."""
        columns = ", ".join(c for c in FETCH_COLUMNS if c != "bytes") + ", list_date"
        self.db.conn.executemany(
            f"INSERT OR IGNORE INTO fetches (run, {columns}, bytes, carried_over) "
            f"SELECT ?, {columns}, 0, 1 FROM fetches WHERE run = ? AND url = ?",
            [(run, c.from_run, c.url) for c in carries])


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


__all__ = ["CrawlStore", "Previous", "PreviousRuns", "StoredPage", "version_id"]
