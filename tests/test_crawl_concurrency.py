"""Per-host concurrency follows the server: up while fast, halved on overload, once per round."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError, TimeoutError

from auditor.crawl.concurrency import AdaptiveConcurrency

SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": 2, "AUDITOR_MAX_CONCURRENCY_PER_HOST": 4,
            "AUDITOR_SLOW_FACTOR": 4.0, "AUDITOR_SLOW_SECONDS": 0.5}


def controller() -> tuple[AdaptiveConcurrency, Slot]:
    crawler = get_crawler(settings_dict=SETTINGS)
    values: dict[str, int] = {}
    crawler.stats = SimpleNamespace(values=values, max_value=lambda k, v: None,
                                    inc_value=lambda k: values.__setitem__(k, values.get(k, 0) + 1))
    slot = Slot(2, 0.0, 0.0)
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(slots={"h": slot}))
    return AdaptiveConcurrency(crawler), slot


def answer(mw: AdaptiveConcurrency, latency: float, status: int = 200) -> Request:
    request = Request("http://127.0.0.2/x")
    mw.process_request(request)
    request.meta.update(download_slot="h", download_latency=latency)
    mw.process_response(request, Response(request.url, status=status))
    return request


def test_fast_answers_raise_the_host_one_connection_a_round_up_to_the_most() -> None:
    mw, slot = controller()
    seen = []
    for _ in range(20):
        answer(mw, 0.01)
        seen.append(slot.concurrency)
    assert seen[:6] == [2, 3, 3, 3, 4, 4]  # a round is as many fast answers as connections
    assert max(seen) == 4


def test_overload_halves_once_per_round_never_below_one() -> None:
    mw, slot = controller()
    for _ in range(10):
        answer(mw, 0.01)
    assert slot.concurrency == 4
    early = Request("http://127.0.0.2/a")
    mw.process_request(early)  # in flight when the server starts refusing
    answer(mw, 0.01, status=503)
    assert slot.concurrency == 2
    early.meta.update(download_slot="h")
    mw.process_exception(early, TimeoutError())  # sent before the halving: already counted
    assert slot.concurrency == 2
    late = Request("http://127.0.0.2/b")
    mw.process_request(late)
    late.meta.update(download_slot="h")
    mw.process_exception(late, ConnectionRefusedError())
    answer(mw, 0.01, status=429)
    answer(mw, 0.01, status=429)
    assert slot.concurrency == 1


def test_an_answer_far_slower_than_usual_means_the_server_queues_us() -> None:
    mw, slot = controller()
    for _ in range(10):
        answer(mw, 0.02)
    answer(mw, 0.3)  # slower, but under the floor: not overload
    assert slot.concurrency == 4
    answer(mw, 1.2)  # a connection waited on the server's queue
    assert slot.concurrency == 2
    assert mw.crawler.stats.values["auditor/concurrency/lowered"] == 1


def test_robots_crawl_delay_is_the_hosts_least_delay_whatever_the_concurrency(tmp_path) -> None:
    from loopback import Resource, Site, article, html, write_portal

    from auditor.crawl.process import crawl

    links = "".join(f'<a href="/p{i}.html">第{i}篇</a>' for i in range(8))
    pages = {"/": Resource(html("首页", links)), **{f"/p{i}.html": article(f"第{i}篇") for i in range(8)},
             "/robots.txt": Resource(b"User-agent: *\nCrawl-delay: 0.4\n", content_type="text/plain")}
    with Site("127.0.0.2", pages) as site:
        crawl(write_portal(tmp_path / "p.yaml", [site.url("/")]), tmp_path / "audit.db")
        times = sorted(t for t, (path, _) in zip(site.times, site.log) if path != "/robots.txt")
    assert len(times) == 9
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.35, gaps  # the loopback profile would otherwise ask all at once
