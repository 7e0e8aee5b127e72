"""One rule from its YAML mapping into a typed `Rule`, collecting every problem found.

Each problem is a `Problem` naming FILE:LINE and the rule's id; `auditor rules lint`
prints them all, `load_catalogue` refuses a catalogue with any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..plan import PlanItem
from ..units import KINDS, Registry
from ..yamlfile import LineDict, LineList
from .law import Basis, Law
from .matcher import normalise
from .model import (
    CADENCES,
    FIELDS,
    PERIODIC,
    Clause,
    Example,
    FieldCondition,
    Timing,
)
from .vocab import Vocabulary

RULE_KEYS = {"id", "item", "section", "subsection", "title", "text", "units", "weight", "mode",
             "manual_reason", "seeks", "satisfy", "evidence", "timing", "examples", "basis"}
EVIDENCE_KEYS = {"match", "exclude", "elements", "whole", "anywhere", "when_absent"}
TIMING_KEYS = {"valid_from", "deadline", "cadence", "max_age_days", "due", "due_year", "grace_days", "series_from",
               "in_force"}
COND_KEYS = {"all", "any", "regex", "none"}
EXAMPLE_KEYS = {"title", "text", "attachments", "url", "column", "elements"}
BASIS_KEYS = {"document", "article", "text", "due", "applies_to", "confirm"}
ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
SERIES_RE = {"monthly": r"\d{4}-(0[1-9]|1[0-2])", "quarterly": r"\d{4}-Q[1-4]", "yearly": r"\d{4}"}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    rule: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule or '-'}: {'warning: ' if self.warning else ''}{self.message}"


class Collector:
    """Problems found while reading one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.rule = ""

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, self.rule, message))


@dataclass
class Context:
    """What a rule is checked against: the registry, the plan, the law, the shared word lists."""

    registry: Registry
    plan: dict[int, PlanItem]
    law: Law
    vocab: Vocabulary


def _words(value: object, c: Collector, line: int, what: str, vocab: Vocabulary) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        c.add(line, f"{what} must be a list of non-empty words")
        return ()
    words: list[str] = []
    for w in value:
        if w.startswith("$"):
            found = vocab.lists.get(w[1:])
            if found is None:
                c.add(line, f"{what} names no word list '{w}' (vocabulary.yaml)")
            words += found or ()
        else:
            words.append(normalise(w))
    return tuple(dict.fromkeys(words))


_LIST_REF = re.compile(r"\$([a-z_][a-z0-9_]*)")


def _regexes(spec: LineDict, c: Collector, fname: str, vocab: Vocabulary) -> tuple[re.Pattern, ...]:
    """A condition's regexes; ``$name`` in one stands for that word list's words as alternatives."""
    out = []
    raw = spec.get("regex", [])
    for pattern in [raw] if isinstance(raw, str) else (raw if isinstance(raw, list) else [None]):
        if not isinstance(pattern, str):
            c.add(spec.line_of("regex"), f"regex on '{fname}' must be a string or a list of strings")
            continue
        unknown = [n for n in _LIST_REF.findall(pattern) if n not in vocab.lists]
        if unknown:
            c.add(spec.line_of("regex"), f"regex on '{fname}' names no word list '${unknown[0]}' (vocabulary.yaml)")
            continue
        expanded = _LIST_REF.sub(lambda m: "(?:" + "|".join(map(re.escape, vocab.lists[m.group(1)])) + ")", pattern)
        try:
            out.append(re.compile(expanded))
        except re.error as exc:
            c.add(spec.line_of("regex"), f"invalid regex '{pattern}': {exc}")
    return tuple(out)


def _condition(spec: object, c: Collector, line: int, fname: str, vocab: Vocabulary) -> FieldCondition | None:
    if not isinstance(spec, LineDict):
        c.add(line, f"condition on '{fname}' must be a mapping of all/any/regex/none")
        return None
    for key in spec:
        if key not in COND_KEYS:
            c.add(spec.line_of(key), f"unknown condition '{key}' on '{fname}' (expected all, any, regex, none)")
    words = {k: _words(spec.get(k, []), c, spec.line_of(k), f"'{fname}.{k}'", vocab) for k in ("all", "any", "none")}
    cond = FieldCondition(all=words["all"], any=words["any"], regex=_regexes(spec, c, fname, vocab), none=words["none"])
    if not (cond.all or cond.any or cond.regex or cond.none):
        c.add(spec.line, f"condition on '{fname}' is empty")
    return cond


def clauses(spec: object, c: Collector, line: int, what: str, vocab: Vocabulary) -> tuple[Clause, ...]:
    """A clause or a list of clauses (field → conditions)."""
    items = spec if isinstance(spec, LineList) else [spec]
    out = []
    for clause in items:
        if not isinstance(clause, LineDict) or not clause:
            c.add(getattr(clause, "line", line), f"{what} must be a mapping of field → conditions (or a list of them)")
            continue
        fields = []
        for fname, cond in clause.items():
            if fname not in FIELDS:
                c.add(clause.line_of(fname), f"unknown field '{fname}' in {what} (expected {', '.join(FIELDS)})")
                continue
            parsed = _condition(cond, c, clause.line_of(fname), fname, vocab)
            if parsed:
                fields.append((fname, parsed))
        if fields:
            out.append(Clause(tuple(fields)))
    return tuple(out)


def _date(value: object, c: Collector, line: int, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    c.add(line, f"{what} must be a date YYYY-MM-DD, not '{value}'")
    return None


def _month_day(value: object, c: Collector, line: int, what: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d{2})-(\d{2})", str(value))
    try:
        due = (int(m.group(1)), int(m.group(2))) if m else None
        if due:
            date(2000, *due)
            return due
    except ValueError:
        pass
    c.add(line, f"{what} must be a month-day \"MM-DD\", not '{value}'")
    return None


def _whole(spec: LineDict, key: str, c: Collector, *, minimum: int, default: int | None) -> int | None:
    value = spec.get(key, default)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        c.add(spec.line_of(key), f"{key} must be a whole number ≥ {minimum}")
        return default
    return value


def timing(spec: object, c: Collector, line: int) -> Timing:
    if spec is None:
        return Timing()
    if not isinstance(spec, LineDict):
        c.add(line, "timing must be a mapping")
        return Timing()
    for key in spec:
        if key not in TIMING_KEYS:
            c.add(spec.line_of(key), f"unknown timing key '{key}'")
    cadence = spec.get("cadence", "once")
    if cadence not in CADENCES:
        c.add(spec.line_of("cadence"), f"cadence must be one of {', '.join(CADENCES)}, not '{cadence}'")
        cadence = "once"
    max_age = _whole(spec, "max_age_days", c, minimum=1, default=None)
    if cadence == "continuous" and max_age is None:
        c.add(spec.line_of("cadence"), "a continuous cadence needs max_age_days")
    due = _month_day(spec["due"], c, spec.line_of("due"), "due") if spec.get("due") is not None else None
    valid_from = _date(spec.get("valid_from"), c, spec.line_of("valid_from"), "valid_from")
    deadline = _date(spec.get("deadline"), c, spec.line_of("deadline"), "deadline")
    in_force = _date(spec.get("in_force"), c, spec.line_of("in_force"), "in_force")
    if valid_from and deadline and deadline < valid_from:
        c.add(spec.line_of("deadline"), "deadline is before valid_from")
    if in_force and deadline:
        c.add(spec.line_of("deadline"), "a duty in force before the plan (in_force) is due at once: it has no deadline")
    series = spec.get("series_from")
    if cadence in PERIODIC:
        if series is None:
            c.add(spec.line_of("cadence"), f"a {cadence} duty needs series_from (the first period due)")
        elif not re.fullmatch(SERIES_RE[cadence], str(series)):
            c.add(spec.line_of("series_from"), f"series_from of a {cadence} duty looks like "
                  f"{ {'monthly': '2018-01', 'quarterly': '2018-Q1', 'yearly': '2017'}[cadence]}, not '{series}'")
            series = None
    elif series is not None:
        c.add(spec.line_of("series_from"), "series_from is for monthly, quarterly or yearly duties")
    due_year = spec.get("due_year", "next")
    if due_year not in ("next", "same"):
        c.add(spec.line_of("due_year"), f"due_year must be next or same, not '{due_year}'")
        due_year = "next"
    if "due_year" in spec and not (cadence == "yearly" and due):
        c.add(spec.line_of("due_year"), "due_year is for yearly duties with a due date")
    return Timing(valid_from, deadline, cadence, max_age, due, _whole(spec, "grace_days", c, minimum=0, default=0),
                  str(series) if series is not None else None, in_force, due_year)


def examples(spec: object, c: Collector, line: int, kind: str) -> tuple[Example, ...]:
    if spec is None:
        return ()
    if not isinstance(spec, LineList):
        c.add(line, f"examples.{kind} must be a list")
        return ()
    out = []
    for ex, ex_line in zip(spec, spec.item_lines):
        if isinstance(ex, str):
            out.append(Example({"title": ex}, (), ex_line))
            continue
        if not isinstance(ex, LineDict):
            c.add(ex_line, f"an example must be a title or a mapping of {', '.join(sorted(EXAMPLE_KEYS))}")
            continue
        bad = [k for k in ex if k not in EXAMPLE_KEYS]
        if bad:
            c.add(ex.line_of(bad[0]), f"unknown example key '{bad[0]}'")
        elements = ex.get("elements") or []
        if isinstance(elements, str):
            elements = [elements]
        out.append(Example({k: v for k, v in ex.items() if k != "elements"}, tuple(elements), ex_line))
    return tuple(out)


def text(spec: LineDict, key: str, c: Collector, required: bool = False) -> str:
    value = spec.get(key)
    if value is None:
        if required:
            c.add(spec.line, f"missing key '{key}'")
        return ""
    if not isinstance(value, str):
        c.add(spec.line_of(key), f"'{key}' must be a string")
        return ""
    return value.strip()


def basis(spec: object, c: Collector, line: int, law: Law) -> tuple[Basis, ...]:
    """A statutory rule's legal basis: one entry per text, each valid while its document is in force."""
    if spec is None:
        return ()
    if not isinstance(spec, LineList) or not spec:
        c.add(line, "basis must be a list of {document, article, text, due?, applies_to?}")
        return ()
    out = []
    for entry, at in zip(spec, spec.item_lines):
        if not isinstance(entry, LineDict):
            c.add(at, "a basis entry is a mapping of document, article, text, due, applies_to, confirm")
            continue
        for key in entry:
            if key not in BASIS_KEYS:
                c.add(entry.line_of(key), f"unknown basis key '{key}'")
        doc = str(entry.get("document") or "")
        if doc not in law.documents:
            c.add(entry.line_of("document"), f"basis names no document '{doc}' of law.yaml")
        kinds = entry.get("applies_to") or []
        if not isinstance(kinds, list) or any(k not in KINDS for k in kinds):
            c.add(entry.line_of("applies_to"), f"applies_to must list unit kinds ({', '.join(KINDS)})")
            kinds = []
        due = _month_day(entry["due"], c, entry.line_of("due"), "due") if entry.get("due") is not None else None
        out.append(Basis(doc, text(entry, "article", c, required=True), text(entry, "text", c, required=True), due,
                         tuple(kinds), text(entry, "confirm", c)))
    return tuple(out)
