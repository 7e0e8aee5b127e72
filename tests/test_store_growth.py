"""An unchanged nightly re-crawl adds little: page bodies are stored once, a run refers to them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from auditor.crawl.process import crawl


def size(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.stat().st_size


def test_a_second_crawl_of_an_unchanged_portal_grows_the_file_by_at_most_15_percent(sample_portal, tmp_path):
    db = tmp_path / "audit.db"
    first = crawl(sample_portal.config_path, db)
    after_first = size(db)
    second = crawl(sample_portal.config_path, db)
    after_second = size(db)
    assert first.status == second.status == "complete" and second.pages == first.pages > 1000
    assert after_second <= 1.15 * after_first, (after_first, after_second)
