"""End to end: crawl the bundled sample portal over HTTP and hold the store to its ground truth."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from auditor.check.attribution import Attributor
from auditor.crawl.process import crawl
from auditor.portal import load_portal
from auditor.units import default_registry

FOLLOW_ALL = {"AUDITOR_WINDOW": ""}


@pytest.fixture(scope="module")
def crawled(sample_portal, tmp_path_factory):
    """Two crawls of the unchanged sample portal into one database, following everything
    (no evaluation window), so that every page the generator wrote is held to its truth."""
    db = tmp_path_factory.mktemp("e2e") / "audit.db"
    first = crawl(sample_portal.config_path, db, settings=FOLLOW_ALL)
    second = crawl(sample_portal.config_path, db, settings=FOLLOW_ALL)
    manifest = json.loads(Path(sample_portal.manifest_path).read_text(encoding="utf-8"))
    return first, second, db, manifest


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def page_urls(db: Path, run: int) -> set[str]:
    return {u for (u,) in rows(db, "SELECT url FROM pages WHERE run = ?", run)}


def test_every_page_is_crawled_once(crawled) -> None:
    first, _, db, manifest = crawled
    assert first.status == "complete"
    assert first.pages == manifest["pages"]
    documents = {d["url"] for d in manifest["documents"]}
    assert documents <= page_urls(db, first.run)


def test_the_window_crawl_reads_every_document_dated_in_the_window_and_skips_only_the_others(
        sample_portal, tmp_path) -> None:
    manifest = json.loads(Path(sample_portal.manifest_path).read_text(encoding="utf-8"))
    db = tmp_path / "audit.db"
    run = crawl(sample_portal.config_path, db).run
    start, end = rows(db, "SELECT window_from, window_to FROM runs WHERE id = ?", run)[0]
    assert (start, end) == ("2018-01-01", "2019-03-31")
    inside = {d["url"] for d in manifest["documents"] if not d["date"] or start <= d["date"] <= end}
    assert inside <= page_urls(db, run)
    skipped = {u for (u,) in rows(db, "SELECT url FROM skipped WHERE run = ? AND reason != 'list_before_window'", run)}
    dates = {d["url"]: d["date"] for d in manifest["documents"]}
    assert skipped and not skipped & inside
    assert all(dates[u] < start or dates[u] > end for u in skipped if u in dates)


def test_titles_and_dates_of_documents_match_the_truth(crawled) -> None:
    first, _, db, manifest = crawled
    stored = {u: (t, d) for u, t, d in rows(db, "SELECT url, title, date FROM pages WHERE run = ?", first.run)}
    wrong = [(d["url"], d["title"], d["date"], stored.get(d["url"])) for d in manifest["documents"]
             if stored.get(d["url"]) != (d["title"], d["date"])]
    assert wrong == []


def test_units_are_attributed_from_the_crawled_evidence(crawled, sample_portal) -> None:
    first, _, db, manifest = crawled
    registry = default_registry()
    attributor = Attributor(load_portal(sample_portal.config_path, registry), registry)
    stored = {u: (p, m) for u, p, m in rows(db, "SELECT url, publisher, meta FROM pages WHERE run = ?", first.run)}
    wrong = [(d["url"], d["unit"], attributor.unit_of(d["url"], *stored[d["url"]])) for d in manifest["documents"]
             if attributor.unit_of(d["url"], *stored[d["url"]]) != d["unit"]]
    assert wrong == []


def test_broken_link_targets_and_their_pages(crawled) -> None:
    first, _, db, manifest = crawled
    truth = {(c["url"], c["linked_from"]) for c in manifest["site_checks"] if c["check"] == "broken_link"}
    found = set(rows(db, """SELECT l.to_url, l.from_url FROM links l JOIN fetches f ON f.run = l.run AND f.url = l.to_url
                            WHERE l.run = ? AND (f.status >= 400 OR f.error != '')
                            AND f.url NOT IN (SELECT url FROM unit_reach WHERE run = ? AND ok = 0)""",
                     first.run, first.run))
    assert truth and {t for t, _ in truth} == {t for t, _ in found}
    assert truth <= found


def test_the_down_unit_is_the_only_unreachable_one(crawled) -> None:
    first, _, _, manifest = crawled
    truth = {i["unit"] for i in manifest["items"] if i["status"] == "unreachable"}
    assert truth and first.unreachable == sorted(truth)


def test_gbk_titles_are_decoded(crawled) -> None:
    first, _, db, manifest = crawled
    stored = dict(rows(db, "SELECT url, title FROM pages WHERE run = ?", first.run))
    assert manifest["gbk_pages"]
    assert {p["url"]: stored.get(p["url"]) for p in manifest["gbk_pages"]} == {
        p["url"]: p["title"] for p in manifest["gbk_pages"]}
    assert rows(db, "SELECT DISTINCT encoding FROM pages WHERE run = ? AND url IN ({})".format(
        ",".join("?" * len(manifest["gbk_pages"]))), first.run, *[p["url"] for p in manifest["gbk_pages"]]) == [
        ("gb18030",)]


def test_attachments_are_recorded_with_their_link_text(crawled) -> None:
    first, _, db, manifest = crawled
    stored = {(u, p): (t, e, s) for u, p, t, e, s in rows(
        db, "SELECT url, page_url, text, ext, status FROM attachments WHERE run = ?", first.run)}
    assert {(a["url"], a["page"]): stored.get((a["url"], a["page"])) for a in manifest["attachments"]} == {
        (a["url"], a["page"]): (a["text"], a["ext"], 200) for a in manifest["attachments"]}


def test_a_second_crawl_is_incremental(crawled) -> None:
    first, second, db, _ = crawled
    assert second.status == "complete"
    assert page_urls(db, second.run) == page_urls(db, first.run)
    assert second.bytes <= 0.2 * first.bytes, (second.bytes, first.bytes)
