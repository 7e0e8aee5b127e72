"""A crawl shared by many workers through Redis (scrapy-redis), stored by one ingest step.

``work(portal, redis_url)`` runs one worker (`auditor crawl --redis URL`): the
`portal-worker` spider, whose frontier, duplicate filter and items live in Redis.
``ingest(redis_url, db)`` (`auditor ingest`) numbers the run, writes the workers'
items into the store in batched transactions while they crawl, and closes the run
when the last worker has gone; it then clears the crawl's keys, so the next crawl
starts afresh. Workers and ingest may run on different machines; only ingest needs
the database.
"""

from __future__ import annotations

import json
import os
import time
from typing import Callable

from .crawl.finish import finish_run
from .crawl.process import CrawlError, CrawlSummary, summary_of
from .crawl.redis_keys import KEYS
from .crawl.window import window_ends
from .errors import AuditorError
from .portal import load_portal
from .store import CrawlStore, open_db
from .store.records import from_json
from .units import default_registry

# Records written per transaction.
INGEST_BATCH = 500


def redis_settings() -> dict:
    """scrapy-redis's keys as spiders/settings.py sets them."""
    from auditor.crawl import settings

    return settings.AUDITOR_REDIS_SETTINGS


def connect(url: str):
    """A Redis client for ``url``, or a one-line error naming --redis."""
    try:
        import redis
    except ImportError:
        raise AuditorError("the distributed crawl needs the redis extra: pip install 'auditor[redis]'",
                           "--redis") from None
    try:
        client = redis.Redis.from_url(url, decode_responses=True)
        client.ping()
    except (ValueError, redis.RedisError) as exc:
        raise AuditorError(f"cannot use Redis at {url}: {exc}", "--redis") from None
    return client


def work(portal_path: str, redis_url: str, *, unit: str | None = None, max_pages: int | None = None) -> str:
    """Run one crawl worker in this process until it has been idle for a while.

    Returns a line saying how it ended and how many pages it read.
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from auditor.crawl.worker import WorkerSpider

    load_portal(portal_path, default_registry())  # a bad config fails here, before Redis is touched
    connect(redis_url)
    settings = Settings()
    settings.setmodule("auditor.crawl.settings", priority="project")
    settings.set("REDIS_URL", redis_url, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(WorkerSpider)
    process.crawl(crawler, portal=str(portal_path), unit=unit or "", max_pages=max_pages or 0)
    process.start()
    spider = crawler.spider
    if spider is None or spider.status == "running":
        raise CrawlError("the crawl worker failed (see the messages above)")
    return f"worker {spider.worker} {spider.status}: {spider.pages} pages"


def ingest(redis_url: str, db_path: str, *, wait: float = 60.0,
           echo: Callable[[str], None] = lambda _: None) -> CrawlSummary:
    """Write a distributed crawl's items into ``db_path`` as one new run; return its summary.

    Waits up to ``wait`` seconds for a worker to announce the crawl, then until every
    worker has exited (or gone silent) and every item is stored. The run is
    ``complete`` when every worker finished with an empty frontier, else ``interrupted``.
    """
    from .crawl.finish import COMPLETE_REASONS

    r = connect(redis_url)
    keys = redis_settings()
    deadline = time.monotonic() + wait
    while not (announced := r.get(KEYS["portal"])):
        if time.monotonic() > deadline:
            raise AuditorError(f"no crawl announced in Redis within {wait:.0f} s: start 'auditor crawl --redis' workers",
                               "--redis")
        time.sleep(0.2)
    crawl = json.loads(announced)
    store = CrawlStore(open_db(db_path))
    run = store.start_run(crawl["portal"], crawl["config"], crawl["settings"], crawl["unit"] or None,
                          window=window_ends(crawl["settings"].get("AUDITOR_WINDOW")))
    echo(f"ingest: run {run} of {crawl['portal']}")
    status = "interrupted"
    try:
        while True:
            if _store_items(r, store, run, keys["REDIS_ITEMS_KEY"]):
                continue
            # Workers push their last items before they leave: look at the list after them.
            if not _workers(r) and not r.llen(keys["REDIS_ITEMS_KEY"]):
                break
            time.sleep(0.2)
        done = [json.loads(d) for d in r.lrange(KEYS["done"], 0, -1)]
        # A worker killed outright never says it is done: its in-flight pages are lost.
        finished = len(done) == r.scard(KEYS["workers"]) and all(d["reason"] in COMPLETE_REASONS for d in done)
        status = "complete" if finished and not r.zcard(keys["SCHEDULER_QUEUE_KEY"]) else "interrupted"
        for d in done:
            echo(f"ingest: worker {d['worker']} {d['reason']}: {d['pages']} pages")
        # Every worker is gone: the crawl is over, whatever its status. A crawl that was
        # cut short is recorded as such, never resumed: the next one starts afresh.
        r.delete(*KEYS.values(), *(keys[k] for k in ("SCHEDULER_QUEUE_KEY", "SCHEDULER_DUPEFILTER_KEY",
                                                     "REDIS_ITEMS_KEY")), *r.scan_iter(f"{KEYS['tokens']}*"))
    finally:
        finish_run(store, run, "finished" if status == "complete" else "interrupted")
    try:
        return summary_of(store, os.getpid())
    finally:
        store.db.close()


def _store_items(r, store: CrawlStore, run: int, key: str) -> int:
    """Move up to INGEST_BATCH records from Redis into ``run`` in one transaction; how many."""
    raw = r.lpop(key, INGEST_BATCH) or []
    store.write(run, [from_json(json.loads(data)) for data in raw])
    return len(raw)


def _workers(r) -> list[str]:
    """The workers alive now (their heartbeat keys)."""
    return list(r.scan_iter(match=f"{KEYS['worker']}*", count=1000))

