"""The expected status of a (plan item, unit) pair, from what the sample published.

The generator decides what each unit publishes (a scenario); the status an auditor
should report then follows from the catalogue's rules exactly as CONTRACT.md rolls
findings up. Where the catalogue leaves a rule incomplete (no ``evidence`` yet), the
generator's own reading of the plan (``documents.yaml`` ``reading``) stands in for
its mode and timing, so the manifest is complete while the catalogue is being written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

# How old the newest evidence may be before a periodic rule is stale (days). A checker
# may allow some grace; the sample keeps clear of the boundary (fresh ≤ 40, stale ≥ 120).
MAX_AGE = {"monthly": 62, "quarterly": 123}
CONTINUOUS_DEFAULT = 90


@dataclass(frozen=True)
class RuleTiming:
    """What the expected status needs of a rule."""

    rule: str
    mode: str = "web"
    valid_from: date | None = None
    deadline: date | None = None
    cadence: str = "once"
    max_age_days: int | None = None
    due: str | None = None  # "MM-DD" for yearly rules


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def timing_from(rule_id: str, spec: dict, reading: dict) -> RuleTiming:
    """Mode and timing of one rule; a stub rule (no evidence, no manual_reason) uses the reading."""
    complete = "evidence" in spec or "manual_reason" in spec or "timing" in spec
    source = {**(spec.get("timing") or {}), "mode": spec.get("mode", "web")} if complete else reading
    return RuleTiming(
        rule=rule_id,
        mode=source.get("mode", "web"),
        valid_from=_as_date(source.get("valid_from")),
        deadline=_as_date(source.get("deadline")),
        cadence=source.get("cadence", "once"),
        max_age_days=source.get("max_age_days"),
        due=source.get("due"),
    )


def read_rules(rules_dir: Path) -> tuple[dict[int, list[dict]], dict[str, dict], str]:
    """Plan rules by item, baseline rules by id, and a fingerprint of the files read."""
    digest = hashlib.sha256()
    by_item: dict[int, list[dict]] = {}
    baseline: dict[str, dict] = {}
    files = sorted((rules_dir / "plan").glob("*.yaml"))
    base_file = rules_dir / "baseline.yaml"
    for path in files + ([base_file] if base_file.exists() else []):
        raw = path.read_bytes()
        digest.update(path.name.encode() + raw)
        for spec in (yaml.safe_load(raw) or {}).get("rules") or []:
            if not isinstance(spec, dict) or "id" not in spec:
                continue
            if path == base_file:
                baseline[str(spec["id"])] = spec
            elif isinstance(spec.get("item"), int):
                by_item.setdefault(spec["item"], []).append(spec)
    return by_item, baseline, digest.hexdigest()[:16]


def is_stale(newest: date, t: RuleTiming, as_of: date) -> bool:
    """Whether the newest evidence is older than the rule's cadence allows at ``as_of``."""
    if t.cadence in MAX_AGE:
        return (as_of - newest).days > MAX_AGE[t.cadence]
    if t.cadence == "continuous":
        return (as_of - newest).days > (t.max_age_days or CONTINUOUS_DEFAULT)
    if t.cadence == "yearly":
        if t.due:
            month, day = (int(x) for x in t.due.split("-"))
            last_due = date(as_of.year, month, day)
            if last_due > as_of:
                last_due = date(as_of.year - 1, month, day)
            # the publication due at last_due falls in the year before it
            return newest <= last_due - timedelta(days=365)
        return (as_of - newest).days > 365 + 31
    return False


def rule_status(t: RuleTiming, dates: list[date], complete: bool, as_of: date) -> str:
    """One rule's expected finding given the dates of the evidence the unit published."""
    if t.mode == "manual":
        return "manual"
    counted = [d for d in dates if d <= as_of and (t.valid_from is None or d >= t.valid_from)]
    if not counted:
        return "not_due" if t.deadline and t.deadline > as_of else "missing"
    if is_stale(max(counted), t, as_of):
        return "stale"
    return "met" if complete else "partial"
