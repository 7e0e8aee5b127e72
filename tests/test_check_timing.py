"""A rule's window, a one-off duty's deadline (none for a standing duty) and a continuous duty's age."""

from datetime import date

from auditor.check.timing import days_overdue, deadline, outside_window
from auditor.rules.model import Timing

D = date


def test_window():
    t = Timing(valid_from=D(2018, 1, 1))
    assert not outside_window(t, D(2018, 1, 1), D(2018, 12, 10))       # first day of the window counts
    assert not outside_window(t, D(2018, 12, 10), D(2018, 12, 10))     # the as-of day itself counts
    assert outside_window(t, D(2017, 12, 31), D(2018, 12, 10))
    assert outside_window(t, D(2018, 12, 11), D(2018, 12, 10))  # published after the as-of date
    assert outside_window(t, None, D(2018, 12, 10))              # an undated page cannot be placed
    assert not outside_window(Timing(), None, D(2018, 12, 10))
    # a periodic duty's undated release is placed by the period its title names
    assert not outside_window(Timing(valid_from=D(2018, 1, 1), cadence="monthly"), None, D(2018, 12, 10))
    # the reasons the report gives
    assert outside_window(t, D(2017, 12, 31), D(2018, 12, 10)) == "发布于2017-12-31，早于2018-01-01，不在评估期内"
    assert outside_window(t, D(2018, 12, 11), D(2018, 12, 10)) == "发布于2018-12-11，晚于评估基准日"


def test_deadlines_and_standing_duties():
    assert deadline(Timing(deadline=D(2018, 12, 31))) == D(2018, 12, 31)
    assert deadline(Timing()) is None                          # due at once
    assert deadline(Timing(in_force=D(2008, 5, 1))) is None   # in force before the plan: due at once


def test_continuous_age_and_grace():
    t = Timing(cadence="continuous", max_age_days=90)
    assert days_overdue(t, D(2018, 9, 1), D(2018, 12, 10)) == 10
    assert days_overdue(t, D(2018, 10, 1), D(2018, 12, 10)) == 0
    graced = Timing(cadence="continuous", max_age_days=30, grace_days=15)
    assert days_overdue(graced, D(2018, 7, 5), D(2018, 8, 20)) == 1
    assert days_overdue(Timing(), D(2010, 1, 1), D(2018, 12, 10)) == 0
