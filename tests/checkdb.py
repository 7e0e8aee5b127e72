"""Test helpers for the check: a stored crawl written row by row (docs/schema.md's crawl
tables) and a small rule catalogue in a temporary folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from sqlite_utils import Database

from auditor.plan import parse_plan
from auditor.store import ensure_crawl_tables

REPO = Path(__file__).resolve().parent.parent
PORTAL = {
    "start_urls": ["http://www.test/"],
    "owner": "区府办",
    "units": {"区环保局": ["http://hb.test/", "http://www.test/hbj/"], "区民政局": ["http://www.test/mzj/"],
              "南翔镇": ["http://nx.test/"]},
}
PAGE_DEFAULTS = {"final_url": None, "host": "", "status": 200, "content_type": "text/html", "encoding": "utf-8",
                 "title": "", "publisher": "", "index_no": "", "doc_no": "", "topic": "", "column_name": "", "text": "",
                 "date": None, "date_source": "", "meta": "{}", "is_list": 0, "empty_list": 0, "entries": 0, "depth": 1,
                 "referer": "", "etag": "", "last_modified": "", "sha1": "", "bytes": 100, "carried_over": 0,
                 "fetched_at": "2018-12-01T02:00:00+08:00"}


def make_crawl(db_path: str | Path, pages: list[dict], *, portal: dict = PORTAL, links=(), fetches=(), attachments=(),
               list_entries=(), unit_reach=(), status: str = "complete", name: str = "上海嘉定") -> int:
    """Store one crawl run; returns its number. Pages need at least a url."""
    db = Database(db_path)
    ensure_crawl_tables(db)  # the crawl's own schema
    run = (db.execute("SELECT MAX(id) FROM runs").fetchone()[0] or 0) + 1
    db["runs"].insert({"id": run, "portal": name, "config": json.dumps(portal, ensure_ascii=False),
                       "started_at": "2018-12-01T02:00:00+08:00", "finished_at": "2018-12-01T03:00:00+08:00",
                       "status": status, "pages": len(pages), "errors": 0, "bytes": 0, "unit_filter": None,
                       "settings": "{}"})
    rows = []
    for p in pages:
        row = dict(PAGE_DEFAULTS, run=run, **p)
        row["final_url"] = row["final_url"] or row["url"]
        if isinstance(row["meta"], dict):
            row["meta"] = json.dumps(row["meta"], ensure_ascii=False)
        rows.append(row)
    db["pages"].insert_all(rows)
    for table, items, fields in (
        ("links", links, ("from_url", "to_url", "text", "internal")),
        ("fetches", fetches, ("url", "kind", "status", "error", "final_url", "bytes", "elapsed_ms", "fetched_at")),
        ("attachments", attachments, ("page_url", "url", "text", "ext", "status", "size", "content_type", "sha1")),
        ("list_entries", list_entries, ("list_url", "url", "title", "date")),
        ("unit_reach", unit_reach, ("unit", "url", "ok", "status", "error")),
    ):
        db[table].insert_all([dict({f: None for f in fields}, run=run, **i) for i in items])
    db.conn.commit()
    return run


def page(url: str, title: str, date: str | None = "2018-06-01", **kw) -> dict:
    return dict(url=url, title=title, date=date, **kw)


def rule(rule_id: str, item: int | None, units: list[str], seeks: str, match: dict | list, **kw) -> dict:
    """A web rule as YAML data; plan text, section and sub-section are filled from the plan."""
    spec = {"id": rule_id, "item": item, "title": seeks, "units": units, "weight": kw.pop("weight", 2), "mode": "web",
            "seeks": seeks, "satisfy": f"公开{seeks}", "evidence": {"match": match, **kw.pop("evidence", {})},
            "timing": kw.pop("timing", {"valid_from": "2018-01-01"}),
            "examples": kw.pop("examples", {"match": ["x"], "no_match": ["y"]})}
    spec.update(kw)
    return spec


def manual(rule_id: str, item: int, units: list[str]) -> dict:
    return {"id": rule_id, "item": item, "title": "内部工作", "units": units, "weight": 1, "mode": "manual",
            "manual_reason": "内部工作，网站无法体现"}


def write_rules(folder: Path, rules: list[dict], *, complete: bool = True) -> Path:
    """A rules folder with the bundled registry, plan and settings and these rules.

    With ``complete``, every plan item the rules leave out gets a manual filler rule
    (the catalogue must cover the whole plan to load).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("units.yaml", "plan-2018.txt", "site_health.yaml", "scoring.yaml"):
        shutil.copy(REPO / "rules" / name, folder / name)
    plan = {p.number: p for p in parse_plan((REPO / "rules" / "plan-2018.txt").read_text(encoding="utf-8"))}
    out = []
    for r in rules:
        r = dict(r)
        if r.get("item") is not None:
            r.setdefault("text", plan[r["item"]].text)
        out.append(r)
    if complete:
        covered = {r.get("item") for r in rules}
        out += [dict(manual(f"fill-{n:03d}", n, list(p.units)), text=p.text) for n, p in plan.items() if n not in covered]
    (folder / "plan").mkdir(exist_ok=True)
    (folder / "plan" / "test.yaml").write_text(yaml.safe_dump({"rules": out}, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
    return folder
