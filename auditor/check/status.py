"""Finding statuses of (rule, unit) pairs, and their roll-up per (plan item, unit).

Statuses and the roll-up are CONTRACT.md's; reasons are short Chinese sentences an
official reads as the evaluator's explanation. A periodic duty is judged per period
(`auditor.check.series`); a statutory one cites the text in force on the date judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..labels import STATUS_LABELS, STATUSES
from ..rules.law import Basis, Law
from ..rules.model import Rule
from . import timing as t
from .periods import join_labels
from .series import Series, deadline_of, judge_series

MAX_EVIDENCE = 10  # pages cited per finding; the best ones come first

__all__ = ["STATUSES", "STATUS_LABELS", "Finding", "Hit", "evaluate", "roll_up"]


@dataclass(frozen=True)
class Hit:
    """A page that is evidence for a rule as the matcher judged it (``foreign``: the body
    outside the district its own metadata names, which makes it no evidence)."""

    url: str
    title: str
    date: date | None
    elements: tuple[str, ...] = ()
    foreign: str = ""


@dataclass
class Finding:
    """The judgement of one rule for one unit."""

    rule: Rule
    unit: str
    status: str
    evidence: list[Hit] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    missing_elements: list[str] = field(default_factory=list)
    newest_date: date | None = None
    days_overdue: int | None = None
    computed_status: str = ""
    override: dict | None = None
    periods: dict | None = None  # a periodic duty's periods: due, found, missing
    rejected: list[dict] = field(default_factory=list)  # near evidence that did not count, with why
    basis: Basis | None = None  # the legal text applied

    def __post_init__(self) -> None:
        self.computed_status = self.computed_status or self.status

    @property
    def awaiting_review(self) -> bool:
        """A manual finding no reviewer has decided: it neither raises nor lowers its pair."""
        return self.status == "manual" and self.override is None


def cadence_label(rule: Rule) -> str:
    """The publication duty in words: 按月公开, 每年1月31日前公开, 30天内更新 …"""
    tm = rule.timing
    if tm.cadence == "yearly" and tm.due:
        return f"每年{tm.due[0]}月{tm.due[1]}日前公开"
    if tm.cadence == "continuous":
        return f"{tm.max_age_days}天内动态更新"
    return {"monthly": "按月公开", "quarterly": "按季度公开", "yearly": "按年公开"}.get(tm.cadence, "公开")


def best_first(hits: list[Hit], limit: int = MAX_EVIDENCE) -> list[Hit]:
    """Evidence ordered best first: most elements, newest, dated before undated.

    Every element found keeps at least one page in the list, so a partial finding
    shows where each published part is.
    """
    ranked = sorted(hits, key=lambda h: (-len(h.elements), h.date is None, -(h.date.toordinal() if h.date else 0), h.url))
    chosen: list[Hit] = []
    for name in dict.fromkeys(e for h in ranked for e in h.elements):
        if not any(name in h.elements for h in chosen):
            chosen.append(next(h for h in ranked if name in h.elements))
    chosen += [h for h in ranked if h not in chosen]
    return sorted(chosen[:limit], key=ranked.index)


def _rejection(h: Hit, why: str) -> dict:
    return {"url": h.url, "title": h.title, "date": h.date.isoformat() if h.date else None, "why": why}


def _split(rule: Rule, hits: list[Hit], as_of: date) -> tuple[list[Hit], list[dict]]:
    """The hits that count at ``as_of``, and the near evidence that does not, with why."""
    valid, rejected = [], []
    for h in hits:
        why = (f"发布机构为{h.foreign}，不是本区单位发布的信息" if h.foreign
               else t.outside_window(rule.timing, h.date, as_of))
        if why:
            rejected.append(_rejection(h, why))
        else:
            valid.append(h)
    return valid, rejected


def _elements(rule: Rule, valid: list[Hit]) -> tuple[list[str], list[str]]:
    found = {e for h in valid for e in h.elements}
    missing = [e.name for e in rule.elements if e.name not in found]
    reasons = []
    if missing:
        present = "、".join(e.name for e in rule.elements if e.name in found)
        reasons.append(f"已公开{present}，缺少{'、'.join(missing)}")
    return missing, reasons


def evaluate(rule: Rule, unit: str, hits: list[Hit], as_of: date, unreachable: bool = False, *,
             unit_kind: str = "department", law: Law | None = None) -> Finding:
    """The finding of ``rule`` for ``unit`` given the unit's pages that are evidence for it."""
    if not rule.is_web:
        return Finding(rule, unit, "manual", reasons=[f"网站无法体现，需人工核查：{rule.manual_reason}"])
    if unreachable:
        return Finding(rule, unit, "unreachable", reasons=[f"{unit}的网站无法访问，无法判断是否公开{rule.seeks}"])
    basis = law.applicable(rule.basis, as_of, unit_kind) if law and rule.basis else None
    valid, rejected = _split(rule, hits, as_of)
    if rule.timing.periodic:
        finding = _periodic(rule, unit, valid, as_of, deadline_of(rule, law, unit_kind))
    elif not valid:
        finding = _no_evidence(rule, unit, as_of)
    else:
        finding = _once_or_continuous(rule, unit, valid, as_of)
    finding.rejected, finding.basis = rejected, finding.basis or basis
    if rejected and finding.status in ("missing", "not_due", "manual"):
        finding.reasons.append(f"另有{len(rejected)}个相关页面不予计入（{rejected[0]['why']}等），见“未计入的相关页面”")
    return finding


def _once_or_continuous(rule: Rule, unit: str, valid: list[Hit], as_of: date) -> Finding:
    missing, reasons = _elements(rule, valid)
    dates = [h.date for h in valid if h.date]
    newest = max(dates) if dates else None
    overdue = None
    if rule.timing.cadence == "continuous":
        if newest is None:
            reasons.append(f"找到的{rule.seeks}未标注发布日期，无法确认是否{cadence_label(rule)}")
        else:
            overdue = t.days_overdue(rule.timing, newest, as_of)
            if overdue:
                reasons.append(f"最近一次发布为{newest.isoformat()}，已超过{cadence_label(rule)}要求{overdue}天")
    stale = rule.timing.cadence == "continuous" and (newest is None or bool(overdue))
    # an outdated series is stale whatever else it lacks: the unit must first publish anew
    status = "stale" if stale else "partial" if missing else "met"
    if status == "met":
        reasons.append(f"已公开{rule.seeks}" + (f"，最近一次发布为{newest.isoformat()}" if newest else ""))
    return Finding(rule, unit, status, best_first(valid), reasons, missing, newest, overdue)


def _periodic(rule: Rule, unit: str, valid: list[Hit], as_of: date, due) -> Finding:
    series: Series = judge_series(rule, valid, as_of, due)
    counted = [h for hits in series.found.values() for h in hits]
    if not counted:
        finding = _no_evidence(rule, unit, as_of, first_due=series.deadlines.get(series.first) or due(series.first)[0])
        finding.periods = series.to_dict()
        return finding
    missing_elements, reasons = _elements(rule, counted)
    newest_period = max(series.found)
    newest = max((h.date for h in series.found[newest_period] if h.date), default=None)
    latest = f"最近一期为{newest_period.label()}" + (f"（发布于{newest.isoformat()}）" if newest else "")
    gaps = series.missing
    if series.latest_missing:
        status = "stale"
        last = series.due[-1]
        reasons.append(f"{cadence_label(rule)}：{latest}，{last.label()}应于{series.deadlines[last].isoformat()}前公开，"
                       f"缺{join_labels(gaps)}")
    elif gaps:
        status = "partial"
        reasons.append(f"{cadence_label(rule)}：缺{join_labels(gaps)}；{latest}")
    else:
        status = "partial" if missing_elements else "met"
        span = f"{series.due[0].label()}至{series.due[-1].label()}各期齐全" if series.due else "已提前公开"
        reasons.append(f"已{cadence_label(rule)}{rule.seeks}，{span}，{latest}")
    basis = series.bases.get(series.due[-1]) if series.due else None
    finding = Finding(rule, unit, status, best_first(counted), reasons, missing_elements, newest, None,
                      periods=series.to_dict(), basis=basis)
    return finding


def _no_evidence(rule: Rule, unit: str, as_of: date, first_due: date | None = None) -> Finding:
    due = first_due if rule.timing.periodic else t.deadline(rule.timing)
    if due and due > as_of:
        status, reasons = "not_due", [f"尚未找到{rule.seeks}，公开期限为{due.isoformat()}，尚未到期"]
    elif rule.when_absent == "manual":  # absence proves nothing (an accident that never happened)
        status, reasons = "manual", [f"未找到{rule.seeks}；未公开不一定未履行，需人工核查"]
    else:
        status = "missing"
        if rule.timing.in_force:
            reasons = [f"未找到{rule.seeks}（该义务自{rule.timing.in_force.isoformat()}起施行，应常年公开）"]
        else:
            reasons = [f"未找到{rule.seeks}" + (f"（应于{due.isoformat()}前公开）" if due else "")]
    return Finding(rule, unit, status, reasons=reasons, missing_elements=[e.name for e in rule.elements])


def roll_up(findings: list[Finding], unreachable: bool = False) -> tuple[str, bool]:
    """A (plan item, unit) pair's status and ``review_pending``, as CONTRACT.md rolls them up.

    1. ``unreachable`` when the unit's configured URLs could not be fetched (unless a
       reviewer decided every rule of the pair);
    2. ``manual`` when every finding awaits a reviewer;
    3. otherwise over the assessed findings (web rules', and manual ones a reviewer
       decided): a manual finding awaiting a decision neither raises nor lowers the pair
       and sets ``review_pending``.
    """
    pending = any(f.awaiting_review for f in findings)
    decided = all(f.override is not None for f in findings)
    if (unreachable and not decided) or any(f.status == "unreachable" for f in findings):
        return "unreachable", pending
    assessed = [f.status for f in findings if not f.awaiting_review]
    if not assessed:
        return "manual", pending
    if all(s == "met" for s in assessed):
        return "met", pending
    if all(s in ("missing", "not_due") for s in assessed):  # none found any evidence
        return ("missing" if "missing" in assessed else "not_due"), pending
    return ("stale" if "stale" in assessed else "partial"), pending
