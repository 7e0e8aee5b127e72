"""Weighted scores per unit, plan section and district, with grades from `scoring.yaml`.

A status earns its share (`credit`) of the rule's weight; statuses without a credit
(manual, unreachable, not_due) leave the denominator, and `coverage` says how much of
the weight was scored. Site-health deductions are reported beside the score, never in it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .health import SiteCheck
from .status import Finding

GAP_STATUSES = ("partial", "stale", "missing")
DISTRICT = "区"
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
    gaps: int


def grade_of(score: float | None, grades: list[dict]) -> str | None:
    """The first grade (highest first) whose `min` the score reaches."""
    if score is None:
        return None
    for g in grades:
        if score >= float(g["min"]):
            return str(g["grade"])
    return None


def _score(scope: str, key: str, findings: list[Finding], config: dict, deduction: float) -> Score:
    credit = config.get("credit", {})
    total = sum(f.rule.weight for f in findings)
    scored = [f for f in findings if f.status in credit]
    weight_scored = sum(f.rule.weight for f in scored)
    earned = sum(f.rule.weight * float(credit[f.status]) for f in scored)
    score = round(100 * earned / weight_scored, 1) if weight_scored else None
    return Score(scope, key, score, grade_of(score, config.get("grades", [])),
                 round(weight_scored / total, 3) if total else 0.0, total, weight_scored,
                 round(deduction, 2), sum(f.status in GAP_STATUSES for f in findings))


def deduction(checks: Iterable[SiteCheck], config: dict) -> float:
    """Site-health points deducted for these checks, capped at `max_deduction`."""
    return min(float(config.get("max_deduction", 100)), sum(c.deduction for c in checks))


def compute_scores(findings: list[Finding], checks: list[SiteCheck], config: dict) -> list[Score]:
    by_unit: dict[str, list[Finding]] = defaultdict(list)
    by_section: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_unit[f.unit].append(f)
        if f.rule.item is not None and f.rule.section:
            by_section[f.rule.section].append(f)
    checks_by_unit: dict[str, list[SiteCheck]] = defaultdict(list)
    for c in checks:
        checks_by_unit[c.unit].append(c)
    out = [_score("unit", u, fs, config, deduction(checks_by_unit.get(u, []), config)) for u, fs in by_unit.items()]
    out += [_score("section", s, fs, config, 0.0) for s, fs in sorted(by_section.items(), key=lambda kv: SECTION_ORDER.find(kv[0]))]
    out.append(_score("district", DISTRICT, findings, config, deduction(checks, config)))
    return out

