"""An overrides file (YAML): reviewers' decisions written by hand, validated line by line.

```yaml
overrides:
- rule: jd2018-095          # or  item: 95  (every rule of the item for that unit)
  unit: 区府办               # a unit, or 各街镇 / 区政府各部门 for every member
  status: 已公开             # a status label (已公开 部分公开 未及时更新 未公开 未到期 需人工核查) or code
  basis: 2018年政务公开培训通知及签到表   # a URL, or the name of a material (url: also accepted)
  note: 区府办提供了2018年培训通知和签到表
  by: 张三
  date: 2019-01-10
```

`auditor review import FILE.yaml` (or `check --overrides FILE`) stores the decisions in
the database; they then apply to every later check of the same catalogue.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..labels import STATUS_BY_LABEL, STATUSES
from ..rules.loader import Catalogue
from ..yamlfile import LineDict, LineList, load_yaml
from .decisions import Decision

KEYS = {"rule", "item", "unit", "status", "url", "basis", "note", "by", "date", "appeal", "appeal_evidence", "ruling"}
DECIDABLE = tuple(s for s in STATUSES if s != "unreachable")


def status_code(value: object) -> str | None:
    """A status code from a code or its Chinese label; None if it is neither."""
    text = str(value or "").strip()
    code = STATUS_BY_LABEL.get(text, text)
    return code if code in DECIDABLE else None


def target_units(catalogue: Catalogue, name: str) -> list[str] | None:
    """The units a decision on ``name`` covers: a group's members, or one unit (None: unknown)."""
    if catalogue.registry.is_group(name):
        return catalogue.registry.members(name)
    unit = catalogue.registry.resolve(name)
    return [unit] if unit else None


def check_target(catalogue: Catalogue, rule: str | None, item: object, unit: str) -> tuple[str | None, int | None, str]:
    """Validate (rule or item, unit) against the catalogue; returns (rule, item, canonical unit or group).

    Raises `ValueError` with the message and the field at fault as its two arguments.
    """
    if (rule is None) == (item is None):
        raise ValueError("name either a rule or a plan item, not both or neither", "rule")
    if rule is not None:
        rules = [r for r in catalogue.rules if r.id == rule]
        if not rules:
            raise ValueError(f"unknown rule '{rule}'", "rule")
    else:
        if not isinstance(item, int) or isinstance(item, bool):
            raise ValueError(f"item must be a plan item number, not '{item}'", "item")
        rules = [r for r in catalogue.rules if r.item == item]
        if not rules:
            raise ValueError(f"no rule covers plan item '{item}'", "item")
    units = target_units(catalogue, unit)
    if not units:
        raise ValueError(f"unknown unit '{unit}'", "unit")
    responsible = {u for r in rules for u in catalogue.units_of(r)}
    if not any(u in responsible for u in units):
        raise ValueError(f"{unit} is not responsible for {rule or 'item ' + str(item)}", "unit")
    name = unit if catalogue.registry.is_group(unit) else units[0]
    return rule, item, name


def load_overrides(path: str | Path, catalogue: Catalogue) -> list[Decision]:
    """Read and validate an overrides file; any problem is a one-line `ConfigError` FILE:LINE."""
    data = load_yaml(path)
    entries = data.get("overrides") if isinstance(data, LineDict) else data
    if data is None or entries is None:
        return []
    if not isinstance(entries, LineList):
        raise ConfigError("expected a list of decisions under 'overrides'", f"{path}:{getattr(data, 'line', 1)}")
    out: list[Decision] = []
    seen: dict[tuple, str] = {}
    for entry, line in zip(entries, entries.item_lines):
        decision = _decision(entry, f"{path}:{line}", catalogue)
        if decision.target in seen:
            raise ConfigError(f"a second decision on the same {'rule' if decision.rule else 'item'} and unit "
                              f"(first at {seen[decision.target]})", decision.source)
        seen[decision.target] = decision.source
        out.append(decision)
    return out


def _decision(entry: object, where: str, catalogue: Catalogue) -> Decision:
    if not isinstance(entry, LineDict):
        raise ConfigError("a decision is a mapping of rule or item, unit, status, basis, note, by, date", where)
    file = where.rsplit(":", 1)[0]
    at = lambda key: f"{file}:{entry.line_of(key)}"  # noqa: E731
    for key in entry:
        if key not in KEYS:
            raise ConfigError(f"unknown key '{key}' (expected {', '.join(sorted(KEYS))})", at(key))
    for key in ("unit", "status", "note", "by", "date"):
        if entry.get(key) in (None, ""):
            raise ConfigError(f"missing key '{key}'", where)
    basis = str(entry.get("basis") or entry.get("url") or "").strip()
    if not basis:
        raise ConfigError("missing key 'basis' (a URL or the name of a material; url: is also accepted)", where)
    if "url" in entry and not str(entry["url"]).startswith(("http://", "https://")):
        raise ConfigError(f"url '{entry['url']}' is not an http(s) URL (name a material under basis: instead)", at("url"))
    if ("rule" in entry) == ("item" in entry):
        raise ConfigError("name either 'rule' or 'item', not both or neither", where)
    try:
        rule, item, unit = check_target(catalogue, entry.get("rule"), entry.get("item"), str(entry["unit"]))
    except ValueError as exc:
        raise ConfigError(exc.args[0], at(exc.args[1])) from None
    status = status_code(entry["status"])
    if status is None:
        raise ConfigError(f"status must be one of {', '.join(DECIDABLE)} or their labels, not '{entry['status']}'",
                          at("status"))
    day = entry["date"]
    if not isinstance(day, date):
        try:
            day = date.fromisoformat(str(day))
        except ValueError:
            raise ConfigError(f"date must be YYYY-MM-DD, not '{day}'", at("date")) from None
    return Decision(catalogue.manifest.id, unit, status, str(entry["note"]).strip(), basis, str(entry["by"]).strip(),
                    day.isoformat(), rule=rule, item=item, source=where,
                    appeal=str(entry.get("appeal") or ""), appeal_evidence=str(entry.get("appeal_evidence") or ""),
                    ruling=str(entry.get("ruling") or ""))
