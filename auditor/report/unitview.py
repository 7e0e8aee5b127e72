"""A unit's page beyond its 问题清单: one consolidated table of 需人工核查事项."""

from __future__ import annotations


def manual_table(entries: list[dict]) -> list[dict]:
    """需人工核查事项: one row per plan item (or statutory duty) with a requirement no website
    shows, naming what the unit should submit, each sentence once; decided ones with the decision."""
    rows = []
    for e in entries:
        manual = [f for f in e["findings"] if f["computed_status"] == "manual"]
        if not manual:
            continue
        materials = list(dict.fromkeys(f["manual_reason"] for f in manual if f["manual_reason"]))
        decided = [f["override"] for f in manual if f["override"]]
        rows.append({"heading": e["heading"], "href": e["href"], "anchor": e["anchor"],
                     "checks": list(dict.fromkeys(f["title"] for f in manual)), "materials": materials,
                     "decided": decided, "pending": len(decided) < len(manual), "status": e["status"]})
    return rows
