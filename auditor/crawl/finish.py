"""Finishing a crawl run: the named steps that follow the last fetch.

1. `date_pages_from_lists`: a page without a date of its own takes the newest date a
   list of this run gave it (list pages show `[05-30]` beside a title whose page may
   carry no date at all).
2. `run_status`: a crawl that ran out of work is ``complete``; one stopped early is
   ``interrupted``; one that stored no page at all (every configured site down, no
   network) is ``failed``, so nothing downstream ever judges an empty crawl.
3. `CrawlStore.close_run` records the status and the run's totals.
"""

from __future__ import annotations

from ..store import CrawlStore

# Close reasons of a crawl that did all it was asked to (ran out of work, or reached --max-pages).
COMPLETE_REASONS = {"finished", "max_pages"}


def date_pages_from_lists(store: CrawlStore, run: int) -> None:
    store.db.execute(
        """UPDATE fetches SET list_date = e.date
           FROM (SELECT le.url, max(le.date) AS date FROM fetches lf
                 JOIN version_entries le ON le.version = lf.version
                 WHERE lf.run = :run AND le.date IS NOT NULL GROUP BY le.url) AS e
           WHERE fetches.run = :run AND fetches.url = e.url AND fetches.version IN (
                 SELECT v.id FROM versions v JOIN contents c ON c.sha1 = v.sha1
                 WHERE c.date IS NULL AND NOT c.is_list)""", {"run": run})


def run_status(store: CrawlStore, run: int, reason: str) -> str:
    stored = store.db.execute("SELECT 1 FROM pages WHERE run = ? LIMIT 1", [run]).fetchone()
    if not stored:
        return "failed"
    return "complete" if reason in COMPLETE_REASONS else "interrupted"


def finish_run(store: CrawlStore, run: int, reason: str) -> dict:
    """Run every finishing step for ``run``, closed by Scrapy for ``reason``; returns its totals."""
    with store.db.atomic():
        date_pages_from_lists(store, run)
    status = run_status(store, run, reason)
    return {"status": status, **store.close_run(run, status)}
