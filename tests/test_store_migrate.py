"""Upgrading a database written by release 0.1.0 (tests/fixtures/release-0.1/README.md).

The file keeps every crawl row and every check's results, reads through the current
schema, and re-reports its past checks as that release reported them.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from auditor.errors import AuditorError
from auditor.findings import build_document
from auditor.store import open_db, schema

RELEASE = Path(__file__).parent / "fixtures" / "release-0.1"
# the keys release 0.1's findings.json had for each kind of entry
COMPARED = {
    "run": ("id", "portal", "as_of", "crawled_at", "pages", "check_run", "rules_version", "checked_at"),
    "district": ("score", "grade", "coverage", "health_deduction", "gaps"),
    "sections": ("section", "title", "score", "grade", "coverage", "gaps"),
    "units": ("unit", "kind", "score", "grade", "coverage", "gaps", "health_deduction", "unreachable"),
    "items": ("item", "unit", "status", "computed_status", "reviewed"),
    "findings": ("rule", "item", "unit", "status", "computed_status", "evidence", "reasons", "missing_elements",
                 "newest_date", "days_overdue", "override"),
    "site_checks": ("check", "unit", "url", "detail", "deduction"),
}


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    db = tmp_path / "release.db"
    with gzip.open(RELEASE / "release.db.gz") as src, open(db, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return db


def release_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("pages", "links", "attachments", "list_entries", "fetches", "unit_reach", "findings",
                          "item_status", "scores", "site_checks", "check_rules", "check_plan", "check_units")}


def picked(doc: dict, key: str) -> object:
    value = doc[key]
    fields = COMPARED[key]
    if isinstance(value, list):
        return [{f: row.get(f) for f in fields} for row in value]
    return {f: value.get(f) for f in fields}


def test_a_release_0_1_database_upgrades_keeping_every_row(old_db: Path) -> None:
    before = release_counts(old_db)
    with sqlite3.connect(old_db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        titles = sorted(conn.execute("SELECT url, title, date FROM pages").fetchall())
    db = open_db(old_db)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()
    # every page, link, attachment and list entry of the crawl is still there, through the views
    assert release_counts(old_db) == before
    with sqlite3.connect(old_db) as conn:
        assert sorted(conn.execute("SELECT url, title, date FROM pages").fetchall()) == titles
        # the page bodies were stored once each, however many runs carried them
        assert conn.execute("SELECT count(*) FROM contents").fetchone()[0] <= before["pages"]
    # opening it again changes nothing
    open_db(old_db).close()
    assert release_counts(old_db) == before


@pytest.mark.parametrize("check_run", [1, 2])
def test_past_checks_are_reported_as_release_0_1_reported_them(old_db: Path, check_run: int) -> None:
    with gzip.open(RELEASE / f"findings-check{check_run}.json.gz") as f:
        expected = json.load(f)
    document = build_document(open_db(old_db), check_run)
    for key in COMPARED:
        assert picked(document, key) == picked(expected, key), key
    assert {(i["item"], i["unit"]) for i in document["items"]} == {(i["item"], i["unit"]) for i in expected["items"]}


def test_a_database_from_a_newer_auditor_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    with pytest.raises(AuditorError, match="newer than this auditor"):
        open_db(db)


def test_a_version_2_file_gains_the_newer_columns(tmp_path):
    from auditor.store import open_db

    path = tmp_path / "v2.db"
    open_db(path).execute("ALTER TABLE check_units DROP COLUMN crawl")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert "crawl" in [row[1] for row in db.execute("PRAGMA table_info(check_units)")]
