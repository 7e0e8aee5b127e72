"""`auditor demo`: audit the bundled sample portal end to end on loopback.

The sample portal is served on 127.0.0.x for the length of the job; the audit is
judged at the portal's own as-of date, so the demo's findings can be compared with
the portal's ground truth.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from auditor.job import JobResult, run_job
from auditor.settings import default_rules_dir

from .server import SamplePortal


def run_demo(out_dir: str | Path, db_path: str | Path, *, pages: int | None = None, seed: int = 1,
             echo: Callable[[str], None] = lambda _: None) -> JobResult:
    """Serve the sample portal, run the whole job against it and stop the portal."""
    options = {"seed": seed} | ({"pages": pages} if pages else {})
    with SamplePortal(**options) as portal:
        echo(f"sample portal: {portal.url('www')} ({portal.info.pages} pages, as-of {portal.info.as_of.isoformat()})")
        return run_job(portal.config_path, rules_dir=default_rules_dir(), db_path=db_path, out_dir=out_dir,
                       as_of=portal.info.as_of, echo=echo)
