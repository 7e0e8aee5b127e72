"""`auditor crawl` and `auditor ingest`: crawl a portal into the database (alone, or as N workers)."""

from __future__ import annotations

import sys

import click

from . import cli
from .options import (
    db_option,
    one_line_errors,
    portal_option,
    rules_dir_of,
    rules_option,
    settings,
    unit_option,
)


@cli.command()
@portal_option
@db_option
@unit_option
@rules_option
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop after this many pages")
@click.option("--redis", "redis_url", default=None,
              help="Be one worker of a distributed crawl sharing this Redis (redis://host:port/db); "
                   "'auditor ingest' stores it")
@click.option("--estimate", is_flag=True,
              help="Only sample each host's lists and print the crawl's expected requests and duration")
@one_line_errors
def crawl(portal_path: str, db_path: str, unit: str | None, rules_dir: str | None, max_pages: int | None,
          redis_url: str | None, estimate: bool) -> None:
    """Crawl the portal into the database as a new numbered run.

    With --redis, run one worker of a distributed crawl instead (no database: start
    'auditor ingest' once to store the run); it exits when there is no work left.
    With --estimate, crawl nothing: read the navigation and each list's first page and
    print, per host, the requests and the time the crawl would take at its politeness.

    Example: auditor crawl --portal rules/portals/jiading.yaml --db audit.db --unit 区民政局
    """
    if estimate:
        from ..crawl.process import estimate as estimate_crawl

        click.echo(str(estimate_crawl(portal_path, unit=unit, settings=settings().crawl_overrides(),
                                      rules_dir=rules_dir_of(rules_dir))))
        return
    if redis_url:
        from ..distributed import work

        click.echo(work(portal_path, redis_url, unit=unit, max_pages=max_pages))
        return
    from ..crawl.process import crawl as run_crawl

    summary = run_crawl(portal_path, db_path, unit=unit, max_pages=max_pages,
                        settings=settings().crawl_overrides(), rules_dir=rules_dir_of(rules_dir))
    click.echo(str(summary))
    if summary.status != "complete":  # cron and systemd must see an unfinished crawl as a failure
        sys.exit(130 if summary.status == "interrupted" else 1)


@cli.command()
@click.option("--redis", "redis_url", required=True, help="Redis the crawl workers share (redis://host:port/db)")
@db_option
@click.option("--wait", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds to wait for a worker to start the crawl")
@one_line_errors
def ingest(redis_url: str, db_path: str, wait: float) -> None:
    """Store a distributed crawl: its workers' items become one numbered run.

    Runs until every worker has exited, then clears the crawl's keys in Redis.

    Example: auditor ingest --redis redis://10.0.0.5:6379/0 --db audit.db
    """
    from ..distributed import ingest as store_crawl

    click.echo(str(store_crawl(redis_url, db_path, wait=wait, echo=lambda line: click.echo(line, err=True))))
