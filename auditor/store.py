"""The crawl's side of the audit database: run bookkeeping, crawl tables, batched writes.

One SQLite file in WAL mode (readers such as ``datasette`` or ``auditor check`` never
block the crawl, and a killed crawl leaves the file intact). Every crawl is a numbered
run; rows carry their run and earlier runs are never altered. Writes arrive in
batches (`Batch`), each one transaction. docs/schema.md documents the tables.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from sqlite_utils import Database

# Column types of the crawl tables; the order is the order of columns in the file.
TABLES: dict[str, tuple[dict[str, type], tuple[str, ...] | str]] = {
    "runs": ({
        "id": int, "portal": str, "config": str, "started_at": str, "finished_at": str,
        "status": str, "pages": int, "carried_over": int, "errors": int, "bytes": int,
        "unit_filter": str, "settings": str, "pid": int, "hostname": str,
    }, "id"),
    "pages": ({
        "run": int, "url": str, "final_url": str, "host": str, "status": int,
        "content_type": str, "encoding": str, "title": str, "date": str, "date_source": str,
        "publisher": str, "index_no": str, "doc_no": str, "topic": str, "column_name": str,
        "text": str, "meta": str, "is_list": int, "empty_list": int, "entries": int,
        "next_page": str, "depth": int, "referer": str, "etag": str, "last_modified": str, "sha1": str,
        "bytes": int, "carried_over": int, "fetched_at": str,
    }, ("run", "url")),
    "links": ({"run": int, "from_url": str, "to_url": str, "text": str, "internal": int},
              ("run", "from_url", "to_url")),
    "fetches": ({
        "run": int, "url": str, "kind": str, "status": int, "error": str, "final_url": str,
        "bytes": int, "size": int, "content_type": str, "sha1": str, "etag": str,
        "last_modified": str, "elapsed_ms": int, "carried_over": int, "fetched_at": str,
    }, ("run", "url")),
    "attachments": ({
        "run": int, "page_url": str, "url": str, "text": str, "ext": str, "status": int,
        "size": int, "content_type": str, "sha1": str,
    }, ("run", "page_url", "url")),
    "list_entries": ({"run": int, "list_url": str, "url": str, "title": str, "date": str},
                     ("run", "list_url", "url")),
    "unit_reach": ({"run": int, "unit": str, "url": str, "ok": int, "status": int, "error": str},
                   ("run", "unit", "url")),
}

# (table, columns): the lookups the crawl and the check make.
INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fetches", ("url", "run")),  # a URL's latest validators (incremental re-crawl)
    ("links", ("run", "to_url")),  # who links to a broken target
    ("list_entries", ("url", "run")),  # a detail page's previous list entry
    ("attachments", ("run", "url")),
    ("runs", ("portal", "status")),
)

# Child rows copied with a carried-over page: (table, column naming the page).
PAGE_CHILDREN = (("links", "from_url"), ("attachments", "page_url"), ("list_entries", "list_url"))


def now() -> str:
    """The current time, ISO 8601 with offset (UTC), as the schema stores times."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the audit database in WAL mode, crawl tables in place."""
    db = Database(path)
    db.enable_wal()
    # WAL + synchronous=NORMAL never corrupts on a killed process; a reader waits
    # briefly rather than failing while a batch commits.
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=10000")
    ensure_crawl_tables(db)
    return db


def ensure_crawl_tables(db: Database) -> None:
    """Create the crawl tables, or add columns a newer version defines (no data is changed)."""
    with db.atomic():
        for name, (columns, pk) in TABLES.items():
            table = db[name]
            if not table.exists():
                table.create(columns, pk=pk)
            else:
                missing = [c for c in columns if c not in table.columns_dict]
                for col in missing:
                    table.add_column(col, columns[col])
        for name, cols in INDEXES:
            db[name].create_index(cols, if_not_exists=True)


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
    """A stored page's internal links, attachments, list entries and next list page."""

    links: list[str]
    attachments: list[str]
    entries: list[tuple[str, str, str]]  # (url, title, date)
    next_page: str
    sha1: str


@dataclass
class Batch:
    """Rows buffered between two commits, plus carried-over copies to make."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    carries: list[tuple[str, int, str]] = field(default_factory=list)  # (url, from run, kind)

    def add(self, table: str, rows: list[dict]) -> None:
        self.rows.setdefault(table, []).extend(rows)

    def __len__(self) -> int:
        return sum(map(len, self.rows.values())) + len(self.carries)


class Store:
    """Run bookkeeping and batched writes of one crawl database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # runs ---------------------------------------------------------------
    def start_run(self, portal: str, config: dict, settings: dict, unit_filter: str | None = None) -> int:
        """Record a new run as ``running``; stale runs of dead processes become ``interrupted``."""
        self.mark_stale_runs()
        with self.db.atomic():
            table = self.db["runs"].insert({
                "portal": portal, "config": json.dumps(config, ensure_ascii=False),
                "started_at": now(), "status": "running", "unit_filter": unit_filter or "",
                "settings": json.dumps(settings, ensure_ascii=False, default=str),
                "pid": os.getpid(), "hostname": socket.gethostname(),
            })
        return int(table.last_pk)

    def finish_run(self, run: int, status: str) -> dict:
        """Close ``run`` with ``status`` (complete | interrupted | failed) and its totals."""
        q = self.db.execute
        with self.db.atomic():
            # Attachments learn their download outcome from this run's fetches.
            q("""UPDATE attachments SET status = f.status, size = f.size,
                        content_type = f.content_type, sha1 = f.sha1
                 FROM fetches f WHERE attachments.run = ? AND f.run = attachments.run
                 AND f.url = attachments.url""", [run])
            # An undated page takes the date a list gave it (the newest, if lists differ).
            q("""UPDATE pages SET date = e.date, date_source = 'list'
                 FROM (SELECT url, max(date) AS date FROM list_entries WHERE run = :run AND date IS NOT NULL
                       GROUP BY url) AS e
                 WHERE pages.run = :run AND pages.url = e.url AND pages.date IS NULL AND NOT pages.is_list""",
              {"run": run})
            pages, carried = q("SELECT count(*), coalesce(sum(carried_over), 0) FROM pages WHERE run = ?",
                               [run]).fetchone()
            errors, size = q("""SELECT coalesce(sum(status >= 400 OR error != ''), 0), coalesce(sum(bytes), 0)
                                FROM fetches WHERE run = ?""", [run]).fetchone()
            totals = {"pages": pages, "carried_over": carried, "errors": errors, "bytes": size}
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
            SELECT f.url, f.run, f.kind, f.etag, f.last_modified, p.url IS NOT NULL
            FROM latest JOIN fetches f USING (url, run)
            LEFT JOIN pages p ON p.run = f.run AND p.url = f.url AND p.status < 400""", params):
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
        q = self.db.execute
        return StoredPage(
            links=[r[0] for r in q("SELECT to_url FROM links WHERE run = ? AND from_url = ? AND internal",
                                   [run, url])],
            attachments=[r[0] for r in q("SELECT url FROM attachments WHERE run = ? AND page_url = ?", [run, url])],
            entries=[tuple(r) for r in q("SELECT url, title, date FROM list_entries WHERE run = ? AND list_url = ?",
                                         [run, url])],
            **dict(zip(("next_page", "sha1"), q("SELECT coalesce(next_page, ''), coalesce(sha1, '') FROM pages "
                                               "WHERE run = ? AND url = ?", [run, url]).fetchone() or ("", "")))
        )

    # writes -------------------------------------------------------------
    def write(self, run: int, batch: Batch) -> None:
        """Write a batch in one transaction; a row already present is kept (no duplicates)."""
        if not len(batch):
            return
        with self.db.atomic():
            for table, rows in batch.rows.items():
                if rows:
                    self.db[table].insert_all(rows, ignore=True, batch_size=500)
            for url, from_run, kind in batch.carries:
                self._carry(run, url, from_run, kind)

    def _carry(self, run: int, url: str, from_run: int, kind: str) -> None:
        """Copy ``url``'s rows of ``from_run`` into ``run``, marked carried over."""
        fetch_cols = [c for c in TABLES["fetches"][0] if c not in ("run", "bytes", "carried_over", "fetched_at")]
        cols = ", ".join(fetch_cols)
        self.db.execute(f"""INSERT OR IGNORE INTO fetches (run, {cols}, bytes, carried_over, fetched_at)
                            SELECT ?, {cols}, 0, 1, ? FROM fetches WHERE run = ? AND url = ?""",
                        [run, now(), from_run, url])
        if kind != "page":
            return
        page_cols = ", ".join(c for c in TABLES["pages"][0] if c not in ("run", "bytes", "carried_over"))
        self.db.execute(f"""INSERT OR IGNORE INTO pages (run, {page_cols}, bytes, carried_over)
                            SELECT ?, {page_cols}, 0, 1 FROM pages WHERE run = ? AND url = ?""",
                        [run, from_run, url])
        for table, key in PAGE_CHILDREN:
            cols = ", ".join(c for c in TABLES[table][0] if c != "run")
            self.db.execute(f"""INSERT OR IGNORE INTO {table} (run, {cols})
                                SELECT ?, {cols} FROM {table} WHERE run = ? AND {key} = ?""",
                            [run, from_run, url])


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
