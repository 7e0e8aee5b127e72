"""The crawl store (auditor.store): WAL file, runs, batched writes, carry-over, incremental state."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from auditor.store import Batch, Store, open_db

PORTAL = "测试门户"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(open_db(tmp_path / "audit.db"))
    yield s
    s.db.close()


def page(run: int, url: str, **extra) -> dict:
    return {"run": run, "url": url, "status": 200, "title": f"标题 {url}", "is_list": 0, "bytes": 100,
            "carried_over": 0, **extra}


def fetch(run: int, url: str, kind: str = "page", **extra) -> dict:
    return {"run": run, "url": url, "kind": kind, "status": 200, "error": "", "bytes": 100, "carried_over": 0,
            **extra}


def test_database_is_wal_with_every_crawl_table(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"runs", "pages", "links", "fetches", "attachments", "list_entries", "unit_reach"} <= set(
        store.db.table_names())


def test_reopening_adds_columns_a_newer_version_defines(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    s = Store(open_db(path))
    s.db.execute("ALTER TABLE pages DROP COLUMN next_page")
    s.db.close()
    assert "next_page" in Store(open_db(path)).db["pages"].columns_dict


def test_runs_are_numbered_and_closed_with_totals(store: Store) -> None:
    first = store.start_run(PORTAL, {}, {})
    store.write(first, Batch({"pages": [page(first, "http://a/1"), page(first, "http://a/2")],
                              "fetches": [fetch(first, "http://a/1"), fetch(first, "http://a/2"),
                                          fetch(first, "http://a/x", status=404)]}))
    totals = store.finish_run(first, "complete")
    assert totals == {"pages": 2, "carried_over": 0, "errors": 1, "bytes": 300}
    second = store.start_run(PORTAL, {}, {}, unit_filter="区民政局")
    assert second == first + 1
    row = store.db["runs"].get(second)
    assert (row["status"], row["unit_filter"]) == ("running", "区民政局")
    assert store.db["runs"].get(first)["status"] == "complete"


def test_a_batch_is_one_transaction(store: Store) -> None:
    run = store.start_run(PORTAL, {}, {})
    bad = Batch({"pages": [page(run, "http://a/1")], "links": [{"run": run, "no_such_column": 1}]})
    with pytest.raises(Exception):
        store.write(run, bad)
    assert store.db["pages"].count == 0


def test_rewriting_a_row_keeps_the_first(store: Store) -> None:
    run = store.start_run(PORTAL, {}, {})
    store.write(run, Batch({"pages": [page(run, "http://a/1", title="一")]}))
    store.write(run, Batch({"pages": [page(run, "http://a/1", title="二")]}))
    assert [r["title"] for r in store.db["pages"].rows] == ["一"]


def test_carry_over_copies_a_page_and_its_rows(store: Store) -> None:
    old = store.start_run(PORTAL, {}, {})
    url = "http://a/list"
    store.write(old, Batch({
        "pages": [page(old, url, is_list=1, etag='"e1"')],
        "fetches": [fetch(old, url, etag='"e1"'), fetch(old, "http://a/f.pdf", "attachment", size=9)],
        "links": [{"run": old, "from_url": url, "to_url": "http://a/d1", "text": "文", "internal": 1}],
        "attachments": [{"run": old, "page_url": url, "url": "http://a/f.pdf", "text": "附件", "ext": "pdf"}],
        "list_entries": [{"run": old, "list_url": url, "url": "http://a/d1", "title": "文", "date": "2018-05-30"}],
    }))
    store.finish_run(old, "complete")
    new = store.start_run(PORTAL, {}, {})
    store.write(new, Batch(carries=[(url, old, "page"), ("http://a/f.pdf", old, "attachment")]))
    store.finish_run(new, "complete")
    copied = store.db["pages"].get((new, url))
    assert (copied["carried_over"], copied["bytes"], copied["title"], copied["etag"]) == (1, 0, f"标题 {url}", '"e1"')
    for table in ("links", "attachments", "list_entries"):
        assert store.db[table].count_where("run = ?", [new]) == 1, table
    att = store.db["attachments"].get((new, url, "http://a/f.pdf"))
    assert (att["status"], att["size"]) == (200, 9)  # from the carried fetch
    assert store.db["fetches"].count_where("run = ? AND carried_over = 1 AND bytes = 0", [new]) == 2
    # The earlier run is untouched.
    assert store.db["pages"].get((old, url))["carried_over"] == 0


def test_previous_state_is_the_newest_fetch_of_earlier_runs(store: Store) -> None:
    r1 = store.start_run(PORTAL, {}, {})
    store.write(r1, Batch({"pages": [page(r1, "http://a/1"), page(r1, "http://a/2")],
                           "fetches": [fetch(r1, "http://a/1", etag='"old"'), fetch(r1, "http://a/2", etag='"2"'),
                                       fetch(r1, "http://a/f.pdf", "attachment", last_modified="Wed, 30 May 2018")],
                           "list_entries": [{"run": r1, "list_url": "http://a/", "url": "http://a/1",
                                             "title": "一", "date": "2018-05-30"}]}))
    store.finish_run(r1, "complete")
    r2 = store.start_run(PORTAL, {}, {})  # interrupted, but what it fetched still counts
    store.write(r2, Batch({"pages": [page(r2, "http://a/1")], "fetches": [fetch(r2, "http://a/1", etag='"new"')]}))
    store.finish_run(r2, "interrupted")
    r3 = store.start_run(PORTAL, {}, {})  # failed runs are ignored
    store.write(r3, Batch({"fetches": [fetch(r3, "http://a/2", status=500)]}))
    store.finish_run(r3, "failed")
    other = store.start_run("另一门户", {}, {})
    store.write(other, Batch({"fetches": [fetch(other, "http://a/3", etag='"x"')]}))
    r4 = store.start_run(PORTAL, {}, {})

    prev = store.previous(PORTAL, r4)
    assert prev.validators("http://a/1") == (r2, "page", '"new"', "", True)
    assert prev.validators("http://a/2").run == r1
    assert prev.validators("http://a/f.pdf").last_modified == "Wed, 30 May 2018"
    assert prev.validators("http://a/3") is None
    assert prev.entries == {"http://a/1": ("一", "2018-05-30")}


def test_a_page_fetch_without_a_stored_page_gets_no_validators(store: Store) -> None:
    r1 = store.start_run(PORTAL, {}, {})
    store.write(r1, Batch({"fetches": [fetch(r1, "http://a/1", etag='"e"')]}))
    store.finish_run(r1, "complete")
    assert store.previous(PORTAL, r1 + 1).validators("http://a/1") is None


def test_finishing_dates_undated_pages_from_list_entries(store: Store) -> None:
    run = store.start_run(PORTAL, {}, {})
    store.write(run, Batch({
        "pages": [page(run, "http://a/d1"), page(run, "http://a/d2", date="2018-01-02", date_source="label")],
        "list_entries": [
            {"run": run, "list_url": "http://a/l1", "url": "http://a/d1", "title": "一", "date": "2018-05-30"},
            {"run": run, "list_url": "http://a/l2", "url": "http://a/d1", "title": "一", "date": "2018-05-29"},
            {"run": run, "list_url": "http://a/l1", "url": "http://a/d2", "title": "二", "date": "2018-05-01"},
        ]}))
    store.finish_run(run, "complete")
    d1, d2 = store.db["pages"].get((run, "http://a/d1")), store.db["pages"].get((run, "http://a/d2"))
    assert (d1["date"], d1["date_source"]) == ("2018-05-30", "list")
    assert (d2["date"], d2["date_source"]) == ("2018-01-02", "label")


def test_runs_of_dead_processes_become_interrupted(store: Store) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = store.start_run(PORTAL, {}, {})
    store.db["runs"].update(stale, {"pid": int(dead.stdout)})
    mine = store.start_run(PORTAL, {}, {})  # starting a run sweeps stale ones
    assert store.db["runs"].get(stale)["status"] == "interrupted"
    assert store.db["runs"].get(mine)["status"] == "running"


def test_a_list_entry_newer_than_the_page_copy_is_not_its_entry(store: Store) -> None:
    """An interrupted run read a changed list but not the changed page: the rerun must
    not take the old copy for the new entry (it compares with the entry of that copy)."""
    entry = lambda run, title: {"run": run, "list_url": "http://a/", "url": "http://a/1",  # noqa: E731
                                "title": title, "date": "2018-05-30"}
    r1 = store.start_run(PORTAL, {}, {})
    store.write(r1, Batch({"pages": [page(r1, "http://a/1")], "fetches": [fetch(r1, "http://a/1")],
                           "list_entries": [entry(r1, "一")]}))
    store.finish_run(r1, "complete")
    r2 = store.start_run(PORTAL, {}, {})
    store.write(r2, Batch({"list_entries": [entry(r2, "一（修订）")]}))
    store.finish_run(r2, "interrupted")
    prev = store.previous(PORTAL, store.start_run(PORTAL, {}, {}))
    assert prev.urls["http://a/1"].run == r1
    assert prev.entries == {"http://a/1": ("一", "2018-05-30")}
