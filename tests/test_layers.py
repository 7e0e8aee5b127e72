"""The house's structure: no import cycles, layers pointing one way, small modules and functions.

Data flows one way (portal config → crawl → store → check → findings → report): the crawl
never imports the check or the report, the report never imports the crawl, and nothing in
production imports the sample portal (its `demo` reaches the CLI through an entry point).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules(package: str = "auditor") -> dict[str, Path]:
    out = {}
    for path in (ROOT / package).rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


MODULES = modules()


def imports(name: str) -> set[str]:
    """Every module ``name`` imports, at any level (lazy imports in functions included)."""
    path = MODULES[name]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [module] + [f"{module}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            out.add(target)
    return out


def internal(name: str) -> set[str]:
    """The auditor modules ``name`` depends on (its own packages aside)."""
    deps = set()
    for target in imports(name):
        while target and target not in MODULES:
            target = target.rpartition(".")[0]
        if target and target != name and not name.startswith(target + "."):
            deps.add(target)
    return deps


GRAPH = {m: internal(m) for m in MODULES}


def reach(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for dep in GRAPH[todo.pop()]:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def test_no_import_cycles():
    cycles = [m for m in MODULES if m in reach(m)]
    assert not cycles, cycles


@pytest.mark.parametrize("layer, never", [
    ("auditor.crawl", ("auditor.check", "auditor.report", "auditor.findings", "auditor.review")),
    ("auditor.store", ("auditor.check", "auditor.report", "auditor.crawl")),
    ("auditor.extract", ("auditor.check", "auditor.report", "auditor.crawl", "auditor.store")),
    ("auditor.report", ("auditor.crawl", "auditor.check")),
    ("auditor.check", ("auditor.report", "auditor.crawl")),
])
def test_layers_point_one_way(layer, never):
    wrong = {(m, d) for m in MODULES if m == layer or m.startswith(layer + ".")
             for d in reach(m) if d.startswith(never)}
    assert not wrong, sorted(wrong)


def test_production_never_imports_the_sample_portal():
    wrong = [m for m in MODULES if any(t == "sampleportal" or t.startswith("sampleportal.") for t in imports(m))]
    assert not wrong, wrong


def test_modules_and_functions_are_small():
    big = [(m, n) for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    long = []
    for m, p in MODULES.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if (n := node.end_lineno - node.lineno + 1) > MAX_FUNCTION_LINES:
                    long.append((m, node.name, n))
    assert not big and not long, (big, long)
