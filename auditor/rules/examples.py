"""Run rules' own examples: pages that must and must not count as evidence."""

from __future__ import annotations

from dataclasses import dataclass

from .loader import Catalogue
from .matcher import fields_from_mapping, judge
from .model import Example, Rule


@dataclass(frozen=True)
class ExampleFailure:
    rule: Rule
    example: Example
    expected: bool  # True: must match
    message: str

    def __str__(self) -> str:
        return f"{self.rule.file}:{self.example.line}: {self.rule.id}: {self.message}"


def check_example(rule: Rule, example: Example, must_match: bool) -> ExampleFailure | None:
    """The failure of one example, or None if the rule treats it as the example says."""
    verdict = judge(rule, fields_from_mapping(example.page))
    label = example.page.get("title") or next(iter(example.page.values()), "")
    if must_match and not verdict.evidence:
        why = "excluded" if verdict.excluded else "not matched"
        return ExampleFailure(rule, example, True, f"must match but {why}: {label}")
    if must_match:
        missing = [e for e in example.elements if e not in verdict.elements]
        if missing:
            return ExampleFailure(rule, example, True, f"must satisfy element {'、'.join(missing)}: {label}")
    if not must_match and verdict.evidence:
        return ExampleFailure(rule, example, False, f"must not match but matched: {label}")
    return None


def run_examples(catalogue: Catalogue) -> tuple[int, list[ExampleFailure]]:
    """Run every example of every web rule; returns (examples run, failures)."""
    count, failures = 0, []
    for rule in catalogue.rules:
        if not rule.is_web:
            continue
        for example, must in [(e, True) for e in rule.examples_match] + [(e, False) for e in rule.examples_no_match]:
            count += 1
            failure = check_example(rule, example, must)
            if failure:
                failures.append(failure)
    return count, failures
