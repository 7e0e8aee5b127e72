"""The expected status of a (plan item, unit) pair, from what the sample published.

The generator decides what each unit publishes, and ``documents.yaml`` says, as an
evaluator reading each document would, which rules of the catalogue (and which of
their elements) the document serves. A rule's expected finding then follows from the
serving documents a unit may cite (its own, or any unit's for ``evidence.anywhere``),
their dates and the rule's timing, as rules/README.md defines it; the pair's status is
CONTRACT.md's roll-up of its rules. Nothing here runs a rule's matchers.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from auditor.units import Registry

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


@dataclass(frozen=True)
class RuleSpec:
    """What the expected status needs of a rule: whom it binds, its parts, its timing."""

    id: str
    units: tuple[str, ...]  # canonical, groups expanded
    mode: str = "web"
    elements: tuple[str, ...] = ()
    anywhere: bool = False  # any unit's pages are evidence
    when_absent: str = ""  # "manual": no evidence proves nothing
    valid_from: date | None = None
    deadline: date | None = None
    cadence: str = "once"
    max_age_days: int = 0
    grace_days: int = 0
    due: tuple[int, int] | None = None  # yearly anchor (month, day)


@dataclass(frozen=True)
class Served:
    """A published page and what it serves: rule id → elements it covers."""

    url: str
    unit: str  # the unit its own metadata names as publisher
    date: date | None
    serves: dict[str, tuple[str, ...]]


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def rule_spec(spec: dict, registry: Registry) -> RuleSpec:
    """A catalogue rule (YAML mapping) as the expectations read it."""
    timing = spec.get("timing") or {}
    evidence = spec.get("evidence") or {}
    due = timing.get("due")
    return RuleSpec(
        id=str(spec["id"]), units=tuple(registry.expand(spec.get("units") or [])),
        mode=spec.get("mode", "web"),
        elements=tuple(str(e["name"]) for e in evidence.get("elements") or []),
        anywhere=bool(evidence.get("anywhere")), when_absent=str(evidence.get("when_absent") or ""),
        valid_from=_as_date(timing.get("valid_from")), deadline=_as_date(timing.get("deadline")),
        cadence=timing.get("cadence", "once"), max_age_days=int(timing.get("max_age_days") or 0),
        grace_days=int(timing.get("grace_days") or 0),
        due=tuple(int(x) for x in str(due).split("-")) if due else None)


def read_rules(rules_dir: Path, registry: Registry) -> tuple[dict[int, list[RuleSpec]], dict[str, RuleSpec], str]:
    """Plan rules by item, baseline rules by id, and a fingerprint of the files read."""
    digest = hashlib.sha256()
    by_item: dict[int, list[RuleSpec]] = {}
    baseline: dict[str, RuleSpec] = {}
    files = sorted((rules_dir / "plan").glob("*.yaml"))
    base_file = rules_dir / "baseline.yaml"
    for path in files + ([base_file] if base_file.exists() else []):
        raw = path.read_bytes()
        digest.update(path.name.encode() + raw)
        for spec in (yaml.safe_load(raw) or {}).get("rules") or []:
            if not isinstance(spec, dict) or "id" not in spec:
                continue
            if path == base_file:
                baseline[str(spec["id"])] = rule_spec(spec, registry)
            elif isinstance(spec.get("item"), int):
                by_item.setdefault(spec["item"], []).append(rule_spec(spec, registry))
    return by_item, baseline, digest.hexdigest()[:16]


def _anchor(year: int, due: tuple[int, int]) -> date:
    return date(year, due[0], min(due[1], calendar.monthrange(year, due[0])[1]))


def _next_anchor(day: date, due: tuple[int, int]) -> date:
    this_year = _anchor(day.year, due)
    return this_year if this_year >= day else _anchor(day.year + 1, due)


def first_due(r: RuleSpec) -> date | None:
    """When a first publication is due: the deadline, else a yearly rule's first anchor."""
    if r.deadline:
        return r.deadline
    if r.cadence == "yearly" and r.due and r.valid_from:
        return _next_anchor(r.valid_from, r.due)
    return None


def next_due(r: RuleSpec, newest: date) -> date | None:
    """When the publication after ``newest`` is due: continuous duties by age, periodic
    ones by the end of the next calendar period (a yearly anchor a year on)."""
    grace = timedelta(days=r.grace_days)
    if r.cadence == "continuous":
        return newest + timedelta(days=r.max_age_days) + grace
    months = PERIOD_MONTHS.get(r.cadence)
    if months is None:
        return None
    if r.cadence == "yearly" and r.due:
        return _next_anchor(date(newest.year + 1, newest.month, min(newest.day, 28)), r.due) + grace
    first_month = (newest.month - 1) // months * months + 1  # first month of newest's period
    end_month0 = newest.year * 12 + first_month - 1 + 2 * months  # first month after the next period
    return date(end_month0 // 12, end_month0 % 12 + 1, 1) - timedelta(days=1) + grace


def rule_status(r: RuleSpec, pages: list[Served], as_of: date, unreachable: bool = False) -> tuple[str, list[str]]:
    """One rule's expected finding and the pages that are its evidence.

    ``pages`` are the pages that serve the rule and that the unit may cite.
    """
    if r.mode == "manual":
        return "manual", []
    if unreachable:
        return "unreachable", []
    counted = [p for p in pages if p.date and p.date <= as_of and (r.valid_from is None or p.date >= r.valid_from)]
    if not counted:
        due = first_due(r)
        if due and due > as_of:
            return "not_due", []
        return ("manual" if r.when_absent == "manual" else "missing"), []
    newest = max(p.date for p in counted)
    urls = [p.url for p in counted]
    due = next_due(r, newest)
    if due and due < as_of:
        return "stale", urls
    covered = {e for p in counted for e in p.serves.get(r.id, ())}
    return ("met" if covered >= set(r.elements) else "partial"), urls
