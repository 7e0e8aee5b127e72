"""The findings document (docs/findings.md): one check run as the report renders it.

`build_document` reads only the database: the crawl tables for the run and the
check tables, including the snapshot of the rules and plan the run was judged
against, so an old run reads the same after the rule files change.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from .errors import AuditorError

SCHEMA = 1


def _rows(db: Database, sql: str, params: list) -> list[dict]:
    cur = db.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _latest_complete(db: Database) -> int:
    row = db.execute("SELECT id FROM check_runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1").fetchone() \
        if "check_runs" in db.table_names() else None
    if not row:
        raise AuditorError("no complete check run in the database: run 'auditor check' first", "--db")
    return row[0]


def build_document(db: Database, check_run: int | None = None) -> dict:
    """The findings document of ``check_run`` (default: the latest complete one)."""
    check_run = _latest_complete(db) if check_run is None else check_run
    runs = _rows(db, "SELECT * FROM check_runs WHERE id = ?", [check_run])
    if not runs or runs[0]["status"] != "complete":
        raise AuditorError(f"check run {check_run} is not a complete check run", "--db")
    cr = runs[0]
    crawl = (_rows(db, "SELECT id, portal, started_at, pages FROM runs WHERE id = ?", [cr["crawl_run"]]) or [{}])[0]
    scores = _rows(db, "SELECT * FROM scores WHERE check_run = ? ORDER BY rowid", [check_run])
    plan = {p["item"]: p for p in _rows(db, "SELECT * FROM check_plan WHERE check_run = ? ORDER BY item", [check_run])}
    district = next((s for s in scores if s["scope"] == "district"), None)
    return {
        "schema": SCHEMA,
        "run": {"id": cr["crawl_run"], "portal": cr["portal"] or crawl.get("portal"), "as_of": cr["as_of"],
                "crawled_at": crawl.get("started_at"), "pages": crawl.get("pages"), "check_run": check_run,
                "rules_version": cr["rules_version"], "checked_at": cr["finished_at"]},
        "district": _score_entry(district) if district else None,
        "sections": [dict(section=s["key"], title=(_section_title(plan, s["key"])), **_score_entry(s, ("score", "grade", "coverage", "gaps")))
                     for s in scores if s["scope"] == "section"],
        "units": _units(db, check_run, scores),
        "items": [{"item": r["item"], "unit": r["unit"], "status": r["status"], "computed_status": r["computed_status"],
                   "reviewed": bool(r["reviewed"])}
                  for r in _rows(db, "SELECT * FROM item_status WHERE check_run = ? ORDER BY item, rowid", [check_run])],
        "findings": [_finding(r) for r in _rows(db, "SELECT * FROM findings WHERE check_run = ? ORDER BY rowid", [check_run])],
        "rules": [{"id": r["rule"], "item": r["item"], "section": r["section"], "title": r["title"], "text": r["text"],
                   "seeks": r["seeks"], "satisfy": r["satisfy"], "mode": r["mode"], "weight": r["weight"],
                   "manual_reason": r["manual_reason"], "units": json.loads(r["responsible"] or "[]")}
                  for r in _rows(db, "SELECT * FROM check_rules WHERE check_run = ? ORDER BY rowid", [check_run])],
        "plan": [{"item": p["item"], "section": p["section"], "section_title": p["section_title"],
                  "subsection": p["subsection"], "text": p["text"], "units": json.loads(p["units"] or "[]")}
                 for p in plan.values()],
        "site_checks": [{"check": r["check"], "unit": r["unit"], "url": r["url"], "detail": r["detail"],
                         "deduction": r["deduction"]}
                        for r in _rows(db, "SELECT * FROM site_checks WHERE check_run = ? ORDER BY rowid", [check_run])],
        "previous": _previous(db, cr),
    }


def _section_title(plan: dict, section: str) -> str:
    return next((p["section_title"] for p in plan.values() if p["section"] == section), "")


def _score_entry(s: dict, keys: tuple[str, ...] = ("score", "grade", "coverage", "health_deduction", "gaps")) -> dict:
    return {k: s[k] for k in keys}


def _units(db: Database, check_run: int, scores: list[dict]) -> list[dict]:
    by_unit = {s["key"]: s for s in scores if s["scope"] == "unit"}
    out = []
    for u in _rows(db, "SELECT * FROM check_units WHERE check_run = ? ORDER BY rowid", [check_run]):
        s = by_unit.get(u["unit"], {})
        out.append({"unit": u["unit"], "kind": u["kind"], "score": s.get("score"), "grade": s.get("grade"),
                    "coverage": s.get("coverage"), "gaps": s.get("gaps"), "health_deduction": s.get("health_deduction"),
                    "unreachable": bool(u["unreachable"])})
    return out


def _finding(r: dict) -> dict:
    return {"rule": r["rule"], "item": r["item"], "unit": r["unit"], "status": r["status"],
            "computed_status": r["computed_status"], "evidence": json.loads(r["evidence"] or "[]"),
            "reasons": json.loads(r["reasons"] or "[]"), "missing_elements": json.loads(r["missing_elements"] or "[]"),
            "newest_date": r["newest_date"], "days_overdue": r["days_overdue"],
            "override": json.loads(r["override"]) if r["override"] else None}


def _previous(db: Database, cr: dict) -> dict | None:
    """The latest earlier complete check run of the same portal, with its item statuses."""
    prev = _rows(db, "SELECT id, as_of FROM check_runs WHERE status = 'complete' AND id < ? AND portal IS ? "
                     "ORDER BY id DESC LIMIT 1", [cr["id"], cr["portal"]])
    if not prev:
        return None
    items = _rows(db, "SELECT item, unit, status FROM item_status WHERE check_run = ? ORDER BY item, rowid", [prev[0]["id"]])
    return {"check_run": prev[0]["id"], "as_of": prev[0]["as_of"], "items": items}
