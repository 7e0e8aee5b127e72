"""The unit registry: canonical unit names, their aliases and the plan's groups.

Pages, rules and portal configs name a unit in many ways (full official name,
with or without 上海市, the plan's short form, a successor body's name); every
such name resolves here to one canonical unit so that evidence, findings and
scores never split across spellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError
from .yamlfile import LineDict, load_yaml

KINDS = ("department", "town", "other")
KIND_LABELS = {"department": "区政府部门", "town": "街镇", "other": "其他单位"}


@dataclass(frozen=True)
class Unit:
    """One canonical unit."""

    name: str
    kind: str
    full_name: str
    aliases: tuple[str, ...] = ()
    code: str = ""  # ASCII name of the unit's report page (units/<code>.html)


@dataclass
class Registry:
    """Every unit by canonical name, the alias index and the groups.

    ``city`` and ``stem`` come from the catalogue's manifest: a name starting with the
    city and the district's stem (上海市嘉定区民政局) is the same as without the city.
    """

    units: dict[str, Unit]
    groups: dict[str, str]  # group name → kind of its members
    city: str = ""
    stem: str = ""
    _alias: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units.values():
            for name in (unit.name, unit.full_name, *unit.aliases):
                self._alias[self.norm(name)] = unit.name
        # longest names first, so 嘉定区人民政府新闻办公室 wins over 嘉定区人民政府办公室's prefix
        self._by_length = sorted(self._alias, key=len, reverse=True)

    def resolve(self, name: str) -> str | None:
        """The canonical name for a unit name or alias, or None."""
        return self._alias.get(self.norm(name))

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Canonical units whose names or aliases are nearest to a mistyped ``name``."""
        import difflib

        hits = difflib.get_close_matches(self.norm(name), list(self._alias), n=8, cutoff=0.5)
        return list(dict.fromkeys(self._alias[h] for h in hits))[:n]

    def require(self, name: str, where: str = "--unit") -> str:
        """The canonical unit for ``name``; an unknown one is a one-line error naming the closest."""
        unit = self.resolve(name)
        if unit:
            return unit
        from .errors import AuditorError

        hints = self.closest(name)
        raise AuditorError(f"unknown unit '{name}'" + (f": did you mean {'、'.join(hints)}?" if hints else
                                                      " ('auditor rules list' shows every unit)"), where)

    def is_group(self, name: str) -> bool:
        """Whether ``name`` is a group (区政府各部门, 各街镇)."""
        return name in self.groups

    def members(self, group: str) -> list[str]:
        """The canonical units of a group, in registry order."""
        kind = self.groups[group]
        return [u.name for u in self.units.values() if u.kind == kind]

    def expand(self, names: list[str] | tuple[str, ...]) -> list[str]:
        """Canonical units for plan-style names, groups expanded, order kept, no repeats."""
        out: list[str] = []
        for name in names:
            resolved = self.members(name) if self.is_group(name) else [self.resolve(name)]
            for unit in resolved:
                if unit and unit not in out:
                    out.append(unit)
        return out

    def find_in_text(self, text: str) -> str | None:
        """The unit a free-text field (a publisher or 来源 line) names, or None.

        An exact name wins; otherwise the longest alias the text contains, so
        "上海市嘉定区民政局办公室" still resolves to 区民政局 while "嘉定报" resolves to none.
        """
        norm = self.norm(text)
        if not norm:
            return None
        if norm in self._alias:
            return self._alias[norm]
        for alias in self._by_length:
            # Very short aliases (民政局) only count as whole names, never as substrings,
            # or "上海市民政局" (a city bureau) would be taken for the district's. An alias
            # without the district's name (区市场监督管理局) counts inside a longer text only
            # where nothing but the city names the place: "浦东新区市场监督管理局" is not ours.
            if len(alias) >= 5 and alias in norm and (
                    not self.stem or self.stem in alias or self.stem in norm
                    or norm.startswith(alias) or (self.city and norm.startswith(self.city + alias))):
                return self._alias[alias]
        return None

    def norm(self, name: str) -> str:
        """``name`` without white space, and without the city in front of the district's stem.

        "上海市嘉定区民政局" and "嘉定区民政局" are one unit, but "上海市民政局" is the
        city's bureau: the city is dropped only in front of a district-level name.
        """
        name = "".join(name.split())
        if self.city and self.stem and name.startswith(self.city + self.stem):
            return name[len(self.city):]
        return name


def load_registry(path: str | Path, *, city: str = "", stem: str = "") -> Registry:
    """Load ``units.yaml``; malformed content raises a one-line `ConfigError`."""
    data = load_yaml(path)
    if not isinstance(data, LineDict) or not isinstance(data.get("units"), LineDict):
        raise ConfigError("expected a mapping with a 'units' mapping", f"{path}:1")
    units: dict[str, Unit] = {}
    for name, spec in data["units"].items():
        where = f"{path}:{data['units'].line_of(name)}"
        if not isinstance(spec, LineDict):
            raise ConfigError(f"unit '{name}' must be a mapping", where)
        unknown = set(spec) - {"kind", "full_name", "aliases", "code"}
        if unknown:
            raise ConfigError(f"unit '{name}': unknown key '{sorted(unknown)[0]}'", where)
        kind = spec.get("kind")
        if kind not in KINDS:
            raise ConfigError(f"unit '{name}': kind must be one of {', '.join(KINDS)}", where)
        aliases = spec.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(f"unit '{name}': aliases must be a list of names", where)
        code = str(spec.get("code") or "")
        if code and not re.fullmatch(r"[a-z][a-z0-9-]{0,30}", code):
            raise ConfigError(f"unit '{name}': code must be lower-case ASCII letters, digits and '-'", where)
        if code and code in {u.code for u in units.values()}:
            raise ConfigError(f"unit '{name}': code '{code}' is another unit's", where)
        units[name] = Unit(name, kind, str(spec.get("full_name") or name), tuple(aliases), code)
    groups = dict(data.get("groups") or {})
    for group, kind in groups.items():
        if kind not in KINDS:
            raise ConfigError(f"group '{group}': kind must be one of {', '.join(KINDS)}", f"{path}:{data['groups'].line_of(group)}")
    registry = Registry(units, groups, city, stem)
    seen: dict[str, str] = {}
    for unit in units.values():
        for alias in (unit.name, unit.full_name, *unit.aliases):
            owner = seen.setdefault(registry.norm(alias), unit.name)
            if owner != unit.name:
                raise ConfigError(f"alias '{alias}' names both {owner} and {unit.name}", f"{path}:{data['units'].line_of(unit.name)}")
    return registry


@lru_cache(maxsize=8)
def default_registry(rules_dir: str = "") -> Registry:
    """The registry of a rules folder (the bundled one by default), as its manifest names it."""
    from .rules.manifest import load_manifest
    from .settings import default_rules_dir

    folder = Path(rules_dir or default_rules_dir())
    manifest = load_manifest(folder)
    return load_registry(folder / manifest.units, city=manifest.district.city, stem=manifest.district.stem)
