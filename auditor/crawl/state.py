"""What one crawl knows as it goes, shared by the spider and its middlewares.

`CrawlState` is an extension, so every component reaches the same instance through
``crawler.get_extension(CrawlState)`` rather than through the spider's attributes:

- the crawl scope (``hosts``) and the seen-set of canonical URLs (`auditor.crawl.limits`);
- what earlier runs fetched (``previous``: validators for conditional requests, list
  entries for carry-over) and a reader of their stored pages, both set by the store
  pipeline when it opens the run (a distributed worker has neither: a full crawl);
- this run's list entries, the pages parked until every list is read, and which of
  ``/x/`` and ``/x/index.html`` was read first (`claims`, shared through Redis by
  distributed workers).
"""

from __future__ import annotations

from typing import Callable, Protocol

from scrapy.crawler import Crawler
from scrapy.utils.misc import load_object

from ..store.crawl import PreviousRuns, StoredPage
from .urls import directory_key, host_of


class DirectoryClaims(Protocol):
    def claim(self, key: str, sha1: str) -> bool:
        """Whether a body ``sha1`` under directory ``key`` is the first one read (else a duplicate)."""

    def choose(self, key: str, url: str) -> str:
        """The name directory ``key`` is read under: the first one offered (``url`` if none was)."""


class LocalClaims:
    """Directory claims of a single-process crawl."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.first: dict[str, str] = {}
        self.forms: dict[str, str] = {}

    def claim(self, key: str, sha1: str) -> bool:
        if self.first.get(key) == sha1:
            return False
        self.first.setdefault(key, sha1)
        return True

    def choose(self, key: str, url: str) -> str:
        return self.forms.setdefault(key, url)


class CrawlState:
    """The crawl's shared state (see the module docstring)."""

    def __init__(self, claims: DirectoryClaims) -> None:
        self.hosts: set[str] = set()
        self.seen: set[str] = set()
        self.skipped: set[str] = set()  # links the evaluation window leaves unfetched
        self.previous = PreviousRuns()
        self.stored_page: Callable[[int, str], StoredPage] | None = None
        self.listed: dict[str, tuple[str, str | None]] = {}  # this run's list entries: URL → (title, date)
        self.parked: dict[str, tuple[int, str]] = {}  # URL → (depth, referer) awaiting the lists
        self.claims = claims
        # /x/ ↔ /x/index.html: the name this crawl reads each directory page under, and the
        # names earlier runs stored them under (built on first use, once `previous` is set)
        self.directory_names: dict[str, str] = {}
        self._stored_names: dict[str, str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CrawlState":
        claims_cls = load_object(crawler.settings.get("AUDITOR_DIRECTORY_CLAIMS"))
        state = cls(claims_cls(crawler))
        portal = crawler.settings.get("AUDITOR_PORTAL")  # set by the spider from its portal config
        if portal is not None:
            state.hosts = {host_of(u) for u in portal.start_urls + [u for us in portal.units.values() for u in us]}
        return state

    @staticmethod
    def of(crawler: Crawler) -> "CrawlState":
        """The crawl's state (the extension must be enabled: auditor/crawl/settings.py)."""
        state = crawler.get_extension(CrawlState)
        if state is None:
            raise RuntimeError("the CrawlState extension is not enabled")
        return state

    def in_scope(self, url: str) -> bool:
        return host_of(url) in self.hosts

    def directory_alias(self, url: str) -> bool:
        """Whether ``url`` is the other name of a directory page this crawl reads as ``/x/`` or
        ``/x/index.html`` (never both): the name an earlier run stored it under wins, else the
        first one met. So a re-crawl of an unchanged portal stores exactly the same page set,
        whatever order its answers come back in, and a 304 (no body to compare) changes nothing."""
        key = directory_key(url)
        if not key:
            return False
        if key not in self.directory_names:  # once chosen (in Redis too) a name never changes
            if self._stored_names is None:
                self._stored_names = {}
                for prev_url, prev in self.previous.urls.items():
                    k = directory_key(prev_url)
                    if k and prev.has_page:
                        self._stored_names.setdefault(k, prev_url)
            self.directory_names[key] = self.claims.choose(key, self._stored_names.get(key, url))
        return self.directory_names[key] != url

    def duplicate_directory_page(self, url: str, sha1: str) -> bool:
        """Whether ``url`` is ``/x/index.html`` holding the very bytes of ``/x/`` (or the reverse).

        Pagers link a list's first page by both names; one page is stored, the other
        URL keeps its fetch row (so links to it are not broken).
        """
        key = directory_key(url)
        return bool(key) and not self.claims.claim(key, sha1)

    def unchanged_entry(self, url: str):
        """The earlier run's fetch of ``url`` when this run lists it exactly as that run did."""
        prev = self.previous.urls.get(url)
        entry = self.listed.get(url)
        if prev and prev.has_page and entry and entry[1] and self.previous.entries.get(url) == entry:
            return prev
        return None
