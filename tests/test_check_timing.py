"""Calendar arithmetic of rule timing: month and year ends, leap years, anchors, grace."""

from datetime import date

import pytest

from auditor.check.timing import (
    add_months,
    days_overdue,
    deadline,
    in_window,
    next_due,
    period_end,
)
from auditor.rules.model import Timing

D = date


@pytest.mark.parametrize("day, months, expected", [
    (D(2018, 1, 31), 1, D(2018, 2, 28)),    # clamped to February's end
    (D(2020, 1, 31), 1, D(2020, 2, 29)),    # leap year
    (D(2018, 12, 15), 1, D(2019, 1, 15)),   # across the year end
    (D(2018, 11, 30), 3, D(2019, 2, 28)),
    (D(2020, 2, 29), 12, D(2021, 2, 28)),
    (D(2018, 3, 31), -1, D(2018, 2, 28)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize("day, months, expected", [
    (D(2018, 2, 3), 1, D(2018, 2, 28)),
    (D(2018, 12, 1), 1, D(2018, 12, 31)),
    (D(2018, 8, 15), 3, D(2018, 9, 30)),    # Q3
    (D(2018, 11, 2), 3, D(2018, 12, 31)),   # Q4 ends with the year
    (D(2018, 5, 5), 12, D(2018, 12, 31)),
])
def test_period_end(day, months, expected):
    assert period_end(day, months) == expected


@pytest.mark.parametrize("cadence, newest, expected", [
    ("monthly", D(2018, 7, 5), D(2018, 8, 31)),     # August's is due by August's end
    ("monthly", D(2018, 1, 31), D(2018, 2, 28)),
    ("monthly", D(2018, 12, 6), D(2019, 1, 31)),    # across the year end
    ("monthly", D(2019, 12, 31), D(2020, 1, 31)),
    ("quarterly", D(2018, 10, 18), D(2019, 3, 31)),  # Q4 publication → next by end of Q1
    ("quarterly", D(2018, 3, 31), D(2018, 6, 30)),
    ("yearly", D(2017, 6, 1), D(2018, 12, 31)),
])
def test_next_due_per_calendar_period(cadence, newest, expected):
    assert next_due(Timing(cadence=cadence), newest) == expected


def test_once_is_never_due_again():
    assert next_due(Timing(), D(2018, 1, 1)) is None
    assert days_overdue(Timing(), D(2010, 1, 1), D(2018, 12, 10)) == 0


def test_yearly_anchor_annual_report():
    t = Timing(cadence="yearly", due=(1, 31), valid_from=D(2018, 1, 1))
    assert next_due(t, D(2018, 1, 20)) == D(2019, 1, 31)   # the 2018 report follows by 2019-01-31
    assert next_due(t, D(2018, 1, 31)) == D(2019, 1, 31)
    assert next_due(t, D(2018, 2, 15)) == D(2020, 1, 31)   # a late report counts for the next year
    assert days_overdue(t, D(2017, 1, 20), D(2018, 3, 1)) == 29
    assert days_overdue(t, D(2018, 1, 20), D(2018, 12, 10)) == 0
    assert deadline(t) == D(2018, 1, 31)                    # the first anchor after valid_from
    leap = Timing(cadence="yearly", due=(2, 29))
    assert next_due(leap, D(2019, 3, 1)) == D(2021, 2, 28)


def test_continuous_and_grace():
    t = Timing(cadence="continuous", max_age_days=90)
    assert next_due(t, D(2018, 10, 1)) == D(2018, 12, 30)
    assert days_overdue(t, D(2018, 9, 1), D(2018, 12, 10)) == 10
    graced = Timing(cadence="monthly", grace_days=15)
    assert next_due(graced, D(2018, 7, 5)) == D(2018, 9, 15)
    assert days_overdue(graced, D(2018, 7, 5), D(2018, 9, 16)) == 1


def test_window():
    t = Timing(valid_from=D(2018, 1, 1))
    assert in_window(t, D(2018, 1, 1), D(2018, 12, 10))
    assert not in_window(t, D(2017, 12, 31), D(2018, 12, 10))
    assert not in_window(t, D(2018, 12, 11), D(2018, 12, 10))  # after the as-of date
    assert not in_window(t, None, D(2018, 12, 10))              # undated: window unconfirmable
    assert in_window(Timing(), None, D(2018, 12, 10))
    assert deadline(Timing(deadline=D(2018, 6, 30))) == D(2018, 6, 30)
    assert deadline(Timing()) is None
