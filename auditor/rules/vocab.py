"""Shared word lists (``vocabulary.yaml``): the words officials use, named once.

A rule's condition refers to a list as ``$name`` among its words (``any: [$news, 推进会]``);
the list's words take its place. A list may include other lists the same way. Lint
reports a name no list has, and a list that includes itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..yamlfile import LineDict, LineList, load_yaml
from .matcher import normalise

FILE = "vocabulary.yaml"


@dataclass
class Vocabulary:
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name → normalised words
    help: dict[str, str] = field(default_factory=dict)  # name → what the list holds
    lines: dict[str, int] = field(default_factory=dict)


def load_vocabulary(rules_dir: str | Path, add_problem) -> Vocabulary:
    """Read the catalogue's word lists; ``add_problem(line, message)`` receives each problem."""
    path = Path(rules_dir) / FILE
    if not path.exists():
        return Vocabulary()
    data = load_yaml(path)
    raw = data.get("lists") if isinstance(data, LineDict) else None
    if not isinstance(raw, LineDict):
        add_problem(1, "expected a mapping with a 'lists' mapping of name → {help, words}")
        return Vocabulary()
    specs: dict[str, list[str]] = {}
    vocab = Vocabulary()
    for name, spec in raw.items():
        line = raw.line_of(name)
        vocab.lines[name] = line
        words = spec.get("words") if isinstance(spec, LineDict) else None
        if not isinstance(words, LineList) or not all(isinstance(w, str) and w.strip() for w in words):
            add_problem(line, f"list '{name}' needs words: a list of non-empty words")
            continue
        if not isinstance(spec.get("help"), str) or not spec["help"].strip():
            add_problem(line, f"list '{name}' needs help: what its words are")
        vocab.help[name] = str(spec.get("help") or "")
        specs[name] = list(words)
    for name in specs:
        vocab.lists[name] = _expand(name, specs, [], add_problem, vocab.lines)
    return vocab


def _expand(name: str, specs: dict[str, list[str]], path: list[str], add_problem, lines: dict[str, int]) -> tuple[str, ...]:
    if name in path:
        add_problem(lines.get(name, 1), f"list '{name}' includes itself ({' → '.join(path + [name])})")
        return ()
    out: list[str] = []
    for w in specs[name]:
        if w.startswith("$"):
            if w[1:] not in specs:
                add_problem(lines.get(name, 1), f"list '{name}' names no word list '{w}'")
                continue
            out += _expand(w[1:], specs, path + [name], add_problem, lines)
        else:
            out.append(normalise(w))
    return tuple(dict.fromkeys(out))
