"""How far the crawl follows: once per URL, within depth and pagination limits, no traps.

A spider middleware over every request the spider yields. It owns the crawl's
seen-set (`CrawlState.seen`, canonical URLs): a URL is claimed when its request passes
here, so a request dropped for depth can still be fetched when a shorter path
reaches it. The spider adds the pages it carries over without fetching.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from .state import CrawlState
from .urls import trap_reason


class CrawlLimits(BaseSpiderMiddleware):
    """Drop repeated URLs, requests past the depth or list-page limits, and trap URLs."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        meta = request.meta
        if "kind" not in meta:  # not one of ours (robots.txt and the like)
            return request
        settings, stats = self.crawler.settings, self.crawler.stats
        seen: set[str] = CrawlState.of(self.crawler).seen
        if request.url in seen:
            return None
        if meta.get("depth", 0) > settings.getint("AUDITOR_DEPTH_LIMIT"):
            stats.inc_value("auditor/dropped/depth")
            return None
        if meta.get("list_page", 1) > settings.getint("AUDITOR_MAX_LIST_PAGES"):
            stats.inc_value("auditor/dropped/list_pages")
            return None
        reason = trap_reason(
            request.url,
            max_params=settings.getint("AUDITOR_TRAP_MAX_QUERY_PARAMS"),
            max_query=settings.getint("AUDITOR_TRAP_MAX_QUERY_LENGTH"),
            max_repeats=settings.getint("AUDITOR_TRAP_MAX_SEGMENT_REPEATS"),
        )
        if reason:
            stats.inc_value(f"auditor/dropped/trap/{reason}")
            return None
        seen.add(request.url)
        return request
