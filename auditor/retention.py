"""Retention: drop the bulky crawl rows of old runs, never the audit's results.

A run stores a fetch row per URL, and a page's content, links and list entries once
per distinct body; a changing portal still grows the file night by night.
``prune(db, keep=N)`` deletes the fetches of every crawl run but the newest N, then
the page versions and contents no kept run refers to. The fetches of pages a check cites
(its evidence, its turned-down near evidence) stay, with their versions: 取证. The runs
themselves, their `unit_reach`, and every check table (findings, item_status,
scores, site_checks, what each check was judged against) stay, so every past report
can still be written; the kept runs still feed the incremental re-crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import AuditorError
from .lock import job_lock
from .store import open_db

# The pages a check of a run cites or turns down: their fetch rows stay, so every past report
# keeps its 取证 snapshots however old the run.
CITED = """SELECT u FROM (SELECT json_extract(e.value, '$.url') AS u FROM findings f
    JOIN check_runs c ON c.id = f.check_run AND c.crawl_run = ?,
    json_each(CASE WHEN f.evidence IS NULL OR f.evidence = '' THEN '[]' ELSE f.evidence END) e
    UNION SELECT json_extract(r.value, '$.url') FROM findings f2
    JOIN check_runs c2 ON c2.id = f2.check_run AND c2.crawl_run = ?,
    json_each(CASE WHEN f2.rejected IS NULL OR f2.rejected = '' THEN '[]' ELSE f2.rejected END) r)
    WHERE u IS NOT NULL"""
# Page versions no kept run points at any more, their content and children (docs/schema.md).
ORPHANS = (
    "DELETE FROM version_links WHERE version NOT IN (SELECT version FROM fetches WHERE version IS NOT NULL)",
    "DELETE FROM version_attachments WHERE version NOT IN (SELECT version FROM fetches WHERE version IS NOT NULL)",
    "DELETE FROM version_entries WHERE version NOT IN (SELECT version FROM fetches WHERE version IS NOT NULL)",
    "DELETE FROM versions WHERE id NOT IN (SELECT version FROM fetches WHERE version IS NOT NULL)",
    "DELETE FROM contents WHERE sha1 NOT IN (SELECT sha1 FROM versions)",
)


@dataclass
class PruneResult:
    """Which runs lost their crawl rows, how many rows went and the bytes the file shrank by."""

    pruned_runs: list[int]
    rows: int
    bytes_freed: int


def prune(db_path: str | Path, *, keep: int, vacuum: bool = True) -> PruneResult:
    """Keep the crawl rows of the newest ``keep`` complete runs and of every run after them.

    Holds the job lock, so it never races a scheduled job. ``vacuum`` rewrites the
    file afterwards to give the space back to the disk.
    """
    if keep < 1:
        raise AuditorError("keep at least one crawl run (the next crawl starts from it)", "--keep")
    if not Path(db_path).exists():
        raise AuditorError(f"database '{db_path}' not found", "--db")
    before = Path(db_path).stat().st_size
    with job_lock(db_path):
        db = open_db(db_path)
        try:
            # The check reads the newest complete run: count complete runs, and keep
            # whatever came after the oldest one kept (interrupted runs included).
            oldest_kept = db.execute("SELECT min(id) FROM (SELECT id FROM runs WHERE status = 'complete' "
                                     "ORDER BY id DESC LIMIT ?)", [keep]).fetchone()[0] or 0
            runs, rows = [], 0
            with db.atomic():
                for (run,) in db.execute("SELECT id FROM runs WHERE id < ? AND status != 'running'",
                                         [oldest_kept]).fetchall():
                    deleted = db.execute(f"DELETE FROM fetches WHERE run = ? AND url NOT IN ({CITED})",
                                         [run, run, run]).rowcount
                    deleted += db.execute("DELETE FROM skipped WHERE run = ?", [run]).rowcount
                    if deleted:
                        runs.append(run)
                        rows += deleted
                rows += sum(db.execute(sql).rowcount for sql in ORPHANS)
            if vacuum and rows:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                db.vacuum()
        finally:
            db.close()
    return PruneResult(sorted(runs), rows, max(before - Path(db_path).stat().st_size, 0))
