"""The expected status of a (plan item, unit) pair, from what the sample published.

Written from CONTRACT.md and DOMAIN.md, never from the auditor's check: nothing here
imports `auditor.check` or runs a rule's matchers. The generator decides what each unit
publishes, and ``documents.yaml`` says, as an evaluator reading each document would,
which rules (and elements) it serves and, for a periodic duty, which period it covers.
A rule's expected finding follows from the serving pages a unit may cite, their dates
and periods and the rule's timing data; the pair's status is the contract's roll-up.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from auditor.units import Registry

MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


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
    in_force: date | None = None  # a standing duty: due at once
    cadence: str = "once"
    max_age_days: int = 0
    grace_days: int = 0
    due: tuple[int, int] | None = None  # yearly deadline (month, day)
    due_year: str = "next"
    series_from: str = ""  # first period: 2018-01, 2018-Q1, 2017
    bases: tuple[tuple[str, tuple[int, int] | None, tuple[str, ...]], ...] = ()  # (document, due, unit kinds)


@dataclass(frozen=True)
class Served:
    """A published page and what it serves: rule id → elements it covers."""

    url: str
    unit: str  # the unit its own metadata names as publisher
    date: date | None
    serves: dict[str, tuple[str, ...]]
    period: str = ""  # a periodic release's period, as the series that made it numbered it
    foreign: bool = False  # published by a body outside the district: no unit's evidence


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _month_day(value) -> tuple[int, int] | None:
    return tuple(int(x) for x in str(value).split("-")) if value else None


def rule_spec(spec: dict, registry: Registry) -> RuleSpec:
    """A catalogue rule (YAML mapping) as the expectations read it."""
    timing = spec.get("timing") or {}
    evidence = spec.get("evidence") or {}
    bases = tuple((str(b["document"]), _month_day(b.get("due")), tuple(b.get("applies_to") or ()))
                  for b in spec.get("basis") or [])
    return RuleSpec(
        id=str(spec["id"]), units=tuple(registry.expand(spec.get("units") or [])),
        mode=spec.get("mode", "web"),
        elements=tuple(str(e["name"]) for e in evidence.get("elements") or []),
        anywhere=bool(evidence.get("anywhere")), when_absent=str(evidence.get("when_absent") or ""),
        valid_from=_as_date(timing.get("valid_from")), deadline=_as_date(timing.get("deadline")),
        in_force=_as_date(timing.get("in_force")), cadence=timing.get("cadence", "once"),
        max_age_days=int(timing.get("max_age_days") or 0), grace_days=int(timing.get("grace_days") or 0),
        due=_month_day(timing.get("due")), due_year=str(timing.get("due_year") or "next"),
        series_from=str(timing.get("series_from") or ""), bases=bases)


def read_rules(rules_dir: Path, registry: Registry) -> tuple[dict[int, list[RuleSpec]], dict[str, RuleSpec], str]:
    """Plan rules by item, statutory rules by id, and a fingerprint of the files read."""
    digest = hashlib.sha256()
    by_item: dict[int, list[RuleSpec]] = {}
    baseline: dict[str, RuleSpec] = {}
    files = sorted((rules_dir / "plan").glob("*.yaml"))
    base_file = rules_dir / "baseline.yaml"
    for path in files + ([base_file] if base_file.exists() else []) + [rules_dir / "law.yaml"]:
        raw = path.read_bytes()
        digest.update(path.name.encode() + raw)
        for spec in (yaml.safe_load(raw) or {}).get("rules") or []:
            if not isinstance(spec, dict) or "id" not in spec:
                continue
            if spec.get("item") is None:
                baseline[str(spec["id"])] = rule_spec(spec, registry)
            elif isinstance(spec.get("item"), int):
                by_item.setdefault(spec["item"], []).append(rule_spec(spec, registry))
    return by_item, baseline, digest.hexdigest()[:16]


def read_law(rules_dir: Path) -> dict[str, tuple[date, date | None]]:
    """Each legal document's span in force (law.yaml)."""
    docs = yaml.safe_load((rules_dir / "law.yaml").read_text(encoding="utf-8"))["documents"]
    return {d["id"]: (_as_date(d["in_force"]["from"]), _as_date(d["in_force"].get("to"))) for d in docs}


# ---- periods: (year, index) with index a month 1-12, a quarter 1-4, or 1 for a year

def _period_of(cadence: str, day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // MONTHS[cadence] + 1


def _step(cadence: str, period: tuple[int, int], n: int = 1) -> tuple[int, int]:
    per_year = 12 // MONTHS[cadence]
    i = period[0] * per_year + period[1] - 1 + n
    return i // per_year, i % per_year + 1


def _period_end(cadence: str, period: tuple[int, int]) -> date:
    last = period[1] * MONTHS[cadence]
    return date(period[0], last, calendar.monthrange(period[0], last)[1])


def parse_period(cadence: str, text: str) -> tuple[int, int]:
    """2018-07 → (2018, 7); 2018-Q3 → (2018, 3); 2017 → (2017, 1)."""
    if cadence == "quarterly":
        year, q = text.split("-Q")
        return int(year), int(q)
    if cadence == "monthly":
        year, m = text.split("-")
        return int(year), int(m)
    return int(text), 1


def _anchor(year: int, md: tuple[int, int]) -> date:
    return date(year, md[0], min(md[1], calendar.monthrange(year, md[0])[1]))


def period_due(r: RuleSpec, period: tuple[int, int], law: dict, kind: str) -> date:
    """When a period's release is due: its end plus grace; a yearly deadline in the next year
    (or the same, for a year's own plans); a statutory one set by the text then in force."""
    grace = timedelta(days=r.grace_days)
    if r.cadence == "yearly":
        year = period[0] + (1 if r.due_year == "next" else 0)
        for doc, md, kinds in r.bases:
            if md and (not kinds or kind in kinds):
                day = _anchor(year, md) + grace
                start, end = law[doc]
                if start <= day and (end is None or day <= end):
                    return day
        if r.due:
            return _anchor(year, r.due) + grace
    return _period_end(r.cadence, period) + grace


def page_period(r: RuleSpec, p: Served) -> tuple[int, int] | None:
    """The period a release covers: the one it was made for, else (DOMAIN.md) the one before
    its publication (a year's own plan: the year it was published in)."""
    if p.period:
        return parse_period(r.cadence, p.period)
    if p.date is None:
        return None
    here = _period_of(r.cadence, p.date)
    return here if (r.cadence == "yearly" and r.due_year == "same") else _step(r.cadence, here, -1)


def rule_status(r: RuleSpec, pages: list[Served], as_of: date, unreachable: bool = False, kind: str = "department",
                law: dict | None = None) -> tuple[str, list[str]]:
    """One rule's expected finding and the pages that are its evidence.

    ``pages`` are the pages that serve the rule and that the unit may cite.
    """
    if r.mode == "manual":
        return "manual", []
    if unreachable:
        return "unreachable", []
    counted = [p for p in pages if not p.foreign and p.date and p.date <= as_of
               and (r.valid_from is None or p.date >= r.valid_from)]
    if r.cadence in MONTHS:
        return _periodic_status(r, counted, as_of, kind, law or {})
    if not counted:
        due = None if r.in_force else r.deadline
        if due and due > as_of:
            return "not_due", []
        return ("manual" if r.when_absent == "manual" else "missing"), []
    urls = [p.url for p in counted]
    if r.cadence == "continuous":
        newest = max(p.date for p in counted)
        if newest + timedelta(days=r.max_age_days + r.grace_days) < as_of:
            return "stale", urls
    covered = {e for p in counted for e in p.serves.get(r.id, ())}
    return ("met" if covered >= set(r.elements) else "partial"), urls


def _periodic_status(r: RuleSpec, counted: list[Served], as_of: date, kind: str, law: dict) -> tuple[str, list[str]]:
    first = parse_period(r.cadence, r.series_from)
    due, period = [], first
    while period_due(r, period, law, kind) <= as_of:
        due.append(period)
        period = _step(r.cadence, period)
    releases = {}
    for p in counted:
        covers = page_period(r, p)
        if covers is not None and covers >= first:
            releases.setdefault(covers, []).append(p)
    if not releases:
        if period_due(r, first, law, kind) > as_of:
            return "not_due", []
        return ("manual" if r.when_absent == "manual" else "missing"), []
    urls = [p.url for ps in releases.values() for p in ps]
    if due and due[-1] not in releases:
        return "stale", urls
    if any(p not in releases for p in due):
        return "partial", urls
    covered = {e for ps in releases.values() for p in ps for e in p.serves.get(r.id, ())}
    return ("met" if covered >= set(r.elements) else "partial"), urls


def roll_up(findings: list[tuple[str, str]], unreachable: bool = False) -> tuple[str, bool]:
    """CONTRACT.md's roll-up of a pair from its rules' (mode, expected status); also review_pending.

    1. unreachable if the unit's URLs could not be fetched; 2. manual if every rule is manual
    (no reviewer decides in the sample); 3. otherwise over the assessed findings: a manual
    finding awaiting a decision neither raises nor lowers the pair, and sets review_pending.
    """
    pending = any(status == "manual" for _, status in findings)
    if unreachable:
        return "unreachable", pending
    if all(mode == "manual" for mode, _ in findings):
        return "manual", pending
    assessed = [status for _, status in findings if status != "manual"]
    if not assessed:
        return "manual", pending
    if all(s == "met" for s in assessed):
        return "met", pending
    if all(s in ("missing", "not_due") for s in assessed):
        return ("missing" if "missing" in assessed else "not_due"), pending
    return ("stale" if "stale" in assessed else "partial"), pending
