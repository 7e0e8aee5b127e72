"""Distributed crawl on scrapy-redis: two worker processes and the ingest step against a real redis-server.

`.ci/run` starts a redis-server and names it in AUDITOR_TEST_REDIS; without it the
fixture starts its own (redis-server must be installed: no skip).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from loopback import Resource, Site, article, html, write_portal

from auditor.crawl.process import crawl
from auditor.crawl.redis_keys import KEYS
from auditor.distributed import ingest, redis_settings
from auditor.errors import AuditorError
from auditor.store.records import Fetch, Page, to_json
from sampleportal import SamplePortal


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    """A Redis database of its own, emptied before and after."""
    given = os.environ.get("AUDITOR_TEST_REDIS")
    server = None
    if not given:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (apt-get install redis-server)"
        port = free_port()
        server = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                   "--appendonly", "no"], stdout=subprocess.DEVNULL)
        given = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(given)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    client.flushdb()
    yield given
    client.flushdb()
    if server:
        server.terminate()
        server.wait()


@pytest.fixture(scope="module")
def portal():
    with SamplePortal(pages=600) as p:
        yield p


def page_rows(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT url, sha1 FROM pages WHERE run = (SELECT max(id) FROM runs)"))


def auditor(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "auditor", *args], stderr=subprocess.PIPE, text=True)


def test_two_workers_and_ingest_store_the_same_pages_as_one_crawl(portal, redis_url, tmp_path):
    single = crawl(portal.config_path, tmp_path / "single.db")
    assert single.status == "complete" and single.pages > 500

    workers = [auditor("crawl", "--portal", str(portal.config_path), "--redis", redis_url) for _ in range(2)]
    store = auditor("ingest", "--redis", redis_url, "--db", str(tmp_path / "distributed.db"))
    # idle workers exit on their own, and ingest ends after the last of them
    for proc in [*workers, store]:
        assert proc.wait(timeout=180) == 0, proc.stderr.read()
    log = store.stderr.read()

    assert page_rows(tmp_path / "distributed.db") == page_rows(tmp_path / "single.db")
    with sqlite3.connect(tmp_path / "distributed.db") as conn:
        assert conn.execute("SELECT status, pages FROM runs").fetchall() == [("complete", single.pages)]
    # each page was read by exactly one worker, and both took a share
    read = [int(n) for n in re.findall(r"ingest: worker \S+ finished: (\d+) pages", log)]
    assert len(read) == 2 and sum(read) == single.pages and min(read) > 0, log
    # the crawl's keys are gone: the next distributed crawl starts afresh
    assert redis.Redis.from_url(redis_url).keys("auditor:*") == []


def test_two_workers_together_keep_the_hosts_polite_rate(redis_url, tmp_path):
    rate = 20.0  # requests a second for the host, shared by every worker
    # few requests in flight per worker, so that neither takes the whole frontier at once
    # 10 s of work at that rate: an idle worker looks for queued work every 5 s (Scrapy's heartbeat)
    links = "".join(f'<a href="/p{i}.html">第{i}篇</a>' for i in range(200))
    pages = {"/": Resource(html("首页", links)), **{f"/p{i}.html": article(f"第{i}篇") for i in range(200)}}
    with Site("127.0.0.2", pages) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")], settings={"AUDITOR_HOST_RATE": rate,
                                                                                     "CONCURRENT_REQUESTS": 4})
        workers = [auditor("crawl", "--portal", config, "--redis", redis_url) for _ in range(2)]
        store = auditor("ingest", "--redis", redis_url, "--db", str(tmp_path / "audit.db"))
        for proc in [*workers, store]:
            assert proc.wait(timeout=180) == 0, proc.stderr.read()
        times = sorted(site.times)
    read = [int(n) for n in re.findall(r"ingest: worker \S+ finished: (\d+) pages", store.stderr.read())]
    assert len(read) == 2 and min(read) > 0  # both workers asked the host
    assert len(times) >= 201
    measured = (len(times) - 1) / (times[-1] - times[0])
    assert measured <= 1.1 * rate, f"{measured:.1f} requests/s against one host, more than 1.1 x {rate}"


def test_ingest_without_workers_is_a_one_line_error(redis_url, tmp_path):
    with pytest.raises(AuditorError, match="no crawl announced"):
        ingest(redis_url, tmp_path / "audit.db", wait=0.5)


def test_unreachable_redis_is_a_one_line_error_with_exit_2(portal, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "auditor", "crawl", "--portal", str(portal.config_path),
                           "--redis", f"redis://127.0.0.1:{free_port()}/0"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("auditor: --redis: cannot use Redis at") and proc.stderr.count("\n") == 1


def test_a_worker_gone_without_closing_leaves_an_interrupted_run(redis_url, tmp_path):
    r = redis.Redis.from_url(redis_url)
    r.set(KEYS["portal"], json.dumps({"portal": "p", "config": {}, "settings": {}, "unit": ""}))
    r.sadd(KEYS["workers"], "elsewhere:1")  # joined, never said it was done, heartbeat expired
    page = Page("http://a.test/", "s1", title="t")
    fetch = Fetch(page.url, "page", 200, sha1="s1", version=page.version)
    r.rpush(redis_settings()["REDIS_ITEMS_KEY"], *(json.dumps(to_json(rec)) for rec in (fetch, page)))
    summary = ingest(redis_url, tmp_path / "audit.db", wait=1)
    # what it sent is kept, and the crawl is not taken for complete
    assert (summary.status, summary.pages) == ("interrupted", 1)
    assert r.keys("auditor:*") == []
