"""The end-to-end job (`auditor run`): a crawl that reached nothing stops the job and leaves
the previous report in place; an as-of date outside the plan's window must be given."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
from pathlib import Path

from loopback import Resource, Site, html, write_portal

ARTICLE = "<p>" + "本机关依法公开政府信息。" * 20 + "</p>"


def auditor(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor", *args], cwd=cwd, capture_output=True, text=True, env=env)


def closed_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_a_crawl_that_reached_nothing_fails_and_keeps_the_previous_report(tmp_path: Path) -> None:
    db, out = tmp_path / "audit.db", tmp_path / "report"
    with Site("127.0.0.2", {"/": Resource(html("首页", ARTICLE))}) as site:
        live = write_portal(tmp_path / "live.yaml", [site.url("/")])
        first = auditor("run", "--portal", live, "--db", str(db), "--out", str(out), "--as-of", "2018-12-10",
                        cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    # the job logs the crawl's budget before it crawls, then the crawl's summary
    lines = first.stderr.splitlines()
    budget = next(i for i, line in enumerate(lines) if line.startswith("抓取预估（时间窗 2018-01-01..2019-03-31）"))
    assert any("预计请求" in line and site.host in line for line in lines[budget + 1:budget + 3])
    assert budget < next(i for i, line in enumerate(lines) if line.startswith("抓取 #"))
    before = folder_digest(out)
    # no network: every configured address refuses
    dead = write_portal(tmp_path / "dead.yaml", [f"http://127.0.0.2:{closed_port('127.0.0.2')}/"],
                        {"区民政局": [f"http://127.0.0.3:{closed_port('127.0.0.3')}/"]})
    second = auditor("run", "--portal", dead, "--db", str(db), "--out", str(out), "--as-of", "2018-12-10",
                     cwd=tmp_path)
    assert second.returncode == 1
    errors = [line for line in second.stderr.splitlines() if line.startswith("auditor:")]
    assert len(errors) == 1 and "stored no page at all" in errors[0] and "Traceback" not in second.stderr
    assert folder_digest(out) == before  # the previous report is left in place
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs ORDER BY id").fetchall() == [("complete",), ("failed",)]
        assert conn.execute("SELECT count(*) FROM check_runs").fetchone() == (1,)
    crawl_only = auditor("crawl", "--portal", dead, "--db", str(db), cwd=tmp_path)
    assert crawl_only.returncode == 1 and "失败" in crawl_only.stdout


def test_judging_outside_the_plans_window_needs_an_explicit_as_of(tmp_path: Path) -> None:
    """Today (2026) lies outside the 2018 plan's window: check and run refuse with one line,
    before crawling or writing anything; the date given by option or environment is used."""
    db = tmp_path / "audit.db"
    with Site("127.0.0.2", {"/": Resource(html("首页", ARTICLE))}) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        refused = auditor("run", "--portal", config, "--db", str(db), "--out", str(tmp_path / "o"), cwd=tmp_path)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1
        assert refused.stderr.startswith("auditor: --as-of: today (") and "evaluation window" in refused.stderr
        assert not db.exists() and not site.paths()  # nothing crawled
        crawled = auditor("crawl", "--portal", config, "--db", str(db), cwd=tmp_path)
        assert crawled.returncode == 0
    check = auditor("check", "--db", str(db), cwd=tmp_path)
    assert check.returncode == 2 and "--as-of" in check.stderr and check.stderr.count("\n") == 1
    import os

    given = auditor("check", "--db", str(db), cwd=tmp_path, env={**os.environ, "AUDITOR_AS_OF": "2019-01-15"})
    assert given.returncode == 0 and "评估基准日 2019-01-15" in given.stdout
