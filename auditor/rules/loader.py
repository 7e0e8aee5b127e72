"""Load a whole rule catalogue (a folder with its ``catalogue.yaml``), collecting every problem.

`read_catalogue` returns all problems at once (the linter's job is to list them, as
``FILE:LINE: RULE-ID: message``); `load_catalogue` raises on the first, as a
`ConfigError`, because nothing may be checked against a broken catalogue.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..plan import PlanItem, parse_plan
from ..units import Registry, load_registry
from ..yamlfile import LineDict, LineList, load_yaml
from .build import build_rule
from .config import Scoring, SiteHealth, load_scoring, load_site_health
from .law import Law, load_law
from .manifest import Manifest, load_manifest
from .model import Rule
from .parse import Collector, Context, Problem
from .vocab import FILE as VOCAB_FILE
from .vocab import Vocabulary, load_vocabulary


@dataclass
class Catalogue:
    """The whole rule catalogue with the data that goes with it."""

    rules: list[Rule]
    registry: Registry
    plan: dict[int, PlanItem]
    manifest: Manifest
    law: Law
    scoring: Scoring
    site_health: SiteHealth
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    version: str = ""
    path: str = ""

    def units_of(self, rule: Rule) -> list[str]:
        """The canonical units responsible for a rule, groups expanded."""
        return self.registry.expand(rule.units)

    def rules_for_unit(self, unit: str) -> list[Rule]:
        return [r for r in self.rules if unit in self.units_of(r)]

    def crawl_window(self) -> tuple[date, date]:
        """The dates the crawl must reach: the earliest date a dated web rule accepts, through
        the manifest window's end. Standing duties (in force before the plan, or accepting any
        date) are left out: the crawl reads their columns in full instead."""
        starts = [r.timing.valid_from for r in self.rules
                  if r.mode == "web" and r.timing.valid_from and not r.timing.in_force]
        return min(starts, default=self.manifest.window[0]), self.manifest.window[1]


def rule_files(rules_dir: Path) -> list[Path]:
    """The files that hold rules: ``plan/*.yaml`` then ``baseline.yaml``."""
    files = sorted((rules_dir / "plan").glob("*.yaml"))
    if (rules_dir / "baseline.yaml").exists():
        files.append(rules_dir / "baseline.yaml")
    return files


def _split_where(where: str) -> tuple[str, int]:
    file, _, line = where.rpartition(":")
    return (file, int(line)) if line.isdigit() else (where, 0)


def _problem(exc: ConfigError) -> Problem:
    return Problem(*_split_where(exc.where), "", exc.message)


def _read_rules(files: list[Path], ctx: Context, problems: list[Problem]) -> list[Rule]:
    rules: list[Rule] = []
    for path in files:
        c = Collector(str(path))
        try:
            data = load_yaml(path)
        except ConfigError as exc:
            problems.append(_problem(exc))
            continue
        if not isinstance(data, LineDict) or not isinstance(data.get("rules"), LineList):
            c.add(1, "expected a mapping with a 'rules' list")
        else:
            for spec, line in zip(data["rules"], data["rules"].item_lines):
                rule = build_rule(spec, c, line, ctx)
                if rule:
                    rules.append(rule)
        problems.extend(c.problems)
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            problems.append(Problem(rule.file, rule.line, rule.id, f"duplicate id (first at {first.file}:{first.line})"))
        seen.setdefault(rule.id, rule)
    return rules


def _coverage(rules: list[Rule], plan: dict[int, PlanItem], plan_path: Path) -> list[Problem]:
    covered = {r.item for r in rules}
    return [Problem(str(plan_path), p.line, f"item-{n}", f"plan item {n} has no rule")
            for n, p in sorted(plan.items()) if n not in covered]


def read_catalogue(rules_dir: str | Path) -> tuple[Catalogue | None, list[Problem]]:
    """Read every file of the catalogue, returning the catalogue and all problems found."""
    rules_dir = Path(rules_dir)
    if not rules_dir.is_dir():
        return None, [Problem(str(rules_dir), 0, "", "rules folder not found")]
    try:
        manifest = load_manifest(rules_dir)
        registry = load_registry(rules_dir / manifest.units, city=manifest.district.city, stem=manifest.district.stem)
        law = load_law(rules_dir / manifest.law)
    except ConfigError as exc:
        return None, [_problem(exc)]
    problems: list[Problem] = []
    plan_path = rules_dir / manifest.plan.file
    plan = {p.number: p for p in parse_plan(plan_path.read_text(encoding="utf-8"))}
    if not plan:
        return None, [Problem(str(plan_path), 0, "", "the plan text has no numbered items")]
    vocab_file = str(rules_dir / VOCAB_FILE)
    vocab = load_vocabulary(rules_dir, lambda line, msg: problems.append(Problem(vocab_file, line, "", msg)))
    files = rule_files(rules_dir)
    if not files:
        problems.append(Problem(str(rules_dir / "plan"), 0, "", "no rule files (*.yaml) found"))
    rules = _read_rules(files, Context(registry, plan, law, vocab), problems)
    problems += _coverage(rules, plan, plan_path)
    kind_of = lambda doc: law.documents[doc].kind if doc in law.documents else None  # noqa: E731
    try:
        scoring = load_scoring(rules_dir / "scoring.yaml")
        site_health = load_site_health(rules_dir / "site_health.yaml", kind_of)
    except ConfigError as exc:
        return None, problems + [_problem(exc)]
    digest = hashlib.sha256()
    for path in sorted([*files, *(rules_dir / n for n in ("catalogue.yaml", manifest.units, manifest.law, "scoring.yaml",
                                                             "site_health.yaml", manifest.plan.file, VOCAB_FILE))]):
        if path.exists():
            digest.update(path.name.encode() + path.read_bytes())
    version = f"{manifest.id}.{digest.hexdigest()[:8]}"
    return Catalogue(rules, registry, plan, manifest, law, scoring, site_health, vocab, version, str(rules_dir)), problems


def load_catalogue(rules_dir: str | Path) -> Catalogue:
    """The catalogue, or a `ConfigError` naming the first problem (run ``auditor rules lint`` for all)."""
    catalogue, problems = read_catalogue(rules_dir)
    errors = [p for p in problems if not p.warning]
    if errors or catalogue is None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more: run 'auditor rules lint')" if len(errors) > 1 else ""
        raise ConfigError(f"{first.rule + ': ' if first.rule else ''}{first.message}{more}", f"{first.file}:{first.line}")
    return catalogue
