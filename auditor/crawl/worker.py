"""The `portal-worker` spider: one of N workers of a distributed crawl on scrapy-redis.

    scrapy crawl portal-worker -a portal=FILE -s REDIS_URL=redis://host:6379/0

`auditor crawl --redis URL` runs it. It is the `portal` spider with Redis in place of
the store: the frontier and the duplicate filter are scrapy-redis's (shared by every
worker), each fetched URL's `Batch` goes to a Redis list, and `auditor ingest` writes
the lists into the store as one run. Workers may start at any time and on any
machine; each exits after ``AUDITOR_IDLE_CLOSE_SECONDS`` without work.

A distributed crawl is a full crawl: with no store, a worker cannot carry pages over
from earlier runs.
"""

from __future__ import annotations

import json
import os
import socket
import time
import warnings
from collections.abc import AsyncIterator
from dataclasses import asdict

import scrapy
from scrapy.exceptions import DontCloseSpider, ScrapyDeprecationWarning
from scrapy.settings import Settings
from twisted.internet import task

from auditor.distributed import HEARTBEAT_SECONDS, KEYS
from auditor.store import PreviousRuns
from auditor.crawl.spider import COMPLETE_REASONS, PortalSpider, recorded
from auditor.crawl.urls import directory_key

# scrapy-redis 0.9 predates Scrapy 2.13's API (a Deferred from RedisPipeline.process_item,
# spider arguments to its methods and to stats); Scrapy still supports it but would
# print a warning per kind on every crawl.
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, message=r".*RedisPipeline\.")
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module=r"scrapy_redis\.")


class WorkerSpider(PortalSpider):
    """`PortalSpider` sharing its frontier, duplicate filter and items through Redis."""

    name = "portal-worker"

    @classmethod
    def update_settings(cls, settings: Settings) -> None:
        super().update_settings(settings)
        settings.setdict(settings.getdict("AUDITOR_REDIS_SETTINGS"), priority="spider")

    def open_run(self, settings: Settings) -> None:
        """Announce the crawl (the first worker's config is the run's) and this worker in Redis."""
        # Imported here: `scrapy list` and the single-machine crawl work without the redis extra.
        from scrapy_redis.connection import get_redis_from_settings

        self.redis = get_redis_from_settings(settings)
        self.store = None
        self.run = 0  # `auditor ingest` numbers the run
        self.previous = PreviousRuns()
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.idle_since: float | None = None
        # Alive before announcing the crawl: ingest never sees a crawl without workers.
        self.beat()
        self.redis.sadd(KEYS["workers"], self.worker)
        self.redis.set(KEYS["portal"], json.dumps({
            "portal": self.portal.name, "config": asdict(self.portal), "settings": recorded(settings),
            "unit": self.unit,
        }, ensure_ascii=False, default=str), nx=True)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # The heartbeat needs the reactor, which Scrapy installs after the spider is built.
        self.heart = task.LoopingCall(self.beat)
        self.heart.start(HEARTBEAT_SECONDS / 3, now=False)
        async for request in super().start():
            yield request

    def beat(self) -> None:
        """Tell `auditor ingest` this worker is alive (a killed worker's key expires)."""
        self.redis.set(f"{KEYS['worker']}{self.worker}", self.pages, ex=HEARTBEAT_SECONDS)

    def same_directory_page(self, url: str, sha1: str) -> bool:
        # The first worker to read /x/ or /x/index.html claims the directory for every worker.
        key = directory_key(url)
        if not key:
            return False
        if self.redis.hsetnx(KEYS["directories"], key, sha1):
            return False
        return self.redis.hget(KEYS["directories"], key) == sha1.encode()

    def idle(self) -> None:
        """Stay open while other workers may still queue links; exit after the idle time."""
        super().idle()
        now = time.monotonic()
        if self.crawler.stats.get_value("scheduler/dequeued/redis", 0) != getattr(self, "dequeued", None):
            self.dequeued = self.crawler.stats.get_value("scheduler/dequeued/redis", 0)
            self.idle_since = now
        if now - (self.idle_since or now) < self.crawler.settings.getfloat("AUDITOR_IDLE_CLOSE_SECONDS"):
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        self.status = "complete" if reason in COMPLETE_REASONS else "interrupted"
        heart = getattr(self, "heart", None)
        if heart and heart.running:
            heart.stop()
        self.redis.rpush(KEYS["done"], json.dumps({"worker": self.worker, "reason": reason, "pages": self.pages}))
        self.redis.delete(f"{KEYS['worker']}{self.worker}")
