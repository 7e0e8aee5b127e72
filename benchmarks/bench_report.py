"""Report time at 100k pages, against the check of the same crawl and a plain JSON dump.

    python benchmarks/bench_report.py            # 100k pages
    python benchmarks/bench_report.py 10000      # another size

The crawl is bench_check.py's synthetic one (cached in the temp folder). One process
checks it with the whole catalogue, then times `auditor report`'s two steps: reading
the check run into the findings document (`build_document`) and writing the report
(`write_report`: index.html, one page per unit, findings.json/.csv/.xlsx). Baselines
measured in the same run: the check itself, and `json.dumps` of the same document
(the least any report of it could cost). Printed: seconds of each and the ratios.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import AS_OF, build, catalogue  # noqa: E402
from sqlite_utils import Database  # noqa: E402

from auditor.check import check_catalogue  # noqa: E402
from auditor.findings import build_document  # noqa: E402
from auditor.report import write_report  # noqa: E402


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def main(pages: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    db = work / "audit.db"
    shutil.copyfile(build(pages), db)  # the check writes its run; the cached crawl stays clean
    summary, check_s = timed(check_catalogue, db, catalogue(), as_of=AS_OF)
    document, read_s = timed(build_document, Database(db))
    dumped, dump_s = timed(json.dumps, document, ensure_ascii=False)
    index, write_s = timed(write_report, document, work / "out", today=AS_OF)
    size = sum(f.stat().st_size for f in (work / "out").rglob("*") if f.is_file())
    report_s = read_s + write_s
    print(f"crawl: {pages} pages; check: {len(document['findings'])} findings, {len(document['site_checks'])} site checks")
    print(f"  check {check_s:.1f} s; report {report_s:.2f} s (read document {read_s:.2f} s, write {write_s:.2f} s, "
          f"{size / 1e6:.1f} MB in {sum(1 for _ in (work / 'out').rglob('*.html'))} HTML files); "
          f"json.dumps of the document {dump_s:.3f} s ({len(dumped) / 1e6:.1f} MB)")
    print(f"  ratio report/check: {report_s / check_s:.2f}; report/json.dumps: {report_s / dump_s:.0f}; "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    assert index.exists() and summary.pages == pages


if __name__ == "__main__":
    main(int(sys.argv[1]) if sys.argv[1:] else 100_000)
