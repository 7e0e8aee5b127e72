"""Find and parse the date forms of Chinese government pages.

Numeric (2018-05-30, 2018/5/30, 2018.05.30, 2018年5月30日), full-width digits,
Chinese numerals (二〇一八年五月三十日) and list dates without a year ([05-30]).
All functions are pure; impossible dates and years outside 1990..2100 are
rejected, so a 索引号 or a phone number is not read as a date.
"""

from __future__ import annotations

import re
from datetime import date

MIN_YEAR = 1990
MAX_YEAR = 2100

# Full-width digits and punctuation → ASCII, so one pattern reads both.
_WIDE = str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:")
_NUMERIC = re.compile(
    r"(?<!\d)(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)(?!\d)"
)
_CN_DIGITS = "〇一二三四五六七八九"
_CN_DIGIT = {c: i for i, c in enumerate(_CN_DIGITS)} | {"零": 0, "○": 0, "O": 0, "０": 0, "Ｏ": 0}
_CN_ZERO = "〇零○OＯ０"
_CN_NUM = r"(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_CHINESE = re.compile(
    rf"([{_CN_ZERO}一二三四五六七八九]{{4}})\s*年\s*({_CN_NUM})\s*月\s*({_CN_NUM})\s*日"
)
_MONTH_DAY = re.compile(r"(?<![\d\-/.])(\d{1,2})\s*([-/.]|月)\s*(\d{1,2})\s*日?(?![\d\-/.])")


def make_date(year: int, month: int, day: int) -> date | None:
    """A date if it exists and its year is plausible, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cn_number(s: str) -> int:
    """一..三十一 as an int (十 alone is 10, 二十 is 20)."""
    if "十" not in s:
        return _CN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def _matches(text: str) -> list[tuple[int, date]]:
    found = []
    for m in _NUMERIC.finditer(text):
        month, day = (m.group(3), m.group(4)) if m.group(2) else (m.group(5), m.group(6))
        d = make_date(int(m.group(1)), int(month), int(day))
        if d:
            found.append((m.start(), d))
    for m in _CHINESE.finditer(text):
        year = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
        d = make_date(year, _cn_number(m.group(2)), _cn_number(m.group(3)))
        if d:
            found.append((m.start(), d))
    return sorted(found, key=lambda t: t[0])


def find_dates(text: str) -> list[date]:
    """Every full date (with a year) in ``text``, in order of appearance."""
    return [d for _, d in _matches(text.translate(_WIDE))]


def parse_date(text: str) -> date | None:
    """The first full date in ``text`` (e.g. ``发布时间:2025-01-21 10:21``), or None."""
    found = _matches(text.translate(_WIDE))
    return found[0][1] if found else None


def parse_month_day(text: str, year: int) -> date | None:
    """A list date without a year (``[05-30]``, ``05-30``, ``5月30日``) in ``year``."""
    m = _MONTH_DAY.search(text.translate(_WIDE))
    return make_date(year, int(m.group(1)), int(m.group(3))) if m else None


def parse_list_date(text: str, year: int | None) -> tuple[date | None, bool]:
    """A list entry's date: a full date, else month-day completed with ``year``.

    Returns (date, had_year) so callers can correct completed years.
    """
    d = parse_date(text)
    if d:
        return d, True
    if year is None:
        return None, False
    return parse_month_day(text, year), False
