"""Every table and view of the audit database, in one place (docs/schema.md).

Tables carry primary keys and foreign keys, so ``datasette audit.db`` shows how rows
link; the schema's version is SQLite's ``user_version``, and `auditor.store.migrate`
upgrades an older file to it. Page content is stored once per content hash: a run's
`fetches` row points at a page *version* (a URL with one body), whose content,
links, attachments and list entries every later run that sees the same body shares.
The views `pages`, `links`, `attachments` and `list_entries` give each run its
pages as if they had been stored again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

VERSION = 3  # 0: release 0.1 (tables without keys); 1 was never released; 3 adds check_units.crawl


@dataclass(frozen=True)
class Table:
    """One table: its columns (name → SQL type), primary key, foreign keys and indexes."""

    name: str
    columns: dict[str, str]
    pk: tuple[str, ...]
    fks: tuple[tuple[str, str, str], ...] = ()  # (column, other table, other column)
    indexes: tuple[tuple[str, ...], ...] = ()
    autoincrement: bool = False
    notes: str = field(default="", compare=False)

    def ddl(self) -> list[str]:
        cols = []
        for name, kind in self.columns.items():
            if self.autoincrement and (name,) == self.pk:
                cols.append(f"[{name}] INTEGER PRIMARY KEY")
            else:
                cols.append(f"[{name}] {kind}")
        if not self.autoincrement:
            cols.append(f"PRIMARY KEY ({', '.join(self.pk)})")
        cols += [f"FOREIGN KEY ([{c}]) REFERENCES [{t}]([{o}])" for c, t, o in self.fks]
        out = [f"CREATE TABLE IF NOT EXISTS [{self.name}] (\n  " + ",\n  ".join(cols) + "\n)"]
        out += [f"CREATE INDEX IF NOT EXISTS [idx_{self.name}_{'_'.join(ix)}] ON [{self.name}] ({', '.join(ix)})"
                for ix in self.indexes]
        return out


T, I, R = "TEXT", "INTEGER", "REAL"

CRAWL_TABLES = (
    Table("runs", {
        "id": I, "portal": T, "config": T, "started_at": T, "finished_at": T, "status": T, "pages": I,
        "carried_over": I, "errors": I, "bytes": I, "skipped": I, "unit_filter": T, "settings": T,
        "window_from": T, "window_to": T, "pid": I, "hostname": T,
    }, ("id",), indexes=(("portal", "status"),), autoincrement=True,
        notes="one row per crawl"),
    Table("contents", {
        "sha1": T, "encoding": T, "title": T, "date": T, "date_source": T, "publisher": T, "index_no": T,
        "doc_no": T, "topic": T, "column_name": T, "text": T, "meta": T, "is_list": I, "empty_list": I,
        "entries": I,
    }, ("sha1",), notes="what a page body says, once per body"),
    Table("versions", {"id": T, "url": T, "sha1": T, "next_page": T}, ("id",),
          fks=(("sha1", "contents", "sha1"),), indexes=(("url",),),
          notes="a URL with one body: its links, attachments and list entries hang here"),
    Table("version_links", {"version": T, "to_url": T, "text": T, "internal": I}, ("version", "to_url"),
          fks=(("version", "versions", "id"),), indexes=(("to_url",),)),
    Table("version_attachments", {"version": T, "url": T, "text": T, "ext": T}, ("version", "url"),
          fks=(("version", "versions", "id"),), indexes=(("url",),)),
    Table("version_entries", {"version": T, "url": T, "title": T, "date": T}, ("version", "url"),
          fks=(("version", "versions", "id"),), indexes=(("url",),)),
    Table("fetches", {
        "run": I, "url": T, "kind": T, "status": I, "error": T, "final_url": T, "host": T, "bytes": I, "size": I,
        "content_type": T, "sha1": T, "etag": T, "last_modified": T, "elapsed_ms": I, "carried_over": I,
        "fetched_at": T, "version": T, "depth": I, "referer": T, "list_date": T,
    }, ("run", "url"), fks=(("run", "runs", "id"), ("version", "versions", "id")),
        notes="every URL a run tried; `version` when it stored a page"),
    Table("unit_reach", {"run": I, "unit": T, "url": T, "ok": I, "status": I, "error": T}, ("run", "unit", "url"),
          fks=(("run", "runs", "id"),)),
    Table("skipped", {"run": I, "url": T, "reason": T, "list_url": T, "date": T}, ("run", "url"),
          fks=(("run", "runs", "id"),), notes="links the crawl chose not to fetch, and why"),
)

CHECK_TABLES = (
    Table("check_runs", {
        "id": I, "crawl_run": I, "portal": T, "as_of": T, "rules_version": T, "rules_dir": T, "catalogue": T,
        "overrides": T, "basis": T, "scoring": T, "district": T, "started_at": T, "finished_at": T, "status": T,
    }, ("id",), fks=(("crawl_run", "runs", "id"),), autoincrement=True),
    Table("findings", {
        "check_run": I, "rule": T, "item": I, "unit": T, "status": T, "computed_status": T, "evidence": T,
        "rejected": T, "reasons": T, "missing_elements": T, "periods": T, "newest_date": T, "days_overdue": I,
        "override": T, "basis": T,
    }, ("check_run", "rule", "unit"), fks=(("check_run", "check_runs", "id"),), indexes=(("check_run", "unit"),)),
    Table("item_status", {
        "check_run": I, "item": I, "unit": T, "status": T, "computed_status": T, "reviewed": I, "review_pending": I,
    }, ("check_run", "item", "unit"), fks=(("check_run", "check_runs", "id"),)),
    Table("scores", {
        "check_run": I, "scope": T, "key": T, "score": R, "grade": T, "coverage": R, "weight_total": R,
        "weight_scored": R, "health_deduction": R, "gaps": I, "assessed": I,
    }, ("check_run", "scope", "key"), fks=(("check_run", "check_runs", "id"),)),
    Table("site_checks", {
        "id": I, "check_run": I, "check": T, "unit": T, "url": T, "detail": T, "deduction": R,
    }, ("id",), fks=(("check_run", "check_runs", "id"),), indexes=(("check_run", "unit"),), autoincrement=True),
    Table("check_rules", {
        "check_run": I, "rule": T, "item": I, "section": T, "subsection": T, "title": T, "text": T, "seeks": T,
        "satisfy": T, "mode": T, "weight": R, "manual_reason": T, "units": T, "responsible": T, "basis": T,
        "cadence": T,
    }, ("check_run", "rule"), fks=(("check_run", "check_runs", "id"),)),
    Table("check_plan", {
        "check_run": I, "item": I, "section": T, "section_title": T, "subsection": T, "text": T, "units": T,
    }, ("check_run", "item"), fks=(("check_run", "check_runs", "id"),)),
    Table("check_units", {
        "check_run": I, "unit": T, "kind": T, "full_name": T, "code": T, "unreachable": I, "crawl": T,
    }, ("check_run", "unit"), fks=(("check_run", "check_runs", "id"),)),
)

REVIEW_TABLES = (
    Table("decisions", {
        "id": I, "catalogue": T, "rule": T, "item": I, "unit": T, "status": T, "reason": T, "basis": T,
        "reviewer": T, "decided_on": T, "recorded_at": T, "source": T, "crawl_run": I, "appeal": T,
        "appeal_evidence": T, "ruling": T, "revoked_at": T, "revoked_by": T, "revoked_reason": T,
    }, ("id",), fks=(("crawl_run", "runs", "id"),), indexes=(("catalogue", "unit"),), autoincrement=True,
        notes="reviewers' decisions and units' appeals, with their trail; never deleted, only revoked"),
)

TABLES = CRAWL_TABLES + CHECK_TABLES + REVIEW_TABLES

# A run's pages, links, attachments and list entries, as if each run had stored them.
VIEWS = {
    "pages": """
        SELECT f.run, f.url, f.final_url, f.host, f.status, f.content_type, c.encoding, c.title,
               coalesce(c.date, f.list_date) AS date,
               CASE WHEN c.date IS NULL AND f.list_date IS NOT NULL THEN 'list' ELSE c.date_source END AS date_source,
               c.publisher, c.index_no, c.doc_no, c.topic, c.column_name, c.text, c.meta, c.is_list, c.empty_list,
               c.entries, v.next_page, f.depth, f.referer, f.etag, f.last_modified, f.sha1, f.bytes,
               f.carried_over, f.fetched_at, f.version
        FROM fetches f JOIN versions v ON v.id = f.version JOIN contents c ON c.sha1 = v.sha1""",
    "links": """
        SELECT f.run, f.url AS from_url, l.to_url, l.text, l.internal
        FROM fetches f JOIN version_links l ON l.version = f.version""",
    "attachments": """
        SELECT f.run, f.url AS page_url, a.url, a.text, a.ext, af.status, af.size, af.content_type, af.sha1
        FROM fetches f JOIN version_attachments a ON a.version = f.version
        LEFT JOIN fetches af ON af.run = f.run AND af.url = a.url""",
    "list_entries": """
        SELECT f.run, f.url AS list_url, e.url, e.title, e.date
        FROM fetches f JOIN version_entries e ON e.version = f.version""",
}


def create(db) -> None:
    """Create every table, index and view that is missing (an empty file becomes current)."""
    for table in TABLES:
        for statement in table.ddl():
            db.execute(statement)
    for name, sql in VIEWS.items():
        db.execute(f"CREATE VIEW IF NOT EXISTS [{name}] AS {sql}")
    db.execute(f"PRAGMA user_version = {VERSION}")


def table(name: str) -> Table:
    return next(t for t in TABLES if t.name == name)
