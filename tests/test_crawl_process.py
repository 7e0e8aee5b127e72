"""auditor.crawl.process.crawl and the `scrapy crawl portal` entry point: same run, interruptions, errors."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from loopback import Resource, Site, html, write_portal

from auditor.crawl.process import crawl
from auditor.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent
N = 120  # pages of the slow site


def scrapy_crawl(config: str, db: Path, *extra: str, **popen) -> subprocess.Popen:
    """``scrapy crawl portal`` from the repository root, as a user would type it."""
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"portal={config}", "-a", f"db={db}", *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def query(db: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def wait_for_pages(db: Path, proc: subprocess.Popen, at_least: int) -> None:
    """Poll the database (readable while the crawl writes: WAL) until some pages are stored."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the crawl ended before it could be interrupted"
        if db.exists():
            try:
                if query(db, "SELECT count(*) FROM pages")[0][0] >= at_least:
                    return
            except sqlite3.OperationalError:  # tables not created yet
                pass
        time.sleep(0.05)
    raise AssertionError("the crawl stored no pages within a minute")


@pytest.fixture
def slow_site():
    """A list of N articles, each answering slowly, so a crawl can be interrupted midway."""
    entries = "".join(f'<li><a href="/d{i}.html">文件{i}</a><span>2018-05-30</span></li>' for i in range(N))
    pages = {"/": Resource(html("目录", f"<ul>{entries}</ul>"))}
    for i in range(N):
        pages[f"/d{i}.html"] = Resource(html(f"文件{i}", "<p>" + "正文" * 80 + "</p>"), delay=0.1)
    with Site("127.0.0.2", pages) as site:
        yield site


def page_set(db: Path, run: int) -> set[str]:
    return {u for (u,) in query(db, "SELECT url FROM pages WHERE run = ?", run)}


def test_crawl_returns_the_run_summary(tmp_path: Path) -> None:
    pages = {"/": Resource(html("首页", '<a href="/a.html">甲</a>')), "/a.html": Resource(html("甲"))}
    with Site("127.0.0.2", pages) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        first = crawl(config, tmp_path / "audit.db")
        second = crawl(config, tmp_path / "audit.db")  # a second crawl in the same process works
    assert (first.run, first.status, first.pages, first.errors) == (1, "complete", 2, 0)
    assert (second.run, second.status, second.pages, second.carried_over) == (2, "complete", 2, 2)


def test_config_errors_are_raised_before_anything_is_written(tmp_path: Path) -> None:
    config = write_portal(tmp_path / "p.yaml", ["http://127.0.0.2:9/"], {"区民政局": ["http://127.0.0.2:9/mzj/"]})
    with pytest.raises(ConfigError, match="区环保局"):
        crawl(config, tmp_path / "audit.db", unit="区环保局")
    (tmp_path / "bad.yaml").write_text("name: x\nstart_urls: [ftp://x]\nowner: 区府办\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml:2"):
        crawl(tmp_path / "bad.yaml", tmp_path / "audit.db")
    assert not (tmp_path / "audit.db").exists()


def test_scrapy_crawl_from_the_repository_root_uses_the_same_store(tmp_path: Path) -> None:
    pages = {"/": Resource(html("首页", '<a href="/a.html">甲</a> <a href="/gone">乙</a>')),
             "/a.html": Resource(html("甲"))}
    with Site("127.0.0.2", pages) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        proc = scrapy_crawl(config, tmp_path / "audit.db")
        _, err = proc.communicate(timeout=120)
        summary = crawl(config, tmp_path / "audit.db")
    assert proc.returncode == 0, err
    assert query(tmp_path / "audit.db", "SELECT id, status, pages, errors FROM runs ORDER BY id") == [
        (1, "complete", 2, 1), (summary.run, "complete", 2, 1)]
    # Not a terminal: no live progress line, only the summary.
    assert "\r" not in err
    assert "抓取 #1 已完成：2 个页面" in err


@pytest.mark.parametrize("sig, status", [(signal.SIGKILL, "running"), (signal.SIGINT, "interrupted")],
                         ids=["SIGKILL", "Ctrl-C"])
def test_an_interrupted_crawl_leaves_the_db_intact_and_a_rerun_finishes(
        tmp_path: Path, slow_site: Site, sig: int, status: str) -> None:
    db = tmp_path / "audit.db"
    config = write_portal(tmp_path / "p.yaml", [slow_site.url("/")])
    proc = scrapy_crawl(config, db, "-s", "AUDITOR_BATCH_URLS=5", "-s", "CONCURRENT_REQUESTS=4",
                        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4")
    wait_for_pages(db, proc, 10)
    os.kill(proc.pid, sig)
    proc.communicate(timeout=60)
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    (killed, killed_status), = query(db, "SELECT id, status FROM runs")
    assert killed_status == status  # a killed run cannot close itself: never reported complete
    stored = len(page_set(db, killed))
    assert 10 <= stored < N + 1

    rerun = crawl(config, db)
    assert query(db, "SELECT status FROM runs WHERE id = ?", killed) == [("interrupted",)]
    assert rerun.status == "complete"
    assert page_set(db, rerun.run) == {slow_site.url("/")} | {slow_site.url(f"/d{i}.html") for i in range(N)}
    assert query(db, "SELECT count(*), count(DISTINCT url) FROM pages WHERE run = ?", rerun.run) == [(N + 1, N + 1)]
    # The rerun resumed: what the interrupted run read was carried over, not fetched again.
    assert rerun.carried_over >= stored - 1


def test_ctrl_c_on_the_python_api_waits_for_a_clean_stop(tmp_path: Path, slow_site: Site) -> None:
    """Ctrl-C reaches the whole foreground process group: the caller of crawl() and its child."""
    db = tmp_path / "audit.db"
    config = write_portal(tmp_path / "p.yaml", [slow_site.url("/")])
    script = ("import sys; from auditor.crawl.process import crawl; "
              f"s = crawl({config!r}, {str(db)!r}, settings={{'AUDITOR_BATCH_URLS': 5, 'CONCURRENT_REQUESTS': 4}}); "
              "print(s.status, s.pages)")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for_pages(db, proc, 10)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    status, pages = out.split()
    assert status == "interrupted" and 10 <= int(pages) <= N
    assert query(db, "SELECT status, finished_at IS NOT NULL FROM runs") == [("interrupted", 1)]
