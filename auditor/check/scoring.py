"""Weighted scores per unit, plan section and district, with grades from `scoring.yaml`.

A finding earns its status's share (`credit`) of the rule's weight; statuses without a
credit (manual awaiting a reviewer, unreachable, not_due) leave the denominator, and
`coverage` says how much of the weight was scored. Site-health deductions are reported
beside the score, never in it.

Problems are counted once, the same everywhere: a problem is a (plan item or statutory
rule, unit) pair whose status is partial, stale or missing; `assessed` counts the pairs
whose status was judged (met, partial, stale or missing).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ..labels import ASSESSED_STATUSES, GAP_STATUSES
from ..rules.config import Scoring
from .health import SiteCheck
from .status import Finding

SECTION_ORDER = "一二三四五六七八九十"


@dataclass(frozen=True)
class Score:
    scope: str  # unit | section | district
    key: str
    score: float | None  # None: nothing could be scored
    grade: str | None
    coverage: float
    weight_total: float
    weight_scored: float
    health_deduction: float
    gaps: int  # problems: pairs not met
    assessed: int  # pairs judged


def pair_statuses(findings: list[Finding], items: list[dict]) -> list[tuple[str, str]]:
    """(unit, status) of every pair: each plan item's roll-up, each statutory rule's finding."""
    return [(i["unit"], i["status"]) for i in items] + [(f.unit, f.status) for f in findings if f.rule.item is None]


def _score(scope: str, key: str, findings: list[Finding], pairs: list[str], config: Scoring,
           deduction: float) -> Score:
    credit = config.credit
    total = sum(f.rule.weight for f in findings)
    scored = [f for f in findings if f.status in credit]
    weight_scored = sum(f.rule.weight for f in scored)
    earned = sum(f.rule.weight * credit[f.status] for f in scored)
    score = round(100 * earned / weight_scored, 1) if weight_scored else None
    return Score(scope, key, score, config.grade_of(score), round(weight_scored / total, 3) if total else 0.0, total,
                 weight_scored, round(deduction, 2), sum(s in GAP_STATUSES for s in pairs),
                 sum(s in ASSESSED_STATUSES for s in pairs))


def deduction(checks: Iterable[SiteCheck], config: Scoring) -> float:
    """Site-health points deducted for these checks, capped at `max_deduction`."""
    return min(config.max_deduction, sum(c.deduction for c in checks))


def compute_scores(findings: list[Finding], items: list[dict], checks: list[SiteCheck], config: Scoring,
                   district: str) -> list[Score]:
    by_unit: dict[str, list[Finding]] = defaultdict(list)
    by_section: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_unit[f.unit].append(f)
        if f.rule.item is not None and f.rule.section:
            by_section[f.rule.section].append(f)
    pairs_of_unit: dict[str, list[str]] = defaultdict(list)
    for unit, status in pair_statuses(findings, items):
        pairs_of_unit[unit].append(status)
    section_of = {f.rule.item: f.rule.section for f in findings if f.rule.item is not None}
    pairs_of_section: dict[str, list[str]] = defaultdict(list)
    for i in items:
        pairs_of_section[section_of.get(i["item"], "")].append(i["status"])
    checks_by_unit: dict[str, list[SiteCheck]] = defaultdict(list)
    for c in checks:
        checks_by_unit[c.unit].append(c)
    out = [_score("unit", u, fs, pairs_of_unit[u], config, deduction(checks_by_unit.get(u, []), config))
           for u, fs in by_unit.items()]
    out += [_score("section", s, fs, pairs_of_section[s], config, 0.0)
            for s, fs in sorted(by_section.items(), key=lambda kv: SECTION_ORDER.find(kv[0]))]
    every = [s for statuses in pairs_of_unit.values() for s in statuses]
    out.append(_score("district", district, findings, every, config, deduction(checks, config)))
    return out
