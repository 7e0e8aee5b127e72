"""Retention: old runs lose their crawl rows; every check's findings, scores, roll-up and site checks stay."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from checkdb import make_crawl, page, rule, write_rules
from sqlite_utils import Database

from auditor.check import run_check
from auditor.errors import AuditorError
from auditor.findings import build_document
from auditor.retention import prune

# what each run holds of the crawl (tables and the per-run views over shared page versions)
PRUNED_TABLES = ("pages", "links", "fetches", "attachments", "list_entries")
CHECK_TABLES = ("check_runs", "findings", "item_status", "scores", "site_checks", "check_rules", "unit_reach", "runs")


def crawl_rows(n: int) -> dict:
    """A crawl with a row in every pruned table, a broken link among them."""
    pages = [page(f"http://www.test/mzj/{i}.html", f"2018年{i}月城乡低保资金发放情况", date=f"2018-{i:02d}-05")
             for i in range(1, n + 1)]
    pages.append(page("http://www.test/mzj/", "区民政局", date=None, is_list=1))  # the list the entries are on
    return dict(
        pages=pages,
        links=[{"from_url": p["url"], "to_url": "http://www.test/gone.html", "text": "x", "internal": 1} for p in pages],
        fetches=[{"url": "http://www.test/gone.html", "kind": "page", "status": 404, "error": ""},
                 *({"url": p["url"], "kind": "page", "status": 200, "error": ""} for p in pages)],
        attachments=[{"page_url": pages[0]["url"], "url": "http://www.test/a.pdf", "text": "附件", "ext": "pdf"}],
        list_entries=[{"list_url": "http://www.test/mzj/", "url": p["url"], "title": p["title"]} for p in pages[:-1]],
        unit_reach=[{"unit": "区民政局", "url": "http://www.test/mzj/", "ok": 1, "status": 200, "error": ""}],
    )


@pytest.fixture
def audited(tmp_path):
    """Three complete crawls, each checked, then an interrupted crawl."""
    rules = write_rules(tmp_path / "rules", [
        rule("jd2018-050", 50, ["民政局"], "城乡低保资金发放情况", {"name": {"all": ["低保"], "any": ["发放情况"]}},
             timing={"valid_from": "2018-01-01", "cadence": "monthly", "series_from": "2018-01"})])
    db = tmp_path / "audit.db"
    for n in (3, 4, 5):
        make_crawl(db, **crawl_rows(n))
        run_check(db, rules, as_of=date(2018, 12, 10))
    make_crawl(db, **crawl_rows(6), status="interrupted")
    return db


def cited_urls(doc: dict) -> set[str]:
    return {e["url"] for f in doc["findings"] for e in f["evidence"] + f["rejected"]}


def counts(db, tables, where="1") -> dict[str, int]:
    d = Database(db)
    return {t: d.execute(f"SELECT count(*) FROM {t} WHERE {where}").fetchone()[0] for t in tables}


def test_prune_keeps_the_newest_runs_crawl_rows_and_every_checks_results(audited):
    checks = counts(audited, CHECK_TABLES)
    assert checks["site_checks"] and checks["findings"] and checks["scores"] and checks["item_status"]
    reports = [build_document(Database(audited), check_run) for check_run in (1, 2, 3)]
    kept = {run: counts(audited, PRUNED_TABLES, f"run = {run}") for run in (3, 4)}

    cited = {run: cited_urls(reports[run - 1]) for run in (1, 2)}
    assert all(cited.values())
    result = prune(audited, keep=1)

    assert result.pruned_runs == [1, 2] and result.rows > 0
    # a pruned run keeps only the pages its checks cite or turn down (取证), nothing else
    for run in (1, 2):
        assert {r[0] for r in Database(audited).execute("SELECT url FROM pages WHERE run = ?", [run])} == cited[run]
        assert counts(audited, ("list_entries",), f"run = {run}") == {"list_entries": 0}
    # the newest complete run and the interrupted one after it keep everything
    assert {run: counts(audited, PRUNED_TABLES, f"run = {run}") for run in (3, 4)} == kept
    assert counts(audited, CHECK_TABLES) == checks
    assert [build_document(Database(audited), check_run) for check_run in (1, 2, 3)] == reports
    # pruning again finds nothing more to drop
    assert prune(audited, keep=1).pruned_runs == []


def test_keep_must_be_at_least_one(audited):
    with pytest.raises(AuditorError, match="keep at least one"):
        prune(audited, keep=0)


def test_prune_command(audited):
    done = subprocess.run([sys.executable, "-m", "auditor", "prune", "--db", str(audited), "--keep", "2"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "runs 1" in done.stdout
    first = cited_urls(build_document(Database(audited), 1))
    assert counts(audited, ["pages"], "run = 1") == {"pages": len(first)} and counts(audited, ["pages"], "run = 2")["pages"] == 4 + 1
