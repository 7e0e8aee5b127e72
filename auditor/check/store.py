"""Writing one check run into the check tables (declared in auditor/store/schema.py).

A run is registered as `running`, then everything it found is written in one
transaction that also marks it `complete`: a check killed half-way leaves its run
`running` (or `failed`), never a half-written run marked complete.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Iterable, Iterator

from sqlite_utils import Database

from ..clock import now
from ..rules.law import Basis
from ..rules.loader import Catalogue
from ..store.schema import table
from .health import SiteCheck
from .scoring import Score
from .status import Finding


@contextmanager
def transaction(db: Database) -> Iterator[None]:
    """One SQLite transaction: committed whole or rolled back whole."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def scoring_record(catalogue: Catalogue) -> dict:
    """The 指标体系 a check scored with: partial credit, grades, deductions, the ranking threshold."""
    s = catalogue.scoring
    return {"credit": s.credit, "grades": [{"grade": g, "min": m} for g, m in s.grades], "deductions": s.deductions,
            "max_deduction": s.max_deduction, "min_assessed": s.min_assessed}


def begin_run(db: Database, crawl_run: int, portal: str, as_of: str, catalogue: Catalogue, overrides: str) -> int:
    district = catalogue.manifest.district
    with transaction(db):
        cur = db.conn.execute(
            "INSERT INTO check_runs (crawl_run, portal, as_of, rules_version, rules_dir, catalogue, overrides, "
            "scoring, district, started_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')",
            [crawl_run, portal, as_of, catalogue.version, catalogue.path, catalogue.manifest.id, overrides,
             _json(scoring_record(catalogue)),
             _json({"name": district.name, "government": district.government, "utc_offset": district.utc_offset,
                    "plan": catalogue.manifest.plan.title, "year": catalogue.manifest.plan.year}), now()])
    return cur.lastrowid


def fail_run(db: Database, check_run: int) -> None:
    if db.conn.in_transaction:
        db.conn.rollback()
    with transaction(db):
        db.conn.execute("UPDATE check_runs SET status = 'failed', finished_at = ? WHERE id = ?", [now(), check_run])


def _insert(db: Database, name: str, rows: Iterable[dict]) -> None:
    columns = [c for c in table(name).columns if c != "id"]
    sql = f"INSERT INTO {name} ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' * len(columns))})"
    db.conn.executemany(sql, ([row.get(c) for c in columns] for row in rows))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def basis_record(basis: Basis | None, catalogue: Catalogue) -> dict | None:
    """A legal basis as findings and reports cite it."""
    if basis is None:
        return None
    doc = catalogue.law.documents.get(basis.document)
    return {"document": basis.document, "cite": doc.cite if doc else basis.document, "article": basis.article,
            "text": basis.text, "confirm": basis.confirm}


def finding_row(check_run: int, f: Finding, catalogue: Catalogue) -> dict:
    return {
        "check_run": check_run, "rule": f.rule.id, "item": f.rule.item, "unit": f.unit, "status": f.status,
        "computed_status": f.computed_status,
        "evidence": _json([{"url": h.url, "title": h.title, "date": h.date.isoformat() if h.date else None}
                           for h in f.evidence]),
        "rejected": _json(f.rejected), "reasons": _json(f.reasons), "missing_elements": _json(f.missing_elements),
        "periods": _json(f.periods) if f.periods else None,
        "newest_date": f.newest_date.isoformat() if f.newest_date else None, "days_overdue": f.days_overdue,
        "override": _json(f.override) if f.override else None,
        "basis": _json(basis_record(f.basis, catalogue)) if f.basis else None,
    }


def write_run(db: Database, check_run: int, catalogue: Catalogue, findings: list[Finding], items: list[dict],
              scores: list[Score], checks: list[SiteCheck], unreachable: set[str], basis: list[dict],
              coverage: dict[str, dict] | None = None) -> None:
    """Everything one check found, and the run marked complete, in one transaction."""
    units = sorted({f.unit for f in findings})
    registry = catalogue.registry
    with transaction(db):
        _insert(db, "findings", (finding_row(check_run, f, catalogue) for f in findings))
        _insert(db, "item_status", (dict(i, check_run=check_run) for i in items))
        _insert(db, "scores", (dict(vars(s), check_run=check_run) for s in scores))
        _insert(db, "site_checks", (dict(vars(c), check_run=check_run) for c in checks))
        _insert(db, "check_rules", (dict(r.to_dict(), check_run=check_run, rule=r.id, units=_json(list(r.units)),
                                         responsible=_json(catalogue.units_of(r)), cadence=r.timing.cadence,
                                         basis=_json([basis_record(b, catalogue) for b in r.basis]) if r.basis else None)
                                    for r in catalogue.rules))
        _insert(db, "check_plan", ({"check_run": check_run, "item": p.number, "section": p.section,
                                    "section_title": p.section_title, "subsection": p.subsection, "text": p.text,
                                    "units": _json(list(p.units))} for p in catalogue.plan.values()))
        _insert(db, "check_units", ({"check_run": check_run, "unit": u,
                                     "kind": registry.units[u].kind if u in registry.units else "other",
                                     "full_name": registry.units[u].full_name if u in registry.units else u,
                                     "code": registry.units[u].code if u in registry.units else "",
                                     "unreachable": int(u in unreachable),
                                     "crawl": _json((coverage or {}).get(u, {"pages": 0, "errors": 0, "skipped": 0,
                                                                                "failed": [], "unreachable": []}))} for u in units))
        db.conn.execute("UPDATE check_runs SET status = 'complete', finished_at = ?, basis = ? WHERE id = ?",
                        [now(), _json(basis), check_run])
