"""`auditor check`: judge a stored crawl and store the judgement as a numbered check run."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import AuditorError
from ..labels import status_counts
from ..review import decisions as stored
from ..review.overrides import load_overrides
from ..rules.loader import Catalogue, load_catalogue
from ..store import open_db
from . import store
from .crawldata import load_crawl
from .judge import judge_crawl


@dataclass
class CheckSummary:
    """What one check run found, for the command line."""

    check_run: int
    crawl_run: int
    as_of: date
    pages: int
    statuses: dict[str, int] = field(default_factory=dict)  # findings per status
    items: dict[str, int] = field(default_factory=dict)  # (item, unit) pairs per status
    site_checks: int = 0
    score: float | None = None
    grade: str | None = None
    seconds: float = 0.0
    review_pending: int = 0

    def __str__(self) -> str:
        score = f"{self.score}（{self.grade}）" if self.score is not None else "无可评分项"
        pending = f"，其中{self.review_pending}个待人工复核" if self.review_pending else ""
        return (f"检查 #{self.check_run}（抓取 #{self.crawl_run}，评估基准日 {self.as_of.isoformat()}，{self.pages} 个页面）："
                f"{sum(self.items.values())} 个事项-单位：{status_counts(self.items)}{pending}；"
                f"网站检查问题 {self.site_checks} 个；全区得分 {score}；用时 {self.seconds:.1f} 秒")


def resolve_as_of(catalogue: Catalogue, as_of: date | None, today: date | None = None) -> date:
    """The date to judge at: the one given, else today if it lies in the catalogue's window.

    Judging a 2018 plan "as of" 2026 is never what a user meant: outside the window the
    date must be given.
    """
    if as_of is not None:
        return as_of
    today = today or date.today()
    start, end = catalogue.manifest.window
    if not start <= today <= end:
        raise AuditorError(f"today ({today.isoformat()}) is outside the evaluation window of "
                           f"《{catalogue.manifest.plan.title}》 ({start.isoformat()} to {end.isoformat()}): "
                           "give the date to judge at with --as-of YYYY-MM-DD", "--as-of")
    return today


def run_check(db_path: str | Path, rules_dir: str | Path, *, as_of: date | None, overrides_path: str | Path | None = None,
              crawl_run: int | None = None) -> CheckSummary:
    """Check the latest complete crawl (or ``crawl_run``) and store the result as a new check run.

    An overrides file's decisions are stored first; every decision in force for the
    catalogue then applies. Configuration problems (rules, overrides, no crawl, no
    as-of date) raise `AuditorError` before anything is written.
    """
    catalogue = load_catalogue(rules_dir)
    day = resolve_as_of(catalogue, as_of)
    decisions = load_overrides(overrides_path, catalogue) if overrides_path else []
    return check_catalogue(db_path, catalogue, as_of=day, decisions=decisions, crawl_run=crawl_run,
                           overrides_path=str(overrides_path or ""))


def check_catalogue(db_path: str | Path, catalogue: Catalogue, *, as_of: date, decisions: list = (),
                    crawl_run: int | None = None, overrides_path: str = "") -> CheckSummary:
    """`run_check` with a catalogue already loaded (and an overrides file's decisions validated)."""
    started = time.perf_counter()
    if not Path(db_path).exists():
        raise AuditorError(f"database '{db_path}' not found: run 'auditor crawl' first", "--db")
    db = open_db(db_path)
    crawl = load_crawl(db, catalogue.registry, crawl_run)
    if decisions:
        for d in decisions:
            d.crawl_run = crawl.run
        stored.store(db, decisions)
    check_run = store.begin_run(db, crawl.run, crawl.portal.name, as_of.isoformat(), catalogue, overrides_path)
    try:
        result = judge_crawl(db, catalogue, crawl, as_of, stored.active(db, catalogue.manifest.id))
        store.write_run(db, check_run, catalogue, result.findings, result.items, result.scores, result.checks,
                        set(crawl.unreachable), result.basis, result.coverage)
    except BaseException:
        store.fail_run(db, check_run)
        raise
    district = next(s for s in result.scores if s.scope == "district")
    return CheckSummary(
        check_run, crawl.run, as_of, result.pages,
        dict(Counter(f.status for f in result.findings)), dict(Counter(i["status"] for i in result.items)),
        len(result.checks), district.score, district.grade, time.perf_counter() - started,
        sum(i["review_pending"] for i in result.items),
    )
