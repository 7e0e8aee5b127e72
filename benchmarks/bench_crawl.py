"""Crawl throughput of the `portal` spider against a bare Scrapy follow-all-links spider.

    python benchmarks/bench_crawl.py                 # 2,000-page sample portal, 3 rounds
    python benchmarks/bench_crawl.py --pages 20000 --rounds 1
    python benchmarks/bench_crawl.py --pages 100000 --rounds 1 --only ours \
        --set AUDITOR_MAX_LIST_PAGES=2000        # peak memory at scale (every page of the big columns)

Both spiders crawl the same sample portal over loopback, in fresh child processes
(a Twisted reactor runs once per process), with the same concurrency and no delay.
The bare spider is a CrawlSpider with one follow-all `LinkExtractor` rule that stores
nothing; ours extracts every page, records links, attachments, list entries and
failures, and writes them to SQLite. Each child reports HTML pages crawled, seconds
from engine start to finish (imports excluded) and its peak RSS. Printed: pages/s
of each, the ratio ours/bare (target ≥ 0.7) and peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Settings both spiders share: loopback, full speed (our loopback profile), and our
# CONCURRENT_ITEMS, so the ratio measures the work per page, not Scrapy tuning.
SHARED = {"CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "DOWNLOAD_DELAY": 0, "CONCURRENT_ITEMS": 4,
          "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
          "REMOTE_CONTROL_ENABLED": False}


def usage() -> dict:
    """Peak RSS and CPU seconds of this process (the crawler's own cost, whatever the server's)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss_mb": ru.ru_maxrss / 1024, "cpu_s": ru.ru_utime + ru.ru_stime}


def run_bare(config: str, settings: dict | None = None) -> dict:
    """The baseline: follow every in-scope link, count HTML pages, store nothing (``settings``:
    Scrapy's own, default: the ones our loopback profile shares)."""
    from urllib.parse import urlsplit

    import yaml
    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor
    from scrapy.spiders import CrawlSpider, Rule

    data = yaml.safe_load(Path(config).read_text(encoding="utf-8"))
    starts = data["start_urls"] + [u for urls in data["units"].values() for u in urls]

    class FollowAll(CrawlSpider):
        name = "follow_all"
        allowed_domains = sorted({urlsplit(u).hostname for u in starts})
        start_urls = starts
        rules = (Rule(LinkExtractor(), callback="count", follow=True),)

        def parse_start_url(self, response):
            return self.count(response)

        def count(self, response):
            if response.status == 200:
                self.crawler.stats.inc_value("bench/pages")
            return []

    process = CrawlerProcess({**SHARED, "ROBOTSTXT_OBEY": False} if settings is None else settings)
    crawler = process.create_crawler(FollowAll)
    process.crawl(crawler)
    started = time.perf_counter()
    process.start()
    return {"pages": crawler.stats.get_value("bench/pages", 0), "seconds": time.perf_counter() - started}


def run_ours(config: str, overrides: dict) -> dict:
    """The `portal` spider exactly as `auditor crawl` runs it, into a fresh database."""
    import sqlite3

    from auditor.crawl.process import run_spider

    db = Path(tempfile.mkdtemp(prefix="bench-crawl-")) / "audit.db"
    started = time.perf_counter()
    # every page, as the bare spider reads them: the evaluation window is bench_budget.py's business
    run_spider(config, str(db), "", 0, {**SHARED, "AUDITOR_WINDOW": "", **overrides})
    seconds = time.perf_counter() - started
    with sqlite3.connect(db) as conn:
        pages = conn.execute("SELECT pages FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    return {"pages": pages, "seconds": seconds, "db_mb": db.stat().st_size / 2**20}


def child(kind: str, config: str, overrides: list[str]) -> dict:
    """Run one crawl in a fresh interpreter; its report as a dict."""
    sets = [a for o in overrides for a in ("--set", o)]
    out = subprocess.run([sys.executable, __file__, "--child", kind, config, *sets], capture_output=True, text=True,
                         check=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000, help="sample portal size")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", choices=["both", "ours", "bare"], default="both")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="a crawl setting for our spider (spiders/settings.py names)")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "CONFIG"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, config = args.child
        overrides = dict(o.split("=", 1) for o in args.set)
        report = run_ours(config, overrides) if kind == "ours" else run_bare(config)
        print(json.dumps({**report, **usage()}))
        return

    from sampleportal import SamplePortal

    kinds = ["bare", "ours"] if args.only == "both" else [args.only]
    results: dict[str, list[dict]] = {k: [] for k in kinds}
    with SamplePortal(pages=args.pages) as portal:
        for _ in range(args.rounds):
            for kind in kinds:  # interleaved, so drift hits both alike
                results[kind].append(child(kind, str(portal.config_path), args.set))
    print(f"sample portal: {args.pages} pages requested; {args.rounds} round(s); median of rounds"
          + (f"; ours with {' '.join(args.set)}" if args.set else ""))
    rates, cpu = {}, {}
    for kind, runs in results.items():
        rates[kind] = statistics.median(r["pages"] / r["seconds"] for r in runs)
        cpu[kind] = statistics.median(1000 * r["cpu_s"] / r["pages"] for r in runs)
        extra = f", db {runs[-1]['db_mb']:.0f} MB" if "db_mb" in runs[-1] else ""
        print(f"  {kind:4}: {runs[-1]['pages']} pages, {statistics.median(r['seconds'] for r in runs):.1f} s, "
              f"{rates[kind]:.0f} pages/s, {cpu[kind]:.2f} CPU ms/page (incl. start-up), "
              f"peak RSS {max(r['peak_rss_mb'] for r in runs):.0f} MB{extra}")
    if len(rates) == 2:
        print(f"  throughput ratio ours/bare: {rates['ours'] / rates['bare']:.2f} (target >= 0.70); "
              f"CPU per page ours/bare: {cpu['ours'] / cpu['bare']:.2f}")


if __name__ == "__main__":
    main()
