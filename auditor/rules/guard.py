"""Lint's guard against weak and dead matchers (as Nuclei guards its templates).

A rule that takes a large share of one real portal's titles as evidence reads a common
word, not a duty: it is *weak*. A rule that none of its own real positives in the corpus
satisfy reads words officials do not use: it is *dead*.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from .corpus import Case
from .loader import Catalogue
from .matcher import fields_from_mapping, judge, page_fields

DEFAULT_MAX_SHARE = 0.08


@dataclass(frozen=True)
class Weak:
    rule: str
    matched: int
    titles: int

    @property
    def share(self) -> float:
        return self.matched / self.titles

    def __str__(self) -> str:
        return f"warning: {self.rule}: matches {self.matched} of {self.titles} real titles ({self.share:.1%}): too weak a matcher"


def load_titles(path: str | Path) -> list[str]:
    """The ``title`` column of a tab-separated file of one portal's titles (first row: header)."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read titles: {exc}", str(path)) from None
    if not rows or "title" not in rows[0]:
        raise ConfigError("expected a tab-separated file with a 'title' column", f"{path}:1")
    return [r["title"] for r in rows if r.get("title")]


def weak_rules(catalogue: Catalogue, titles: list[str], max_share: float = DEFAULT_MAX_SHARE) -> list[Weak]:
    """Web rules taking more than ``max_share`` of ``titles`` as evidence, weakest first."""
    rules = [r for r in catalogue.rules if r.is_web]
    counts = dict.fromkeys((r.id for r in rules), 0)
    for title in titles:
        fields = page_fields(title=title)
        for rule in rules:
            counts[rule.id] += judge(rule, fields).evidence
    weak = [Weak(rid, n, len(titles)) for rid, n in counts.items() if titles and n / len(titles) > max_share]
    return sorted(weak, key=lambda w: -w.matched)


def dead_rules(catalogue: Catalogue, cases: list[Case]) -> list[tuple[str, int]]:
    """(rule, positives) for web rules with corpus positives of which none is accepted."""
    rules = {r.id: r for r in catalogue.rules if r.is_web}
    positives: dict[str, list[Case]] = {}
    for case in cases:
        if case.label == "match" and case.rule in rules:
            positives.setdefault(case.rule, []).append(case)
    dead = []
    for rid, mine in sorted(positives.items()):
        fields = (fields_from_mapping({"title": c.title, "column": c.column, "attachments": list(c.attachments)}) for c in mine)
        if not any(judge(rules[rid], f).evidence for f in fields):
            dead.append((rid, len(mine)))
    return dead
