"""A crawl's budget before the crawl: requests and hours per host, from a sample of its lists.

    auditor crawl --portal FILE --estimate

The `portal-estimate` spider reads what a crawl would read except the bulk: the
navigation pages, the first page of every column list, and one detail page per list.
It stores nothing. From each list's first page it takes the entries per page, the
pages the pager says the list has, and the dates the page spans; from those, how many
list pages the window-bounded crawl reads (down to the first page wholly before the
window, all of them for standing or undated lists) and how many of the list's entries
lie inside the window, as the crawl itself decides (`auditor.crawl.window`). The detail
pages sampled give the attachments a detail page leads to. Duration: the requests at
the host's polite pace (``DOWNLOAD_DELAY`` or robots.txt's ``Crawl-delay``; without a
delay, the connections the crawl may open over the latency measured). Hosts are
crawled side by side, so the crawl takes as long as its slowest host.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from scrapy.http import Response

from .concurrency import CRAWL_DELAY_STAT
from .spider import PortalSpider
from .urls import host_of, page_number, pager_links


@dataclass
class ListSample:
    """The first page of one column list."""

    url: str
    per_page: int
    pages: int  # as the pager says (1 when it names no other page)
    dates: list[str]  # the page's dated entries, ISO
    standing: bool
    inside: list[str]  # entries of this page the crawl would fetch


@dataclass
class HostEstimate:
    """The expected cost of crawling one host."""

    host: str
    pages_read: int = 0  # navigation and first list pages the estimate read
    lists: int = 0
    list_pages: int = 0
    detail_pages: int = 0
    attachments: float = 0.0
    requests: int = 0
    seconds_per_request: float = 0.0
    seconds: float = 0.0

    def line(self) -> str:
        return (f"{self.host}：预计请求 {self.requests} 次（栏目列表 {self.lists} 个、列表页 {self.list_pages} 个、"
                f"详情页 {self.detail_pages} 个、附件约 {round(self.attachments)} 个），"
                f"约 {format_duration(self.seconds)}（每次请求 {self.seconds_per_request:.2f} 秒）")


@dataclass
class Estimate:
    """The estimate of a whole crawl."""

    hosts: list[HostEstimate] = field(default_factory=list)
    window: str = ""

    @property
    def requests(self) -> int:
        return sum(h.requests for h in self.hosts)

    @property
    def seconds(self) -> float:
        return max((h.seconds for h in self.hosts), default=0.0)

    def to_dict(self) -> dict:
        return {"window": self.window, "requests": self.requests, "seconds": self.seconds,
                "hosts": [asdict(h) for h in self.hosts]}

    @classmethod
    def from_dict(cls, data: dict) -> "Estimate":
        return cls([HostEstimate(**h) for h in data["hosts"]], data.get("window", ""))

    def __str__(self) -> str:
        lines = [f"抓取预估（时间窗 {self.window or '不限'}）：共 {self.requests} 次请求，"
                 f"约 {format_duration(self.seconds)}（各站点并行，以最慢站点计）"]
        return "\n".join(lines + ["  " + h.line() for h in sorted(self.hosts, key=lambda h: -h.requests)])


def format_duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} 小时"
    return f"{seconds / 60:.1f} 分钟" if seconds >= 60 else f"{seconds:.0f} 秒"


def list_cost(sample: ListSample, start: date | None, end: date | None) -> tuple[int, float]:
    """(list pages the crawl reads, entries it fetches) of one list, from its first page."""
    total = sample.per_page * sample.pages
    if sample.standing or not (start or end) or not sample.dates:
        return sample.pages, float(total)  # read in full: standing, unbounded or undated
    if sample.pages == 1:
        return 1, float(len(sample.inside))
    newest, oldest = date.fromisoformat(max(sample.dates)), date.fromisoformat(min(sample.dates))
    per_day = len(sample.dates) / max(1, (newest - oldest).days)  # entries a day, as page 1 shows
    first = newest - timedelta(days=total / per_day)  # the list's oldest entry, extrapolated
    lo, hi = max(first, start) if start else first, min(newest, end) if end else newest
    inside = (hi - lo).days * per_day if hi > lo else 0.0
    pages = sample.pages
    if start and start > first:  # down to the first page wholly before the window
        pages = min(sample.pages, math.ceil((newest - start).days * per_day / sample.per_page) + 1)
    return max(1, pages), min(float(total), max(inside, float(len(sample.inside))))


class EstimateSpider(PortalSpider):
    """`PortalSpider` reading navigation, first list pages and a detail page per list; storing nothing."""

    name = "portal-estimate"

    @classmethod
    def update_settings(cls, settings) -> None:
        """Nothing stored, and no crawl progress lines: the estimate prints its own."""
        super().update_settings(settings)
        settings.set("ITEM_PIPELINES", {}, priority="spider")
        settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), "auditor.crawl.progress.Progress": None},
                     priority="spider")

    def configure(self, crawler) -> None:
        super().configure(crawler)
        self.samples: dict[str, list[ListSample]] = {}
        self.navigation: dict[str, int] = {}  # host → navigation and list pages read
        self.details: dict[str, list[int]] = {}  # host → attachments of each detail page sampled
        self.nav_attachments: dict[str, set[str]] = {}
        self.latency: list[float] = []

    def parse(self, response: Response) -> Iterator[object]:
        if "download_latency" in response.meta:
            self.latency.append(response.meta["download_latency"])
        if not response.meta.get("sample"):
            host = host_of(response.meta["origin"])
            self.navigation[host] = self.navigation.get(host, 0) + 1
        yield from super().parse(response)

    def follow(self, url: str, meta: dict, links: list[str], attachments: list[str],
               entries: dict[str, tuple[str, str | None]], next_page: str, *, heading: str = "",
               carried: bool = False) -> Iterator[object]:
        host, state, window = host_of(url), self.state, self.window
        inside = [to for to, (title, day) in entries.items()
                  if window.standing(heading, title) or not window.outside(day)]
        if meta.get("sample"):
            self.details.setdefault(host, []).append(sum(1 for a in attachments if state.in_scope(a)))
            return
        self.nav_attachments.setdefault(host, set()).update(a for a in attachments if state.in_scope(a))
        pager = pager_links(url, links, entries, next_page)
        if entries:
            numbers = [page_number(to) for to in pager]
            last = max(numbers, default=0)
            pages = max(1, last + (1 if page_number(url) == 0 and last else 0), 2 if next_page else 1)
            self.samples.setdefault(host, []).append(ListSample(
                url, len(entries), pages, [d for _, d in entries.values() if d], window.standing(heading), inside))
            sample = next((to for to in inside if to not in state.seen and self.followable(to)), None)
            if sample:
                state.seen.add(sample)
                yield self.request(sample, "page", depth=meta["depth"] + 1, referer=url, sample=True)
        for to in links:
            if to in state.seen or to in pager or to in entries or to in attachments or not self.followable(to):
                continue
            yield self.request(to, "page", depth=meta["depth"] + 1, referer=url)

    def closed(self, reason: str) -> None:
        super().closed(reason)
        out = self.crawler.settings.get("AUDITOR_ESTIMATE_OUT")
        if out:
            Path(out).write_text(json.dumps(self.estimate().to_dict(), ensure_ascii=False), encoding="utf-8")

    def estimate(self) -> Estimate:
        """The arithmetic of the module docstring over what was sampled."""
        settings, stats = self.crawler.settings, self.crawler.stats
        delay = settings.getfloat("DOWNLOAD_DELAY")
        latency = sorted(self.latency)[len(self.latency) // 2] if self.latency else 0.5
        connections = max(1, min(settings.getint("AUDITOR_MAX_CONCURRENCY_PER_HOST"),
                                 settings.getint("CONCURRENT_REQUESTS")))
        out = Estimate(window=settings.get("AUDITOR_WINDOW") or "")
        for host in sorted(set(self.navigation) | set(self.samples)):
            e = HostEstimate(host, pages_read=self.navigation.get(host, 0))
            lists = self.samples.get(host, [])
            e.lists = len(lists)
            # a page-1 entry other lists show too (a home page's latest news) is fetched once
            first_pages = {to for sample in lists for to in sample.inside}
            further = 0.0
            for sample in lists:
                pages, details = list_cost(sample, self.window.start, self.window.end)
                e.list_pages += pages
                further += details - len(sample.inside)
            e.detail_pages = round(len(first_pages) + further)
            sampled = self.details.get(host) or [0]
            e.attachments = e.detail_pages * sum(sampled) / len(sampled) + len(self.nav_attachments.get(host, ()))
            # navigation pages, the lists' further pages, detail pages, attachments, robots.txt
            e.requests = round(e.pages_read + e.list_pages - e.lists + e.detail_pages + e.attachments + 1)
            pace = max(delay, stats.get_value(f"{CRAWL_DELAY_STAT}{host}", 0.0))
            e.seconds_per_request = pace if pace > 0 else latency / connections
            e.seconds = e.requests * e.seconds_per_request
            out.hosts.append(e)
        return out
