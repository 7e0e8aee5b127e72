"""The store pipeline writes the spider's items in batches, one transaction each."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from auditor.store import Batch, Store, open_db
from auditor.crawl.pipelines import StorePipeline


class CountingStore(Store):
    def __init__(self, db) -> None:
        super().__init__(db)
        self.writes: list[int] = []

    def write(self, run: int, batch: Batch) -> None:
        self.writes.append(len(batch.rows.get("fetches", [])))
        super().write(run, batch)


def item(run: int, n: int) -> Batch:
    return Batch({"fetches": [{"run": run, "url": f"http://a/{n}", "kind": "page", "status": 200, "error": ""}]})


def test_items_are_written_every_n_urls_and_at_close(tmp_path: Path) -> None:
    store = CountingStore(open_db(tmp_path / "audit.db"))
    run = store.start_run("门户", {}, {})
    pipeline = StorePipeline(SimpleNamespace(spider=SimpleNamespace(store=store, run=run)), 5, 3600)
    for n in range(12):
        assert pipeline.process_item(item(run, n)) is not None
    assert store.writes == [5, 5]  # two full batches, never one commit per page
    assert store.db["fetches"].count == 10
    pipeline.close_spider()
    assert store.writes == [5, 5, 2]
    assert store.db["fetches"].count == 12


def test_a_quiet_crawl_still_commits_on_time(tmp_path: Path) -> None:
    store = CountingStore(open_db(tmp_path / "audit.db"))
    run = store.start_run("门户", {}, {})
    pipeline = StorePipeline(SimpleNamespace(spider=SimpleNamespace(store=store, run=run)), 500, 0.0)
    pipeline.process_item(item(run, 1))
    pipeline._flush_if_due()  # what the timer calls every AUDITOR_BATCH_SECONDS
    assert store.writes == [1]
    assert store.db["fetches"].count == 1
