"""Periods of a periodic duty (按月 / 每季度 / 每年): which one a release covers, which are due.

As an evaluator judges them (DOMAIN.md): a release covers the period its title names
(2018年7月, 第三季度, 1-11月, 2017年度); a title that names none covers the period before
its publication date. Every period from the rule's `series_from` whose due date (the
period's end plus grace days, or a yearly deadline in the next year) has passed by the
as-of date needs its own release.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

KIND_OF_CADENCE = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}
_CN = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
QUARTER_NAMES = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    kind: str  # month | quarter | year
    year: int
    n: int = 1  # month 1–12, quarter 1–4, 1 for a year

    @classmethod
    def of(cls, kind: str, day: date) -> "Period":
        """The period of ``kind`` holding ``day``."""
        n = {"month": day.month, "quarter": (day.month - 1) // 3 + 1, "year": 1}[kind]
        return cls(kind, day.year, n)

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, (self.n - 1) * self.months + 1, 1)

    @property
    def end(self) -> date:
        last = self.n * self.months if self.kind != "year" else 12
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    def shift(self, steps: int) -> "Period":
        per_year = 12 // self.months
        index = self.year * per_year + self.n - 1 + steps
        return Period(self.kind, index // per_year, index % per_year + 1)

    def label(self, with_year: bool = True) -> str:
        year = f"{self.year}年" if with_year else ""
        if self.kind == "month":
            return f"{year}{self.n}月"
        if self.kind == "quarter":
            return f"{year}第{QUARTER_NAMES[self.n - 1]}季度"
        return f"{self.year}年度"


def first_period(timing, kind: str, default: date) -> Period:
    """The first period a periodic rule's series is due for: its `series_from`, else the
    period of its `valid_from`, else that of ``default``."""
    return parse_series_from(timing.series_from or "", kind) or Period.of(kind, timing.valid_from or default)


def parse_series_from(text: str, kind: str) -> Period | None:
    """A rule's `series_from`: ``2018-01`` (month), ``2018-Q1`` (quarter), ``2017`` (year)."""
    m = re.fullmatch(r"(\d{4})(?:-(?:(\d{2})|Q([1-4])))?", str(text).strip())
    if not m:
        return None
    year, month, quarter = int(m.group(1)), m.group(2), m.group(3)
    if kind == "month" and month and 1 <= int(month) <= 12:
        return Period("month", year, int(month))
    if kind == "quarter" and quarter:
        return Period("quarter", year, int(quarter))
    if kind == "year" and not month and not quarter:
        return Period("year", year)
    return None


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN.get(text[1:], 0) if len(text) > 1 else 0)
    if len(text) == 2 and text[1] == "十":
        return _CN[text[0]] * 10
    if "十" in text:
        return _CN[text[0]] * 10 + _CN[text[-1]]
    return _CN.get(text, 0)


def _years(text: str) -> list[int]:
    out = [int(y) for y in re.findall(r"(20\d{2}|19\d{2})\s*年", text)]
    for cn in re.findall(r"([〇零一二三四五六七八九]{4})\s*年", text):
        out.append(int("".join(str(_CN[c]) for c in cn)))
    return out


_MONTH_RANGE = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[-—–~～至到]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")
_MONTH = re.compile(r"(?<![\d一二三四五六七八九十])(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月(?:份)?(?!\s*\d{1,2}\s*日)")
_QUARTER = re.compile(r"第?([一二三四1-4])\s*季度")
_HALF = {"上半年": 2, "前三季度": 3, "下半年": 4, "全年": 4}


def _named_month(text: str) -> int | None:
    m = _MONTH_RANGE.search(text)
    if m:
        return _number(m.group(2)) or None
    months = [_number(x) for x in _MONTH.findall(text)]
    months = [x for x in months if 1 <= x <= 12]
    return months[-1] if months else None


def _named_quarter(text: str) -> int | None:
    m = _QUARTER.search(text)
    if m:
        return _number(m.group(1)) or None
    return next((q for word, q in _HALF.items() if word in text), None)


def named(title: str, kind: str, published: date | None) -> Period | None:
    """The period of ``kind`` a release's title names, or None if it names none.

    A coarser period counts as its last sub-period (第三季度 closes September of a monthly
    series; 1-9月 is the third quarter). A title without a year takes the latest year
    that puts the period no later than the publication.
    """
    text = unicodedata.normalize("NFKC", title)
    month, quarter = _named_month(text), _named_quarter(text)
    years = _years(text)
    if kind == "month":
        n = month or (quarter * 3 if quarter else None)
    elif kind == "quarter":
        n = quarter or ((month - 1) // 3 + 1 if month else None)
    else:
        n = 1 if (years or "年度" in text) else None
    if n is None or (kind == "year" and not years):
        return None
    limit = Period.of(kind, published) if published else None
    if years:
        candidates = [Period(kind, y, n) for y in sorted(set(years))]
        fitting = [p for p in candidates if limit is None or p <= limit]
        return fitting[-1] if fitting else candidates[0]
    if limit is None:
        return None
    p = Period(kind, limit.year, n)
    return p if p <= limit else Period(kind, limit.year - 1, n)


def covered(title: str, kind: str, published: date | None, *, same_year: bool = False) -> Period | None:
    """The period a release covers: the one its title names, else the one before its publication
    (a yearly duty due within the year itself, ``same_year``, covers its publication's year)."""
    p = named(title, kind, published)
    if p is None and published is not None:
        p = Period.of(kind, published).shift(0 if same_year and kind == "year" else -1)
    return p


def anchor(year: int, due: tuple[int, int]) -> date:
    """A yearly deadline (month, day) in ``year`` (02-29 falls on 02-28 in common years)."""
    month, day = due
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def due_date(period: Period, grace_days: int, yearly_due: tuple[int, int] | None, due_year: str = "next") -> date:
    """When a period's release is due, plus grace: a yearly deadline falls in the next year
    (a report on 2017 is due by 31 March 2018) or, with ``due_year`` "same", in the year
    itself (2018's admissions by 31 August 2018); other periods are due at their end."""
    if period.kind == "year" and yearly_due:
        return anchor(period.year + (1 if due_year == "next" else 0), yearly_due) + timedelta(days=grace_days)
    return period.end + timedelta(days=grace_days)


def join_labels(periods: list[Period]) -> str:
    """缺2018年3月、5月 style: the year is written once per run of the same year."""
    out, year = [], None
    for p in sorted(periods):
        show = p.kind == "year" or p.year != year
        out.append(p.label(with_year=show))
        year = p.year
    return "、".join(out)
