"""The crawl as a Python call: `crawl(portal, db)` runs the `portal` spider and returns its summary.

The spider runs in a child process: Twisted's reactor cannot be restarted, and
`auditor run` crawls and then checks in one process (tests crawl many times). The
child is the same code path as ``scrapy crawl portal -a portal=FILE``. Ctrl-C reaches
both processes; the parent waits for the child's graceful stop, which marks the
run ``interrupted``.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AuditorError, ConfigError
from ..labels import RUN_STATUS_LABELS
from ..portal import load_portal
from ..store import CrawlStore, open_db
from ..units import default_registry

if TYPE_CHECKING:
    from .estimate import Estimate


class CrawlError(AuditorError):
    """The crawl could not run (its process failed before recording an outcome)."""


@dataclass
class CrawlSummary:
    """What a crawl did: its run and totals, and the units none of whose URLs answered."""

    run: int
    status: str  # complete | interrupted | failed
    pages: int = 0
    carried_over: int = 0
    errors: int = 0
    bytes: int = 0
    unreachable: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        down = f"；无法访问：{'、'.join(self.unreachable)}" if self.unreachable else ""
        return (f"抓取 #{self.run}{RUN_STATUS_LABELS.get(self.status, self.status)}：{self.pages} 个页面"
                f"（沿用上次 {self.carried_over} 个），抓取错误 {self.errors} 个，{self.bytes / 1e6:.1f} MB{down}")


def crawl(
    portal_path: str | Path,
    db_path: str | Path,
    *,
    unit: str | None = None,
    max_pages: int | None = None,
    settings: dict | None = None,
    rules_dir: str | Path | None = None,
) -> CrawlSummary:
    """Crawl the portal of ``portal_path`` into ``db_path`` as a new run.

    ``unit`` limits the crawl to one unit's URLs, ``max_pages`` caps the pages
    stored, ``settings`` overrides Scrapy settings (spiders/settings.py). A bad
    config raises `ConfigError` before anything is written.
    """
    registry = default_registry(str(rules_dir or ""))
    portal = load_portal(portal_path, registry)
    if unit and registry.require(unit) not in portal.units:
        raise ConfigError(f"{registry.require(unit)} has no URLs in the portal configuration: list its site or "
                          "columns under 'units:' to crawl it alone", str(portal_path))
    child = _start(run_spider, str(portal_path), str(db_path), unit or "", max_pages or 0, dict(settings or {}),
                   str(rules_dir or ""))
    store = CrawlStore(open_db(db_path))
    try:
        store.mark_stale_runs()  # the child may have been killed without closing its run
        return summary_of(store, child.pid)
    finally:
        store.db.close()


def estimate(portal_path: str | Path, *, unit: str | None = None, settings: dict | None = None,
             rules_dir: str | Path | None = None) -> "Estimate":
    """Sample the portal's lists and estimate the crawl's requests and duration per host
    (`auditor.crawl.estimate`); nothing is stored."""
    import json
    import tempfile

    from .estimate import Estimate

    load_portal(portal_path, default_registry(str(rules_dir or "")))  # a bad config: one line, before the child
    with tempfile.TemporaryDirectory(prefix="auditor-estimate-") as tmp:
        out = Path(tmp) / "estimate.json"
        overrides = {**(settings or {}), "AUDITOR_ESTIMATE_OUT": str(out)}
        _start(run_spider, str(portal_path), "", unit or "", 0, overrides, str(rules_dir or ""), "estimate")
        if not out.exists():
            raise CrawlError("the estimate could not run (see the messages above)")
        return Estimate.from_dict(json.loads(out.read_text(encoding="utf-8")))


def _start(target, *args) -> multiprocessing.Process:
    """Run ``target(*args)`` in a fresh child process and wait for it."""
    child = multiprocessing.get_context("spawn").Process(target=target, name="auditor-crawl", args=args)
    child.start()
    _wait(child)
    return child


def _wait(child: multiprocessing.Process) -> None:
    """Join the child; a Ctrl-C (which the child also receives) waits for its clean stop."""
    while True:
        try:
            child.join()
            return
        except KeyboardInterrupt:
            continue


def summary_of(store: CrawlStore, pid: int | None) -> CrawlSummary:
    """The summary of the newest run process ``pid`` of this machine started."""
    row = next(store.db["runs"].rows_where(
        "pid = ? AND hostname = ?", [pid, socket.gethostname()], order_by="id desc", limit=1), None)
    if row is None:
        raise CrawlError("the crawl process failed before starting a run (see the messages above)")
    unreachable = [r[0] for r in store.db.execute(
        "SELECT unit FROM unit_reach WHERE run = ? GROUP BY unit HAVING max(ok) = 0 ORDER BY unit", [row["id"]])]
    return CrawlSummary(row["id"], row["status"], row["pages"] or 0, row["carried_over"] or 0,
                        row["errors"] or 0, row["bytes"] or 0, unreachable)


def run_spider(portal_path: str, db_path: str, unit: str, max_pages: int, overrides: dict, rules_dir: str = "",
               kind: str = "crawl") -> None:
    """Run the `portal` spider (or, for ``kind`` "estimate", `portal-estimate`) in this process
    (the crawl child's body)."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    if kind == "estimate":
        from auditor.crawl.estimate import EstimateSpider as PortalSpider
    else:
        from auditor.crawl.spider import PortalSpider

    settings = Settings()
    settings.setmodule("auditor.crawl.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    _stop_with_parent()
    process = CrawlerProcess(settings)
    process.crawl(PortalSpider, portal=portal_path, db=db_path, unit=unit, max_pages=max_pages, rules=rules_dir)
    try:
        process.start()
    except AuditorError as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        sys.exit(2)


def _stop_with_parent() -> None:
    """Stop this crawl child gracefully (as Ctrl-C does: the run becomes ``interrupted``)
    when its parent dies.

    A scheduler's timeout or an OOM kill hits the parent alone. An orphaned crawl would
    keep loading the portal after the parent's job lock was released, while the next
    scheduled job crawled it too.
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # `scrapy crawl`: no parent to outlive
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, name="auditor-parent-watch", daemon=True).start()
