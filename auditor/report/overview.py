"""The index page's overview figures: the section chart, the status spread, the comparison
with the previous check, the site-health summary and the per-section item tables.
Functions taking ``self`` take the `Report` (auditor.report.views)."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..labels import STATUS_LABELS, site_check_label, status_label
from .links import (
    CHART_BAR_W,
    CHART_LABEL_W,
    CHART_ROW_H,
    SITE_CHECK_ORDER,
    fmt_pct,
    fmt_score,
)


def section_chart(sections: list[dict]) -> dict:
    """The section scores as bars of an inline SVG chart."""
    bars = []
    for n, s in enumerate(sections):
        score = s.get("score")
        title = f"{s.get('section', '')}、{s.get('title', '')}"
        bars.append({
            "y": n * CHART_ROW_H,
            "label": title if len(title) <= 16 else title[:15] + "…",
            "title": title,
            "score": fmt_score(score),
            "coverage": fmt_pct(s.get("coverage")),
            "width": round(max(0.0, min(score, 100.0)) / 100 * CHART_BAR_W, 1) if score is not None else 0,
        })
    return {
        "bars": bars,
        "label_w": CHART_LABEL_W,
        "bar_w": CHART_BAR_W,
        "row_h": CHART_ROW_H,
        "height": len(bars) * CHART_ROW_H + 24,
        "width": CHART_LABEL_W + CHART_BAR_W + 60,
        "ticks": [{"x": CHART_LABEL_W + t / 100 * CHART_BAR_W, "value": t} for t in (0, 60, 80, 90, 100)],
    }

def status_spread(items: list[dict]) -> list[dict]:
    """How many (item, unit) pairs have each status, and their share."""
    counts = Counter(i["status"] for i in items)
    total = sum(counts.values()) or 1
    return [{"status": s, "label": label, "count": counts.get(s, 0), "pct": f"{counts.get(s, 0) / total * 100:.1f}%",
             "width": round(counts.get(s, 0) / total * 100, 1)}
            for s, label in STATUS_LABELS.items()]


def comparison(self) -> dict | None:
    """与上次评估相比: pairs newly met, new gaps, persisting gaps, and reviewers' corrections."""
    if self.previous is None:
        return None
    groups: dict[str, list[dict]] = {"新达标": [], "新增": [], "持续": [], "复核更正": []}
    for i in sorted(self.items, key=lambda i: (i["item"], i["unit"])):
        change = self.change(i["item"], i["unit"], i["status"], i.get("computed_status") or i["status"])
        if change:
            groups[change].append({
                "item": i["item"], "unit": i["unit"], "status": i["status"],
                "before": self.prev_status.get((i["item"], i["unit"])),
                "href": self.scope.item_href(i["item"]),
                "unit_href": self.scope.unit_href(i["unit"]),
            })
    return {"as_of": self.previous.get("as_of") or "—", "check_run": self.previous.get("check_run"),
            "newly_met": groups["新达标"], "new_gaps": groups["新增"], "persisting": groups["持续"],
            "corrected": groups["复核更正"]}


def health_summary(self) -> dict:
    by_unit: dict[str, Counter] = defaultdict(Counter)
    for c in self.site_checks:
        by_unit[c.get("unit") or "—"][c["check"]] += 1
    checks = [c for c in SITE_CHECK_ORDER] + sorted({c["check"] for c in self.site_checks} - set(SITE_CHECK_ORDER))
    rows = [{"unit": u, "href": self.scope.unit_href(u), "counts": [by_unit[u][c] for c in checks],
             "deduction": fmt_score(self.unit_rows.get(u, {}).get("health_deduction"))}
            for u in sorted(by_unit)]
    totals = Counter(c["check"] for c in self.site_checks)
    return {"checks": [{"check": c, "label": site_check_label(c), "total": totals[c]} for c in checks],
            "rows": rows, "total": len(self.site_checks)}

def sections_index(self) -> list[dict]:
    by_item: dict[int, Counter] = defaultdict(Counter)
    for i in self.items:
        if i["item"] is not None:
            by_item[i["item"]][i["status"]] += 1
    section_rows = {s.get("section"): s for s in self.doc.get("sections") or []}
    sections: dict[str, dict] = {}
    for number in sorted(by_item):
        p = self.plan.get(number, {})
        key = p.get("section", "")
        s = sections.setdefault(key, {
            "section": key,
            "title": p.get("section_title") or section_rows.get(key, {}).get("title", ""),
            "score": fmt_score(section_rows.get(key, {}).get("score")),
            "coverage": fmt_pct(section_rows.get(key, {}).get("coverage")),
            "items": [],
        })
        text = p.get("text", "")
        s["items"].append({
            "item": number, "href": self.scope.item_href(number),
            "text": text if len(text) <= 60 else text[:58] + "…",
            "counts": [(st, status_label(st), by_item[number][st]) for st in STATUS_LABELS if by_item[number][st]],
        })
    return list(sections.values())
