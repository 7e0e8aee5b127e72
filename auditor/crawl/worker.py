"""The `portal-worker` spider: one of N workers of a distributed crawl on scrapy-redis.

    scrapy crawl portal-worker -a portal=FILE -s REDIS_URL=redis://host:6379/0

`auditor crawl --redis URL` runs it. It is the `portal` spider with Redis in place of
the store: the frontier and the duplicate filter are scrapy-redis's (shared by every
worker), `RecordsToRedis` replaces the store pipeline and puts the same records on a
Redis list, and `auditor ingest` writes them into the store as one run. Workers may
start at any time and on any machine; each exits after ``AUDITOR_IDLE_CLOSE_SECONDS``
without work.

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

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, ScrapyDeprecationWarning
from scrapy.settings import Settings
from twisted.internet import task

from ..store.records import Carry, Fetch, to_json
from .finish import COMPLETE_REASONS
from .redis_keys import HEARTBEAT_SECONDS, KEYS
from .responses import recorded
from .spider import PortalSpider

# scrapy-redis 0.9 predates Scrapy 2.13's API (spider arguments to its methods and to
# stats); Scrapy still supports it but would print a warning per kind on every crawl.
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module=r"scrapy_redis\.")


def connect(settings: Settings):
    """A Redis client for the crawl's ``REDIS_URL`` (imported late: the single-machine crawl never needs it)."""
    from scrapy_redis.connection import get_redis_from_settings

    return get_redis_from_settings(settings)


class RedisClaims:
    """Directory claims shared by every worker: the first to read /x/ or /x/index.html wins."""

    def __init__(self, crawler: Crawler) -> None:
        self.redis = connect(crawler.settings)

    def claim(self, key: str, sha1: str) -> bool:
        if self.redis.hsetnx(KEYS["directories"], key, sha1):
            return True
        return self.redis.hget(KEYS["directories"], key) != sha1.encode()

    def choose(self, key: str, url: str) -> str:
        self.redis.hsetnx(KEYS["directory_forms"], key, url)
        return self.redis.hget(KEYS["directory_forms"], key).decode()


class RecordsToRedis:
    """Item pipeline: each fetched URL's records go to the crawl's Redis list for `auditor ingest`."""

    def __init__(self, crawler: Crawler) -> None:
        self.redis = connect(crawler.settings)
        self.key = crawler.settings.get("REDIS_ITEMS_KEY")
        self.buffer: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RecordsToRedis":
        return cls(crawler)

    def process_item(self, item: object) -> object:
        self.buffer.append(json.dumps(to_json(item), ensure_ascii=False))
        if isinstance(item, (Fetch, Carry)):  # one round trip per fetched URL, not per record
            self.flush()
        return item

    def flush(self) -> None:
        if self.buffer:
            self.redis.rpush(self.key, *self.buffer)
            self.buffer = []

    def close_spider(self) -> None:
        self.flush()


class WorkerSpider(PortalSpider):
    """`PortalSpider` sharing its frontier, duplicate filter and records through Redis."""

    name = "portal-worker"

    @classmethod
    def update_settings(cls, settings: Settings) -> None:
        super().update_settings(settings)
        settings.setdict(settings.getdict("AUDITOR_REDIS_SETTINGS"), priority="spider")

    def configure(self, crawler: Crawler) -> None:
        """Announce the crawl (the first worker's config is the run's) and this worker in Redis."""
        super().configure(crawler)
        settings = crawler.settings
        self.redis = connect(settings)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.idle_since: float | None = None
        # Alive before announcing the crawl: ingest never sees a crawl without workers.
        self.beat()
        self.redis.sadd(KEYS["workers"], self.worker)
        self.redis.set(KEYS["portal"], json.dumps({
            "portal": self.portal.name, "config": self.portal.to_config(), "settings": recorded(settings),
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
