"""Judging one stored crawl: every rule for every responsible unit, rolled up per plan item.

No writing here: `judge_crawl` returns the `Judgement` that `auditor.check.run` stores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from ..review.decisions import Decision
from ..rules.loader import Catalogue
from .attribution import Attributor
from .coverage import unit_coverage
from .crawldata import Crawl
from .evidence import collect
from .health import HealthCheck, SiteCheck
from .overrides import apply_decisions
from .scoring import Score, compute_scores
from .status import Finding, evaluate, roll_up


@dataclass
class Judgement:
    """Everything a check concludes about one crawl (before it is stored)."""

    findings: list[Finding]
    items: list[dict]
    checks: list[SiteCheck]
    scores: list[Score]
    pages: int
    basis: list[dict]  # the documents applied: the plan, the legal texts, the site standard
    coverage: dict[str, dict]  # unit → what the crawl read of it (auditor.check.coverage)


def judge_crawl(db: Database, catalogue: Catalogue, crawl: Crawl, as_of: date,
                decisions: list[Decision] = ()) -> Judgement:
    """Judge every rule for every responsible unit on one stored crawl."""
    attributor = Attributor(crawl.portal, catalogue.registry, catalogue.manifest.district)
    found = collect(db, crawl, catalogue, attributor)
    units = catalogue.registry.units
    findings = []
    for rule in catalogue.rules:
        for unit in catalogue.units_of(rule):
            if crawl.unit_filter and unit != crawl.unit_filter:
                continue
            kind = units[unit].kind if unit in units else "other"
            findings.append(evaluate(rule, unit, found.hits.get((rule.id, unit), []), as_of, unit in crawl.unreachable,
                                     unit_kind=kind, law=catalogue.law))
    apply_decisions(findings, list(decisions), catalogue.registry)
    items = roll_up_items(findings, crawl.unreachable)
    unit_of = lambda url: found.unit_of_page.get(url) or attributor.unit_of_url(url)  # noqa: E731
    standard = catalogue.law.in_force("site_standard", as_of)
    checks = HealthCheck(db, crawl, unit_of, catalogue.site_health.under(standard.id if standard else None),
                         catalogue.scoring.deductions, as_of).run()
    if crawl.unit_filter:
        checks = [c for c in checks if c.unit == crawl.unit_filter]
    scores = compute_scores(findings, items, checks, catalogue.scoring, catalogue.manifest.district.name)
    coverage = unit_coverage(db, crawl, found, attributor.unit_of_url, catalogue.registry.resolve)
    return Judgement(findings, items, checks, scores, found.pages, applied_basis(catalogue, findings, as_of), coverage)


def roll_up_items(findings: list[Finding], unreachable: dict | set) -> list[dict]:
    """One row per (plan item, unit): the roll-up of its findings (decided ones with their decision)."""
    pairs: dict[tuple[int, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.rule.item is not None:
            pairs[(f.rule.item, f.unit)].append(f)
    rows = []
    for (item, unit), fs in sorted(pairs.items(), key=lambda kv: kv[0][0]):
        down = unit in unreachable
        status, pending = roll_up(fs, down)
        computed = [Finding(f.rule, f.unit, f.computed_status) for f in fs]
        rows.append({"item": item, "unit": unit, "status": status, "computed_status": roll_up(computed, down)[0],
                     "reviewed": int(any(f.override for f in fs)), "review_pending": int(pending)})
    return rows


def applied_basis(catalogue: Catalogue, findings: list[Finding], as_of: date) -> list[dict]:
    """The documents this check applied, in the order a report's 评估依据 lists them."""
    plan = catalogue.manifest.plan
    out = [{"kind": "plan", "title": plan.title, "cite": f"《{plan.title}》", "edition":
            f"{plan.issuer}{plan.issued.isoformat() if plan.issued else ''}印发"}]
    cited = {f.basis.document for f in findings if f.basis is not None}
    standard = catalogue.law.in_force("site_standard", as_of)
    law = catalogue.law.in_force("law", as_of)
    for doc_id in [*(d for d in cited), *([law.id] if law else []), *([standard.id] if standard else [])]:
        doc = catalogue.law.documents[doc_id]
        entry = {"kind": doc.kind, "id": doc.id, "title": doc.title, "cite": doc.cite, "edition": doc.edition}
        if entry not in out:
            out.append(entry)
    return out
