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


def _json(value: str | None, default: object = None) -> object:
    return json.loads(value) if value else default


def latest_check_run(db: Database) -> int:
    row = db.execute("SELECT id FROM check_runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1").fetchone()
    if not row:
        raise AuditorError("no complete check run in the database: run 'auditor check' first", "--db")
    return row[0]


def build_document(db: Database, check_run: int | None = None) -> dict:
    """The findings document of ``check_run`` (default: the latest complete one)."""
    check_run = latest_check_run(db) if check_run is None else check_run
    runs = _rows(db, "SELECT * FROM check_runs WHERE id = ?", [check_run])
    if not runs or runs[0]["status"] != "complete":
        raise AuditorError(f"check run {check_run} is not a complete check run", "--check-run")
    cr = runs[0]
    crawl = (_rows(db, "SELECT id, portal, started_at, finished_at, pages, config, window_from, window_to, skipped "
                       "FROM runs WHERE id = ?", [cr["crawl_run"]]) or [{}])[0]
    scores = _rows(db, "SELECT * FROM scores WHERE check_run = ? ORDER BY rowid", [check_run])
    plan = {p["item"]: p for p in _rows(db, "SELECT * FROM check_plan WHERE check_run = ? ORDER BY item", [check_run])}
    district = next((s for s in scores if s["scope"] == "district"), None)
    findings = [_finding(r) for r in _rows(db, "SELECT * FROM findings WHERE check_run = ? ORDER BY rowid", [check_run])]
    config = _json(crawl.get("config"), {}) or {}
    return {
        "schema": SCHEMA,
        "run": {"id": cr["crawl_run"], "portal": cr["portal"] or crawl.get("portal"), "as_of": cr["as_of"],
                "crawled_at": crawl.get("started_at"), "crawl_finished_at": crawl.get("finished_at"),
                "pages": crawl.get("pages"), "skipped": crawl.get("skipped"), "check_run": check_run,
                "rules_version": cr["rules_version"], "catalogue": cr.get("catalogue"), "checked_at": cr["finished_at"],
                "rules_dir": cr.get("rules_dir") or "",
                "start_urls": config.get("start_urls") or [], "window": [crawl.get("window_from"), crawl.get("window_to")]},
        "basis": _json(cr.get("basis"), []),
        "scoring": _json(cr.get("scoring"), {}),
        "catalogue": _json(cr.get("district"), {}),
        "district": _score_entry(district) if district else None,
        "sections": [dict(section=s["key"], title=(_section_title(plan, s["key"])), **_score_entry(s, ("score", "grade", "coverage", "gaps", "assessed")))
                     for s in scores if s["scope"] == "section"],
        "units": _units(db, check_run, scores),
        "items": _items(db, check_run, findings),
        "findings": findings,
        "rules": [{"id": r["rule"], "item": r["item"], "section": r["section"], "title": r["title"], "text": r["text"],
                   "seeks": r["seeks"], "satisfy": r["satisfy"], "mode": r["mode"], "weight": r["weight"],
                   "manual_reason": r["manual_reason"], "units": _json(r["responsible"], []),
                   "cadence": r.get("cadence"), "basis": _json(r.get("basis"), [])}
                  for r in _rows(db, "SELECT * FROM check_rules WHERE check_run = ? ORDER BY rowid", [check_run])],
        "plan": [{"item": p["item"], "section": p["section"], "section_title": p["section_title"],
                  "subsection": p["subsection"], "text": p["text"], "units": _json(p["units"], [])}
                 for p in plan.values()],
        "site_checks": [{"check": r["check"], "unit": r["unit"], "url": r["url"], "detail": r["detail"],
                         "deduction": r["deduction"]}
                        for r in _rows(db, "SELECT * FROM site_checks WHERE check_run = ? ORDER BY rowid", [check_run])],
        "previous": _previous(db, cr),
        "reviews": _reviews(db, cr.get("catalogue")),
        "captures": _captures(db, cr["crawl_run"], findings),
    }


def _section_title(plan: dict, section: str) -> str:
    return next((p["section_title"] for p in plan.values() if p["section"] == section), "")


def _score_entry(s: dict, keys: tuple[str, ...] = ("score", "grade", "coverage", "health_deduction", "gaps",
                                                     "assessed")) -> dict:
    return {k: s.get(k) for k in keys}


def _units(db: Database, check_run: int, scores: list[dict]) -> list[dict]:
    by_unit = {s["key"]: s for s in scores if s["scope"] == "unit"}
    out = []
    for u in _rows(db, "SELECT * FROM check_units WHERE check_run = ? ORDER BY rowid", [check_run]):
        s = by_unit.get(u["unit"], {})
        out.append({"unit": u["unit"], "kind": u["kind"], "code": u.get("code") or "", "score": s.get("score"),
                    "grade": s.get("grade"), "coverage": s.get("coverage"), "gaps": s.get("gaps"),
                    "assessed": s.get("assessed"), "health_deduction": s.get("health_deduction"),
                    "unreachable": bool(u["unreachable"]), "crawl": _json(u.get("crawl"))})
    return out


def _items(db: Database, check_run: int, findings: list[dict]) -> list[dict]:
    # a check written before review_pending was stored: a pair awaits a review while one of
    # its manual findings is undecided
    waiting = {(f["item"], f["unit"]) for f in findings if f["status"] == "manual" and not f["override"]}
    return [{"item": r["item"], "unit": r["unit"], "status": r["status"], "computed_status": r["computed_status"],
             "reviewed": bool(r["reviewed"]),
             "review_pending": bool(r["review_pending"]) if r.get("review_pending") is not None
             else (r["item"], r["unit"]) in waiting}
            for r in _rows(db, "SELECT * FROM item_status WHERE check_run = ? ORDER BY item, rowid", [check_run])]


def _finding(r: dict) -> dict:
    return {"rule": r["rule"], "item": r["item"], "unit": r["unit"], "status": r["status"],
            "computed_status": r["computed_status"], "evidence": _json(r["evidence"], []),
            "reasons": _json(r["reasons"], []), "missing_elements": _json(r["missing_elements"], []),
            "newest_date": r["newest_date"], "days_overdue": r["days_overdue"], "override": _json(r["override"]),
            "rejected": _json(r.get("rejected"), []), "periods": _json(r.get("periods")),
            "basis": _json(r.get("basis"))}


def _previous(db: Database, cr: dict) -> dict | None:
    """The latest earlier complete check run of the same portal, with its item statuses."""
    prev = _rows(db, "SELECT id, as_of, crawl_run FROM check_runs WHERE status = 'complete' AND id < ? AND portal IS ? "
                     "ORDER BY id DESC LIMIT 1", [cr["id"], cr["portal"]])
    if not prev:
        return None
    items = _rows(db, "SELECT item, unit, status, computed_status FROM item_status WHERE check_run = ? "
                      "ORDER BY item, rowid", [prev[0]["id"]])
    return {"check_run": prev[0]["id"], "as_of": prev[0]["as_of"], "crawl_run": prev[0]["crawl_run"], "items": items}


def _reviews(db: Database, catalogue: str | None) -> list[dict]:
    """Every decision ever recorded for the catalogue, withdrawn ones too: the review record."""
    if not catalogue:
        return []
    from .review.decisions import history

    return [{k: v for k, v in vars(d).items() if k != "catalogue"} for d in history(db, catalogue)]


def _captures(db: Database, crawl_run: int, findings: list[dict]) -> dict[str, dict]:
    """What the crawl read of every page a finding cites or turns down (取证): its title, date,
    publisher, text and attachments, with the fetch's time, status and content hash."""
    urls = sorted({e["url"] for f in findings for e in (f["evidence"] or []) + (f["rejected"] or []) if e.get("url")})
    out: dict[str, dict] = {}
    for chunk in (urls[i:i + 500] for i in range(0, len(urls), 500)):
        marks = ", ".join("?" * len(chunk))
        for r in _rows(db, f"SELECT url, final_url, status, title, date, publisher, doc_no, column_name, text, fetched_at, "
                           f"sha1, content_type FROM pages WHERE run = ? AND url IN ({marks})", [crawl_run, *chunk]):
            out[r["url"]] = dict(r, attachments=[])
        for page_url, url, text in db.execute(f"SELECT page_url, url, text FROM attachments WHERE run = ? AND page_url "
                                              f"IN ({marks}) ORDER BY rowid", [crawl_run, *chunk]):
            if page_url in out:
                out[page_url]["attachments"].append({"url": url, "text": text or ""})
    return out
