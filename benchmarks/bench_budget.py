"""The crawl budget: a connection-capped portal server, and a portal with years of history.

    python benchmarks/bench_budget.py capped [--caps 48 8] [--rounds 3]
    python benchmarks/bench_budget.py history [--years 5]

capped: the sample portal served by one server that holds at most N connections at a
time across all its hosts, with HTTP/1.1 keep-alive (5 s idle timeout, as Apache's), as
a real portal's worker pool does. `auditor crawl` exactly as configured (its loopback
profile, following everything so both read the same pages) against a bare Scrapy
follow-all spider with Scrapy's default settings, interleaved, each in a fresh process.
Target: ours ≤ 1/0.9 of bare's wall time at every cap.

history: the sample portal with N years of news and notices before the plan year. The
window-bounded crawl (the default) against a follow-all crawl (``window: all``) of the
same portal: requests made (target ≤ 0.30×) and the findings of a check on each
(target: identical statuses for every pair and site check).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

FOLLOW_ALL = {"AUDITOR_WINDOW": ""}
QUIET = {"LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False}


def run_ours(config: str, overrides: dict) -> dict:
    """`auditor crawl`'s spider, as configured, into a fresh database; pages, requests, seconds."""
    import sqlite3

    from auditor.crawl.process import run_spider

    db = Path(tempfile.mkdtemp(prefix="bench-budget-")) / "audit.db"
    started = time.perf_counter()
    run_spider(config, str(db), "", 0, overrides)
    seconds = time.perf_counter() - started
    with sqlite3.connect(db) as conn:
        pages = conn.execute("SELECT pages FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
        requests = conn.execute("SELECT count(*) FROM fetches WHERE carried_over = 0").fetchone()[0]
    return {"pages": pages, "requests": requests, "seconds": seconds, "db": str(db)}


def run_bare(config: str) -> dict:
    """A CrawlSpider following every in-scope link with Scrapy's default settings."""
    from bench_crawl import run_bare as follow_all

    return follow_all(config, QUIET)


def child(kind: str, config: str, overrides: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, config, json.dumps(overrides)],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def capped(caps: list[int], rounds: int) -> None:
    from sampleportal import SamplePortal

    print(f"connection-capped server, keep-alive 5 s; median of {rounds} round(s), interleaved")
    for cap in caps:
        times: dict[str, list[float]] = {"bare": [], "ours": []}
        pages = {}
        with SamplePortal(max_connections=cap) as portal:
            for _ in range(rounds):
                for kind in times:
                    r = child(kind, str(portal.config_path), FOLLOW_ALL if kind == "ours" else {})
                    times[kind].append(r["seconds"])
                    pages[kind] = r["pages"]
        bare, ours = statistics.median(times["bare"]), statistics.median(times["ours"])
        print(f"  cap {cap:3}: bare Scrapy defaults {pages['bare']} pages {bare:.1f} s; auditor crawl "
              f"{pages['ours']} pages {ours:.1f} s; wall time ours/bare {ours / bare:.2f} (target <= {1 / 0.9:.2f})")


def statuses(db: str) -> dict:
    """Every (rule, unit) status, its reasons, and every site check of a check of ``db``'s crawl."""
    import sqlite3
    from datetime import date

    from auditor.check.run import run_check
    from auditor.settings import default_rules_dir

    check_run = run_check(db, default_rules_dir(), as_of=date(2018, 12, 10)).check_run
    with sqlite3.connect(db) as conn:
        pairs = sorted(conn.execute("SELECT rule, unit, status, reasons FROM findings WHERE check_run = ?",
                                    [check_run]))
        checks = sorted(conn.execute('SELECT "check", unit, url FROM site_checks WHERE check_run = ?', [check_run]))
    return {"pairs": pairs, "site_checks": checks}


def history(years: int) -> None:
    from sampleportal import SamplePortal

    with SamplePortal(history_years=years) as portal:
        config = str(portal.config_path)
        full = child("ours", config, FOLLOW_ALL)
        bounded = child("ours", config, {})
    a, b = child("findings", full["db"], {}), child("findings", bounded["db"], {})
    same = [p[:3] for p in a["pairs"]] == [p[:3] for p in b["pairs"]] and a["site_checks"] == b["site_checks"]
    worded = sum(x != y for x, y in zip(a["pairs"], b["pairs"]))
    print(f"sample portal with {years} years of history ({portal.info.pages} pages)")
    print(f"  follow-all: {full['requests']} requests, {full['pages']} pages, {full['seconds']:.1f} s")
    print(f"  window    : {bounded['requests']} requests, {bounded['pages']} pages, {bounded['seconds']:.1f} s")
    print(f"  requests window/follow-all {bounded['requests'] / full['requests']:.2f} (target <= 0.30); "
          f"wall time {bounded['seconds'] / full['seconds']:.2f}")
    print(f"  same status for all {len(a['pairs'])} (rule, unit) pairs and the same {len(a['site_checks'])} site "
          f"checks: {same}; pairs whose reasons differ: {worded} (near evidence from before the window, unread)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("part", nargs="?", choices=["capped", "history"])
    ap.add_argument("--caps", type=int, nargs="+", default=[48, 8])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, target, overrides = args.child
        if kind == "findings":
            report = statuses(target)
        else:
            report = run_ours(target, json.loads(overrides)) if kind == "ours" else run_bare(target)
        print(json.dumps(report, ensure_ascii=False))
        return
    if args.part == "capped":
        capped(args.caps, args.rounds)
    elif args.part == "history":
        history(args.years)
    else:
        ap.error("give a part: capped or history")


if __name__ == "__main__":
    main()
