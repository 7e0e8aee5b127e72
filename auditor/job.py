"""The end-to-end job: crawl, check and report, under the database's lock.

`auditor run` (the scheduled job) and `auditor demo` call `run_job`; `auditor report`
calls `report`. Each stage is the same library call its own command makes, so a job
is exactly the three commands run in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from .errors import AuditorError
from .lock import job_lock
from .settings import Settings


class CrawlIncomplete(AuditorError):
    """The job's crawl did not complete (interrupted or failed), so the job stops there."""

    def __init__(self, message: str, where: str = "", status: str = "failed") -> None:
        super().__init__(message, where)
        # what the job's exit status says: 130 as for Ctrl-C when interrupted, 1 when failed
        self.exit_status = 130 if status == "interrupted" else 1


@dataclass
class JobResult:
    """What a finished job produced."""

    index: Path  # the report's index.html
    score: float | None  # the district's plan score
    grade: str | None
    check_run: int
    crawl_run: int


def report(db_path: str | Path, out_dir: str | Path, *, unit: str | None = None, check_run: int | None = None,
           today: date | None = None, settings: Settings | None = None, rules_dir: str | Path | None = None) -> Path:
    """Write the report of the latest complete check run (or of ``check_run``); return its index.html."""
    from auditor.report import write_report

    from .findings import build_document

    if not Path(db_path).exists():
        raise AuditorError(f"database '{db_path}' not found: run 'auditor crawl' and 'auditor check' first", "--db")
    from .store import open_db

    document = build_document(open_db(db_path), check_run)
    if unit:
        from .units import default_registry

        folder = rules_dir or document["run"].get("rules_dir") or ""
        registry = default_registry(str(folder) if Path(folder or ".").joinpath("catalogue.yaml").exists() else "")
        unit = registry.require(unit)
    settings = settings or Settings()
    return write_report(document, out_dir, unit=unit, stale_banner_days=int(settings["stale_banner_days"]), today=today,
                        evaluator=str(settings["evaluator"]))


def run_job(portal_path: str | Path, *, rules_dir: str | Path, db_path: str | Path, out_dir: str | Path,
            as_of: date | None, unit: str | None = None, overrides_path: str | Path | None = None,
            max_pages: int | None = None, echo: Callable[[str], None] = lambda _: None,
            today: date | None = None, settings: Settings | None = None) -> JobResult:
    """Crawl, check and report in one go, holding the database's lock throughout.

    A crawl that does not complete (interrupted, or failed because it stored no page at
    all) stops the job: nothing is checked and the previous report stays in place.
    """
    from .check import resolve_as_of, run_check
    from .crawl.process import crawl, estimate
    from .portal import load_portal
    from .review.overrides import load_overrides
    from .rules import load_catalogue

    # Validate every input before the lock and the crawl, so a typo in the overrides
    # file (or a forgotten --as-of) costs seconds, not an hour of crawling.
    catalogue = load_catalogue(rules_dir)
    as_of = resolve_as_of(catalogue, as_of)
    portal = load_portal(portal_path, catalogue.registry)
    if unit:
        unit = catalogue.registry.require(unit)
        if unit not in portal.units:
            raise AuditorError(f"{unit} has no URLs in the portal configuration: list its site or columns under "
                               "'units:' to crawl it alone", str(portal_path))
    if overrides_path:
        load_overrides(overrides_path, catalogue)
    with job_lock(db_path):
        settings = settings or Settings()
        # the budget first: a scheduled run's log tells the team what tonight's crawl costs
        echo(str(estimate(portal_path, unit=unit, settings=settings.crawl_overrides(), rules_dir=rules_dir)))
        crawled = crawl(portal_path, db_path, unit=unit, max_pages=max_pages,
                        settings=settings.crawl_overrides(), rules_dir=rules_dir)
        echo(str(crawled))
        if crawled.status != "complete":
            why = ("it stored no page at all (no network, or every site down)" if crawled.status == "failed"
                   else crawled.status)
            raise CrawlIncomplete(f"crawl run {crawled.run} did not complete ({why}): nothing was checked and the "
                                  "previous report is left in place", str(db_path), crawled.status)
        checked = run_check(db_path, rules_dir, as_of=as_of, overrides_path=overrides_path)
        echo(str(checked))
        index = report(db_path, out_dir, unit=unit, check_run=checked.check_run, today=today, settings=settings,
                       rules_dir=rules_dir)
    return JobResult(index, checked.score, checked.grade, checked.check_run, checked.crawl_run)
