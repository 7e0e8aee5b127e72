"""The catalogue's scoring and site-health settings, typed and validated (``scoring.yaml``,
``site_health.yaml``). Every key is read; a wrong key or value is a FILE:LINE problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import ConfigError
from ..yamlfile import LineDict, load_yaml

STATUSES_CREDITED = ("met", "partial", "stale", "missing")
DEDUCTION_KEYS = ("broken_link_home", "broken_link", "stale_homepage", "stale_column", "empty_column",
                  "undated_page", "blank_page", "unreachable")
THRESHOLD_KEYS = ("homepage_max_age_days", "news_column_max_age_days", "notice_column_max_age_days",
                  "stale_columns_fail", "empty_columns_fail")


@dataclass(frozen=True)
class Scoring:
    credit: dict[str, float]
    grades: tuple[tuple[str, float], ...]  # (grade, minimum), highest first
    deductions: dict[str, float]
    max_deduction: float
    min_assessed: int

    def grade_of(self, score: float | None) -> str | None:
        if score is None:
            return None
        return next((g for g, low in self.grades if score >= low), None)


@dataclass(frozen=True)
class SiteHealth:
    standards: dict[str, dict[str, int]]  # law.yaml document id → thresholds
    news_column_words: tuple[str, ...] = ()
    notice_column_words: tuple[str, ...] = ()
    thresholds: dict[str, int] = field(default_factory=dict)  # of the standard a check applies

    def under(self, standard: str | None) -> "SiteHealth":
        """These settings with the thresholds of ``standard`` (the one in force)."""
        chosen = self.standards.get(standard or "") or next(iter(self.standards.values()), {})
        return SiteHealth(self.standards, self.news_column_words, self.notice_column_words, dict(chosen))


def _section(path: Path, name: str) -> tuple[LineDict, str]:
    data = load_yaml(path)
    if not isinstance(data, LineDict) or not isinstance(data.get(name), LineDict):
        raise ConfigError(f"expected a mapping with a '{name}' mapping", f"{path}:1")
    return data[name], str(path)


def _number(spec: LineDict, key: str, where: str, *, whole: bool = False, low: float = 0) -> float:
    value = spec.get(key)
    ok = isinstance(value, int) if whole else isinstance(value, (int, float))
    if not ok or isinstance(value, bool) or value < low:
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"'{key}' must be {kind} ≥ {low}, not '{value}'", f"{where}:{spec.line_of(key)}")
    return value


def _only(spec: LineDict, keys: tuple[str, ...] | set[str], where: str, what: str) -> None:
    for key in spec:
        if key not in keys:
            raise ConfigError(f"unknown {what} '{key}' (expected {', '.join(sorted(keys))})", f"{where}:{spec.line_of(key)}")
    for key in keys:
        if key not in spec:
            raise ConfigError(f"missing {what} '{key}'", f"{where}:{spec.line}")


def load_scoring(path: Path) -> Scoring:
    spec, where = _section(path, "scoring")
    _only(spec, {"credit", "grades", "deductions", "max_deduction", "ranking"}, where, "key")
    credit = spec["credit"]
    if not isinstance(credit, LineDict):
        raise ConfigError("'credit' maps statuses to a share of the weight", f"{where}:{spec.line_of('credit')}")
    _only(credit, STATUSES_CREDITED, where, "status")
    shares = {s: float(_number(credit, s, where)) for s in STATUSES_CREDITED}
    if any(v > 1 for v in shares.values()):
        raise ConfigError("a status earns at most its whole weight (credit ≤ 1)", f"{where}:{spec.line_of('credit')}")
    grades = []
    for g in spec["grades"] if isinstance(spec["grades"], list) else []:
        if not isinstance(g, LineDict) or set(g) != {"grade", "min"} or not isinstance(g["grade"], str):
            raise ConfigError("a grade is {grade: 优秀, min: 90}", f"{where}:{getattr(g, 'line', spec.line_of('grades'))}")
        grades.append((g["grade"], float(_number(g, "min", where))))
    if not grades or [m for _, m in grades] != sorted((m for _, m in grades), reverse=True):
        raise ConfigError("grades must be listed highest first", f"{where}:{spec.line_of('grades')}")
    deductions = spec["deductions"]
    if not isinstance(deductions, LineDict):
        raise ConfigError("'deductions' maps site checks to points", f"{where}:{spec.line_of('deductions')}")
    _only(deductions, DEDUCTION_KEYS, where, "deduction")
    ranking = spec["ranking"]
    if not isinstance(ranking, LineDict):
        raise ConfigError("'ranking' is a mapping with min_assessed", f"{where}:{spec.line_of('ranking')}")
    _only(ranking, ("min_assessed",), where, "ranking key")
    return Scoring(shares, tuple(grades), {k: float(_number(deductions, k, where)) for k in DEDUCTION_KEYS},
                   float(_number(spec, "max_deduction", where)), int(_number(ranking, "min_assessed", where, whole=True)))


def load_site_health(path: Path, documents: Callable[[str], str | None]) -> SiteHealth:
    """``documents(id)`` gives a law.yaml document's kind (None if there is none)."""
    spec, where = _section(path, "site_health")
    _only(spec, {"standards", "news_column_words", "notice_column_words"}, where, "key")
    standards = spec["standards"]
    if not isinstance(standards, LineDict) or not standards:
        raise ConfigError("'standards' maps a law.yaml standard to its thresholds", f"{where}:{spec.line_of('standards')}")
    out = {}
    for doc, thresholds in standards.items():
        if documents(doc) != "site_standard":
            raise ConfigError(f"'{doc}' is no site_standard of law.yaml", f"{where}:{standards.line_of(doc)}")
        if not isinstance(thresholds, LineDict):
            raise ConfigError("thresholds are a mapping", f"{where}:{standards.line_of(doc)}")
        _only(thresholds, THRESHOLD_KEYS, where, "threshold")
        out[doc] = {k: int(_number(thresholds, k, where, whole=True, low=1)) for k in THRESHOLD_KEYS}
    words = {}
    for key in ("news_column_words", "notice_column_words"):
        value = spec[key]
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise ConfigError(f"'{key}' must be a list of words", f"{where}:{spec.line_of(key)}")
        words[key] = tuple(value)
    return SiteHealth(out, **words)
