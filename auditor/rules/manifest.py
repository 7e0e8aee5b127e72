"""The catalogue's manifest (``catalogue.yaml``): the plan, the district, the window.

Everything that makes a catalogue one district's plan of one year lives in the
manifest, so auditing another year or another district is another folder, never a
code change. Problems are one-line `ConfigError`s naming FILE:LINE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..yamlfile import LineDict, load_yaml

MANIFEST = "catalogue.yaml"
ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
OFFSET_RE = re.compile(r"^[+-]\d{2}:\d{2}$")


@dataclass(frozen=True)
class Plan:
    file: str
    title: str
    year: int
    issued: date | None
    issuer: str


@dataclass(frozen=True)
class District:
    name: str  # 嘉定区
    government: str  # 上海市嘉定区人民政府
    city: str  # 上海市: dropped in front of the stem (上海市嘉定区民政局 = 嘉定区民政局)
    stem: str  # 嘉定: the part every district body's name carries
    utc_offset: str = "+08:00"


@dataclass(frozen=True)
class Manifest:
    id: str
    plan: Plan
    district: District
    units: str
    law: str
    window: tuple[date, date]
    path: str = ""

    def in_window(self, day: date) -> bool:
        return self.window[0] <= day <= self.window[1]


def _need(spec: LineDict, key: str, where: str, kind: type | tuple = str) -> object:
    if key not in spec:
        raise ConfigError(f"missing key '{key}'", f"{where}:{spec.line}")
    value = spec[key]
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise ConfigError(f"'{key}' must be {'a non-empty string' if kind is str else kind}", f"{where}:{spec.line_of(key)}")
    return value


def _mapping(spec: LineDict, key: str, where: str, keys: set[str]) -> LineDict:
    value = _need(spec, key, where, LineDict)
    for k in value:
        if k not in keys:
            raise ConfigError(f"unknown key '{k}' in '{key}' (expected {', '.join(sorted(keys))})",
                              f"{where}:{value.line_of(k)}")
    return value


def _date(spec: LineDict, key: str, where: str) -> date:
    value = spec.get(key)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"'{key}' must be a date YYYY-MM-DD, not '{value}'", f"{where}:{spec.line_of(key)}") from None


def load_manifest(rules_dir: str | Path) -> Manifest:
    """Read and validate ``rules_dir/catalogue.yaml``."""
    path = Path(rules_dir) / MANIFEST
    if not path.exists():
        raise ConfigError("the catalogue has no manifest (catalogue.yaml)", str(path))
    data = load_yaml(path)
    where = str(path)
    if not isinstance(data, LineDict) or not isinstance(data.get("catalogue"), LineDict):
        raise ConfigError("expected a mapping with a 'catalogue' mapping", f"{where}:1")
    spec = data["catalogue"]
    for key in spec:
        if key not in {"id", "plan", "district", "units", "law", "window"}:
            raise ConfigError(f"unknown key '{key}'", f"{where}:{spec.line_of(key)}")
    cid = _need(spec, "id", where)
    if not ID_RE.match(cid):
        raise ConfigError(f"id '{cid}' must be lower-case letters, digits and '-'", f"{where}:{spec.line_of('id')}")
    p = _mapping(spec, "plan", where, {"file", "title", "year", "issued", "issuer"})
    plan = Plan(_need(p, "file", where), _need(p, "title", where), _need(p, "year", where, int),
                _date(p, "issued", where) if "issued" in p else None, str(p.get("issuer") or ""))
    d = _mapping(spec, "district", where, {"name", "government", "city", "stem", "utc_offset"})
    offset = str(d.get("utc_offset", "+08:00"))
    if not OFFSET_RE.match(offset):
        raise ConfigError(f"utc_offset must look like +08:00, not '{offset}'", f"{where}:{d.line_of('utc_offset')}")
    district = District(_need(d, "name", where), _need(d, "government", where), str(d.get("city") or ""),
                        _need(d, "stem", where), offset)
    w = _mapping(spec, "window", where, {"from", "to"})
    window = (_date(w, "from", where), _date(w, "to", where))
    if window[1] < window[0]:
        raise ConfigError("the window ends before it begins", f"{where}:{w.line_of('to')}")
    for key in ("units", "law"):
        name = _need(spec, key, where)
        if not (Path(rules_dir) / name).exists():
            raise ConfigError(f"{key} file '{name}' not found beside the manifest", f"{where}:{spec.line_of(key)}")
    if not (Path(rules_dir) / plan.file).exists():
        raise ConfigError(f"plan file '{plan.file}' not found beside the manifest", f"{where}:{p.line_of('file')}")
    return Manifest(cid, plan, district, spec["units"], spec["law"], window, where)
