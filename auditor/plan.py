"""Parse the openness work plan (工作要点) into numbered items.

The plan is free text: sections ``一、…``, sub-sections ``(一)…`` and items
``12.…(责任单位:区经委、区旅游局)`` run together on long lines. The rule linter
compares every rule's ``text`` with the item parsed here, so the catalogue can
never drift from the plan's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SECTION_RE = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
SUBSECTION_RE = re.compile(r"^(（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")
# An item starts at "N." where N follows a sentence end, a sub-section
# heading or a closing 责任单位 bracket; the lookbehind keeps figures such as
# "2.5" inside the text from starting a new item.
ITEM_START_RE = re.compile(r"(?:(?<=^)|(?<=[。)）]))(\d{1,3})\.")
UNITS_RE = re.compile(r"[(（]责任单位[:：]([^()（）]+)[)）]\s*$")


@dataclass(frozen=True)
class PlanItem:
    """One numbered item of the plan."""

    number: int
    section: str  # 一 … 七
    section_title: str
    subsection: str  # (一) …
    subsection_title: str
    text: str  # the item's wording, without its number and 责任单位
    units: tuple[str, ...] = field(default_factory=tuple)  # as the plan names them
    line: int = 0  # line of the plan text the item is on


def _split_units(raw: str) -> tuple[str, ...]:
    return tuple(u.strip() for u in re.split(r"[、,，]", raw) if u.strip())


def parse_plan(text: str) -> list[PlanItem]:
    """Return the plan's items in order."""
    items: list[PlanItem] = []
    section = section_title = ""
    for line_no, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        m = SECTION_RE.match(line)
        if m:
            section, section_title = m.group(1), m.group(2).strip()
            continue
        m = SUBSECTION_RE.match(line)
        if not m:
            continue
        subsection = m.group(1).replace("（", "(").replace("）", ")")
        body = line[m.end():]
        starts = list(ITEM_START_RE.finditer(body))
        subsection_title = body[: starts[0].start()].strip() if starts else body
        subsection_title = subsection_title.rstrip("。")
        for i, start in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
            chunk = body[start.end():end].strip()
            um = UNITS_RE.search(chunk)
            units = _split_units(um.group(1)) if um else ()
            item_text = chunk[: um.start()].strip() if um else chunk
            items.append(
                PlanItem(
                    number=int(start.group(1)),
                    section=section,
                    section_title=section_title,
                    subsection=subsection,
                    subsection_title=subsection_title,
                    text=item_text,
                    units=units,
                    line=line_no,
                )
            )
    return items


def plan_path(rules_dir: str | Path | None = None) -> Path:
    """The plan text a catalogue's manifest names (the bundled catalogue's by default)."""
    from .rules.manifest import load_manifest
    from .settings import bundled_rules_dir

    folder = Path(rules_dir) if rules_dir else bundled_rules_dir()
    return folder / load_manifest(folder).plan.file


@lru_cache(maxsize=4)
def load_plan(path: str | None = None) -> dict[int, PlanItem]:
    """Load and index the plan by item number."""
    p = Path(path) if path else plan_path()
    return {item.number: item for item in parse_plan(p.read_text(encoding="utf-8"))}
