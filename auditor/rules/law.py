"""The law in force: legal texts and standards with the dates they applied (``law.yaml``).

An evaluation applies the text in force on the date it judges: a 2018 audit cites the
2008 《政府信息公开条例》 (annual report by 31 March, Art. 31) and the 2015 website census
sheet; from 2019-05-15 the revised 条例 applies (Art. 49: departments by 31 January).
A statutory rule carries its legal basis as data (`Basis`), one entry per text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..yamlfile import LineDict, LineList, load_yaml

KINDS = ("law", "site_standard")


@dataclass(frozen=True)
class LegalDocument:
    id: str
    kind: str  # law | site_standard
    title: str
    edition: str
    cite: str  # how a report names it: 《…》（2008年施行）
    valid_from: date
    valid_to: date | None = None

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Basis:
    """One text a statutory duty rests on while its document is in force."""

    document: str  # LegalDocument id
    article: str  # 第三十一条
    text: str  # the article's words
    due: tuple[int, int] | None = None  # yearly deadline (month, day) this text sets
    applies_to: tuple[str, ...] = ()  # unit kinds (department, town); () for all
    confirm: str = ""  # a doubt about this reading, shown in reports


@dataclass
class Law:
    documents: dict[str, LegalDocument]

    def in_force(self, kind: str, day: date) -> LegalDocument | None:
        """The document of ``kind`` in force on ``day`` (the latest to take effect)."""
        live = [d for d in self.documents.values() if d.kind == kind and d.in_force(day)]
        return max(live, key=lambda d: d.valid_from) if live else None

    def applicable(self, bases: tuple[Basis, ...], day: date, unit_kind: str) -> Basis | None:
        """The basis of a duty that applies to a unit of ``unit_kind`` on ``day``."""
        for b in bases:
            doc = self.documents.get(b.document)
            if doc and doc.in_force(day) and (not b.applies_to or unit_kind in b.applies_to):
                return b
        return None


def _date(value: object, where: str, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{what} must be a date YYYY-MM-DD, not '{value}'", where) from None


def load_law(path: str | Path) -> Law:
    """Read and validate ``law.yaml``; problems are one-line `ConfigError`s naming FILE:LINE."""
    data = load_yaml(path)
    entries = data.get("documents") if isinstance(data, LineDict) else None
    if not isinstance(entries, LineList):
        raise ConfigError("expected a mapping with a 'documents' list", f"{path}:1")
    docs: dict[str, LegalDocument] = {}
    for entry, line in zip(entries, entries.item_lines):
        where = f"{path}:{line}"
        if not isinstance(entry, LineDict):
            raise ConfigError("a document is a mapping of id, kind, title, edition, cite, in_force", where)
        for key in ("id", "kind", "title", "cite", "in_force"):
            if key not in entry:
                raise ConfigError(f"missing key '{key}'", where)
        unknown = set(entry) - {"id", "kind", "title", "edition", "cite", "in_force"}
        if unknown:
            raise ConfigError(f"unknown key '{sorted(unknown)[0]}'", f"{path}:{entry.line_of(sorted(unknown)[0])}")
        if entry["kind"] not in KINDS:
            raise ConfigError(f"kind must be one of {', '.join(KINDS)}", f"{path}:{entry.line_of('kind')}")
        span = entry["in_force"]
        at = f"{path}:{entry.line_of('in_force')}"
        if not isinstance(span, dict) or "from" not in span:
            raise ConfigError("in_force must be a mapping with 'from' (and 'to')", at)
        start = _date(span["from"], at, "in_force.from")
        end = _date(span["to"], at, "in_force.to") if span.get("to") is not None else None
        if end and end < start:
            raise ConfigError("in_force ends before it begins", at)
        if entry["id"] in docs:
            raise ConfigError(f"duplicate document id '{entry['id']}'", where)
        docs[entry["id"]] = LegalDocument(str(entry["id"]), entry["kind"], str(entry["title"]),
                                          str(entry.get("edition") or ""), str(entry["cite"]), start, end)
    return Law(docs)
