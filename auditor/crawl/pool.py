"""The HTTP download handler with a connection pool that never hoards a server's connections.

Scrapy's handler keeps up to ``CONCURRENT_REQUESTS_PER_DOMAIN`` idle keep-alive
connections per host for 240 s (Twisted's default). A government portal server caps the
connections it serves at a time, across all the sites it hosts; idle connections the
crawler keeps to one site then hold the slots another site's new connection waits for,
until the server's own keep-alive timeout (often 5 s) frees them. So this pool keeps at
most ``AUDITOR_MAX_CONCURRENCY_PER_HOST`` idle connections per host (the most the crawl
ever uses at once: `auditor.crawl.concurrency`) and closes one idle for longer than
``AUDITOR_IDLE_CONNECTION_SECONDS``: reuse while a host is being read, release once it
is not.
"""

from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler


class PoliteDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler with a pool sized to the crawl and short-lived idle connections."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self._pool.maxPersistentPerHost = 2 * max(1, settings.getint("AUDITOR_MAX_CONCURRENCY_PER_HOST"))
        self._pool.cachedConnectionTimeout = settings.getfloat("AUDITOR_IDLE_CONNECTION_SECONDS")
