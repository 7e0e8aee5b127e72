"""Scope guard: only hosts of the portal config are ever contacted, redirects included.

The spider never asks for an out-of-scope URL, but a redirect (HTTP or meta refresh)
is a new request the site chose; it passes here before it reaches the network and
is dropped. The original URL's outcome is then `offsite_redirect`.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from .state import CrawlState


class OffsiteRedirect(IgnoreRequest):
    """A redirect pointed out of the crawl scope."""


class OutOfScope(IgnoreRequest):
    """A request for a host the portal config does not name."""


class ScopeGuard:
    """Downloader middleware dropping every request to a host outside the spider's scope."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ScopeGuard":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        # data: URLs never reach the network (the spider's own bookkeeping requests).
        if request.url.startswith("data:") or CrawlState.of(self.crawler).in_scope(request.url):
            return None
        stats = self.crawler.stats
        if request.meta.get("redirect_urls"):
            stats.inc_value("auditor/offsite_redirect")
            raise OffsiteRedirect(f"redirect out of scope: {request.meta['redirect_urls'][0]} -> {request.url}")
        stats.inc_value("auditor/out_of_scope")
        raise OutOfScope(f"out of scope: {request.url}")
