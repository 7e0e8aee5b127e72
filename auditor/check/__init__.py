"""The check: rules against a stored crawl, into findings, site checks and scores.

`run_check` is what `auditor check` calls. It reads one crawl (docs/schema.md),
judges every rule of the catalogue for every responsible unit, and stores the
result as one numbered check run.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from ..errors import AuditorError
from ..rules.loader import Catalogue, load_catalogue
from ..store import open_db
from . import store
from .attribution import Attributor
from .crawldata import Crawl, load_crawl
from .evidence import collect
from .health import HealthCheck, SiteCheck
from .overrides import Override, apply_overrides, load_overrides
from .scoring import DISTRICT, Score, compute_scores
from .status import Finding, evaluate, roll_up

__all__ = ["CheckSummary", "check_catalogue", "judge_crawl", "run_check"]


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

    def __str__(self) -> str:
        counts = "，".join(f"{k} {v}" for k, v in self.items.items())
        score = f"{self.score}（{self.grade}）" if self.score is not None else "无可评分项"
        return (f"检查 #{self.check_run}（抓取 #{self.crawl_run}，截至 {self.as_of.isoformat()}，{self.pages} 个页面）："
                f"{sum(self.items.values())} 个事项-单位：{counts}；网站检查问题 {self.site_checks} 个；"
                f"全区得分 {score}；用时 {self.seconds:.1f} 秒")


@dataclass
class Judgement:
    """Everything a check concludes about one crawl (before it is stored)."""

    findings: list[Finding]
    items: list[dict]
    checks: list[SiteCheck]
    scores: list[Score]
    pages: int


def judge_crawl(db: Database, catalogue: Catalogue, crawl: Crawl, as_of: date,
                overrides: list[Override] = ()) -> Judgement:
    """Judge every rule for every responsible unit on one stored crawl."""
    attributor = Attributor(crawl.portal, catalogue.registry)
    found = collect(db, crawl, catalogue, attributor)
    findings = []
    for rule in catalogue.rules:
        for unit in catalogue.units_of(rule):
            if crawl.unit_filter and unit != crawl.unit_filter:
                continue
            findings.append(evaluate(rule, unit, found.hits.get((rule.id, unit), []), as_of, unit in crawl.unreachable))
    item_decisions = apply_overrides(findings, list(overrides))
    items = roll_up_items(findings, crawl.unreachable, item_decisions)
    unit_of = lambda url: found.unit_of_page.get(url) or attributor.unit_of_url(url)  # noqa: E731
    checks = HealthCheck(db, crawl, unit_of, catalogue.site_health, catalogue.scoring.get("deductions", {}), as_of).run()
    if crawl.unit_filter:
        checks = [c for c in checks if c.unit == crawl.unit_filter]
    return Judgement(findings, items, checks, compute_scores(findings, checks, catalogue.scoring), found.pages)


def roll_up_items(findings: list[Finding], unreachable: dict | set, decisions: dict[tuple[int, str], Override]) -> list[dict]:
    """One row per (plan item, unit): roll-up of its findings, or the reviewer's decision."""
    pairs: dict[tuple[int, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.rule.item is not None:
            pairs[(f.rule.item, f.unit)].append(f)
    rows = []
    for (item, unit), fs in sorted(pairs.items(), key=lambda kv: kv[0][0]):
        # a unit's unreachable site no longer decides pairs a reviewer has fully decided
        down = unit in unreachable and not all(f.override for f in fs)
        decision = decisions.get((item, unit))
        rows.append({
            "item": item, "unit": unit,
            "status": decision.status if decision else roll_up([f.status for f in fs], down),
            "computed_status": roll_up([f.computed_status for f in fs], unit in unreachable),
            "reviewed": int(bool(decision) or any(f.override for f in fs)),
        })
    return rows


def run_check(db_path: str | Path, rules_dir: str | Path, *, as_of: date, overrides_path: str | Path | None = None,
              crawl_run: int | None = None) -> CheckSummary:
    """Check the latest complete crawl (or ``crawl_run``) and store the result as a new check run.

    Configuration problems (rules, overrides, no crawl) raise `AuditorError` before
    anything is written.
    """
    catalogue = load_catalogue(rules_dir)
    overrides = load_overrides(overrides_path, catalogue) if overrides_path else []
    return check_catalogue(db_path, catalogue, as_of=as_of, overrides=overrides, crawl_run=crawl_run,
                           overrides_path=str(overrides_path or ""))


def check_catalogue(db_path: str | Path, catalogue: Catalogue, *, as_of: date, overrides: list[Override] = (),
                    crawl_run: int | None = None, overrides_path: str = "") -> CheckSummary:
    """`run_check` with a catalogue already loaded (and its overrides validated)."""
    started = time.perf_counter()
    if not Path(db_path).exists():
        raise AuditorError(f"database '{db_path}' not found: run 'auditor crawl' first", "--db")
    db = open_db(db_path)
    crawl = load_crawl(db, catalogue.registry, crawl_run)
    check_run = store.begin_run(db, crawl.run, crawl.portal.name, as_of.isoformat(), catalogue.version,
                                catalogue.path, overrides_path)
    try:
        result = judge_crawl(db, catalogue, crawl, as_of, overrides)
        store.write_run(db, check_run, catalogue, result.findings, result.items, result.scores, result.checks,
                        set(crawl.unreachable))
    except BaseException:
        store.fail_run(db, check_run)
        raise
    district = next(s for s in result.scores if s.scope == "district" and s.key == DISTRICT)
    return CheckSummary(
        check_run, crawl.run, as_of, result.pages,
        dict(Counter(f.status for f in result.findings)), dict(Counter(i["status"] for i in result.items)),
        len(result.checks), district.score, district.grade, time.perf_counter() - started,
    )
