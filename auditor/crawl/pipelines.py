"""The store pipeline: the spider's `Batch` items reach the database in batched transactions.

Items are buffered and written every `AUDITOR_BATCH_URLS` fetched URLs or every
`AUDITOR_BATCH_SECONDS`, whichever comes first, and once more when the spider
closes: few commits, and a kill loses at most one batch (never a half-written one).
"""

from __future__ import annotations

import time

from scrapy.crawler import Crawler
from twisted.internet import task

from auditor.store import Batch


class StorePipeline:
    """Buffers `Batch` items and writes them through the spider's `auditor.store.Store`."""

    def __init__(self, crawler: Crawler, max_urls: int, max_seconds: float) -> None:
        self.crawler = crawler
        self.max_urls = max_urls
        self.max_seconds = max_seconds
        self.buffer = Batch()
        self.urls = 0
        self.last = time.monotonic()
        self.timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StorePipeline":
        s = crawler.settings
        return cls(crawler, s.getint("AUDITOR_BATCH_URLS"), s.getfloat("AUDITOR_BATCH_SECONDS"))

    def open_spider(self) -> None:
        # A slow real portal may yield nothing for a while: the timer still commits.
        self.timer = task.LoopingCall(self._flush_if_due)
        self.timer.start(self.max_seconds, now=False)

    def process_item(self, item: Batch) -> Batch:
        if not isinstance(item, Batch):
            return item
        for table, rows in item.rows.items():
            self.buffer.add(table, rows)
        self.buffer.carries.extend(item.carries)
        self.urls += 1
        if self.urls >= self.max_urls:
            self.flush()
        return item

    def _flush_if_due(self) -> None:
        if time.monotonic() - self.last >= self.max_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the buffer in one transaction."""
        spider = self.crawler.spider
        batch, self.buffer, self.urls = self.buffer, Batch(), 0
        self.last = time.monotonic()
        spider.store.write(spider.run, batch)

    def close_spider(self) -> None:
        if self.timer and self.timer.running:
            self.timer.stop()
        self.flush()
