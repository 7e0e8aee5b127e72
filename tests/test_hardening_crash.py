"""Hardening: SIGKILL during a crawl, a check and a report, as `python -m auditor …` runs them.

Each stage is killed at a point observed from outside (the database shows its run
`running`, or the report's fresh folder exists): the process group is frozen with
SIGSTOP, the state is confirmed still half-done, then SIGKILL. Afterwards the database
passes `PRAGMA integrity_check`, earlier runs hold exactly the rows they held, the
half-done run is never taken for a complete one, and running the stage again
completes the job.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
from conftest import REPO
from loopback import Resource, Site, html, write_portal
from test_crawl_process import query

N = 150  # articles of the site
AS_OF = "2019-01-15"
CRAWL_TABLES = ("pages", "links", "fetches", "attachments", "list_entries", "unit_reach")
CHECK_TABLES = ("findings", "item_status", "scores", "site_checks", "check_rules", "check_plan", "check_units")


def auditor(*args: str, log: Path) -> subprocess.Popen:
    """``python -m auditor ARGS`` in its own process group (a crawl has a child process)."""
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "auditor", *args], cwd=REPO, stdout=out, stderr=out,
                                start_new_session=True)


def finish(proc: subprocess.Popen, log: Path) -> None:
    assert proc.wait(timeout=300) == 0, log.read_text(encoding="utf-8", errors="replace")[-3000:]


def kill_when(proc: subprocess.Popen, half_done: Callable[[], bool]) -> bool:
    """SIGKILL ``proc``'s group while ``half_done()`` holds; False if it finished first.

    The group is frozen (SIGSTOP) as soon as the state is seen, and the state checked
    again while frozen, so a True means the process died in that very state.
    """
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if _holds(half_done):
            os.killpg(proc.pid, signal.SIGSTOP)
            if _holds(half_done):
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=60)
                return True
            os.killpg(proc.pid, signal.SIGCONT)
            break
        time.sleep(0.003)
    proc.wait(timeout=300)
    return False


def _holds(predicate: Callable[[], bool]) -> bool:
    try:
        return predicate()
    except sqlite3.OperationalError:  # tables not created yet
        return False


def snapshot(db: Path, key: str, run: int) -> dict[str, str]:
    """sha1 of every row of ``run`` in each table keyed by ``key`` (run | check_run), and of its run row."""
    tables = CRAWL_TABLES if key == "run" else CHECK_TABLES
    out = {}
    for table in tables:
        # rows without their run number, so two runs' rows compare
        columns = ", ".join(f"[{c}]" for (_, c, *_) in query(db, f"PRAGMA table_info({table})") if c != key)
        rows = sorted(map(repr, query(db, f"SELECT {columns} FROM {table} WHERE {key} = ?", run)))
        out[table] = f"{len(rows)}:{hashlib.sha1(''.join(rows).encode()).hexdigest()}"
    runs = "runs" if key == "run" else "check_runs"
    out[runs] = repr(query(db, f"SELECT * FROM {runs} WHERE id = ?", run))
    return out


@pytest.fixture
def site():
    """A district site whose articles answer slowly enough to be caught mid-crawl."""
    entries = "".join(f'<li><a href="/d{i}.html">嘉定区民政局第{i}号通知</a><span>2018-05-30</span></li>'
                      for i in range(N))
    pages = {"/": Resource(html("嘉定区民政局", f"<ul>{entries}</ul>"
                                '<a href="/nb.html">嘉定区民政局2017年政府信息公开工作年度报告</a>')),
             "/nb.html": Resource(html("嘉定区民政局2017年政府信息公开工作年度报告", "<p>发布日期：2018-01-20</p>"))}
    for i in range(N):
        pages[f"/d{i}.html"] = Resource(html(f"嘉定区民政局第{i}号通知", "<p>" + "正文" * 80 + "</p>"), delay=0.05)
    with Site("127.0.0.2", pages, validators=False) as s:
        yield s


@pytest.fixture
def audited(tmp_path: Path, site: Site):
    """One complete crawl, check and report: the earlier run every kill must leave alone."""
    db, out, log = tmp_path / "audit.db", tmp_path / "out", tmp_path / "log.txt"
    config = write_portal(tmp_path / "portal.yaml", [site.url("/")], {"区民政局": [site.url("/")]},
                          settings={"CONCURRENT_REQUESTS": 4, "AUDITOR_BATCH_URLS": 5})
    for args in (("crawl", "--portal", config), ("check", "--as-of", AS_OF), ("report", "--out", str(out))):
        finish(auditor(*args, "--db", str(db), log=log), log)
    assert query(db, "SELECT id, status FROM runs") == [(1, "complete")]
    assert query(db, "SELECT id, crawl_run, status FROM check_runs") == [(1, 1, "complete")]
    return config, db, out, log


def report_of(out: Path) -> dict:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))["run"]


def test_sigkill_during_a_crawl(audited, site: Site) -> None:
    config, db, out, log = audited
    crawl1, check1 = snapshot(db, "run", 1), snapshot(db, "check_run", 1)
    # New articles, so the second crawl has real work (the rest is carried over).
    for i in range(N):
        site.pages[f"/d{i}.html"] = Resource(html(f"嘉定区民政局第{i}号通知（修订）", "<p>正文</p>"), delay=0.05)
    site.pages["/"].body = site.pages["/"].body.replace("号通知</a>".encode(), "号通知（修订）</a>".encode())

    proc = auditor("crawl", "--portal", config, "--db", str(db), log=log)
    assert kill_when(proc, lambda: query(db, "SELECT count(*) FROM pages p JOIN runs r ON r.id = p.run "
                                             "WHERE r.id = 2 AND r.status = 'running'")[0][0] >= 10)
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT status FROM runs WHERE id = 2") == [("running",)]  # never complete
    assert snapshot(db, "run", 1) == crawl1

    # The check ignores the killed crawl: it judges the latest complete one.
    finish(auditor("check", "--as-of", AS_OF, "--db", str(db), log=log), log)
    assert query(db, "SELECT crawl_run, status FROM check_runs WHERE id = 2") == [(1, "complete")]

    # Crawling again marks the killed run interrupted and completes a new run.
    finish(auditor("crawl", "--portal", config, "--db", str(db), log=log), log)
    assert query(db, "SELECT id, status FROM runs ORDER BY id") == [(1, "complete"), (2, "interrupted"),
                                                                    (3, "complete")]
    assert query(db, "SELECT count(*) FROM pages WHERE run = 3") == [(N + 2,)]
    assert query(db, "SELECT count(*) FROM pages WHERE run = 3 AND title LIKE '%（修订）'") == [(N,)]
    finish(auditor("check", "--as-of", AS_OF, "--db", str(db), log=log), log)
    assert query(db, "SELECT crawl_run, status FROM check_runs WHERE id = 3") == [(3, "complete")]
    assert snapshot(db, "run", 1) == crawl1 and snapshot(db, "check_run", 1) == check1


def test_sigkill_during_a_check(audited) -> None:
    _, db, out, log = audited
    check1 = snapshot(db, "check_run", 1)
    killed = []
    for _ in range(5):  # a check may finish before it is seen running; then try again
        before = query(db, "SELECT max(id) FROM check_runs")[0][0]
        proc = auditor("check", "--as-of", AS_OF, "--db", str(db), log=log)
        if kill_when(proc, lambda: query(db, "SELECT count(*) FROM check_runs WHERE id > ? AND status = 'running'",
                                         before)[0][0] == 1):
            killed.append(before + 1)
            break
    assert killed, "no check was caught running in five tries"
    run = killed[0]
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    # The killed check wrote nothing but its 'running' row: no partial findings.
    assert query(db, "SELECT status FROM check_runs WHERE id = ?", run) == [("running",)]
    assert all(v.startswith("0:") for t, v in snapshot(db, "check_run", run).items() if t != "check_runs")
    assert snapshot(db, "check_run", 1) == check1

    # A report now shows the latest complete check, never the half-done one.
    finish(auditor("report", "--out", str(out), "--db", str(db), log=log), log)
    assert report_of(out)["check_run"] < run
    # Checking again completes; the earlier check's findings are untouched.
    finish(auditor("check", "--as-of", AS_OF, "--db", str(db), log=log), log)
    (again, status), = query(db, "SELECT id, status FROM check_runs ORDER BY id DESC LIMIT 1")
    assert again > run and status == "complete"
    assert snapshot(db, "check_run", again)["findings"] == check1["findings"]  # same crawl, same verdicts
    assert snapshot(db, "check_run", 1) == check1
    finish(auditor("report", "--out", str(out), "--db", str(db), log=log), log)
    assert report_of(out)["check_run"] == again


def test_sigkill_during_a_report(audited) -> None:
    _, db, out, log = audited
    previous = (out / "findings.json").read_bytes()
    files = sorted(p.relative_to(out) for p in out.rglob("*"))
    finish(auditor("check", "--as-of", AS_OF, "--db", str(db), log=log), log)  # check run 2: a newer report
    fresh = lambda: any(p.name.startswith(f".{out.name}.new-") and any(p.rglob("*.html"))  # noqa: E731
                        for p in out.parent.iterdir())
    assert kill_when(auditor("report", "--out", str(out), "--db", str(db), log=log), fresh)
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    # The previous report is still there, whole: the new one was never swapped in half-written.
    assert (out / "findings.json").read_bytes() == previous
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == files
    assert report_of(out)["check_run"] == 1

    assert scratch(out)  # what the killed writer left
    finish(auditor("report", "--out", str(out), "--db", str(db), log=log), log)
    assert report_of(out)["check_run"] == 2
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == files
    assert scratch(out) == []  # swept by the next writer


def scratch(out: Path) -> list[str]:
    return [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]


def test_a_report_killed_between_its_renames_is_put_back(audited) -> None:
    """Killed after moving the previous report aside and before moving the new one in:
    the next writer restores the previous report first, then replaces it."""
    _, db, out, log = audited
    previous = (out / "findings.json").read_bytes()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    aside = out.parent / f".{out.name}.old-{dead.pid}-x1"
    aside.mkdir()
    out.replace(aside / "report")
    (out.parent / f".{out.name}.new-{dead.pid}-x2").mkdir()  # its half-written new report

    from auditor.report.render import _sweep

    _sweep(out)
    assert (out / "findings.json").read_bytes() == previous and scratch(out) == []



def test_a_crawl_whose_parent_is_killed_stops_instead_of_running_on(tmp_path: Path, site: Site) -> None:
    """A scheduler's timeout kills `auditor crawl` but not the crawl's child process: the
    child must not crawl on unsupervised (the job lock died with the parent)."""
    db, log = tmp_path / "audit.db", tmp_path / "log.txt"
    config = write_portal(tmp_path / "portal.yaml", [site.url("/")],
                          settings={"CONCURRENT_REQUESTS": 2, "AUDITOR_BATCH_URLS": 5})
    proc = auditor("crawl", "--portal", config, "--db", str(db), log=log)
    wait_until(lambda: query(db, "SELECT count(*) FROM pages")[0][0] >= 10, proc)
    os.kill(proc.pid, signal.SIGKILL)  # the parent alone
    proc.wait(timeout=60)
    wait_until(lambda: query(db, "SELECT status FROM runs") != [("running",)])
    assert query(db, "SELECT status FROM runs") == [("interrupted",)]  # stopped as by Ctrl-C
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT count(*) FROM pages")[0][0] < N + 2


def wait_until(condition: Callable[[], bool], proc: subprocess.Popen | None = None) -> None:
    """Poll ``condition`` (a minute at most: a bound on a hang, not a speed test)."""
    deadline = time.monotonic() + 60
    while not _holds(condition):
        assert time.monotonic() < deadline, "condition never held"
        assert proc is None or proc.poll() is None, "the process ended first"
        time.sleep(0.01)


def test_a_killed_job_leaves_no_lock_and_running_it_again_completes(tmp_path: Path, site: Site) -> None:
    """`auditor run` (the scheduled job) killed mid-crawl; the next scheduled run just works."""
    db, out, log = tmp_path / "audit.db", tmp_path / "out", tmp_path / "log.txt"
    config = write_portal(tmp_path / "portal.yaml", [site.url("/")], {"区民政局": [site.url("/")]},
                          settings={"CONCURRENT_REQUESTS": 2, "AUDITOR_BATCH_URLS": 5})
    job = ("run", "--portal", config, "--db", str(db), "--out", str(out), "--as-of", AS_OF)
    assert kill_when(auditor(*job, log=log), lambda: query(db, "SELECT count(*) FROM pages")[0][0] >= 10)
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert not out.exists()
    finish(auditor(*job, log=log), log)  # the lock died with the killed job
    assert query(db, "SELECT id, status FROM runs ORDER BY id") == [(1, "interrupted"), (2, "complete")]
    assert query(db, "SELECT crawl_run, status FROM check_runs") == [(2, "complete")]
    assert report_of(out) == {**report_of(out), "id": 2, "check_run": 1}
    assert query(db, "SELECT count(*) FROM pages WHERE run = 2") == [(N + 2,)]
