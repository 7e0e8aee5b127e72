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
        # after spider_closed, once the store pipeline has finished the run and counted it
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
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

    def engine_stopped(self) -> None:
        if self.timer and self.timer.running:
            self.timer.stop()
        stats = self.crawler.stats
        total = lambda key, default=0: stats.get_value(f"auditor/run/{key}", default)  # noqa: E731
        pages, _, errors, rate = self.counts()
        elapsed = time.monotonic() - self.started
        end = "\r\x1b[K" if self.live else ""
        run = stats.get_value("auditor/run", 0)
        # a distributed worker has no run of its own (ingest numbers it) and writes no bytes to a store
        name = f"crawl run {run}" if run else "crawl worker"
        status = total("status", None) or stats.get_value("finish_reason", "")
        self.out.write(
            f"{end}{name} {status}: {total('pages', pages)} pages ({total('carried_over')} carried over), "
            f"{total('errors', errors)} errors, {total('bytes') / 1e6:.1f} MB "
            f"in {elapsed:.0f} s ({rate:.0f} pages/s)\n"
        )
        self.out.flush()
