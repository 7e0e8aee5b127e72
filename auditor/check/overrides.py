"""Reviewer decisions (`--overrides FILE`): they replace computed statuses, which are kept.

```yaml
overrides:
- rule: jd2018-095          # or  item: 95  (every rule of the item for that unit)
  unit: 区府办
  status: met
  url: https://www.jiading.gov.cn/publicity/…
  note: 区府办提供了2018年培训通知和签到表
  by: 张三
  date: 2019-01-10
```
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..rules.loader import Catalogue
from ..yamlfile import LineDict, LineList, load_yaml
from .status import STATUS_LABELS, STATUSES, Finding

KEYS = {"rule", "item", "unit", "status", "url", "note", "by", "date"}


@dataclass(frozen=True)
class Override:
    """One reviewer decision about a rule, or a whole plan item, for one unit."""

    unit: str
    status: str
    url: str
    note: str
    by: str
    date: str
    rule: str | None = None
    item: int | None = None
    where: str = ""

    def record(self) -> dict:
        return {"status": self.status, "by": self.by, "date": self.date, "note": self.note, "url": self.url}


def load_overrides(path: str | Path, catalogue: Catalogue) -> list[Override]:
    """Read and validate an overrides file; any problem is a one-line `ConfigError` FILE:LINE."""
    data = load_yaml(path)
    entries = data.get("overrides") if isinstance(data, LineDict) else data
    if data is None or entries is None:
        return []
    if not isinstance(entries, LineList):
        raise ConfigError("expected a list of decisions under 'overrides'", f"{path}:{getattr(data, 'line', 1)}")
    out: list[Override] = []
    seen: dict[tuple, str] = {}
    for entry, line in zip(entries, entries.item_lines):
        decision = _decision(entry, f"{path}:{line}", catalogue)
        target = (decision.rule, decision.item, decision.unit)
        if target in seen:
            raise ConfigError(f"a second decision on the same {'rule' if decision.rule else 'item'} and unit (first at {seen[target]})", decision.where)
        seen[target] = decision.where
        out.append(decision)
    return out


def _decision(entry: object, where: str, catalogue: Catalogue) -> Override:
    if not isinstance(entry, LineDict):
        raise ConfigError("a decision is a mapping of rule or item, unit, status, url, note, by, date", where)
    at = lambda key: f"{where.rsplit(':', 1)[0]}:{entry.line_of(key)}"  # noqa: E731
    for key in entry:
        if key not in KEYS:
            raise ConfigError(f"unknown key '{key}' (expected {', '.join(sorted(KEYS))})", at(key))
    for key in ("unit", "status", "url", "note", "by", "date"):
        if entry.get(key) in (None, ""):
            raise ConfigError(f"missing key '{key}'", where)
    if ("rule" in entry) == ("item" in entry):
        raise ConfigError("name either 'rule' or 'item', not both or neither", where)
    if "rule" in entry:
        rules = [r for r in catalogue.rules if r.id == entry["rule"]]
        if not rules:
            raise ConfigError(f"unknown rule '{entry['rule']}'", at("rule"))
    else:
        rules = [r for r in catalogue.rules if r.item == entry["item"] and r.item is not None]
        if not rules:
            raise ConfigError(f"no rule covers plan item '{entry['item']}'", at("item"))
    unit = catalogue.registry.resolve(str(entry["unit"]))
    if not unit:
        raise ConfigError(f"unknown unit '{entry['unit']}'", at("unit"))
    if not any(unit in catalogue.units_of(r) for r in rules):
        raise ConfigError(f"{unit} is not responsible for {entry.get('rule') or 'item ' + str(entry['item'])}", at("unit"))
    if entry["status"] not in STATUSES:
        raise ConfigError(f"status must be one of {', '.join(STATUSES)}, not '{entry['status']}'", at("status"))
    url = str(entry["url"])
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ConfigError(f"url '{url}' is not an http(s) URL", at("url"))
    day = entry["date"]
    if not isinstance(day, date):
        try:
            day = date.fromisoformat(str(day))
        except ValueError:
            raise ConfigError(f"date must be YYYY-MM-DD, not '{day}'", at("date")) from None
    return Override(unit, entry["status"], url, str(entry["note"]).strip(), str(entry["by"]).strip(), day.isoformat(),
                    rule=entry.get("rule"), item=entry.get("item"), where=where)


def apply_overrides(findings: list[Finding], overrides: list[Override]) -> dict[tuple[int, str], Override]:
    """Replace the status of the findings decided; return the item-level decisions.

    A decision on a rule outranks one on its whole item. Computed statuses stay on
    the findings for the audit trail.
    """
    by_rule = {(o.rule, o.unit): o for o in overrides if o.rule}
    by_item = {(o.item, o.unit): o for o in overrides if o.item is not None}
    for f in findings:
        decision = by_rule.get((f.rule.id, f.unit)) or by_item.get((f.rule.item, f.unit))
        if decision:
            f.status = decision.status
            f.override = decision.record()
            f.reasons.append(f"经人工复核认定为“{STATUS_LABELS[decision.status]}”（{decision.by}，{decision.date}）：{decision.note}")
    return by_item

