"""The audit database: one SQLite file in WAL mode, one schema (`schema`), upgraded on open.

WAL lets readers (``datasette``, ``auditor check``) run while a crawl writes, and a
killed process never corrupts the file. `open_db` is the only way in: it upgrades an
older file to the current schema first (`migrate`). The crawl writes through
`CrawlStore`; the check's writes are in `auditor.check.store`.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from . import migrate, schema
from .crawl import CrawlStore, Previous, PreviousRuns, StoredPage
from .records import (
    Attachment,
    Carry,
    Entry,
    Fetch,
    Link,
    Page,
    Reach,
    Skip,
    version_id,
)


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the audit database at the current schema."""
    db = Database(path)
    db.enable_wal()
    # WAL + synchronous=NORMAL never corrupts on a killed process; a reader waits
    # briefly rather than failing while a batch commits.
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=10000")
    migrate.upgrade(db)
    return db


__all__ = ["Attachment", "Carry", "CrawlStore", "Entry", "Fetch", "Link", "Page", "Previous", "PreviousRuns",
           "Reach", "Skip", "StoredPage", "open_db", "schema", "version_id"]
