"""What the crawl read of each unit, so a report can tell "not published" from "not crawled":
pages read, pages and fetches that failed (with examples), configured URLs that did not answer,
and the list entries the crawl left unfetched as dated outside the evaluation window."""

from __future__ import annotations

from collections import defaultdict
from typing import Callable

from sqlite_utils import Database

from .crawldata import Crawl
from .evidence import Evidence

EXAMPLES = 10  # failed URLs listed per unit


def unit_coverage(db: Database, crawl: Crawl, found: Evidence, unit_of_url: Callable[[str], str],
                  resolve: Callable[[str], str | None]) -> dict[str, dict]:
    """unit → {"pages", "errors", "skipped", "failed": [{url, status, error}], "unreachable": [{url, status, error}]}."""
    out: dict[str, dict] = defaultdict(lambda: {"pages": 0, "errors": 0, "skipped": 0, "failed": [], "unreachable": []})
    for unit, n in found.read.items():
        out[unit]["pages"] = n
    for unit, n in found.errors.items():
        out[unit]["errors"] += n
    failed = db.execute("SELECT url, status, error FROM fetches WHERE run = ? AND (error IS NOT NULL AND error != '' "
                        "OR status >= 400) ORDER BY url", [crawl.run])
    for url, status, error in failed:
        unit = found.unit_of_page.get(url) or unit_of_url(url)
        if url not in found.unit_of_page:  # a fetch that stored no page: not counted above
            out[unit]["errors"] += 1
        if len(out[unit]["failed"]) < EXAMPLES:
            out[unit]["failed"].append({"url": url, "status": status, "error": error or ""})
    for (url,) in db.execute("SELECT url FROM skipped WHERE run = ?", [crawl.run]):
        out[unit_of_url(url)]["skipped"] += 1
    for unit, url, ok, status, error in db.execute(
            "SELECT unit, url, ok, status, error FROM unit_reach WHERE run = ? ORDER BY url", [crawl.run]):
        if not ok:
            out[resolve(unit) or unit]["unreachable"].append({"url": url, "status": status, "error": error or ""})
    return dict(out)
