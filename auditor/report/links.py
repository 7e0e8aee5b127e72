"""Names and links of the report: page file names, anchors, safe hrefs, number formats.

Unit pages are named by the registry's code (``units/mzj.html``), so a unit can guess
and share its link; item pages by number (``items/item-050.html``).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from urllib.parse import urlsplit

from ..clock import local

KIND_ORDER = ("department", "town", "other")
SITE_CHECK_ORDER = ("unreachable", "stale_homepage", "stale_column", "empty_column", "broken_link", "undated_page")
URL_RE = re.compile(r"https?://[^\s<>\"'，。；、）)]+")

# Geometry of the section chart (SVG user units).
CHART_LABEL_W = 250
CHART_BAR_W = 330
CHART_ROW_H = 26


def safe_url(url: object) -> str:
    """``url`` if it is an absolute http(s) link, else "" (shown as text, never linked)."""
    if not isinstance(url, str):
        return ""
    url = url.strip()
    if any(ord(c) < 0x20 or c in " \x7f" for c in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def split_urls(text: str) -> list[tuple[str, str]]:
    """Split free text into ``(text, href)`` runs; href is "" for plain text."""
    runs: list[tuple[str, str]] = []
    pos = 0
    for m in URL_RE.finditer(text):
        if m.start() > pos:
            runs.append((text[pos:m.start()], ""))
        runs.append((m.group(), safe_url(m.group())))
        pos = m.end()
    if pos < len(text):
        runs.append((text[pos:], ""))
    return runs


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def unit_anchor(unit: str, code: str = "") -> str:
    """The unit's anchor: its registry code, else a digest of its name (ASCII, stable across runs)."""
    return code if code else f"u-{_digest(unit)}"


def unit_file(unit: str, code: str = "") -> str:
    """The unit's page, ``units/<code>.html``."""
    return f"units/{unit_anchor(unit, code)}.html"


def item_anchor(item: int) -> str:
    return f"item-{item:03d}"


def item_file(item: int) -> str:
    return f"items/{item_anchor(item)}.html"


def rule_anchor(rule_id: str) -> str:
    return "rule-" + (re.sub(r"[^A-Za-z0-9_-]", "_", rule_id) or _digest(rule_id))


def fmt_score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def fmt_pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def district_offset(doc: dict) -> str:
    """The district's UTC offset, as the findings' catalogue gives it (China: +08:00)."""
    return (doc.get("catalogue") or {}).get("utc_offset") or "+08:00"


def fmt_datetime(value: str | None, utc_offset: str = "+08:00") -> str:
    """A stored time (any offset) as ``2018-12-10 02:00`` in the district's local time."""
    return local(value, utc_offset)


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


