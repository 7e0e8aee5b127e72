"""A periodic duty judged per period: which periods are due, which releases cover them.

Every period from the rule's `series_from` whose due date has passed by the as-of date
needs its own release (`auditor.check.periods`). A missing latest period makes the
series `stale`; earlier gaps make it `partial`, each named (缺2018年3月、5月).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from ..rules.law import Basis, Law
from ..rules.model import Rule
from .periods import KIND_OF_CADENCE, Period, covered, due_date, first_period


@dataclass
class Series:
    """A periodic duty's periods at the as-of date."""

    kind: str
    first: Period
    due: list[Period]  # periods due by the as-of date, in order
    found: dict[Period, list] = field(default_factory=dict)  # period → releases covering it (hits)
    bases: dict[Period, Basis | None] = field(default_factory=dict)  # the text that set each period's deadline
    deadlines: dict[Period, date] = field(default_factory=dict)

    @property
    def missing(self) -> list[Period]:
        return [p for p in self.due if p not in self.found]

    @property
    def latest_missing(self) -> bool:
        return bool(self.due) and self.due[-1] not in self.found

    def to_dict(self) -> dict:
        return {"kind": self.kind, "from": self.first.label(), "due": [p.label() for p in self.due],
                "found": [p.label() for p in sorted(self.found) if p >= self.first],
                "missing": [p.label() for p in self.missing]}


def deadline_of(rule: Rule, law: Law | None, unit_kind: str) -> Callable[[Period], tuple[date, Basis | None]]:
    """When a period's release is due, and the legal text that says so.

    A statutory yearly duty takes its deadline from the text in force when the period
    fell due: the report on 2018 was due by 31 March 2019 under the 2008 text (the 2019
    revision, whose 31 January applied only from 15 May 2019, had not yet taken effect).
    """
    t = rule.timing

    def due(period: Period) -> tuple[date, Basis | None]:
        if period.kind == "year" and rule.basis and law is not None:
            for b in rule.basis:
                doc = law.documents.get(b.document)
                if not b.due or not doc or (b.applies_to and unit_kind not in b.applies_to):
                    continue
                day = due_date(period, t.grace_days, b.due, t.due_year)
                if doc.in_force(day):
                    return day, b
        return due_date(period, t.grace_days, t.due, t.due_year), None

    return due


def judge_series(rule: Rule, hits: list, as_of: date, due: Callable[[Period], tuple[date, Basis | None]]) -> Series:
    """The periods of ``rule`` due at ``as_of`` and the hits (dated releases) covering them."""
    kind = KIND_OF_CADENCE[rule.timing.cadence]
    first = first_period(rule.timing, kind, as_of)
    series = Series(kind, first, [])
    period = first
    while True:
        day, basis = due(period)
        if day > as_of:
            break
        series.due.append(period)
        series.deadlines[period], series.bases[period] = day, basis
        period = period.shift(1)
    for hit in hits:
        p = covered(hit.title, kind, hit.date, same_year=rule.timing.due_year == "same")
        if p is not None and p >= first and p.start <= as_of:
            series.found.setdefault(p, []).append(hit)
    return series
