"""Distributed crawl time: one scrapy-redis worker against two, with a single-process crawl as reference.

    python benchmarks/bench_distributed.py               # 3,000-page sample portal
    python benchmarks/bench_distributed.py --pages 10000

Two settings: full speed (loopback, no delay: CPU-bound, and on one machine the
workers share its cores with each other and with the sample server) and polite
(``--delay`` seconds between requests to a host, one at a time: bound by politeness,
as real crawls are). Workers share each host's rate R = 1 / delay through Redis
(auditor/crawl/rate.py), so for the polite setting the rate measured against the
busiest host (its fetches over the span between its first and last, 1 s resolution) is
printed against R: two workers must stay within 1.1 R.

Starts its own redis-server (must be installed) on a free loopback port. Each
distributed crawl is `auditor crawl --redis URL` in one or two processes plus
`auditor ingest` storing the run, exactly as on N machines. Printed per setup: wall
time until ingest has stored the run (this includes each worker's idle wait before
it exits: AUDITOR_IDLE_CLOSE_SECONDS, 5 s on loopback, plus up to Scrapy's 5 s engine
heartbeat), the crawl span (first to last page stored, 1 s resolution), pages
stored, and the ratios one worker / two workers.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.crawl.process import crawl  # noqa: E402
from sampleportal import SamplePortal  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def span(db: Path) -> tuple[int, float]:
    """(pages, seconds from the run's start to its last page) of the newest run."""
    with sqlite3.connect(db) as conn:
        pages, started, last = conn.execute(
            "SELECT r.pages, r.started_at, max(p.fetched_at) FROM runs r JOIN pages p ON p.run = r.id "
            "WHERE r.id = (SELECT max(id) FROM runs)").fetchone()
    return pages, (datetime.fromisoformat(last) - datetime.fromisoformat(started)).total_seconds()


def host_rate(db: Path) -> tuple[str, float]:
    """(host, requests a second) of the host the newest run fetched most from."""
    with sqlite3.connect(db) as conn:
        host, n, first, last = conn.execute(
            "SELECT host, count(*), min(fetched_at), max(fetched_at) FROM fetches "
            "WHERE run = (SELECT max(id) FROM runs) GROUP BY host ORDER BY count(*) DESC LIMIT 1").fetchone()
    seconds = (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()
    return host, (n - 1) / max(seconds, 1.0)


def distributed(config: Path, redis_url: str, workers: int, db: Path) -> float:
    """Wall seconds for ``workers`` worker processes and the ingest step to finish."""
    auditor = [sys.executable, "-m", "auditor"]
    started = time.perf_counter()
    procs = [subprocess.Popen([*auditor, "crawl", "--portal", str(config), "--redis", redis_url],
                              stderr=subprocess.DEVNULL) for _ in range(workers)]
    procs.append(subprocess.Popen([*auditor, "ingest", "--redis", redis_url, "--db", str(db)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"{p.args} failed")
    return time.perf_counter() - started


def setups(config: Path, redis_url: str, tmp: Path) -> dict[str, tuple[float, int, float]]:
    """(wall, pages, crawl span) of a single-process crawl, one worker and two workers."""
    tmp.mkdir()
    started = time.perf_counter()
    crawl(config, tmp / "single.db")
    results = {"single process": (time.perf_counter() - started, *span(tmp / "single.db"), host_rate(tmp / "single.db"))}
    for n in (1, 2):
        wall = distributed(config, redis_url, n, tmp / f"workers-{n}.db")
        results[f"{n} worker{'s' * (n > 1)}"] = (wall, *span(tmp / f"workers-{n}.db"), host_rate(tmp / f"workers-{n}.db"))
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000, help="sample portal size")
    ap.add_argument("--delay", type=float, default=0.02, help="per-host delay of the polite setting (seconds)")
    args = ap.parse_args()
    binary = shutil.which("redis-server") or sys.exit("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL)
    tmp = Path(tempfile.mkdtemp(prefix="bench-distributed-"))
    try:
        time.sleep(0.5)
        # A private copy of the site: a shared cache regenerated meanwhile would change the pages.
        with SamplePortal(tmp / "site", pages=args.pages) as portal:
            # (every page: the window is the crawl budget's business, measured in bench_budget.py)
            polite = tmp / "polite.yaml"
            polite.write_text(portal.config_path.read_text(encoding="utf-8") + f"settings:\n  DOWNLOAD_DELAY: {args.delay}\n"
                              "  DOWNLOAD_DELAY_JITTER: 0\n  CONCURRENT_REQUESTS_PER_DOMAIN: 1\n", encoding="utf-8")
            configs = {"full speed": portal.config_path, f"polite, {args.delay} s per host": polite}
            results = {name: setups(config, f"redis://127.0.0.1:{port}/0", tmp / f"setup-{i}")
                       for i, (name, config) in enumerate(configs.items())}
    finally:
        server.terminate()
        server.wait()
    print(f"sample portal: {args.pages} pages requested")
    for name, runs in results.items():
        print(f" {name}:")
        for label, (wall, pages, seconds, (host, rate)) in runs.items():
            against = f" = {rate * args.delay:.2f} R" if name != "full speed" else ""
            print(f"  {label:14}: {pages} pages, wall {wall:.1f} s, crawl span {seconds:.0f} s, "
                  f"{rate:.1f} requests/s against {host}{against}")
        (w1, p1, s1, _), (w2, p2, s2, _) = runs["1 worker"], runs["2 workers"]
        assert p1 == p2 == runs["single process"][1], "every setup must store the same pages"
        print(f"  ratio 1 worker / 2 workers: wall {w1 / w2:.2f}, crawl span {s1 / max(s2, 1):.2f}; "
              f"1 worker / single process: wall {w1 / runs['single process'][0]:.2f}")


if __name__ == "__main__":
    main()
