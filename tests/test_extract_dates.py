"""Date parsing: every form pages write, impossible dates rejected."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.extract.dates import (
    find_dates,
    parse_date,
    parse_list_date,
    parse_month_day,
)

D = date(2018, 5, 30)


@pytest.mark.parametrize(
    "text",
    [
        "2018-05-30", "2018-5-30", "2018年5月30日", "2018年05月30日", "2018/05/30", "2018.05.30",
        "发布时间:2018-05-30 10:21", "发布日期：2018 年 5 月 30 日", "２０１８年５月３０日", "２０１８－０５－３０",
        "二〇一八年五月三十日", "二零一八年五月三十日", "二○一八年五月三十日", "(2018-05-30)", "[2018-05-30]",
    ],
)
def test_forms(text):
    assert parse_date(text) == D


def test_time_after_date_is_ignored():
    assert parse_date("发布时间:2025-01-21 10:21") == date(2025, 1, 21)


@pytest.mark.parametrize("text", ["二〇二一年十二月三日", "二〇二一年十二月二十一日", "二〇二一年十月十日"])
def test_chinese_numerals(text):
    assert parse_date(text) in {date(2021, 12, 3), date(2021, 12, 21), date(2021, 10, 10)}
    assert parse_date("二〇二一年十二月二十一日") == date(2021, 12, 21)


@pytest.mark.parametrize(
    "text",
    ["2018-02-30", "2018-13-01", "1989-05-30", "2101-01-01", "PZ00108-3000-2018-00078",
     "电话：021-59992000", "二〇一八年二月三十日", "2018-05/30", "", "x" * 1000],
)
def test_rejected(text):
    assert parse_date(text) is None


def test_find_dates_in_order():
    assert find_dates("成文日期：2018-06-29，发布日期：二〇一八年六月三十日") == [date(2018, 6, 29), date(2018, 6, 30)]


@pytest.mark.parametrize("text", ["[05-30]", "05-30", "5月30日", "(05/30)", "05.30"])
def test_month_day_with_year(text):
    assert parse_month_day(text, 2018) == D


def test_month_day_rejects_impossible_and_parts_of_full_dates():
    assert parse_month_day("02-30", 2018) is None
    assert parse_month_day("02-29", 2019) is None
    assert parse_month_day("02-29", 2020) == date(2020, 2, 29)


def test_list_date_prefers_full_date():
    assert parse_list_date("2017-12-28", 2018) == (date(2017, 12, 28), True)
    assert parse_list_date("[12-28]", 2018) == (date(2018, 12, 28), False)
    assert parse_list_date("[12-28]", None) == (None, False)


_CN = "〇一二三四五六七八九"


def _cn_year(y: int) -> str:
    return "".join(_CN[int(c)] for c in str(y))


def _cn_num(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")) + (_CN[ones] if ones else "")


FORMS = [
    lambda d: f"{d.year}-{d.month:02d}-{d.day:02d}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    lambda d: f"发布时间:{d.isoformat()} 10:21",
    lambda d: f"{d.year}年{d.month}月{d.day}日".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    lambda d: f"{_cn_year(d.year)}年{_cn_num(d.month)}月{_cn_num(d.day)}日",
]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(range(len(FORMS))))
def test_round_trip_every_form(d, form):
    assert parse_date("正文" + FORMS[form](d) + "印发") == d


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_round_trip_list_dates(d):
    assert parse_month_day(f"[{d.month:02d}-{d.day:02d}]", d.year) == d


@given(st.text())
def test_parse_never_raises(text):
    result = parse_date(text)
    assert result is None or 1990 <= result.year <= 2100
