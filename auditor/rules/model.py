"""Typed rule objects, as loaded from the YAML catalogue (rules/README.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .law import Basis

FIELDS = ("title", "text", "attachments", "name", "url", "column")
CADENCES = ("once", "monthly", "quarterly", "yearly", "continuous")
PERIODIC = ("monthly", "quarterly", "yearly")
MODES = ("web", "manual")


@dataclass(frozen=True)
class FieldCondition:
    """Conditions on one field; words are stored normalised (see matcher.normalise)."""

    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    regex: tuple[re.Pattern, ...] = ()
    none: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    """Field conditions that must all hold."""

    fields: tuple[tuple[str, FieldCondition], ...]


@dataclass(frozen=True)
class Element:
    """One required part of a multi-part item (e.g. 申报指南, 立项)."""

    name: str
    match: tuple[Clause, ...]  # any one clause suffices


@dataclass(frozen=True)
class Timing:
    valid_from: date | None = None
    deadline: date | None = None
    cadence: str = "once"
    max_age_days: int | None = None
    due: tuple[int, int] | None = None  # (month, day) for yearly rules
    grace_days: int = 0
    series_from: str | None = None  # periodic rules: the first period due (2018-01, 2018-Q1, 2017)
    in_force: date | None = None  # a standing duty in force since before the plan: due at once
    # yearly duties with a due date: whether year N's release is due in year N+1 (a report
    # on the year) or in year N itself (a plan or an admissions notice for the year)
    due_year: str = "next"

    @property
    def periodic(self) -> bool:
        return self.cadence in PERIODIC


@dataclass(frozen=True)
class Example:
    """A page (fields → text) a rule must or must not accept."""

    page: dict
    elements: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Rule:
    id: str
    item: int | None
    title: str
    units: tuple[str, ...]  # as written in the rule (groups and aliases allowed)
    weight: float
    mode: str
    section: str = ""
    subsection: str = ""
    text: str = ""
    manual_reason: str = ""
    seeks: str = ""
    satisfy: str = ""
    match: tuple[Clause, ...] = ()
    exclude: tuple[Clause, ...] = ()
    elements: tuple[Element, ...] = ()
    # a document naming itself as the whole a multi-part duty asks for (规范性文件清理结果
    # covers its 继续有效, 废止, 失效 and 修改 lists): a page holding one satisfies every element
    whole: tuple[Clause, ...] = ()
    # evidence published by any unit counts (duties of the portal's operator, e.g. a
    # 规范性文件 column that every unit feeds), not only the responsible unit's pages
    anywhere: bool = False
    # what no evidence means: "missing", or "manual" where a page proves the duty done
    # but its absence proves nothing (an accident that never happened, internal training)
    when_absent: str = "missing"
    timing: Timing = field(default_factory=Timing)
    basis: tuple[Basis, ...] = ()  # the legal texts a statutory rule rests on, by date in force
    examples_match: tuple[Example, ...] = ()
    examples_no_match: tuple[Example, ...] = ()
    file: str = ""
    line: int = 0

    @property
    def is_web(self) -> bool:
        return self.mode == "web"

    def to_dict(self) -> dict:
        """The rule as plain data, for `auditor rules list --json` and reports."""
        t = self.timing
        return {
            "id": self.id,
            "item": self.item,
            "section": self.section,
            "subsection": self.subsection,
            "title": self.title,
            "text": self.text,
            "units": list(self.units),
            "weight": self.weight,
            "mode": self.mode,
            "manual_reason": self.manual_reason,
            "seeks": self.seeks,
            "satisfy": self.satisfy,
            "elements": [e.name for e in self.elements],
            "anywhere": self.anywhere,
            "when_absent": self.when_absent,
            "timing": {
                "valid_from": t.valid_from.isoformat() if t.valid_from else None,
                "deadline": t.deadline.isoformat() if t.deadline else None,
                "cadence": t.cadence,
                "max_age_days": t.max_age_days,
                "due": f"{t.due[0]:02d}-{t.due[1]:02d}" if t.due else None,
                "series_from": t.series_from,
                "in_force": t.in_force.isoformat() if t.in_force else None,
                "due_year": t.due_year,
            },
            "basis": [{"document": b.document, "article": b.article, "text": b.text,
                       "due": f"{b.due[0]:02d}-{b.due[1]:02d}" if b.due else None,
                       "applies_to": list(b.applies_to), "confirm": b.confirm} for b in self.basis],
            "file": self.file,
            "line": self.line,
        }
