"""The index page's overview figures: the section chart and the status spread."""

from __future__ import annotations

from collections import Counter

from ..labels import STATUS_LABELS
from .links import CHART_BAR_W, CHART_LABEL_W, CHART_ROW_H, fmt_pct, fmt_score


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
