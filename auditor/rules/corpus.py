"""The real-title corpus (tests/fixtures/corpus/titles.yaml): how the catalogue reads officials' wording.

Each case is a real title from a real government site, labelled as a careful evaluator
would: ``match`` (evidence of the rule's duty) or ``no_match`` (a near miss: news about
it, another stage, another kind of document, another body's). A case carries its split:
``work`` (used while editing rules) or ``heldout`` (fixed before any rule was edited
against the corpus, never used while editing: the honest estimate on unseen sites).

A positive counts when the rule accepts it (with the elements the case names); a near
miss counts as rejected when the check would not take it as evidence either: the rule
rejects it, its publisher or its title's issuer is a body above the district (the
check's attribution; `higher_body`), or, for a periodic duty, its title names a period
outside the catalogue's assessment window (the check's per-period judgement).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..yamlfile import LineDict, LineList, load_yaml
from .loader import Catalogue
from .matcher import explain, fields_from_mapping, judge

LABELS = ("match", "no_match")
SPLITS = ("work", "heldout")
CASE_KEYS = {"rule", "split", "label", "title", "elements", "column", "attachments", "publisher", "date", "source",
             "site", "reason", "adapted"}


@dataclass(frozen=True)
class Case:
    rule: str
    split: str
    label: str
    title: str
    elements: tuple[str, ...] = ()
    column: str = ""
    attachments: tuple[str, ...] = ()
    publisher: str = ""
    source: str = ""
    date: date | None = None
    line: int = 0


@dataclass
class Tally:
    """Positives found and near misses rejected, per rule and overall."""

    found: int = 0
    positives: int = 0
    rejected: int = 0
    near: int = 0
    misses: list[tuple[Case, str]] = field(default_factory=list)  # (case, the condition that decided)

    @property
    def recall(self) -> float | None:
        return self.found / self.positives if self.positives else None

    @property
    def rejection(self) -> float | None:
        return self.rejected / self.near if self.near else None

    def add(self, other: "Tally") -> None:
        self.found += other.found
        self.positives += other.positives
        self.rejected += other.rejected
        self.near += other.near
        self.misses += other.misses


def load_corpus(path: str | Path) -> list[Case]:
    """Read and validate a corpus file; a malformed case is a one-line `ConfigError` FILE:LINE."""
    data = load_yaml(path)
    cases = data.get("cases") if isinstance(data, LineDict) else None
    if not isinstance(cases, LineList):
        raise ConfigError("expected a mapping with a 'cases' list", f"{path}:1")
    out = []
    for spec, line in zip(cases, cases.item_lines):
        where = f"{path}:{line}"
        if not isinstance(spec, LineDict):
            raise ConfigError("a case is a mapping of rule, split, label, title, source …", where)
        unknown = set(spec) - CASE_KEYS
        if unknown:
            raise ConfigError(f"unknown key '{sorted(unknown)[0]}'", where)
        for key in ("rule", "split", "label", "title", "source"):
            if not spec.get(key):
                raise ConfigError(f"missing key '{key}'", where)
        if spec["label"] not in LABELS or spec["split"] not in SPLITS:
            raise ConfigError(f"label must be one of {LABELS} and split one of {SPLITS}", where)
        atts = spec.get("attachments") or ()
        out.append(Case(str(spec["rule"]), spec["split"], spec["label"], str(spec["title"]),
                        tuple(spec.get("elements") or ()), str(spec.get("column") or ""),
                        tuple(atts if isinstance(atts, list) else [atts]), str(spec.get("publisher") or ""),
                        str(spec["source"]), _day(spec.get("date"), where), line))
    return out


def _day(value: object, where: str) -> date | None:
    """A case's date; a source that shows only the year or month (2015, 2021-06) gives none."""
    if value is None or isinstance(value, date):
        return value
    if re.fullmatch(r"\d{4}(-\d{2})?", str(value)):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"date must be YYYY-MM-DD, not '{value}'", where) from None


def higher_body(catalogue: Catalogue, case: Case) -> str:
    """The body above district level a case's publisher or title's issuer names ('' if none).

    Cases come from many places, and each is read as if its own place were the district:
    another district's or county's document stands for the district's own (its kind is
    what the label is about); a ministry's, a province's or a city's is another body's,
    which the check's attribution never credits to a district unit.
    """
    from ..check.attribution import Attributor, above_county

    attributor = Attributor(None, catalogue.registry, catalogue.manifest.district)
    bodies = (attributor.foreign_body(case.publisher) if case.publisher else "", attributor.title_issuer(case.title))
    return next((b for b in bodies if above_county(b)), "")


def outside_window(catalogue: Catalogue, rule, case: Case) -> str:
    """For a periodic duty, the period outside the assessment window a case's title names ('' if none).

    The check judges such a duty per period and never counts a release for a period it does
    not assess (a 2016年度报告 for the 2017 report). A case's publication date is not used:
    positives come from every year, and a near miss is labelled for what it is, not when.
    """
    from ..check.periods import KIND_OF_CADENCE, Period, first_period, named

    t, end = rule.timing, catalogue.manifest.window[1]
    if not t.periodic:
        return ""
    kind = KIND_OF_CADENCE[t.cadence]
    period = named(case.title, kind, case.date)
    first = first_period(t, kind, end)
    return f"names {period.label()}, outside the window" if period and not first <= period <= Period.of(kind, end) else ""


def judge_case(catalogue: Catalogue, rules: dict, case: Case) -> tuple[bool, str]:
    """(whether the catalogue treats the case as its label says, the condition that decided)."""
    rule = rules[case.rule]
    fields = fields_from_mapping({"title": case.title, "column": case.column, "attachments": list(case.attachments)})
    verdict = judge(rule, fields)
    accepted = verdict.evidence and all(e in verdict.elements for e in case.elements)
    if case.label == "match":
        return accepted, "" if accepted else explain(rule, fields, case.elements)
    if not verdict.evidence:
        return True, ""
    if higher_body(catalogue, case) or outside_window(catalogue, rule, case):
        return True, ""
    return False, explain(rule, fields)


def run_corpus(catalogue: Catalogue, cases: list[Case]) -> dict[str, dict[str, Tally]]:
    """Split → rule → tally. Cases naming a rule the catalogue lacks (or a manual one) are skipped."""
    rules = {r.id: r for r in catalogue.rules if r.is_web}
    out: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for case in cases:
        if case.rule not in rules:
            continue
        ok, why = judge_case(catalogue, rules, case)
        tally = out[case.split][case.rule]
        if case.label == "match":
            tally.positives += 1
            tally.found += ok
        else:
            tally.near += 1
            tally.rejected += ok
        if not ok:
            tally.misses.append((case, why))
    return out


def total(per_rule: dict[str, Tally]) -> Tally:
    t = Tally()
    for tally in per_rule.values():
        t.add(tally)
    return t
