"""Calendar arithmetic of a rule's timing: its valid window, deadline and cadence.

Periods are calendar periods, not day counts (a month is January or February, not 31
days), and a yearly `due: "01-31"` anchor falls on 31 January of each year.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from ..rules.model import Timing

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the target month's end."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def anchor(year: int, due: tuple[int, int]) -> date:
    """The yearly due date in ``year`` (02-29 falls on 02-28 in common years)."""
    month, day = due
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def first_anchor_on_or_after(day: date, due: tuple[int, int]) -> date:
    this_year = anchor(day.year, due)
    return this_year if this_year >= day else anchor(day.year + 1, due)


def in_window(timing: Timing, day: date | None, as_of: date) -> bool:
    """Whether evidence dated ``day`` counts at ``as_of``.

    Undated evidence counts only for rules without a `valid_from`: a dated window
    cannot be confirmed for a page that carries no date.
    """
    if day is None:
        return timing.valid_from is None
    if day > as_of:  # published after the as-of date: did not exist then
        return False
    return timing.valid_from is None or day >= timing.valid_from


def deadline(timing: Timing) -> date | None:
    """When a first publication is due: the rule's deadline, else the first yearly anchor
    after `valid_from` for anchored yearly rules, else None (due at once)."""
    if timing.deadline:
        return timing.deadline
    if timing.cadence == "yearly" and timing.due and timing.valid_from:
        return first_anchor_on_or_after(timing.valid_from, timing.due)
    return None


def period_end(day: date, months: int) -> date:
    """Last day of the calendar period (month, quarter, year) holding ``day``."""
    first_month = (day.month - 1) // months * months + 1
    return add_months(date(day.year, first_month, 1), months) - timedelta(days=1)


def next_due(timing: Timing, newest: date) -> date | None:
    """When the publication after one dated ``newest`` is due (None: cadence `once`).

    Periodic duties are kept per calendar period: after a publication in July a
    monthly series is due again by the end of August, a quarterly one (Q3) by the
    end of December, a yearly one by the end of the next year, plus `grace_days`.
    An anchored yearly duty (`due: "01-31"`) is due at the first anchor at least a
    year after the last publication (the 2018 report, out 2018-01-20, is followed
    by the next by 2019-01-31).
    """
    grace = timedelta(days=timing.grace_days)
    if timing.cadence == "continuous":
        return newest + timedelta(days=timing.max_age_days or 0) + grace
    months = PERIOD_MONTHS.get(timing.cadence)
    if months is None:
        return None
    if timing.cadence == "yearly" and timing.due:
        return first_anchor_on_or_after(add_months(newest, 12), timing.due) + grace
    return period_end(add_months(newest, months), months) + grace


def days_overdue(timing: Timing, newest: date, as_of: date) -> int:
    """Days by which the next publication is overdue at ``as_of`` (0: not overdue)."""
    due = next_due(timing, newest)
    return max(0, (as_of - due).days) if due else 0
