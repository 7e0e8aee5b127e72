"""取证: an offline copy of every page a finding cites or turns down, as the crawl read it.

A live link proves nothing once the page changes; the copy keeps what the verdict rested
on (title, date, publisher, text, attachment names) with the fetch's time, HTTP status
and content hash. Copies are named by a digest of the page's URL (``snapshots/<hex>.html``).
"""

from __future__ import annotations

import hashlib
from copy import deepcopy
from pathlib import Path

from jinja2 import Environment

from .links import district_offset, fmt_datetime, safe_url

FOLDER = "snapshots"


def snapshot_file(url: str) -> str:
    """The copy's path relative to the report folder."""
    return f"{FOLDER}/{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}.html"


def with_snapshots(doc: dict) -> dict:
    """The document as findings.json gives it: each evidence and turned-down entry names its
    copy (``snapshot``), and the pages' captured text stays out of the data file."""
    out = deepcopy({k: v for k, v in doc.items() if k != "captures"})
    captured = doc.get("captures") or {}
    for f in out.get("findings") or []:
        for e in (f.get("evidence") or []) + (f.get("rejected") or []):
            url = e.get("url") or ""
            e["snapshot"] = snapshot_file(url) if url in captured else None
    return out


def write_snapshots(env: Environment, doc: dict, folder: Path, common: dict) -> int:
    """Render every captured page into ``folder/snapshots``; returns how many were written."""
    captured = doc.get("captures") or {}
    if not captured:
        return 0
    (folder / FOLDER).mkdir(exist_ok=True)
    template = env.get_template("snapshot.html")
    offset = district_offset(doc)
    for url, page in captured.items():
        view = dict(page, href=safe_url(url), fetched=fmt_datetime(page.get("fetched_at"), offset),
                    attachments=[dict(a, href=safe_url(a.get("url"))) for a in page.get("attachments") or []],
                    paragraphs=[p for p in (page.get("text") or "").split("\n") if p.strip()])
        html = template.render(**common, root="../", page_title=f"取证快照：{page.get('title') or url}", page=view)
        (folder / snapshot_file(url)).write_text(html, encoding="utf-8")
    return len(captured)
