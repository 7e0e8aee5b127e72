"""The store pipeline owns the run: it opens the store, writes the spider's records in batches
(one transaction each) and finishes the run when the spider closes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from auditor.crawl.pipelines import StorePipeline
from auditor.crawl.state import CrawlState, LocalClaims
from auditor.portal import Portal
from auditor.store import CrawlStore, Fetch, Page, open_db


class CountingStore(CrawlStore):
    def __init__(self, db) -> None:
        super().__init__(db)
        self.writes: list[int] = []

    def write(self, run: int, records) -> None:
        records = list(records)
        self.writes.append(sum(isinstance(r, Fetch) for r in records))
        super().write(run, records)


def crawler(db: Path, batch: int, seconds: float) -> SimpleNamespace:
    settings = Settings({"AUDITOR_PORTAL": Portal("门户", ["http://a/"], "区府办", {}), "AUDITOR_DB": str(db),
                         "AUDITOR_UNIT": "", "AUDITOR_BATCH_URLS": batch, "AUDITOR_BATCH_SECONDS": seconds})
    state = CrawlState(LocalClaims())
    stats = MemoryStatsCollector(SimpleNamespace(settings=settings))
    return SimpleNamespace(settings=settings, stats=stats, get_extension=lambda cls: state,
                           signals=SimpleNamespace(connect=lambda *a, **k: None))


def opened(tmp_path: Path, batch: int, seconds: float) -> StorePipeline:
    pipeline = StorePipeline.from_crawler(crawler(tmp_path / "audit.db", batch, seconds))
    pipeline.open_spider()
    pipeline.store = CountingStore(pipeline.store.db)
    return pipeline


def item(n: int) -> Fetch:
    return Fetch(f"http://a/{n}", "page", 404)


def test_the_pipeline_starts_the_run_and_hands_the_crawl_the_earlier_runs(tmp_path: Path) -> None:
    pipeline = opened(tmp_path, 5, 3600)
    assert pipeline.run == 1
    assert pipeline.store.db["runs"].get(1)["status"] == "running"
    state = pipeline.crawler.get_extension(CrawlState)
    assert state.stored_page is not None and state.previous.urls == {}
    pipeline.timer.stop()


def test_items_are_written_every_n_urls_and_at_close(tmp_path: Path) -> None:
    pipeline = opened(tmp_path, 5, 3600)
    store = pipeline.store
    for n in range(12):
        assert pipeline.process_item(item(n)) is not None
    assert store.writes == [5, 5]  # two full batches, never one commit per page
    assert store.db["fetches"].count == 10
    pipeline.close_spider()
    assert store.writes == [5, 5, 2]
    assert store.db["fetches"].count == 12


def test_a_quiet_crawl_still_commits_on_time(tmp_path: Path) -> None:
    pipeline = opened(tmp_path, 500, 0.0)
    pipeline.process_item(item(1))
    pipeline._flush_if_due()  # what the timer calls every AUDITOR_BATCH_SECONDS
    assert pipeline.store.writes == [1]
    assert pipeline.store.db["fetches"].count == 1
    pipeline.timer.stop()


def test_finishing_is_the_last_step_and_an_empty_crawl_fails(tmp_path: Path) -> None:
    pipeline = opened(tmp_path, 500, 3600)
    pipeline.process_item(item(1))  # a 404 and nothing stored
    pipeline.close_spider()
    pipeline.spider_closed(None, "finished")
    assert pipeline.crawler.stats.get_value("auditor/run/status") == "failed"
    db = open_db(tmp_path / "audit.db")
    assert db["runs"].get(1)["status"] == "failed"
    second = opened(tmp_path, 500, 3600)
    page = Page("http://a/", "s1", title="首页")
    second.process_item(Fetch("http://a/", "page", 200, sha1="s1", version=page.version))
    second.process_item(page)
    second.close_spider()
    second.spider_closed(None, "finished")
    assert open_db(tmp_path / "audit.db")["runs"].get(2)["status"] == "complete"
