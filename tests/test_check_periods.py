"""Periods of periodic duties: month, quarter and year ends, grace days, periods named in
titles against publication dates, and the law in force setting a year's deadline."""

from datetime import date

import pytest
from conftest import RULES

from auditor.check.periods import (
    Period,
    covered,
    due_date,
    join_labels,
    named,
    parse_series_from,
)
from auditor.check.series import deadline_of, judge_series
from auditor.check.status import Hit, evaluate
from auditor.rules import load_catalogue
from auditor.rules.model import Rule, Timing

D = date


@pytest.mark.parametrize("period, start, end", [
    (Period("month", 2018, 2), D(2018, 2, 1), D(2018, 2, 28)),
    (Period("month", 2020, 2), D(2020, 2, 1), D(2020, 2, 29)),      # leap year
    (Period("month", 2018, 12), D(2018, 12, 1), D(2018, 12, 31)),
    (Period("quarter", 2018, 3), D(2018, 7, 1), D(2018, 9, 30)),
    (Period("quarter", 2018, 4), D(2018, 10, 1), D(2018, 12, 31)),   # Q4 ends with the year
    (Period("year", 2017), D(2017, 1, 1), D(2017, 12, 31)),
])
def test_period_bounds(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_shift_across_year_ends():
    assert Period("month", 2018, 12).shift(1) == Period("month", 2019, 1)
    assert Period("month", 2018, 1).shift(-1) == Period("month", 2017, 12)
    assert Period("quarter", 2018, 4).shift(1) == Period("quarter", 2019, 1)
    assert Period("year", 2018).shift(-1) == Period("year", 2017)
    assert Period.of("quarter", D(2018, 8, 15)) == Period("quarter", 2018, 3)


@pytest.mark.parametrize("title, kind, published, expected", [
    ("2018年7月城乡低保资金发放情况", "month", D(2018, 8, 10), Period("month", 2018, 7)),
    ("2018年1-11月嘉定区经济运行情况", "month", D(2018, 12, 20), Period("month", 2018, 11)),
    ("嘉定区1—9月服务业运行情况", "quarter", D(2018, 10, 25), Period("quarter", 2018, 3)),   # cumulative: Q3
    ("2018年第三季度食品安全监督抽检信息", "quarter", D(2018, 10, 12), Period("quarter", 2018, 3)),
    ("第四季度安全生产行政执法情况", "quarter", D(2019, 1, 10), Period("quarter", 2018, 4)),  # no year: the one before
    ("十一月份低保发放", "month", D(2018, 12, 3), Period("month", 2018, 11)),
    ("2017年度政府信息公开工作年度报告", "year", D(2018, 1, 20), Period("year", 2017)),
    ("嘉定区2018年上半年统计数据", "quarter", D(2018, 7, 20), Period("quarter", 2018, 2)),
    ("2018年第三季度抽检结果", "month", D(2018, 10, 12), Period("month", 2018, 9)),  # a quarter closes its last month
    ("关于2018年7月15日停水的通知", "month", D(2018, 7, 10), None),  # a date names no period
    ("城乡低保资金发放情况", "month", D(2018, 8, 10), None),
])
def test_a_title_names_its_period(title, kind, published, expected):
    assert named(title, kind, published) == expected


def test_without_a_named_period_a_release_covers_the_period_before_its_publication():
    assert covered("城乡低保资金发放情况", "month", D(2018, 8, 10)) == Period("month", 2018, 7)
    assert covered("城乡低保资金发放情况", "month", D(2019, 1, 5)) == Period("month", 2018, 12)
    assert covered("食品抽检结果公告", "quarter", D(2018, 4, 2)) == Period("quarter", 2018, 1)
    # the title beats the publication date
    assert covered("2018年3月低保发放情况", "month", D(2018, 8, 10)) == Period("month", 2018, 3)


def test_due_dates_with_grace_and_yearly_deadlines():
    assert due_date(Period("month", 2018, 1), 0, None) == D(2018, 1, 31)
    assert due_date(Period("month", 2018, 1), 31, None) == D(2018, 3, 3)
    assert due_date(Period("quarter", 2018, 4), 45, None) == D(2019, 2, 14)
    assert due_date(Period("year", 2017), 0, (3, 31)) == D(2018, 3, 31)       # a report on the year: next year
    assert due_date(Period("year", 2018), 0, (8, 31), "same") == D(2018, 8, 31)  # the year's own admissions
    assert due_date(Period("year", 2019), 0, (2, 29)) == D(2020, 2, 29)


def test_series_from_and_labels():
    assert parse_series_from("2018-01", "month") == Period("month", 2018, 1)
    assert parse_series_from("2018-Q3", "quarter") == Period("quarter", 2018, 3)
    assert parse_series_from("2017", "year") == Period("year", 2017)
    assert parse_series_from("2018-01", "quarter") is None
    gaps = [Period("month", 2018, 3), Period("month", 2018, 5), Period("month", 2019, 1)]
    assert join_labels(gaps) == "2018年3月、5月、2019年1月"
    assert join_labels([Period("quarter", 2018, 1), Period("quarter", 2018, 3)]) == "2018年第一季度、第三季度"


MONTHLY = Rule("jd2018-050", 50, "低保", ("区民政局",), 3.0, "web", seeks="城乡低保资金发放情况",
               timing=Timing(valid_from=D(2018, 1, 1), cadence="monthly", series_from="2018-01", grace_days=15))


def release(month: int, day: date) -> Hit:
    return Hit(f"http://www.test/mzj/{month}.html", f"2018年{month}月城乡低保资金发放情况", day)


def test_every_period_due_needs_its_own_release_and_gaps_are_named():
    # as of 12-10 with 15 days' grace, January to October are due (November by 12-15)
    hits = [release(m, D(2018, m + 1, 8)) for m in (1, 2, 4, 6, 7, 8, 9, 10)]
    f = evaluate(MONTHLY, "区民政局", hits, D(2018, 12, 10))
    assert f.status == "partial"
    assert f.periods["missing"] == ["2018年3月", "2018年5月"]
    assert f.reasons == ["按月公开：缺2018年3月、5月；最近一期为2018年10月（发布于2018-11-08）"]


def test_a_missing_latest_period_is_stale_and_one_release_is_not_a_monthly_series():
    f = evaluate(MONTHLY, "区民政局", [release(11, D(2018, 11, 20))], D(2018, 12, 10))
    # the only release names November, which was not yet due: every due month is missing
    assert f.status == "stale" and len(f.periods["missing"]) == 10
    single = evaluate(MONTHLY, "区民政局", [release(10, D(2018, 11, 3))], D(2018, 12, 10))
    assert single.status == "partial" and single.periods["missing"][0] == "2018年1月"
    complete = evaluate(MONTHLY, "区民政局", [release(m, D(2018, m + 1, 3)) for m in range(1, 11)], D(2018, 12, 10))
    assert complete.status == "met" and "2018年1月至2018年10月各期齐全" in complete.reasons[0]
    assert evaluate(MONTHLY, "区民政局", [], D(2018, 1, 20)).status == "not_due"  # January is due by 02-15


def test_the_annual_report_deadline_is_that_of_the_law_in_force():
    catalogue = load_catalogue(RULES)
    rule = next(r for r in catalogue.rules if r.id == "base-annual-report")
    due = deadline_of(rule, catalogue.law, "department")
    # 2008 text (Art. 31): the report on 2017 by 2018-03-31, and on 2018 by 2019-03-31,
    # because the 2019 revision took effect only on 2019-05-15
    assert due(Period("year", 2017))[0] == D(2018, 3, 31) and due(Period("year", 2017))[1].article == "第三十一条"
    assert due(Period("year", 2018))[0] == D(2019, 3, 31)
    # from the 2019 revision (Art. 49): departments by 31 January
    assert due(Period("year", 2019)) [0] == D(2020, 1, 31) and due(Period("year", 2019))[1].article == "第四十九条"
    assert deadline_of(rule, catalogue.law, "town")(Period("year", 2019))[0] == D(2020, 3, 31)
    series = judge_series(rule, [], D(2018, 12, 10), due)
    assert [p.label() for p in series.due] == ["2017年度"]  # the report on 2018 is not yet due


def test_a_check_cites_the_text_in_force_on_the_date_it_judges():
    catalogue = load_catalogue(RULES)
    guide = next(r for r in catalogue.rules if r.id == "base-guide")
    before = evaluate(guide, "区民政局", [], D(2019, 5, 14), law=catalogue.law)
    after = evaluate(guide, "区民政局", [], D(2019, 5, 15), law=catalogue.law)
    assert (before.basis.document, before.basis.article) == ("ogi-2008", "第十九条")
    assert (after.basis.document, after.basis.article) == ("ogi-2019", "第十二条")
    assert catalogue.law.in_force("site_standard", D(2018, 12, 10)).id == "census-2015"
    assert catalogue.law.in_force("site_standard", D(2019, 12, 10)).id == "site-indicators-2019"
