"""One polite rate per host for all the workers of a distributed crawl, kept in their Redis.

Each worker's downloader spaces its own requests to a host (``DOWNLOAD_DELAY``), so N
workers would ask a host N times as often. This downloader middleware makes every
request to a host first reserve a send time in Redis: a Lua script keeps, per host, the
earliest time the next request may go (``auditor:tokens:<host>``), hands it out and moves
it on by 1/rate. Reservations are atomic and timed by Redis's own clock, so workers on
machines whose clocks disagree still share one pace: a token bucket of size one, which
never lets the host see more than its rate, whatever the number of workers.

Workers turn it on (``AUDITOR_SHARED_RATE`` in ``AUDITOR_REDIS_SETTINGS``). The rate is
``AUDITOR_HOST_RATE`` requests a second per host; 0 takes it from the delay
(1 / ``DOWNLOAD_DELAY``), and no delay either means no shared limit (loopback).
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_to_future
from twisted.internet import task

from .redis_keys import KEYS
from .urls import host_of

# KEYS[1]: the host's key; ARGV[1]: microseconds between requests. Returns the
# microseconds this request must wait. The key outlives a pause by a minute at most.
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local gap = tonumber(ARGV[1])
local next_free = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, next_free)
redis.call('SET', KEYS[1], at + gap, 'PX', math.floor((at + gap - now) / 1000) + 60000)
return at - now
"""


class SharedRate:
    """Downloader middleware: wait for the host's next shared send time before each request."""

    def __init__(self, redis, rate: float) -> None:
        self.redis = redis
        self.gap_us = int(1_000_000 / rate)
        self.reserve = redis.register_script(RESERVE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SharedRate":
        from .worker import connect

        s = crawler.settings
        if not s.getbool("AUDITOR_SHARED_RATE"):
            raise NotConfigured  # a single-process crawl keeps its pace alone (no message: no log line)
        rate = s.getfloat("AUDITOR_HOST_RATE") or (1 / s.getfloat("DOWNLOAD_DELAY") if s.getfloat("DOWNLOAD_DELAY")
                                                   else 0.0)
        if rate <= 0:
            raise NotConfigured  # no per-host rate to share
        crawler.stats.set_value("auditor/host_rate", rate)
        return cls(connect(s), rate)

    async def process_request(self, request: Request) -> None:
        wait_us = int(self.reserve(keys=[f"{KEYS['tokens']}{host_of(request.url)}"], args=[self.gap_us]))
        if wait_us > 0:
            from twisted.internet import reactor

            await deferred_to_future(task.deferLater(reactor, wait_us / 1_000_000, lambda: None))
        return None
