"""Finding statuses of (rule, unit) pairs and their roll-up per (plan item, unit).

Statuses and the roll-up are CONTRACT.md's; reasons are short Chinese sentences an
official reads as the auditor's explanation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..rules.model import Rule
from . import timing as t

STATUSES = ("met", "partial", "stale", "missing", "not_due", "unreachable", "manual")
STATUS_LABELS = {"met": "已公开", "partial": "部分公开", "stale": "未及时更新", "missing": "未公开",
                 "not_due": "未到期", "unreachable": "网站无法访问", "manual": "待人工核查"}
MAX_EVIDENCE = 10  # pages cited per finding; the best ones come first


@dataclass(frozen=True)
class Hit:
    """A page that is evidence for a rule, as the matcher judged it."""

    url: str
    title: str
    date: date | None
    elements: tuple[str, ...] = ()


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

    def __post_init__(self) -> None:
        self.computed_status = self.computed_status or self.status


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


def evaluate(rule: Rule, unit: str, hits: list[Hit], as_of: date, unreachable: bool = False) -> Finding:
    """The finding of ``rule`` for ``unit`` given the unit's pages that are evidence for it."""
    if not rule.is_web:
        return Finding(rule, unit, "manual", reasons=[f"网站无法体现，需人工核查：{rule.manual_reason}"])
    if unreachable:
        return Finding(rule, unit, "unreachable", reasons=[f"{unit}的网站无法访问，无法判断是否公开{rule.seeks}"])
    timing = rule.timing
    valid = [h for h in hits if t.in_window(timing, h.date, as_of)]
    if not valid:
        return _no_evidence(rule, unit, hits, as_of)
    dates = [h.date for h in valid if h.date]
    newest = max(dates) if dates else None
    found = {e for h in valid for e in h.elements}
    missing = [e.name for e in rule.elements if e.name not in found]
    reasons: list[str] = []
    if missing:
        present = "、".join(e.name for e in rule.elements if e.name in found)
        reasons.append(f"已公开{present}，缺少{'、'.join(missing)}")
    overdue = None
    if timing.cadence != "once":
        if newest is None:
            reasons.append(f"找到的{rule.seeks}未标注发布日期，无法确认是否{cadence_label(rule)}")
        else:
            overdue = t.days_overdue(timing, newest, as_of)
            if overdue:
                reasons.append(f"最近一次发布为{newest.isoformat()}，已超过{cadence_label(rule)}要求{overdue}天")
    stale = timing.cadence != "once" and (newest is None or bool(overdue))
    # an outdated series is stale whatever else it lacks: the unit must first publish anew
    status = "stale" if stale else "partial" if missing else "met"
    if status == "met":
        reasons.append(f"已公开{rule.seeks}" + (f"，最近一次发布为{newest.isoformat()}" if newest else ""))
    return Finding(rule, unit, status, best_first(valid), reasons, missing, newest, overdue)


def _no_evidence(rule: Rule, unit: str, hits: list[Hit], as_of: date) -> Finding:
    due = t.deadline(rule.timing)
    if due and due > as_of:
        status, reasons = "not_due", [f"尚未找到{rule.seeks}，公开期限为{due.isoformat()}，尚未到期"]
    elif rule.when_absent == "manual":  # absence proves nothing (an accident that never happened)
        status, reasons = "manual", [f"未找到{rule.seeks}；未公开不一定未履行，需人工核查"]
    else:
        status = "missing"
        reasons = [f"未找到{rule.seeks}" + (f"（应于{due.isoformat()}前公开）" if due else "")]
    early = [h.date for h in hits if h.date and rule.timing.valid_from and h.date < rule.timing.valid_from]
    if early:
        reasons.append(f"相关信息最近一次发布于{max(early).isoformat()}，早于{rule.timing.valid_from.isoformat()}，不予计入")
    elif any(h.date is None for h in hits):
        reasons.append("找到的相关页面未标注发布日期，无法确认发布时间，不予计入")
    return Finding(rule, unit, status, reasons=reasons, missing_elements=[e.name for e in rule.elements])


def roll_up(statuses: list[str], unreachable: bool = False) -> str:
    """A (plan item, unit) status from its rules' finding statuses, as CONTRACT.md reads.

    `met` needs every rule met, so a manual rule still awaiting a reviewer keeps its
    item `partial` until an override decides it; that is how the contract makes
    reviewers close items a website cannot show. A manual finding found no evidence,
    so it counts with missing and not_due in "none found any evidence".
    """
    if unreachable or "unreachable" in statuses:
        return "unreachable"
    if all(s == "manual" for s in statuses):
        return "manual"
    if all(s == "met" for s in statuses):
        return "met"
    if all(s in ("missing", "not_due", "manual") for s in statuses):  # none found any evidence
        return "missing" if "missing" in statuses else "not_due"
    return "stale" if "stale" in statuses else "partial"
