"""Per-host connection counts that follow the server: more while it answers fast, fewer when it queues us.

A downloader middleware (next to the downloader, so it sees every answer and failure
before retries). Each host's downloader slot starts at ``CONCURRENT_REQUESTS_PER_DOMAIN``
connections. After a whole round of fast answers (as many as the slot's connections) it
gets one more, up to ``AUDITOR_MAX_CONCURRENCY_PER_HOST``. An answer slower than
``AUDITOR_SLOW_FACTOR`` times the host's usual latency (and than ``AUDITOR_SLOW_SECONDS``),
a 503 or 429, a timeout, a refused or reset connection halves it (never below one):
the server is queueing our connections, and more of them would only wait on its
timeouts. A halving counts once per round: answers to requests sent before it do not
halve again.

It never goes below the politeness floor: ``DOWNLOAD_DELAY`` and AutoThrottle still
space the requests on a real portal (whose profile starts at one connection), and a
robots.txt ``Crawl-delay`` for our user agent becomes the host's least delay, which
AutoThrottle's adjustments are held to.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web._newclient import ResponseFailed

from .urls import host_of

BUSY = {429, 503}
CRAWL_DELAY_STAT = "auditor/crawl_delay/"  # + host: its robots.txt Crawl-delay
OVERLOAD_ERRORS = (TimeoutError, TCPTimedOutError, ConnectError, ConnectionLost, ResponseFailed)


@dataclass
class HostPace:
    """What the controller knows of one host."""

    concurrency: int
    latency: float | None = None  # moving average of fast answers, seconds
    fast: int = 0  # fast answers since the last change
    lowered_at: float = 0.0  # monotonic time of the last halving


class AdaptiveConcurrency:
    """Raise a host's slot concurrency while it answers fast, halve it when it is overloaded."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        self.crawler = crawler
        # slots are created at CONCURRENT_REQUESTS_PER_DOMAIN: the start, never above the most
        self.most = max(1, s.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), s.getint("AUDITOR_MAX_CONCURRENCY_PER_HOST"))
        self.factor = s.getfloat("AUDITOR_SLOW_FACTOR")
        self.slow_seconds = s.getfloat("AUDITOR_SLOW_SECONDS")
        self.hosts: dict[str, HostPace] = {}
        self.crawl_delays: dict[str, float] = {}  # host → its robots.txt Crawl-delay

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "AdaptiveConcurrency":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("auditor_sent", time.monotonic())

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt") and response.status == 200:
            self.read_crawl_delay(request, response)
        self.hold_floor(request)
        latency = request.meta.get("download_latency")
        if response.status in BUSY:
            self.lower(request)
        elif latency is not None:
            self.answered(request, latency)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, OVERLOAD_ERRORS):
            self.lower(request)

    # ------------------------------------------------------------------
    def read_crawl_delay(self, request: Request, response: Response) -> None:
        """Keep robots.txt's Crawl-delay for our user agent as the host's least delay."""
        from protego import Protego

        try:
            delay = Protego.parse(response.text).crawl_delay(self.crawler.settings.get("USER_AGENT"))
        except (AttributeError, UnicodeDecodeError, ValueError):  # not text, or unreadable: no delay
            return
        if delay:
            self.crawl_delays[host_of(request.url)] = float(delay)
            self.crawler.stats.set_value(f"{CRAWL_DELAY_STAT}{host_of(request.url)}", float(delay))

    def hold_floor(self, request: Request) -> None:
        """A Crawl-delay is a minimum: the slot waits at least that long, without the random
        jitter that would shorten some waits below it."""
        floor = self.crawl_delays.get(host_of(request.url))
        found = self.pace(request) if floor else None
        if found:
            slot = found[1]
            slot.jitter = 0.0
            slot.delay = max(slot.delay, floor)

    def pace(self, request: Request) -> tuple[HostPace, object] | None:
        key = request.meta.get("download_slot")
        slot = self.crawler.engine.downloader.slots.get(key) if key is not None else None
        if slot is None:
            return None
        pace = self.hosts.setdefault(key, HostPace(slot.concurrency))
        return pace, slot

    def slow(self, pace: HostPace, latency: float) -> bool:
        return pace.latency is not None and latency > max(self.slow_seconds, self.factor * pace.latency)

    def answered(self, request: Request, latency: float) -> None:
        found = self.pace(request)
        if not found:
            return
        pace, slot = found
        if self.slow(pace, latency):
            self.lower(request)
            return
        pace.latency = latency if pace.latency is None else 0.8 * pace.latency + 0.2 * latency
        pace.fast += 1
        if pace.fast >= pace.concurrency and pace.concurrency < self.most:
            pace.concurrency += 1
            pace.fast = 0
            slot.concurrency = pace.concurrency
            self.crawler.stats.max_value("auditor/concurrency/max", pace.concurrency)

    def lower(self, request: Request) -> None:
        found = self.pace(request)
        if not found:
            return
        pace, slot = found
        if request.meta.get("auditor_sent", 0.0) < pace.lowered_at:
            return  # sent before the last halving: already accounted for
        pace.concurrency = max(1, pace.concurrency // 2)
        pace.fast = 0
        pace.lowered_at = time.monotonic()
        slot.concurrency = pace.concurrency
        self.crawler.stats.inc_value("auditor/concurrency/lowered")
