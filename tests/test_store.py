"""The crawl store (auditor.store): WAL file, runs, batched writes, shared page versions, carry-over, earlier runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from auditor.crawl.finish import date_pages_from_lists
from auditor.store import (
    Attachment,
    Carry,
    CrawlStore,
    Entry,
    Fetch,
    Link,
    Page,
    Reach,
    open_db,
    schema,
)

PORTAL = "测试门户"


@pytest.fixture
def store(tmp_path: Path) -> CrawlStore:
    s = CrawlStore(open_db(tmp_path / "audit.db"))
    yield s
    s.db.close()


def page(url: str, sha1: str = "", **extra) -> list:
    """A stored page: its fetch and what was read from it."""
    sha1 = sha1 or f"sha-{url}"
    etag = extra.pop("etag", None)
    p = Page(url, sha1, title=f"标题 {url}", **extra)
    return [Fetch(url, "page", 200, bytes=100, sha1=sha1, version=p.version, etag=etag), p]


def fetch(url: str, kind: str = "page", **extra) -> Fetch:
    return Fetch(url, kind, extra.pop("status", 200), bytes=100, **extra)


def test_database_is_wal_with_every_table_and_view_at_the_current_schema(store: CrawlStore) -> None:
    db = store.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert {t.name for t in schema.TABLES} == set(db.table_names())
    assert {"pages", "links", "attachments", "list_entries"} == set(db.view_names())


def test_every_table_has_its_primary_key_and_foreign_keys(store: CrawlStore) -> None:
    for t in schema.TABLES:
        info = store.db[t.name]
        assert tuple(info.pks) == t.pk, t.name
        assert {(fk.column, fk.other_table, fk.other_column) for fk in info.foreign_keys} == set(t.fks), t.name


def test_runs_are_numbered_and_closed_with_totals(store: CrawlStore) -> None:
    first = store.start_run(PORTAL, {}, {})
    store.write(first, [*page("http://a/1"), *page("http://a/2"), fetch("http://a/x", status=404)])
    totals = store.close_run(first, "complete")
    assert totals == {"pages": 2, "carried_over": 0, "errors": 1, "bytes": 300, "skipped": 0}
    second = store.start_run(PORTAL, {}, {}, unit_filter="区民政局")
    assert second == first + 1
    row = store.db["runs"].get(second)
    assert (row["status"], row["unit_filter"]) == ("running", "区民政局")
    assert store.db["runs"].get(first)["status"] == "complete"


def test_a_batch_is_one_transaction(store: CrawlStore) -> None:
    run = store.start_run(PORTAL, {}, {})
    unbindable = Reach("区民政局", "http://a/", True, status=object())  # type: ignore[arg-type]
    with pytest.raises(Exception):
        store.write(run, [*page("http://a/1"), unbindable])
    assert store.db["fetches"].count == 0 and store.db["contents"].count == 0
    with pytest.raises(TypeError, match="not a crawl record"):
        store.write(run, [*page("http://a/1"), {"url": "http://a/2"}])
    assert store.db["fetches"].count == 0


def test_rewriting_a_row_keeps_the_first(store: CrawlStore) -> None:
    run = store.start_run(PORTAL, {}, {})
    first, second = page("http://a/1", "same"), page("http://a/1", "same")
    second[1].title = "二"
    store.write(run, first)
    store.write(run, second)
    assert [r["title"] for r in store.db["pages"].rows] == ["标题 http://a/1"]


def test_an_unchanged_body_is_stored_once_whatever_the_runs(store: CrawlStore) -> None:
    for _ in range(3):
        run = store.start_run(PORTAL, {}, {})
        records = page("http://a/list", "body-1", is_list=True, links=[Link("http://a/d1", "文", True)],
                       entries=[Entry("http://a/d1", "文", "2018-05-30")])
        store.write(run, records)
        store.close_run(run, "complete")
    counts = {t: store.db[t].count for t in ("contents", "versions", "version_links", "version_entries", "fetches")}
    assert counts == {"contents": 1, "versions": 1, "version_links": 1, "version_entries": 1, "fetches": 3}
    # yet each run has its page, link and list entry
    for view in ("pages", "links", "list_entries"):
        assert [r[0] for r in store.db.execute(f"SELECT run FROM {view} ORDER BY run")] == [1, 2, 3], view


def test_carry_over_takes_a_page_and_what_it_leads_to(store: CrawlStore) -> None:
    old = store.start_run(PORTAL, {}, {})
    url = "http://a/list"
    store.write(old, [
        *page(url, is_list=True, etag='"e1"', links=[Link("http://a/d1", "文", True)],
              attachments=[Attachment("http://a/f.pdf", "附件", "pdf")],
              entries=[Entry("http://a/d1", "文", "2018-05-30")]),
        fetch("http://a/f.pdf", "attachment", size=9)])
    store.close_run(old, "complete")
    new = store.start_run(PORTAL, {}, {})
    store.write(new, [Carry(url, old), Carry("http://a/f.pdf", old)])
    store.close_run(new, "complete")
    copied = store.db.execute("SELECT carried_over, bytes, title, etag FROM pages WHERE run = ? AND url = ?",
                              [new, url]).fetchone()
    assert copied == (1, 0, f"标题 {url}", '"e1"')
    for view in ("links", "attachments", "list_entries"):
        assert store.db.execute(f"SELECT count(*) FROM {view} WHERE run = ?", [new]).fetchone()[0] == 1, view
    att = store.db.execute("SELECT status, size FROM attachments WHERE run = ? AND url = 'http://a/f.pdf'",
                           [new]).fetchone()
    assert att == (200, 9)  # from the carried fetch
    assert store.db["fetches"].count_where("run = ? AND carried_over = 1 AND bytes = 0", [new]) == 2
    # The earlier run is untouched.
    assert store.db.execute("SELECT carried_over FROM pages WHERE run = ?", [old]).fetchone() == (0,)
    led = store.stored_page(old, url)
    assert (led.links, led.attachments, led.entries) == ([("http://a/d1", True)], ["http://a/f.pdf"],
                                                         [("http://a/d1", "文", "2018-05-30")])


def test_previous_state_is_the_newest_fetch_of_earlier_runs(store: CrawlStore) -> None:
    r1 = store.start_run(PORTAL, {}, {})
    store.write(r1, [*page("http://a/1", etag='"old"'), *page("http://a/2", etag='"2"'),
                     fetch("http://a/f.pdf", "attachment", last_modified="Wed, 30 May 2018"),
                     *page("http://a/", is_list=True, entries=[Entry("http://a/1", "一", "2018-05-30")])])
    store.close_run(r1, "complete")
    r2 = store.start_run(PORTAL, {}, {})  # interrupted, but what it fetched still counts
    store.write(r2, page("http://a/1", "changed", etag='"new"'))
    store.close_run(r2, "interrupted")
    r3 = store.start_run(PORTAL, {}, {})  # failed runs are ignored
    store.write(r3, [fetch("http://a/2", status=500)])
    store.close_run(r3, "failed")
    other = store.start_run("另一门户", {}, {})
    store.write(other, [fetch("http://a/3", etag='"x"')])
    r4 = store.start_run(PORTAL, {}, {})

    prev = store.previous(PORTAL, r4)
    assert prev.validators("http://a/1") == (r2, "page", '"new"', "", True)
    assert prev.validators("http://a/2").run == r1
    assert prev.validators("http://a/f.pdf").last_modified == "Wed, 30 May 2018"
    assert prev.validators("http://a/3") is None
    assert prev.entries == {"http://a/1": ("一", "2018-05-30")}


def test_a_page_fetch_without_a_stored_page_gets_no_validators(store: CrawlStore) -> None:
    r1 = store.start_run(PORTAL, {}, {})
    store.write(r1, [fetch("http://a/1", etag='"e"')])
    store.close_run(r1, "complete")
    assert store.previous(PORTAL, r1 + 1).validators("http://a/1") is None


def test_finishing_dates_undated_pages_from_list_entries(store: CrawlStore) -> None:
    run = store.start_run(PORTAL, {}, {})
    store.write(run, [
        *page("http://a/d1"), *page("http://a/d2", date="2018-01-02", date_source="label"),
        *page("http://a/l1", is_list=True, entries=[Entry("http://a/d1", "一", "2018-05-30"),
                                                    Entry("http://a/d2", "二", "2018-05-01")]),
        *page("http://a/l2", is_list=True, entries=[Entry("http://a/d1", "一", "2018-05-29")]),
    ])
    date_pages_from_lists(store, run)
    got = dict(((u, (d, s)) for u, d, s in store.db.execute("SELECT url, date, date_source FROM pages")))
    assert got["http://a/d1"] == ("2018-05-30", "list")
    assert got["http://a/d2"] == ("2018-01-02", "label")
    assert got["http://a/l1"] == (None, "")


def test_runs_of_dead_processes_become_interrupted(store: CrawlStore) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = store.start_run(PORTAL, {}, {})
    store.db["runs"].update(stale, {"pid": int(dead.stdout)})
    mine = store.start_run(PORTAL, {}, {})  # starting a run sweeps stale ones
    assert store.db["runs"].get(stale)["status"] == "interrupted"
    assert store.db["runs"].get(mine)["status"] == "running"


def test_a_list_entry_newer_than_the_page_copy_is_not_its_entry(store: CrawlStore) -> None:
    """An interrupted run read a changed list but not the changed page: the rerun must
    not take the old copy for the new entry (it compares with the entry of that copy)."""
    r1 = store.start_run(PORTAL, {}, {})
    store.write(r1, [*page("http://a/1"), *page("http://a/", "list-1", is_list=True,
                                                entries=[Entry("http://a/1", "一", "2018-05-30")])])
    store.close_run(r1, "complete")
    r2 = store.start_run(PORTAL, {}, {})
    store.write(r2, page("http://a/", "list-2", is_list=True, entries=[Entry("http://a/1", "一（修订）", "2018-05-30")]))
    store.close_run(r2, "interrupted")
    prev = store.previous(PORTAL, store.start_run(PORTAL, {}, {}))
    assert prev.urls["http://a/1"].run == r1
    assert prev.entries == {"http://a/1": ("一", "2018-05-30")}
