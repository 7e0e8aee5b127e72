"""Load the rule catalogue from YAML into typed objects, collecting every problem.

`lint` returns all problems at once (the linter's job is to list them, as
``FILE:LINE: RULE-ID: message``); `load_catalogue` raises on the first, as a
`ConfigError`, because nothing may be checked against a broken catalogue.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..plan import PlanItem, parse_plan
from ..units import Registry, load_registry
from ..yamlfile import LineDict, LineList, load_yaml
from .matcher import normalise
from .model import (
    CADENCES,
    FIELDS,
    MODES,
    Clause,
    Element,
    Example,
    FieldCondition,
    Rule,
    Timing,
)

RULE_KEYS = {"id", "item", "section", "subsection", "title", "text", "units", "weight", "mode",
             "manual_reason", "seeks", "satisfy", "evidence", "timing", "examples"}
EVIDENCE_KEYS = {"match", "exclude", "elements", "anywhere", "when_absent"}
TIMING_KEYS = {"valid_from", "deadline", "cadence", "max_age_days", "due", "grace_days"}
COND_KEYS = {"all", "any", "regex", "none"}
EXAMPLE_KEYS = {"title", "text", "attachments", "url", "column", "elements"}
ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
PLAN_ITEMS = range(1, 102)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule or '-'}: {self.message}"


@dataclass
class Catalogue:
    """The whole rule catalogue with the data that goes with it."""

    rules: list[Rule]
    registry: Registry
    plan: dict[int, PlanItem]
    site_health: dict = field(default_factory=dict)
    scoring: dict = field(default_factory=dict)
    version: str = ""
    path: str = ""

    def units_of(self, rule: Rule) -> list[str]:
        """The canonical units responsible for a rule, groups expanded."""
        return self.registry.expand(rule.units)

    def rules_for_unit(self, unit: str) -> list[Rule]:
        return [r for r in self.rules if unit in self.units_of(r)]


class _Collector:
    """Problems found while reading one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.rule = ""

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, self.rule, message))


def _words(value: object, c: _Collector, line: int, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        c.add(line, f"{what} must be a list of non-empty words")
        return ()
    return tuple(normalise(w) for w in value)


def _condition(spec: object, c: _Collector, line: int, fname: str) -> FieldCondition | None:
    if not isinstance(spec, LineDict):
        c.add(line, f"condition on '{fname}' must be a mapping of all/any/regex/none")
        return None
    for key in spec:
        if key not in COND_KEYS:
            c.add(spec.line_of(key), f"unknown condition '{key}' on '{fname}' (expected all, any, regex, none)")
    regexes = []
    raw = spec.get("regex", [])
    for pattern in [raw] if isinstance(raw, str) else (raw if isinstance(raw, list) else [None]):
        if not isinstance(pattern, str):
            c.add(spec.line_of("regex"), f"regex on '{fname}' must be a string or a list of strings")
            continue
        try:
            regexes.append(re.compile(pattern))
        except re.error as exc:
            c.add(spec.line_of("regex"), f"invalid regex '{pattern}': {exc}")
    cond = FieldCondition(
        all=_words(spec.get("all", []), c, spec.line_of("all"), f"'{fname}.all'"),
        any=_words(spec.get("any", []), c, spec.line_of("any"), f"'{fname}.any'"),
        regex=tuple(regexes),
        none=_words(spec.get("none", []), c, spec.line_of("none"), f"'{fname}.none'"),
    )
    if not (cond.all or cond.any or cond.regex or cond.none):
        c.add(spec.line, f"condition on '{fname}' is empty")
    return cond


def _clauses(spec: object, c: _Collector, line: int, what: str) -> tuple[Clause, ...]:
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
            parsed = _condition(cond, c, clause.line_of(fname), fname)
            if parsed:
                fields.append((fname, parsed))
        if fields:
            out.append(Clause(tuple(fields)))
    return tuple(out)


def _date(value: object, c: _Collector, line: int, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    c.add(line, f"{what} must be a date YYYY-MM-DD, not '{value}'")
    return None


def _timing(spec: object, c: _Collector, line: int) -> Timing:
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
    max_age = spec.get("max_age_days")
    if max_age is not None and (not isinstance(max_age, int) or isinstance(max_age, bool) or max_age <= 0):
        c.add(spec.line_of("max_age_days"), "max_age_days must be a positive whole number")
        max_age = None
    if cadence == "continuous" and max_age is None:
        c.add(spec.line_of("cadence"), "a continuous cadence needs max_age_days")
    grace = spec.get("grace_days", 0)
    if not isinstance(grace, int) or isinstance(grace, bool) or grace < 0:
        c.add(spec.line_of("grace_days"), "grace_days must be a whole number ≥ 0")
        grace = 0
    due = None
    if spec.get("due") is not None:
        m = re.fullmatch(r"(\d{2})-(\d{2})", str(spec["due"]))
        try:
            due = (int(m.group(1)), int(m.group(2))) if m else None
            if due:
                date(2001, *due)
        except ValueError:
            due = None
        if due is None:
            c.add(spec.line_of("due"), f"due must be a month-day \"MM-DD\", not '{spec['due']}'")
    valid_from = _date(spec.get("valid_from"), c, spec.line_of("valid_from"), "valid_from")
    deadline = _date(spec.get("deadline"), c, spec.line_of("deadline"), "deadline")
    if valid_from and deadline and deadline < valid_from:
        c.add(spec.line_of("deadline"), "deadline is before valid_from")
    return Timing(valid_from, deadline, cadence, max_age, due, grace)


def _examples(spec: object, c: _Collector, line: int, kind: str) -> tuple[Example, ...]:
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
        page = {k: v for k, v in ex.items() if k != "elements"}
        out.append(Example(page, tuple(elements), ex_line))
    return tuple(out)


def _str(spec: LineDict, key: str, c: _Collector, required: bool = False) -> str:
    value = spec.get(key)
    if value is None:
        if required:
            c.add(spec.line, f"missing key '{key}'")
        return ""
    if not isinstance(value, str):
        c.add(spec.line_of(key), f"'{key}' must be a string")
        return ""
    return value.strip()


def _rule(spec: object, c: _Collector, line: int, registry: Registry, plan: dict[int, PlanItem]) -> Rule | None:
    if not isinstance(spec, LineDict):
        c.add(line, "a rule must be a mapping")
        return None
    rule_id = spec.get("id")
    c.rule = str(rule_id) if rule_id else ""
    if not isinstance(rule_id, str) or not ID_RE.match(rule_id):
        c.add(spec.line_of("id"), "missing or malformed id (lower-case words joined by '-', e.g. jd2018-057)")
        return None
    for key in spec:
        if key not in RULE_KEYS:
            c.add(spec.line_of(key), f"unknown key '{key}'")
    item = spec.get("item", "absent")
    if item == "absent":
        c.add(spec.line, "missing key 'item' (a plan item number, or null for rules beyond the plan)")
        item = None
    elif item is not None and (not isinstance(item, int) or isinstance(item, bool) or item not in PLAN_ITEMS):
        c.add(spec.line_of("item"), f"item must be a plan item number 1–101 or null, not '{item}'")
        item = None
    title = _str(spec, "title", c, required=True)
    if title.upper().startswith("TODO"):
        c.add(spec.line_of("title"), "title is still TODO")
    text = _str(spec, "text", c, required=item is not None)
    if item is not None and item in plan:
        p = plan[item]
        if text and text != p.text:
            c.add(spec.line_of("text"), f"text differs from the plan's wording of item {item}")
        if spec.get("section") not in (None, p.section):
            c.add(spec.line_of("section"), f"section should be {p.section} for item {item}")
        if spec.get("subsection") not in (None, p.subsection):
            c.add(spec.line_of("subsection"), f"subsection should be {p.subsection} for item {item}")
    units = spec.get("units")
    if isinstance(units, str):
        units = [units]
    if not isinstance(units, list) or not units or not all(isinstance(u, str) for u in units):
        c.add(spec.line_of("units"), "units must be a non-empty list of unit names")
        units = []
    for u in units:
        if not registry.is_group(u) and not registry.resolve(u):
            c.add(spec.line_of("units"), f"unknown unit '{u}'")
    if item is not None and item in plan and units:
        plan_units = set(registry.expand(plan[item].units))
        extra = [u for u in registry.expand(units) if u not in plan_units]
        if extra:
            c.add(spec.line_of("units"), f"units {', '.join(extra)} are not responsible for item {item} in the plan")
    weight = spec.get("weight", 1)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not 0 < weight <= 5:
        c.add(spec.line_of("weight"), "weight must be a number above 0 and at most 5")
        weight = 1
    mode = spec.get("mode", "web")
    if mode not in MODES:
        c.add(spec.line_of("mode"), f"mode must be web or manual, not '{mode}'")
        mode = "web"
    manual_reason = _str(spec, "manual_reason", c)
    evidence = spec.get("evidence")
    match = exclude = ()
    elements: list[Element] = []
    anywhere, when_absent = False, "missing"
    if evidence is not None:
        if not isinstance(evidence, LineDict):
            c.add(spec.line_of("evidence"), "evidence must be a mapping of match/exclude/elements")
        else:
            for key in evidence:
                if key not in EVIDENCE_KEYS:
                    c.add(evidence.line_of(key), f"unknown evidence key '{key}'")
            if "match" in evidence:
                match = _clauses(evidence["match"], c, evidence.line_of("match"), "match")
            if "exclude" in evidence:
                exclude = _clauses(evidence["exclude"], c, evidence.line_of("exclude"), "exclude")
            raw_elements = evidence.get("elements") or []
            if not isinstance(raw_elements, list):
                c.add(evidence.line_of("elements"), "elements must be a list")
                raw_elements = []
            for el in raw_elements:
                if not isinstance(el, LineDict) or not isinstance(el.get("name"), str) or "match" not in el:
                    c.add(getattr(el, "line", evidence.line_of("elements")), "an element needs a name and a match")
                    continue
                bad = [k for k in el if k not in ("name", "match")]
                if bad:
                    c.add(el.line_of(bad[0]), f"unknown element key '{bad[0]}'")
                elements.append(Element(el["name"], _clauses(el["match"], c, el.line_of("match"), f"element '{el['name']}'")))
            anywhere = evidence.get("anywhere", False)
            if not isinstance(anywhere, bool):
                c.add(evidence.line_of("anywhere"), "anywhere must be true or false")
                anywhere = False
            when_absent = evidence.get("when_absent", "missing")
            if when_absent not in ("missing", "manual"):
                c.add(evidence.line_of("when_absent"), f"when_absent must be missing or manual, not '{when_absent}'")
                when_absent = "missing"
            names = [e.name for e in elements]
            if len(set(names)) != len(names):
                c.add(evidence.line_of("elements"), "element names must be unique")
    timing = _timing(spec.get("timing"), c, spec.line_of("timing"))
    ex = spec.get("examples")
    if ex is not None and not isinstance(ex, LineDict):
        c.add(spec.line_of("examples"), "examples must be a mapping of match/no_match")
        ex = None
    ex = ex or LineDict()
    if isinstance(ex, LineDict):
        for key in ex:
            if key not in ("match", "no_match"):
                c.add(ex.line_of(key), f"unknown examples key '{key}'")
    ex_match = _examples(ex.get("match"), c, ex.line_of("match") if ex else spec.line, "match")
    ex_no = _examples(ex.get("no_match"), c, ex.line_of("no_match") if ex else spec.line, "no_match")
    if mode == "manual":
        if not manual_reason:
            c.add(spec.line_of("mode"), "a manual rule needs manual_reason")
    else:
        if not match and not elements:
            c.add(spec.line_of("evidence") if "evidence" in spec else spec.line, "a web rule needs evidence (match or elements)")
        if not _str(spec, "seeks", c):
            c.add(spec.line, "a web rule needs 'seeks' (what is looked for, used in reasons)")
        if not ex_match or not ex_no:
            c.add(spec.line_of("examples") if "examples" in spec else spec.line,
                  "a web rule needs examples: at least one match and one no_match")
    element_names = {e.name for e in elements}
    for example in ex_match:
        for name in example.elements:
            if name not in element_names:
                c.add(example.line, f"example names unknown element '{name}'")
    return Rule(
        id=rule_id, item=item, title=title, units=tuple(units), weight=float(weight), mode=mode,
        section=str(spec.get("section") or (plan[item].section if item in plan else "")),
        subsection=str(spec.get("subsection") or (plan[item].subsection if item in plan else "")),
        text=text, manual_reason=manual_reason, seeks=_str(spec, "seeks", c), satisfy=_str(spec, "satisfy", c),
        match=match, exclude=exclude, elements=tuple(elements), anywhere=anywhere, when_absent=when_absent,
        timing=timing,
        examples_match=ex_match, examples_no_match=ex_no, file=c.file, line=spec.line,
    )


def rule_files(rules_dir: Path) -> list[Path]:
    """The files that hold rules: ``plan/*.yaml`` then ``baseline.yaml``."""
    files = sorted((rules_dir / "plan").glob("*.yaml"))
    if (rules_dir / "baseline.yaml").exists():
        files.append(rules_dir / "baseline.yaml")
    return files


def _section(rules_dir: Path, name: str, problems: list[Problem]) -> dict:
    path = rules_dir / f"{name}.yaml"
    try:
        data = load_yaml(path)
    except ConfigError as exc:
        problems.append(Problem(*_split_where(exc.where), "", exc.message))
        return {}
    if not isinstance(data, dict) or not isinstance(data.get(name), dict):
        problems.append(Problem(str(path), 1, "", f"expected a mapping with a '{name}' mapping"))
        return {}
    return dict(data[name])


def _split_where(where: str) -> tuple[str, int]:
    file, _, line = where.rpartition(":")
    return (file, int(line)) if line.isdigit() else (where, 0)


def read_catalogue(rules_dir: str | Path) -> tuple[Catalogue | None, list[Problem]]:
    """Read every rule file, returning the catalogue and all problems found."""
    rules_dir = Path(rules_dir)
    problems: list[Problem] = []
    if not rules_dir.is_dir():
        return None, [Problem(str(rules_dir), 0, "", "rules folder not found")]
    try:
        registry = load_registry(rules_dir / "units.yaml")
    except ConfigError as exc:
        return None, [Problem(*_split_where(exc.where), "", exc.message)]
    plan_path = rules_dir / "plan-2018.txt"
    if not plan_path.exists():
        return None, [Problem(str(plan_path), 0, "", "the plan text is missing")]
    plan_text = plan_path.read_text(encoding="utf-8")
    plan = {p.number: p for p in parse_plan(plan_text)}
    rules: list[Rule] = []
    digest = hashlib.sha256()
    files = rule_files(rules_dir)
    if not files:
        problems.append(Problem(str(rules_dir / "plan"), 0, "", "no rule files (*.yaml) found"))
    for path in files:
        digest.update(path.read_bytes())
        c = _Collector(str(path))
        try:
            data = load_yaml(path)
        except ConfigError as exc:
            problems.append(Problem(*_split_where(exc.where), "", exc.message))
            continue
        if not isinstance(data, LineDict) or not isinstance(data.get("rules"), LineList):
            c.add(1, "expected a mapping with a 'rules' list")
        else:
            for spec, line in zip(data["rules"], data["rules"].item_lines):
                rule = _rule(spec, c, line, registry, plan)
                if rule:
                    rules.append(rule)
        problems.extend(c.problems)
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            problems.append(Problem(rule.file, rule.line, rule.id, f"duplicate id (first at {first.file}:{first.line})"))
        seen.setdefault(rule.id, rule)
    covered = {r.item for r in rules}
    for number in PLAN_ITEMS:
        if number not in covered:
            line = plan[number].line if number in plan else 0
            problems.append(Problem(str(plan_path), line, f"item-{number}", f"plan item {number} has no rule"))
    site_health = _section(rules_dir, "site_health", problems)
    scoring = _section(rules_dir, "scoring", problems)
    catalogue = Catalogue(rules, registry, plan, site_health, scoring, f"2018.{digest.hexdigest()[:8]}", str(rules_dir))
    return catalogue, problems



def load_catalogue(rules_dir: str | Path) -> Catalogue:
    """The catalogue, or a `ConfigError` naming the first problem (run ``auditor rules lint`` for all)."""
    catalogue, problems = read_catalogue(rules_dir)
    if problems or catalogue is None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more: run 'auditor rules lint')" if len(problems) > 1 else ""
        raise ConfigError(f"{first.rule + ': ' if first.rule else ''}{first.message}{more}", f"{first.file}:{first.line}")
    return catalogue
