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

from ..labels import RUN_STATUS_LABELS


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
        self.out.write(f"\r抓取中：已读 {pages} 个页面 · 待抓 {queued} · 错误 {errors} · 每秒 {rate:.0f} 页 \x1b[K")
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
        name = f"抓取 #{run}" if run else "分布式抓取进程"
        status = total("status", None) or stats.get_value("finish_reason", "")
        self.out.write(
            f"{end}{name} {RUN_STATUS_LABELS.get(status, status)}：{total('pages', pages)} 个页面"
            f"（沿用上次 {total('carried_over')} 个），错误 {total('errors', errors)} 个，{total('bytes') / 1e6:.1f} MB，"
            f"用时 {elapsed:.0f} 秒（每秒 {rate:.0f} 页）\n"
        )
        self.out.flush()
