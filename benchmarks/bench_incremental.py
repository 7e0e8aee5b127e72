"""Bytes and time of an incremental re-crawl against the first crawl of the same portal.

    python benchmarks/bench_incremental.py              # 2,000-page sample portal
    python benchmarks/bench_incremental.py --pages 10000

Two crawls of the unchanged sample portal into one database, exactly as
`auditor crawl` runs them: the first downloads everything; the second sends each
URL's ETag/Last-Modified back (a 304 costs no body) and carries over detail pages
whose list entry is unchanged without asking for them at all. Printed: body bytes
downloaded, requests made and seconds of each, and the ratios re-crawl/first.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.crawl.process import crawl  # noqa: E402
from sampleportal import SamplePortal  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000, help="sample portal size")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    db = tmp / "audit.db"
    runs = []
    # A private copy of the site: a shared cache regenerated meanwhile would change the pages.
    with SamplePortal(tmp / "site", pages=args.pages) as portal:
        for _ in range(2):
            started = time.perf_counter()
            summary = crawl(portal.config_path, db)
            runs.append((summary, time.perf_counter() - started))
    with sqlite3.connect(db) as conn:
        # a carried-over row (304, or an unchanged list entry) was not downloaded in its run
        requests = dict(conn.execute("SELECT run, count(*) - sum(carried_over) FROM fetches GROUP BY run"))
    print(f"sample portal: {args.pages} pages requested")
    for label, (s, seconds) in zip(("first crawl", "re-crawl"), runs):
        print(f"  {label:11}: {s.pages} pages ({s.carried_over} carried over), {s.bytes / 1e6:.2f} MB of bodies, "
              f"{requests.get(s.run, 0)} URLs downloaded with a body, {seconds:.1f} s")
    (first, t1), (again, t2) = runs
    assert again.pages == first.pages, "the re-crawl must hold the full page set"
    print(f"  ratio re-crawl/first: bytes {again.bytes / first.bytes:.3f}, "
          f"URLs downloaded with a body {requests.get(again.run, 0) / requests[first.run]:.3f}, time {t2 / t1:.2f}")


if __name__ == "__main__":
    main()
