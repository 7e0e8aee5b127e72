"""One-pass evidence matching: many rules against one page at the cost of a few scans.

Each clause of a rule is reduced to a *key*: one word that must occur (from `all`) or
a set of which one must (from `any`). One compiled alternation per field finds every
key word a page contains; the rules whose keys occur are the page's candidates, and
only those are judged by the reference semantics (`auditor.rules.matcher.judge`). A
rule is thus never accepted here that `judge` would reject, and never missed: the
scan finds overlapping and nested words too (see `WordScanner`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Mapping

from ..rules.matcher import Verdict, judge
from ..rules.model import Clause, FieldCondition, Rule

# Cheap fields first: a clause keyed on the title costs nothing extra per page, one
# keyed on the main text makes the text scan necessary.
FIELD_COST = {"title": 0, "name": 0, "column": 0, "url": 1, "attachments": 1, "text": 2}


class WordScanner:
    """Which of a fixed set of words occur in a text, exactly, in one regex pass.

    The alternation is ordered longest first, so each match is the longest word
    starting at its position. Words a non-overlapping scan skips are either inside
    that match (precomputed per word) or start inside it and run past its end
    (checked with `startswith` at their offset).
    """

    def __init__(self, words: Iterable[str]) -> None:
        vocab = sorted(set(words), key=lambda w: (-len(w), w))
        self._re = re.compile("|".join(map(re.escape, vocab))) if vocab else None
        by_prefix: dict[str, list[str]] = defaultdict(list)
        for w in vocab:
            for n in range(1, len(w) + 1):
                by_prefix[w[:n]].append(w)
        self._inside = {w: tuple(v for v in vocab if v in w) for w in vocab}
        self._crossing = {
            w: tuple((k, v) for k in range(1, len(w)) for v in by_prefix.get(w[k:], ()) if len(v) > len(w) - k)
            for w in vocab
        }

    def present(self, text: str) -> set[str]:
        found: set[str] = set()
        if self._re is None or not text:
            return found
        for m in self._re.finditer(text):
            word, start = m.group(), m.start()
            found.update(self._inside[word])
            for offset, longer in self._crossing[word]:
                if longer not in found and text.startswith(longer, start + offset):
                    found.add(longer)
        return found


def _clause_key(clause: Clause) -> tuple[str, tuple[str, ...]] | None:
    """(field, words of which one must occur) for a clause, or None if it has no literal."""
    options = []
    for name, cond in clause.fields:
        options.extend(_condition_keys(name, cond))
    if not options:
        return None
    return min(options, key=lambda o: (FIELD_COST[o[0]], len(o[1]), -max(map(len, o[1]))))


def _condition_keys(name: str, cond: FieldCondition) -> list[tuple[str, tuple[str, ...]]]:
    keys = []
    if cond.all:
        keys.append((name, (max(cond.all, key=len),)))
    if cond.any:
        keys.append((name, tuple(cond.any)))
    return keys


class FastMatcher:
    """The evidence verdicts of a fixed list of rules, page after page."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = [r for r in rules if r.is_web]
        self._always: list[int] = []  # rules with a clause no literal can key
        index: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for i, rule in enumerate(self.rules):
            clauses = rule.match or tuple(c for e in rule.elements for c in e.match) + rule.whole
            keys = [_clause_key(c) for c in clauses]
            if not keys or None in keys:
                self._always.append(i)
                continue
            for field, words in keys:
                for w in words:
                    index[field][w].add(i)
        self._index = {f: dict(words) for f, words in index.items()}
        self._scanners = {f: WordScanner(words) for f, words in self._index.items()}

    def judge_page(self, fields: Mapping[str, str]) -> list[tuple[Rule, Verdict]]:
        """(rule, verdict) for every rule the page is evidence for, in rule order."""
        candidates = set(self._always)
        for field, scanner in self._scanners.items():
            by_word = self._index[field]
            value = fields[field]
            for text in value if isinstance(value, tuple) else (value,):  # name, attachments: one text each
                for word in scanner.present(text):
                    candidates.update(by_word[word])
        out = []
        for i in sorted(candidates):
            verdict = judge(self.rules[i], fields)
            if verdict.evidence:
                out.append((self.rules[i], verdict))
        return out
