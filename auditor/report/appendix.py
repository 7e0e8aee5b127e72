"""附录: the rule list with weights, every unit's crawl coverage, and the review record."""

from __future__ import annotations

from ..labels import KIND_LABELS, status_label
from .links import KIND_ORDER, district_offset, fmt_datetime, safe_url

MODE_LABELS = {"web": "网站检查", "manual": "人工核查"}
CADENCE_LABELS = {"once": "一次", "monthly": "每月", "quarterly": "每季度", "yearly": "每年", "continuous": "持续更新"}


def rule_list(doc: dict) -> list[dict]:
    """附录一: every rule, in plan order, with its weight and how it is judged."""
    rows = sorted(doc.get("rules") or [], key=lambda r: (r.get("item") is None, r.get("item") or 0, r["id"]))
    return [{"code": r["id"], "item": r.get("item"), "title": r.get("title") or "", "seeks": r.get("seeks") or "",
             "weight": r.get("weight"), "mode": MODE_LABELS.get(r.get("mode"), r.get("mode") or ""),
             "cadence": CADENCE_LABELS.get(r.get("cadence") or "", ""), "units": "、".join(r.get("units") or [])}
            for r in rows]


def coverage_view(unit: dict) -> dict:
    """What the crawl read of one unit, as its page and the appendix show it."""
    crawl = unit.get("crawl") or {}
    failed = [dict(f, href=safe_url(f.get("url"))) for f in crawl.get("failed") or []]
    unreachable = [dict(f, href=safe_url(f.get("url"))) for f in crawl.get("unreachable") or []]
    return {"pages": crawl.get("pages", 0), "errors": crawl.get("errors", 0), "skipped": crawl.get("skipped", 0),
            "failed": failed,
            "unreachable": unreachable, "known": bool(crawl)}


def coverage_table(doc: dict, scope) -> list[dict]:
    """附录二: per unit, pages read, failed fetches, configured URLs that did not answer."""
    out = []
    for kind in KIND_ORDER:
        for u in (u for u in doc["units"] if u.get("kind", "other") == kind):
            view = coverage_view(u)
            out.append({"unit": u["unit"], "href": scope.unit_href(u["unit"]),
                        "kind": KIND_LABELS.get(kind, kind), **view})
    return out


def review_record(doc: dict) -> list[dict]:
    """附录三: every decision with who, when, why and on what, withdrawn ones marked."""
    offset = district_offset(doc)
    rules = {r["id"]: r for r in doc.get("rules") or []}
    out = []
    for d in doc.get("reviews") or []:
        basis = d.get("basis") or ""
        out.append({"target": (rules.get(d.get("rule") or "", {}).get("title") or "") if d.get("rule") else
                    f"第{d.get('item')}项全部要求", "item": d.get("item") if d.get("item") is not None
                    else rules.get(d.get("rule") or "", {}).get("item"), "unit": d["unit"],
                    "status": d["status"], "label": status_label(d["status"]), "reviewer": d.get("reviewer") or "",
                    "date": d.get("decided_on") or "", "reason": d.get("reason") or "", "basis": basis,
                    "basis_href": safe_url(basis), "appeal": d.get("appeal") or "",
                    "appeal_evidence": d.get("appeal_evidence") or "", "ruling": d.get("ruling") or "",
                    "recorded": fmt_datetime(d.get("recorded_at"), offset),
                    "revoked": bool(d.get("revoked_at")), "revoked_at": fmt_datetime(d.get("revoked_at"), offset),
                    "revoked_by": d.get("revoked_by") or "", "revoked_reason": d.get("revoked_reason") or ""})
    return out
