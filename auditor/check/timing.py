"""Calendar arithmetic of a rule's timing: its valid window, deadline and freshness.

Periodic duties (monthly, quarterly, yearly) are judged per period in
`auditor.check.series`; this module covers the others: a one-off duty's deadline and a
continuous duty's maximum age.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..rules.model import Timing


def outside_window(timing: Timing, day: date | None, as_of: date) -> str:
    """Why evidence dated ``day`` does not count at ``as_of``, in the report's words ('' when it does).

    Undated evidence counts only for rules without a `valid_from`, or periodic ones (the
    period a title names places them): a dated window cannot be confirmed for a page
    that carries no date.
    """
    if day is None:
        return "页面未标注发布日期，无法确认发布时间" if timing.valid_from is not None and not timing.periodic else ""
    if day > as_of:  # published after the as-of date: did not exist then
        return f"发布于{day.isoformat()}，晚于评估基准日"
    if timing.valid_from is not None and day < timing.valid_from:
        return f"发布于{day.isoformat()}，早于{timing.valid_from.isoformat()}，不在评估期内"
    return ""


def deadline(timing: Timing) -> date | None:
    """When a first publication is due: the rule's deadline, else None (due at once).

    A duty already in force before the plan (``in_force``) never has one: its absence is
    a finding at once, never "not yet due".
    """
    return None if timing.in_force else timing.deadline


def days_overdue(timing: Timing, newest: date, as_of: date) -> int:
    """Days by which a continuous duty's next publication is overdue at ``as_of`` (0: not overdue, or not continuous)."""
    if timing.cadence != "continuous":
        return 0
    due = newest + timedelta(days=(timing.max_age_days or 0) + timing.grace_days)
    return max(0, (as_of - due).days)
