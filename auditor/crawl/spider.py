"""The `portal` spider: reads a portal config's sites into a numbered run of the store.

    scrapy crawl portal -a portal=rules/portals/jiading.yaml [-a db=audit.db] [-a unit=区民政局] [-a max_pages=N]

`auditor crawl` runs this same spider (auditor.crawl.process). Each fetched URL yields one
`auditor.store.Batch` item holding its rows (fetch, page, links, attachments, list
entries, unit reach); the store pipeline writes them in batches. Pages unchanged
since an earlier run (a 304, or a detail page whose list entry is unchanged) are
carried over from that run instead of being read again.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict
from urllib.parse import urlsplit

import scrapy
from scrapy import exceptions as scrapy_errors
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.settings import Settings
from twisted.internet import defer, error as txerror
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from auditor.errors import AuditorError, ConfigError
from auditor.extract import extract_page
from auditor.page import Page
from auditor.portal import Portal, load_portal
from auditor.store import Batch, Previous, Store, now, open_db
from auditor.units import default_registry
from auditor.crawl.attachments import is_html_type
from auditor.crawl.scope import OffsiteRedirect
from auditor.crawl.urls import canonical_url, directory_key, host_of, page_number, pager_key

# Run status by the reason Scrapy closed the spider: only a crawl that ran out of
# work (or reached the --max-pages it was asked for) is complete.
COMPLETE_REASONS = {"finished", "max_pages"}
# Settings recorded with each run (name prefixes).
RECORDED_SETTINGS = ("AUDITOR_", "ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "CONCURRENT_REQUESTS",
                     "AUTOTHROTTLE_ENABLED", "RETRY_TIMES", "USER_AGENT")
# Network failures by the name the schema records. Newer Scrapy raises its own
# exception types, older versions Twisted's; both are named.
def _errors(*names: str) -> tuple[type[BaseException], ...]:
    return tuple(t for t in (getattr(scrapy_errors, n, None) for n in names) if t)


NETWORK_ERRORS = (
    (_errors("CannotResolveHostError") + (txerror.DNSLookupError,), "dns"),
    (_errors("DownloadConnectionRefusedError") + (txerror.ConnectionRefusedError,), "refused"),
    (_errors("DownloadTimeoutError") + (txerror.TimeoutError, txerror.TCPTimedOutError), "timeout"),
    (_errors("ResponseDataLossError", "DownloadFailedError")
     + (txerror.ConnectionLost, txerror.ConnectionDone, ResponseFailed, ResponseNeverReceived), "reset"),
)
CANCELLED = _errors("DownloadCancelledError") + (defer.CancelledError,)


def answered(status: int) -> bool:
    """Whether an HTTP status shows the site reachable: a 404 is an answer (a wrong or
    removed page, which the check can judge); 5xx after retries, 401/403/407 and 429
    keep the site from us, so nothing could be concluded about the unit."""
    return status < 500 and status not in (401, 403, 407, 429)


def profile(hosts: set[str], settings: Settings) -> dict:
    """Settings overriding the polite defaults: full speed when every host is loopback."""
    if hosts and all(is_loopback(h) for h in hosts):
        return settings.getdict("AUDITOR_LOOPBACK_SETTINGS")
    return {}


def is_loopback(host: str) -> bool:
    """Whether ``host`` (host[:port]) is this machine: localhost or 127.0.0.0/8."""
    name = urlsplit(f"//{host}").hostname or ""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def error_name(failure: Failure) -> str:
    """The schema's name for why a request got no answer."""
    if failure.check(OffsiteRedirect):
        return "offsite_redirect"
    if failure.check(IgnoreRequest):
        message = str(failure.value).lower()
        if "robots" in message:
            return "robots"
        # RedirectMiddleware gives up after REDIRECT_MAX_TIMES hops: a loop, in practice.
        return "too_many_redirects" if "redirections" in message else "ignored"
    for kinds, name in NETWORK_ERRORS:
        if failure.check(*kinds):
            return name
    # Scrapy cancels a body larger than DOWNLOAD_MAXSIZE: with a message when the size
    # was announced, without one when the stream outgrew it (timeouts are named above).
    if failure.check(*CANCELLED):
        return "too_large"
    return type(failure.value).__name__.lower()


class PortalSpider(scrapy.Spider):
    """Crawl the hosts of one portal config, recording every page, link and failure."""

    name = "portal"
    # Every answer is evidence: 4xx/5xx (after retries) and 304 reach the callback.
    handle_httpstatus_list = [304, *range(400, 600)]

    def __init__(self, portal: str = "", db: str = "", unit: str = "", max_pages: str | int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        if not portal:
            raise ConfigError("give the portal config: scrapy crawl portal -a portal=FILE")
        self.portal_path = portal
        self.db_path = db
        self.unit_arg = unit
        self.max_pages = int(max_pages or 0)
        self.seen: set[str] = set()  # canonical URLs requested or carried over (see spiders.limits)
        self.directories: dict[str, str] = {}  # directory URL → sha1 of its page (see same_directory_page)
        self.parked: dict[str, tuple[int, str]] = {}  # URL → (depth, referer) awaiting the lists (see release)
        self.listed: dict[str, tuple[str, str | None]] = {}  # this run's list entries: URL → (title, date)
        self.pages = 0
        self.status = "running"
        self.totals: dict = {}

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
        """Load the portal, pick the settings profile, open the store and start the run."""
        registry = default_registry()
        self.portal: Portal = load_portal(self.portal_path, registry)
        self.unit = ""
        if self.unit_arg:
            self.unit = registry.resolve(self.unit_arg) or ""
            if self.unit not in self.portal.units:
                raise ConfigError(f"unit '{self.unit_arg}' has no URLs in this portal config", self.portal_path)
        self.hosts = {host_of(u) for u in self._config_urls()}
        settings = crawler.settings
        settings.setdict(profile(self.hosts, settings), priority="spider")
        settings.setdict(self.portal.settings, priority="spider")
        self.session_params = settings.getlist("AUDITOR_SESSION_PARAMS")
        self.scope_prefixes = [self.canonical(u) for u in self.portal.units[self.unit]] if self.unit else []
        self.open_run(settings)

    def open_run(self, settings: Settings) -> None:
        """Open the store, start this crawl's run and learn what earlier runs fetched.

        The distributed worker (spiders.worker) overrides this: it has no store.
        """
        self.store = Store(open_db(self.db_path or settings.get("AUDITOR_DB")))
        self.run = self.store.start_run(self.portal.name, asdict(self.portal), recorded(settings), self.unit or None)
        self.previous = self.store.previous(self.portal.name, self.run)

    def _config_urls(self) -> list[str]:
        return self.portal.start_urls + [u for urls in self.portal.units.values() for u in urls]

    def canonical(self, url: str) -> str:
        return canonical_url(url, self.session_params)

    def closed(self, reason: str) -> None:
        self.status = "complete" if reason in COMPLETE_REASONS else "interrupted"
        self.totals = self.store.finish_run(self.run, self.status)

    # requests --------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        reach: dict[str, list[str]] = {}
        for unit, urls in self.portal.units.items():
            if not self.unit or unit == self.unit:
                for url in urls:
                    reach.setdefault(self.canonical(url), []).append(unit)
        starts = [] if self.unit else [self.canonical(u) for u in self.portal.start_urls]
        for url in dict.fromkeys(starts + list(reach)):
            yield self.request(url, "page", depth=0, units=reach.get(url, []))

    def request(self, url: str, kind: str, *, depth: int, referer: str = "", **meta) -> scrapy.Request:
        """A request for canonical ``url`` (kind: page | attachment); roughly breadth-first."""
        return scrapy.Request(
            url, callback=self.parse, errback=self.failed, priority=-depth,
            meta={"kind": kind, "origin": url, "depth": depth, "referer": referer, **meta},
        )

    def unchanged_entry(self, url: str) -> Previous | None:
        """The earlier run's fetch of ``url`` when this run lists it exactly as that run did."""
        prev = self.previous.urls.get(url)
        entry = self.listed.get(url)
        if prev and prev.has_page and entry and entry[1] and self.previous.entries.get(url) == entry:
            return prev
        return None

    def in_scope(self, url: str) -> bool:
        return host_of(url) in self.hosts

    def followable(self, url: str) -> bool:
        """A page link the crawl follows: in scope (and in the unit's prefixes with --unit)."""
        return self.in_scope(url) and (not self.scope_prefixes or url.startswith(tuple(self.scope_prefixes)))

    # responses -------------------------------------------------------------
    def parse(self, response: Response) -> Iterator[Batch | scrapy.Request]:
        meta = response.meta
        url, kind, status = meta["origin"], meta["kind"], response.status
        batch = Batch()
        previous: Previous | None = meta.get("previous")
        self.reach(batch, meta, ok=answered(status), status=status)
        if status == 304 and previous:
            yield from self.carry(batch, url, previous, meta)
        else:
            fetch = self.fetch_row(response, url, kind)
            batch.add("fetches", [fetch])
            if kind == "page" and 200 <= status < 300 and not meta.get("not_html") and is_html_type(
                    response.headers.get(b"Content-Type")):
                landed = self.landing(batch, response, url, fetch)
                fetch["sha1"] = hashlib.sha1(response.body).hexdigest()
                if landed and not self.same_directory_page(landed, fetch["sha1"]):
                    yield from self.read_page(batch, response, landed, fetch)
            else:
                truncated = "download_stopped" in response.flags
                fetch["size"] = _declared_size(response) or (None if truncated else len(response.body))
                fetch["sha1"] = None if truncated else hashlib.sha1(response.body).hexdigest()
            self.crawler.stats.inc_value("auditor/errors", int(status >= 400))
        yield batch

    def failed(self, failure: Failure) -> Iterator[Batch]:
        """A request that got no answer: timeout, reset, DNS, refused, offsite redirect…"""
        request = failure.request
        meta = request.meta
        error = error_name(failure)
        batch = Batch()
        batch.add("fetches", [{
            "run": self.run, "url": meta["origin"], "kind": meta["kind"], "status": None, "error": error,
            "final_url": request.url, "bytes": 0, "carried_over": 0, "fetched_at": now(),
        }])
        self.reach(batch, meta, ok=False, status=None, error=error)
        self.crawler.stats.inc_value("auditor/errors")
        yield batch

    def reach(self, batch: Batch, meta: dict, *, ok: bool, status: int | None, error: str = "") -> None:
        """unit_reach rows when the URL is one of the units' configured URLs."""
        batch.add("unit_reach", [
            {"run": self.run, "unit": unit, "url": meta["origin"], "ok": int(ok), "status": status, "error": error}
            for unit in meta.get("units", ())
        ])

    def fetch_row(self, response: Response, url: str, kind: str) -> dict:
        headers = response.headers
        return {
            "run": self.run, "url": url, "kind": kind, "status": response.status, "error": "",
            "final_url": response.url, "bytes": len(response.body),
            "content_type": _header(headers, b"Content-Type"), "etag": _header(headers, b"ETag"),
            "last_modified": _header(headers, b"Last-Modified"),
            "elapsed_ms": int(response.meta.get("download_latency", 0) * 1000),
            "carried_over": 0, "fetched_at": now(),
        }

    def landing(self, batch: Batch, response: Response, url: str, fetch: dict) -> str:
        """The URL a page is stored under: where a redirect landed ('' if that page is already had).

        The redirect's target gets its own fetch row (no bytes: counted once) so links to
        it join `fetches` like any other.
        """
        final = self.canonical(response.url)
        if not final or final == url:
            return url
        if final in self.seen:
            return ""
        self.seen.add(final)
        batch.add("fetches", [{**fetch, "url": final, "bytes": 0}])
        return final

    def same_directory_page(self, url: str, sha1: str) -> bool:
        """Whether ``url`` is ``/x/index.html`` holding the very bytes of ``/x/`` (or the reverse).

        Pagers link a list's first page by both names; one page is stored, the other
        URL keeps its fetch row (so links to it are not broken).
        """
        key = directory_key(url)
        if not key:
            return False
        if self.directories.get(key) == sha1:
            return True
        self.directories.setdefault(key, sha1)
        return False

    def count_page(self) -> None:
        """Count a stored page; past --max-pages the crawl stops (a complete, limited run)."""
        if self.max_pages and self.pages >= self.max_pages:
            raise CloseSpider("max_pages")
        self.pages += 1
        self.crawler.stats.inc_value("auditor/pages")

    def read_page(self, batch: Batch, response: Response, url: str, fetch: dict) -> Iterator[scrapy.Request]:
        """Extract a page; store it with its links, attachments and list entries; follow them."""
        self.count_page()
        page = extract_page(response.url, response.body, {"content-type": fetch["content_type"]})
        links: dict[str, dict] = {}
        for link in page.links:
            to = self.canonical(link.url)
            if to and to not in links:
                links[to] = {"run": self.run, "from_url": url, "to_url": to, "text": link.text,
                             "internal": int(self.in_scope(to))}
        attachments = {to: a for a in page.attachments if (to := self.canonical(a.url))}
        entries = {}
        for e in page.entries:
            to = self.canonical(e.url)
            if to and to not in entries:
                entries[to] = (e.title, e.date.isoformat() if e.date else None)
        next_page = self.canonical(page.next_page) if page.next_page else ""
        batch.add("pages", [self.page_row(page, url, response, fetch, next_page)])
        batch.add("links", list(links.values()))
        batch.add("attachments", [{"run": self.run, "page_url": url, "url": to, "text": a.text, "ext": a.ext}
                                  for to, a in attachments.items()])
        batch.add("list_entries", [{"run": self.run, "list_url": url, "url": to, "title": t, "date": d}
                                   for to, (t, d) in entries.items()])
        internal = [to for to, row in links.items() if row["internal"]]
        yield from self.follow(batch, url, response.meta, internal, list(attachments), entries, next_page)

    def carry(self, batch: Batch, url: str, previous: Previous, meta: dict) -> Iterator[scrapy.Request]:
        """Carry ``url`` over from the run that last fetched it, and follow what it led to then."""
        batch.carries.append((url, previous.run, previous.kind))
        self.crawler.stats.inc_value("auditor/carried_over")
        if previous.kind != "page":
            return
        self.count_page()
        stored = self.store.stored_page(previous.run, url)
        self.same_directory_page(url, stored.sha1)
        entries = {to: (title, date) for to, title, date in stored.entries}
        yield from self.follow(batch, url, meta, stored.links, stored.attachments, entries, stored.next_page,
                               carried=True)

    def follow(self, batch: Batch, url: str, meta: dict, links: list[str], attachments: list[str],
               entries: dict[str, tuple[str, str | None]], next_page: str, *, carried: bool = False,
               ) -> Iterator[scrapy.Request]:
        """Request (or carry over) what a page leads to.

        A list entry whose title and date match the previous run's is carried over
        unread; so are the attachments of a carried-over page.
        """
        depth = meta["depth"] + 1
        seen = self.seen  # checked here too: most links of a page lead where the crawl has been
        for to in attachments:
            if to in seen:
                continue
            prev = self.previous.urls.get(to)
            if carried and prev:
                seen.add(to)
                batch.carries.append((to, prev.run, "attachment"))
            elif self.in_scope(to):
                yield self.request(to, "attachment", depth=depth, referer=url)
        for to, entry in entries.items():
            self.listed[to] = entry
            prev = self.unchanged_entry(to)
            if prev and to not in self.seen and self.followable(to):
                self.seen.add(to)
                yield from self.carry(batch, to, prev, {"depth": depth})
        # Pages of the same list (下一页, numbered pager links) keep the list's depth and
        # count towards AUDITOR_MAX_LIST_PAGES instead.
        pager = {next_page} if next_page else set()
        if entries or next_page:
            key = pager_key(url)
            pager.update(to for to in links if to != url and to not in entries and pager_key(to) == key)
        list_page = meta.get("list_page", 1) + 1
        for to in sorted(pager):
            if to not in seen and self.followable(to):
                yield self.request(to, "page", depth=meta["depth"], referer=url,
                                   list_page=max(list_page, page_number(to)))
        skip = set(attachments) | pager
        for to in links:
            if to in seen or to in skip or not self.followable(to):
                continue
            if to in self.previous.entries:
                self.parked.setdefault(to, (depth, url))
            else:
                yield self.request(to, "page", depth=depth, referer=url)

    # pages an earlier run saw listed wait until every list is read ---------
    def idle(self) -> None:
        """When the queue runs dry, release the parked pages (see `release`)."""
        if self.parked:
            self.crawler.engine.crawl(scrapy.Request("data:,", callback=self.release, dont_filter=True))
            raise DontCloseSpider

    def release(self, response: Response) -> Iterator[Batch | scrapy.Request]:
        """Carry over each parked page this run listed as the earlier run did; request the rest.

        A page an earlier run saw in a list is not asked for while lists remain to be
        read: if one of them lists it unchanged (same title and date), it is carried
        over without a download, whichever page happened to link it first.
        """
        parked, self.parked = self.parked, {}
        batch = Batch()
        for url, (depth, referer) in parked.items():
            if url in self.seen:
                continue
            prev = self.unchanged_entry(url)
            if prev:
                self.seen.add(url)
                yield from self.carry(batch, url, prev, {"depth": depth})
            else:
                yield self.request(url, "page", depth=depth, referer=referer)
        yield batch

    def page_row(self, page: Page, url: str, response: Response, fetch: dict, next_page: str) -> dict:
        meta = response.meta
        return {
            "run": self.run, "url": url, "final_url": response.url, "host": host_of(url),
            "status": response.status, "content_type": fetch["content_type"], "encoding": page.encoding,
            "title": page.title, "date": page.date.isoformat() if page.date else None,
            "date_source": page.date_source, "publisher": page.publisher, "index_no": page.index_no,
            "doc_no": page.doc_no, "topic": page.topic, "column_name": page.column, "text": page.text,
            "meta": json.dumps(page.meta, ensure_ascii=False), "is_list": int(page.is_list),
            "empty_list": int(page.empty_list), "entries": len(page.entries), "next_page": next_page,
            "depth": meta["depth"], "referer": meta.get("referer", ""), "etag": fetch["etag"],
            "last_modified": fetch["last_modified"], "sha1": fetch["sha1"], "bytes": fetch["bytes"],
            "carried_over": 0, "fetched_at": fetch["fetched_at"],
        }


def recorded(settings: Settings) -> dict:
    """The settings a run records (what shaped the crawl: politeness, limits, caps)."""
    return {
        name: settings.get(name) for name in sorted(settings.attributes)
        if name.startswith(RECORDED_SETTINGS) and isinstance(settings.get(name), (bool, int, float, str, list))
    }


def _header(headers, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value is not None else None


def _declared_size(response: Response) -> int | None:
    """The file's full size as the server announced it (Content-Range total, Content-Length)."""
    content_range = _header(response.headers, b"Content-Range") or ""
    total = content_range.rpartition("/")[2]
    if total.isdigit():
        return int(total)
    length = _header(response.headers, b"Content-Length") or ""
    return int(length) if length.isdigit() else None
