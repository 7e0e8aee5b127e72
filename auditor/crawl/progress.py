"""Progress: a live line on a terminal, silence in CI and logs, a summary at the end.

The live line (pages, queue, errors, rate) is rewritten in place on stderr once a
second, only when stderr is a TTY; the summary line is always printed, so a log
of a scheduled run still says what the crawl did.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task


class Progress:
    """Extension printing the crawl's progress line and final summary to stderr."""

    def __init__(self, crawler: Crawler, out: TextIO) -> None:
        self.crawler = crawler
        self.out = out
        self.live = out.isatty()
        self.started = time.monotonic()
        self.timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "Progress":
        ext = cls(crawler, sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def counts(self) -> tuple[int, int, int, float]:
        """(pages, queued, errors, pages per second) so far."""
        stats = self.crawler.stats
        pages = stats.get_value("auditor/pages", 0)
        queued = stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)
        errors = stats.get_value("auditor/errors", 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return pages, queued, errors, pages / elapsed

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        if self.live:
            self.timer = task.LoopingCall(self.show)
            self.timer.start(1.0, now=False)

    def show(self) -> None:
        pages, queued, errors, rate = self.counts()
        self.out.write(f"\rcrawl: {pages} pages · {queued} queued · {errors} errors · {rate:.0f} pages/s \x1b[K")
        self.out.flush()

    def spider_closed(self, reason: str) -> None:
        if self.timer and self.timer.running:
            self.timer.stop()
        spider = self.crawler.spider
        totals = getattr(spider, "totals", {}) or {}
        pages, _, errors, rate = self.counts()
        elapsed = time.monotonic() - self.started
        end = "\r\x1b[K" if self.live else ""
        run = getattr(spider, "run", 0)
        # a distributed worker has no run of its own (ingest numbers it) and writes no bytes to a store
        name = f"crawl run {run}" if run else "crawl worker"
        self.out.write(
            f"{end}{name} {getattr(spider, 'status', reason)}: "
            f"{totals.get('pages', pages)} pages ({totals.get('carried_over', 0)} carried over), "
            f"{totals.get('errors', errors)} errors, {totals.get('bytes', 0) / 1e6:.1f} MB "
            f"in {elapsed:.0f} s ({rate:.0f} pages/s)\n"
        )
        self.out.flush()
