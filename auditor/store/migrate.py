"""Upgrading an older audit database to the current schema, in one transaction.

A file written by release 0.1 (schema 0: every run stored every page again, check
tables without keys) becomes schema 2: page bodies move into `contents` and
`versions`, each run keeps one `fetches` row per URL pointing at its version, and
every table gains its keys. A migration killed half-way leaves the old file as it
was (SQLite DDL is transactional); nothing is lost, the next open tries again.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..errors import AuditorError
from . import schema
from .records import version_id

# release 0.1's tables that are views now, and the page key its rows are grouped by
_PAGE_KEY = "coalesce(nullif(sha1, ''), 'v0:' || run || ':' || url)"


def version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _is_table(db: Database, name: str) -> bool:
    return bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone())


def upgrade(db: Database) -> None:
    """Bring ``db`` to `schema.VERSION`; a newer file than this release understands is refused."""
    current = version(db)
    if current > schema.VERSION:
        raise AuditorError(f"the database has schema {current}, newer than this auditor ({schema.VERSION}): "
                           "upgrade the auditor", "--db")
    if current == schema.VERSION:
        return
    db.conn.create_function("version_id", 2, version_id, deterministic=True)
    db.execute("BEGIN IMMEDIATE")
    try:
        if current == 0 and _is_table(db, "pages"):
            _from_release_0_1(db)
        elif current >= 1:
            _add_columns(db)
        schema.create(db)
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def _add_columns(db: Database) -> None:
    """A newer schema's columns on the tables a keyed file already has (added ones are nullable)."""
    for table in schema.TABLES:
        if not _is_table(db, table.name):
            continue
        have = set(_columns(db, table.name))
        for name, kind in table.columns.items():
            if name not in have:
                db.execute(f"ALTER TABLE [{table.name}] ADD COLUMN [{name}] {kind}")


def _keep_as_old(db: Database, name: str) -> bool:
    if not _is_table(db, name):
        return False
    db.execute(f"ALTER TABLE [{name}] RENAME TO [v0_{name}]")
    return True


def _columns(db: Database, name: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info([{name}])")]


def _copy_common(db: Database, table: schema.Table) -> None:
    """Copy the columns a release-0.1 table shares with its keyed successor, then drop it."""
    old = f"v0_{table.name}"
    common = [c for c in _columns(db, old) if c in table.columns]
    cols = ", ".join(f"[{c}]" for c in common)
    db.execute(f"INSERT OR IGNORE INTO [{table.name}] ({cols}) SELECT {cols} FROM [{old}] ORDER BY rowid")
    db.execute(f"DROP TABLE [{old}]")


def _from_release_0_1(db: Database) -> None:
    crawl = ("pages", "links", "attachments", "list_entries", "fetches")
    kept = {name: _keep_as_old(db, name) for name in crawl}
    simple = [t for t in schema.TABLES if t.name not in crawl and _keep_as_old(db, t.name)]
    for t in schema.TABLES:
        for statement in t.ddl():
            db.execute(statement)
    for t in simple:
        _copy_common(db, t)
    if kept["pages"]:
        _pages(db, kept)
    if kept["fetches"]:
        db.execute("DROP TABLE v0_fetches")
    # release 0.1 wrote check times in the machine's local time and crawl times in UTC;
    # both carry their offset, so they stay as they are (auditor.clock reads either)


def _pages(db: Database, kept: dict[str, bool]) -> None:
    """Release 0.1's per-run page copies become contents, versions and fetches."""
    db.execute(f"CREATE TEMP TABLE v0_keyed AS SELECT *, {_PAGE_KEY} AS body, "
               f"version_id(url, {_PAGE_KEY}) AS vid FROM v0_pages")
    db.execute("CREATE INDEX temp.v0_keyed_run_url ON v0_keyed (run, url)")
    db.execute("""INSERT OR IGNORE INTO contents (sha1, encoding, title, date, date_source, publisher, index_no,
                      doc_no, topic, column_name, text, meta, is_list, empty_list, entries)
                  SELECT body, encoding, title, CASE WHEN date_source = 'list' THEN NULL ELSE date END,
                         CASE WHEN date_source = 'list' THEN '' ELSE date_source END, publisher, index_no, doc_no,
                         topic, column_name, text, meta, is_list, empty_list, entries
                  FROM v0_keyed ORDER BY run, rowid""")
    db.execute("INSERT OR IGNORE INTO versions (id, url, sha1, next_page) "
               "SELECT vid, url, body, next_page FROM v0_keyed ORDER BY run, rowid")
    children = {"links": ("version_links", "from_url", "to_url, text, internal"),
                "attachments": ("version_attachments", "page_url", "url, text, ext"),
                "list_entries": ("version_entries", "list_url", "url, title, date")}
    for old, (new, key, cols) in children.items():
        if kept[old]:
            picked = ", ".join(f"c.{c.strip()}" for c in cols.split(","))
            db.execute(f"INSERT OR IGNORE INTO {new} (version, {cols}) SELECT k.vid, {picked} "
                       f"FROM v0_{old} c JOIN v0_keyed k ON k.run = c.run AND k.url = c.{key}")
            db.execute(f"DROP TABLE v0_{old}")
    fetch_cols = ("url", "kind", "status", "error", "final_url", "bytes", "size", "content_type", "sha1", "etag",
                  "last_modified", "elapsed_ms", "carried_over", "fetched_at")
    if kept["fetches"]:
        cols = ", ".join(f"f.{c}" for c in fetch_cols)
        db.execute(f"""INSERT OR IGNORE INTO fetches (run, {', '.join(fetch_cols)}, host, version, depth, referer,
                           list_date)
                       SELECT f.run, {cols}, k.host, k.vid, k.depth, k.referer,
                              CASE WHEN k.date_source = 'list' THEN k.date END
                       FROM v0_fetches f LEFT JOIN v0_keyed k ON k.run = f.run AND k.url = f.url""")
    # a page stored without a fetch row of its own still belongs to its run
    db.execute("""INSERT OR IGNORE INTO fetches (run, url, kind, status, error, final_url, host, bytes, content_type,
                      sha1, etag, last_modified, carried_over, fetched_at, version, depth, referer, list_date)
                  SELECT run, url, 'page', status, '', final_url, host, bytes, content_type, sha1, etag,
                         last_modified, carried_over, fetched_at, vid, depth, referer,
                         CASE WHEN date_source = 'list' THEN date END
                  FROM v0_keyed""")
    db.execute("DROP TABLE v0_keyed")
    db.execute("DROP TABLE v0_pages")
