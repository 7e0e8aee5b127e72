"""Test helpers for the check: a stored crawl written row by row (docs/schema.md's crawl
tables) and a small rule catalogue in a temporary folder."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import fields
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from auditor.crawl.finish import date_pages_from_lists
from auditor.plan import parse_plan
from auditor.store import (
    Attachment,
    CrawlStore,
    Entry,
    Fetch,
    Link,
    Page,
    Reach,
    open_db,
)

REPO = Path(__file__).resolve().parent.parent
PORTAL = {
    "start_urls": ["http://www.test/"],
    "owner": "区府办",
    "units": {"区环保局": ["http://hb.test/", "http://www.test/hbj/"], "区民政局": ["http://www.test/mzj/"],
              "南翔镇": ["http://nx.test/"]},
}
PAGE_FIELDS = {f.name for f in fields(Page)} - {"links", "attachments", "entries"}
FETCH_FIELDS = {f.name for f in fields(Fetch)}


def make_crawl(db_path: str | Path, pages: list[dict], *, portal: dict = PORTAL, links=(), fetches=(), attachments=(),
               list_entries=(), unit_reach=(), status: str = "complete", name: str = "上海嘉定") -> int:
    """Store one crawl run through the crawl's own records; returns its number. Pages need at least a url."""
    store = CrawlStore(open_db(db_path))
    run = store.start_run(name, portal, {})
    records: list[object] = []
    by_url: dict[str, Page] = {}
    for p in pages:
        p = dict(p)
        p.setdefault("sha1", hashlib.sha1(json.dumps(p, ensure_ascii=False, sort_keys=True).encode()).hexdigest())
        if isinstance(p.get("meta"), dict):
            p["meta"] = json.dumps(p["meta"], ensure_ascii=False)
        if "column_name" not in p and "column" in p:
            p["column_name"] = p.pop("column")
        page = Page(**{k: v for k, v in p.items() if k in PAGE_FIELDS})
        by_url[page.url] = page
        fetch = {"kind": "page", "status": 200, "host": urlsplit(page.url).netloc, "bytes": 100, "depth": 1,
                 "fetched_at": "2018-12-01T02:00:00+08:00"}
        fetch.update({k: v for k, v in p.items() if k in FETCH_FIELDS})
        fetch.update(sha1=page.sha1, version=page.version)
        records.append(Fetch(**fetch))
        records.append(page)
    for link in links:
        by_url[link["from_url"]].links.append(Link(link["to_url"], link.get("text") or "", bool(link.get("internal"))))
    for att in attachments:
        by_url[att["page_url"]].attachments.append(Attachment(att["url"], att.get("text") or "", att.get("ext") or ""))
        if att.get("status") is not None:
            records.append(Fetch(att["url"], "attachment", att["status"], size=att.get("size"),
                                 content_type=att.get("content_type"), sha1=att.get("sha1")))
    for e in list_entries:
        if e["list_url"] not in by_url:  # an entry is always read from a list page of the run
            by_url[e["list_url"]] = lst = Page(e["list_url"], hashlib.sha1(e["list_url"].encode()).hexdigest(),
                                               is_list=True)
            records += [Fetch(lst.url, "page", 200, host=urlsplit(lst.url).netloc, sha1=lst.sha1, version=lst.version),
                        lst]
        by_url[e["list_url"]].entries.append(Entry(e["url"], e.get("title") or "", e.get("date")))
    for f in fetches:
        records.append(Fetch(**{k: v for k, v in f.items() if k in FETCH_FIELDS}))
    records += [Reach(r["unit"], r["url"], bool(r.get("ok")), r.get("status"), r.get("error") or "") for r in unit_reach]
    store.write(run, records)
    date_pages_from_lists(store, run)
    store.close_run(run, status)
    store.db.close()
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
    for name in ("catalogue.yaml", "law.yaml", "units.yaml", "plan-2018.txt", "site_health.yaml", "scoring.yaml"):
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
