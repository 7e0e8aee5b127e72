"""The store pipeline owns the crawl's run: it opens the store, starts the run, writes the
spider's records in batches and finishes the run when the spider closes.

Records are buffered and written every `AUDITOR_BATCH_URLS` fetched URLs or every
`AUDITOR_BATCH_SECONDS`, whichever comes first, and once more when the spider
closes: few commits, and a kill loses at most one batch (never a half-written one).
A distributed worker (auditor.crawl.worker) swaps this pipeline for one that puts the
same records on Redis.
"""

from __future__ import annotations

import time

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from ..store import CrawlStore, open_db
from ..store.records import Carry, Fetch
from .finish import finish_run
from .responses import recorded
from .state import CrawlState
from .window import window_ends


class StorePipeline:
    """Writes the crawl's records into the audit database as one numbered run."""

    def __init__(self, crawler: Crawler, max_urls: int, max_seconds: float) -> None:
        self.crawler = crawler
        self.max_urls = max_urls
        self.max_seconds = max_seconds
        self.buffer: list[object] = []
        self.urls = 0
        self.last = time.monotonic()
        self.timer: task.LoopingCall | None = None
        self.store: CrawlStore | None = None
        self.run = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StorePipeline":
        s = crawler.settings
        pipeline = cls(crawler, s.getint("AUDITOR_BATCH_URLS"), s.getfloat("AUDITOR_BATCH_SECONDS"))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        """Open the store, start this crawl's run and hand the crawl what earlier runs fetched."""
        settings = self.crawler.settings
        portal = settings["AUDITOR_PORTAL"]
        self.store = CrawlStore(open_db(settings.get("AUDITOR_DB")))
        self.run = self.store.start_run(portal.name, portal.to_config(), recorded(settings),
                                        settings.get("AUDITOR_UNIT") or None,
                                        window=window_ends(settings.get("AUDITOR_WINDOW")))
        state = CrawlState.of(self.crawler)
        state.previous = self.store.previous(portal.name, self.run)
        state.stored_page = self.store.stored_page
        self.crawler.stats.set_value("auditor/run", self.run)
        # A slow real portal may yield nothing for a while: the timer still commits.
        self.timer = task.LoopingCall(self._flush_if_due)
        self.timer.start(self.max_seconds, now=False)

    def process_item(self, item: object) -> object:
        if isinstance(item, (Fetch, Carry)):
            # a URL's records follow its fetch: a batch ends before the next URL begins
            if self.urls >= self.max_urls:
                self.flush()
            self.urls += 1
        self.buffer.append(item)
        return item

    def _flush_if_due(self) -> None:
        if time.monotonic() - self.last >= self.max_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the buffer in one transaction."""
        records, self.buffer, self.urls = self.buffer, [], 0
        self.last = time.monotonic()
        if self.store is not None:
            self.store.write(self.run, records)

    def close_spider(self) -> None:
        if self.timer and self.timer.running:
            self.timer.stop()
        self.flush()

    def spider_closed(self, spider, reason: str) -> None:
        """Finish the run: the crawl's last explicit step (`auditor.crawl.finish`)."""
        if self.store is None:
            return
        totals = finish_run(self.store, self.run, reason)
        for key, value in totals.items():
            self.crawler.stats.set_value(f"auditor/run/{key}", value)
        self.store.db.close()
