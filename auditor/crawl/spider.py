"""The `portal` spider: reads a portal config's sites and yields what it finds as records.

    scrapy crawl portal -a portal=rules/portals/jiading.yaml [-a db=audit.db] [-a unit=区民政局] [-a max_pages=N]
                        [-a rules=DIR]

`auditor crawl` runs this same spider (auditor.crawl.process). Every fetched URL
yields typed records (`auditor.crawl.items`): its fetch, the page read from it (with
its links, attachments and list entries) and, for a unit's configured URL, the
unit's reach; the store pipeline writes them. Pages unchanged since an earlier run
(a 304, or a detail page whose list entry is unchanged) are carried over from that
run instead of being read again. What the crawl knows as it goes (scope, seen-set,
earlier runs) is the `CrawlState` extension's.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from ..errors import AuditorError, ConfigError
from ..portal import Portal, load_portal
from ..store.crawl import Previous
from ..store.records import Carry, Reach, Skip, version_id
from ..units import default_registry
from .attachments import is_html_type
from .finish import COMPLETE_REASONS
from .reading import read_body
from .responses import answered, declared_size, failed_fetch, fetch_of, profile
from .state import CrawlState
from .urls import canonical_url, page_number, pager_links
from .window import LIST_END, Window, catalogue_window


class PortalSpider(scrapy.Spider):
    """Crawl the hosts of one portal config, recording every page, link and failure."""

    name = "portal"
    # Every answer is evidence: 4xx/5xx (after retries) and 304 reach the callback.
    handle_httpstatus_list = [304, *range(400, 600)]

    def __init__(self, portal: str = "", db: str = "", unit: str = "", max_pages: str | int = 0, rules: str = "",
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if not portal:
            raise ConfigError("give the portal config: scrapy crawl portal -a portal=FILE")
        self.portal_path = portal
        self.db_arg = db
        self.unit_arg = unit
        self.max_pages = int(max_pages or 0)
        self.rules_dir = rules  # the catalogue whose unit registry the portal config names units from
        self.pages = 0
        self.status = "running"

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args, **kwargs) -> "PortalSpider":
        try:
            spider: PortalSpider = super().from_crawler(crawler, *args, **kwargs)
            spider.configure(crawler)
        except AuditorError as exc:
            # `scrapy crawl` with a bad config: one line and exit 2, as `auditor crawl` does.
            print(f"auditor: {exc}", file=sys.stderr, flush=True)
            os._exit(2)  # Scrapy would log a traceback for any exception raised here
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    # set-up ----------------------------------------------------------------
    def configure(self, crawler: Crawler) -> None:
        """Load the portal, pick the settings profile and publish the crawl's plan in the settings.

        The store pipeline and `CrawlState` read the plan from the settings
        (``AUDITOR_PORTAL``, ``AUDITOR_UNIT``, ``AUDITOR_DB``), never from the spider.
        """
        registry = default_registry(self.rules_dir)
        self.portal: Portal = load_portal(self.portal_path, registry)
        self.unit = ""
        if self.unit_arg:
            self.unit = registry.resolve(self.unit_arg) or ""
            if self.unit not in self.portal.units:
                raise ConfigError(f"unit '{self.unit_arg}' has no URLs in this portal config", self.portal_path)
        settings = crawler.settings
        settings.setdict(profile(self.portal.hosts, settings), priority="spider")
        settings.setdict(self.portal.settings, priority="spider")
        settings.set("AUDITOR_PORTAL", self.portal, priority="spider")
        settings.set("AUDITOR_UNIT", self.unit, priority="spider")
        if self.db_arg:
            settings.set("AUDITOR_DB", self.db_arg, priority="spider")
        if settings.get("AUDITOR_WINDOW") is None:
            window = self.portal.window if self.portal.window is not None else catalogue_window(self.rules_dir)
            settings.set("AUDITOR_WINDOW", window, priority="spider")
        self.window = Window.from_settings(settings)
        self.session_params = settings.getlist("AUDITOR_SESSION_PARAMS")
        self.scope_prefixes = [self.canonical(u) for u in self.portal.units[self.unit]] if self.unit else []
        # every configured URL records its unit's reach, however the crawl came to ask for it
        self.reach_of: dict[str, list[str]] = {}
        for unit, urls in self.portal.units.items():
            if not self.unit or unit == self.unit:
                for url in urls:
                    self.reach_of.setdefault(self.canonical(url), []).append(unit)

    @property
    def state(self) -> CrawlState:
        return CrawlState.of(self.crawler)

    def canonical(self, url: str) -> str:
        return canonical_url(url, self.session_params)

    def closed(self, reason: str) -> None:
        self.status = "complete" if reason in COMPLETE_REASONS else "interrupted"

    # requests --------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        starts = [] if self.unit else [self.canonical(u) for u in self.portal.start_urls]
        for url in dict.fromkeys(starts + list(self.reach_of)):
            yield self.request(url, "page", depth=0)

    def request(self, url: str, kind: str, *, depth: int, referer: str = "", **meta) -> scrapy.Request:
        """A request for canonical ``url`` (kind: page | attachment); roughly breadth-first."""
        return scrapy.Request(
            url, callback=self.parse, errback=self.failed, priority=-depth,
            meta={"kind": kind, "origin": url, "depth": depth, "referer": referer, **meta},
        )

    def followable(self, url: str) -> bool:
        """A page link the crawl follows: in scope (and in the unit's prefixes with --unit)."""
        return self.state.in_scope(url) and (not self.scope_prefixes or url.startswith(tuple(self.scope_prefixes))) \
            and not self.state.directory_alias(url)

    # responses -------------------------------------------------------------
    def parse(self, response: Response) -> Iterator[object]:
        meta = response.meta
        url, kind, status = meta["origin"], meta["kind"], response.status
        yield from self.reach(url, ok=answered(status), status=status)
        previous: Previous | None = meta.get("previous")
        if status == 304 and previous:
            yield from self.carry(url, previous, meta)
            return
        fetch = fetch_of(response, url, kind)
        self.crawler.stats.inc_value("auditor/errors", int(status >= 400))
        if kind == "page" and 200 <= status < 300 and not meta.get("not_html") and is_html_type(fetch.content_type):
            fetch.sha1 = hashlib.sha1(response.body).hexdigest()
            yield from self.read_page(response, url, fetch)
            return
        truncated = "download_stopped" in response.flags
        fetch.size = declared_size(response) or (None if truncated else len(response.body))
        fetch.sha1 = None if truncated else hashlib.sha1(response.body).hexdigest()
        yield fetch

    def failed(self, failure: Failure) -> Iterator[object]:
        """A request that got no answer: timeout, reset, DNS, refused, offsite redirect…"""
        fetch = failed_fetch(failure)
        yield from self.reach(fetch.url, ok=False, status=None, error=fetch.error)
        self.crawler.stats.inc_value("auditor/errors")
        yield fetch

    def reach(self, url: str, *, ok: bool, status: int | None, error: str = "") -> Iterator[Reach]:
        """The reach of every unit whose configured URL this is."""
        for unit in self.reach_of.get(url, ()):
            yield Reach(unit, url, ok, status, error)

    def landing(self, response: Response, url: str) -> str:
        """The URL a page is stored under: where a redirect landed ('' if that page is already had)."""
        final = self.canonical(response.url)
        if not final or final == url:
            return url
        seen = self.state.seen
        if final in seen:
            return ""
        seen.add(final)
        return final

    def count_page(self) -> None:
        """Count a stored page; past --max-pages the crawl stops (a complete, limited run)."""
        if self.max_pages and self.pages >= self.max_pages:
            raise CloseSpider("max_pages")
        self.pages += 1
        self.crawler.stats.inc_value("auditor/pages")

    def read_page(self, response: Response, url: str, fetch) -> Iterator[object]:
        """Extract a page; record it with its links, attachments and list entries; follow them.

        The redirect's target gets its own fetch (no bytes: counted once), so links to it
        join `fetches` like any other.
        """
        landed = self.landing(response, url)
        duplicate = landed and self.state.duplicate_directory_page(landed, fetch.sha1)
        if landed and landed != url:
            yield fetch
            # a redirect may land on a unit's configured URL: the unit's site answered
            yield from self.reach(landed, ok=True, status=response.status)
            fetch = fetch_of(response, landed, "page")
            fetch.bytes, fetch.sha1 = 0, hashlib.sha1(response.body).hexdigest()
        if not landed or duplicate:
            yield fetch
            return
        self.count_page()
        fetch.version = version_id(landed, fetch.sha1)
        page = read_body(response.url, landed, response.body, fetch.content_type, fetch.sha1, self.canonical,
                         self.state.in_scope)
        yield fetch
        yield page
        internal = [link.to_url for link in page.links if link.internal]
        entries = {e.url: (e.title, e.date) for e in page.entries}
        yield from self.follow(landed, response.meta, internal, [a.url for a in page.attachments], entries,
                               page.next_page, heading=f"{page.title} {page.column_name}")

    def carry(self, url: str, previous: Previous, meta: dict) -> Iterator[object]:
        """Carry ``url`` over from the run that last fetched it, and follow what it led to then."""
        yield Carry(url, previous.run)
        self.crawler.stats.inc_value("auditor/carried_over")
        if previous.kind != "page":
            return
        self.count_page()
        stored = self.state.stored_page(previous.run, url)
        self.state.duplicate_directory_page(url, stored.sha1)
        entries = {to: (title, date) for to, title, date in stored.entries}
        internal = [to for to, inside in stored.links if inside]
        yield from self.follow(url, meta, internal, stored.attachments, entries, stored.next_page,
                               heading=stored.heading, carried=True)

    def follow(self, url: str, meta: dict, links: list[str], attachments: list[str],
               entries: dict[str, tuple[str, str | None]], next_page: str, *, heading: str = "",
               carried: bool = False) -> Iterator[object]:
        """Request (or carry over) what a page leads to: attachments, list entries, its pager, links.

        Within the evaluation window (`auditor.crawl.window`): entries dated outside it are
        skipped, and a list is paged only while its pages reach into it.
        """
        depth = meta["depth"] + 1
        yield from self.follow_attachments(url, attachments, depth, carried)
        state, window = self.state, self.window
        standing = window.standing(heading)
        for to, entry in entries.items():
            state.listed[to] = entry
            reason = "" if standing or window.standing(entry[0]) else window.outside(entry[1])
            if reason:
                yield from self.skip(to, reason, url, entry[1])
                continue
            prev = state.unchanged_entry(to)
            if prev and to not in state.seen and self.followable(to):
                state.seen.add(to)
                yield from self.carry(to, prev, {"depth": depth})
        # Pages of the same list (下一页, numbered pager links) keep the list's depth and
        # count towards AUDITOR_MAX_LIST_PAGES instead.
        pager = pager_links(url, links, entries, next_page)
        paged = pager
        if window.bounded and not standing and any(day for _, day in entries.values()):
            if window.list_ended(day for _, day in entries.values()):
                paged = set()
                if next_page:
                    yield from self.skip(next_page, LIST_END, url, None)
            elif next_page:
                paged = {next_page}  # one page at a time, so the list stops where the window does
        list_page = meta.get("list_page", 1) + 1
        for to in sorted(paged):
            if to not in state.seen and self.followable(to):
                yield self.request(to, "page", depth=meta["depth"], referer=url,
                                   list_page=max(list_page, page_number(to)))
        skip = set(attachments) | pager
        for to in links:
            if to in state.seen or to in skip or to in state.skipped or not self.followable(to):
                continue
            if to in state.previous.entries:
                state.parked.setdefault(to, (depth, url))
            else:
                yield self.request(to, "page", depth=depth, referer=url)

    def skip(self, url: str, reason: str, list_url: str, day: str | None) -> Iterator[Skip]:
        """Record, once, a link the window leaves unfetched (a page already had stays had)."""
        state = self.state
        if url in state.seen or url in state.skipped or not self.followable(url):
            return
        state.skipped.add(url)
        self.crawler.stats.inc_value("auditor/skipped")
        yield Skip(url, reason, list_url, day)

    def follow_attachments(self, url: str, attachments: list[str], depth: int, carried: bool) -> Iterator[object]:
        """Attachments are requested; those of a carried-over page are carried over with it."""
        state = self.state
        for to in attachments:
            if to in state.seen:
                continue
            prev = state.previous.urls.get(to)
            if carried and prev:
                state.seen.add(to)
                yield Carry(to, prev.run)
            elif state.in_scope(to):
                yield self.request(to, "attachment", depth=depth, referer=url)

    # pages an earlier run saw listed wait until every list is read ---------
    def idle(self) -> None:
        """When the queue runs dry, release the parked pages (see `release`)."""
        if self.state.parked:
            self.crawler.engine.crawl(scrapy.Request("data:,", callback=self.release, dont_filter=True))
            raise DontCloseSpider

    def release(self, response: Response) -> Iterator[object]:
        """Carry over each parked page this run listed as the earlier run did; request the rest.

        A page an earlier run saw in a list is not asked for while lists remain to be
        read: if one of them lists it unchanged (same title and date), it is carried
        over without a download, whichever page happened to link it first.
        """
        state = self.state
        parked, state.parked = state.parked, {}
        for url, (depth, referer) in parked.items():
            if url in state.seen or url in state.skipped:
                continue
            prev = state.unchanged_entry(url)
            if prev:
                state.seen.add(url)
                yield from self.carry(url, prev, {"depth": depth})
            else:
                yield self.request(url, "page", depth=depth, referer=referer)


__all__ = ["COMPLETE_REASONS", "PortalSpider"]
