"""Reviewers' decisions applied to a check's findings (the decisions themselves: auditor.review).

A decision replaces the status of the findings it targets; the computed status stays on
each finding for the audit trail. A decision on a rule outranks one on its whole item,
and a decision on a unit outranks one on its group.
"""

from __future__ import annotations

from ..labels import STATUS_LABELS
from ..review.decisions import Decision
from ..units import Registry
from .status import Finding


def apply_decisions(findings: list[Finding], decisions: list[Decision], registry: Registry) -> None:
    """Replace the status of every finding a decision covers, noting who decided, when and why."""
    ranked: dict[tuple, tuple[int, Decision]] = {}
    for d in decisions:
        units = registry.expand([d.unit])
        rank = (2 if d.rule else 0) + (0 if registry.is_group(d.unit) else 1)
        for unit in units:
            key = (d.rule, d.item, unit)
            if key not in ranked or ranked[key][0] <= rank:
                ranked[key] = (rank, d)
    for f in findings:
        hit = ranked.get((f.rule.id, None, f.unit))
        if hit is None and f.rule.item is not None:
            hit = ranked.get((None, f.rule.item, f.unit))
        if hit is None:
            continue
        decision = hit[1]
        f.status = decision.status
        f.override = decision.record()
        f.reasons.append(f"经人工复核认定为“{STATUS_LABELS[decision.status]}”（{decision.reviewer}，{decision.decided_on}）："
                         f"{decision.reason}")
