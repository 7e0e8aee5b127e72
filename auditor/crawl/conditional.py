"""Conditional requests for the incremental re-crawl.

A URL an earlier run fetched is asked for with that fetch's ETag and Last-Modified;
a ``304 Not Modified`` then costs no body, and the spider carries the earlier run's
rows over. The validators a request carries always belong to its own URL, so a
redirect hop never inherits them.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler

from .state import CrawlState


class ConditionalRequests:
    """Downloader middleware adding If-None-Match / If-Modified-Since from earlier runs."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConditionalRequests":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        prev = CrawlState.of(self.crawler).previous.validators(request.url)
        headers = request.headers
        headers.pop(b"If-None-Match", None)
        headers.pop(b"If-Modified-Since", None)
        request.meta.pop("previous", None)
        if prev is None or "kind" not in request.meta:
            return None
        if prev.etag:
            headers[b"If-None-Match"] = prev.etag
        if prev.last_modified:
            headers[b"If-Modified-Since"] = prev.last_modified
        request.meta["previous"] = prev
        self.crawler.stats.inc_value("auditor/conditional")
        return None
