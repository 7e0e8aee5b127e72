"""`auditor check`, `report`, `run` and `prune`: judge a crawl, write the report, the scheduled job."""

from __future__ import annotations

import sys

import click

from . import cli
from .options import (
    as_of_option,
    day,
    db_option,
    one_line_errors,
    out_option,
    overrides_option,
    portal_option,
    rules_dir_of,
    rules_option,
    settings,
    unit_option,
)


@cli.command()
@rules_option
@db_option
@as_of_option
@overrides_option
@click.option("--crawl-run", type=click.IntRange(min=1), default=None,
              help="Re-check this earlier crawl run instead of the latest complete one (no fetching)")
@one_line_errors
def check(rules_dir: str | None, db_path: str, as_of, overrides_path: str | None,
          crawl_run: int | None) -> None:
    """Evaluate the rules on the latest complete crawl and store findings and scores.

    Reviewers' decisions in the database apply; --overrides stores a file's first.

    Example: auditor check --as-of 2019-01-15 --overrides decisions.yaml
    """
    from ..check import run_check

    click.echo(str(run_check(db_path, rules_dir_of(rules_dir), as_of=day(as_of), overrides_path=overrides_path,
                             crawl_run=crawl_run)))


@cli.command()
@db_option
@out_option
@unit_option
@click.option("--check-run", type=click.IntRange(min=1), default=None,
              help="Rewrite the report of this earlier check run instead of the latest one")
@one_line_errors
def report(db_path: str, out_dir: str, unit: str | None, check_run: int | None) -> None:
    """Write the HTML gap report and findings.json/.csv/.xlsx of the latest check.

    Example: auditor report --out reports/out/ --unit 区民政局
    """
    from ..job import report as write

    click.echo(str(write(db_path, out_dir, unit=unit, check_run=check_run, settings=settings())))


@cli.command()
@portal_option
@rules_option
@db_option
@out_option
@as_of_option
@unit_option
@overrides_option
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop the crawl after this many pages")
@click.option("--fail-under", type=float, default=None, help="Exit 1 if the district score is below this")
@one_line_errors
def run(portal_path: str, rules_dir: str | None, db_path: str, out_dir: str, as_of,
        unit: str | None, overrides_path: str | None, max_pages: int | None, fail_under: float | None) -> None:
    """Crawl, check and report in one go: the scheduled job. Prints the report's path.

    A second job on the same database does nothing and exits 75 (EX_TEMPFAIL) with
    one line while the first runs: a scheduled run that overlaps is skipped, not failed.

    Example: auditor run --portal rules/portals/jiading.yaml --fail-under 60
    """
    from ..job import CrawlIncomplete, run_job
    from ..lock import EXIT_LOCK_HELD, LockHeld

    try:
        result = run_job(portal_path, rules_dir=rules_dir_of(rules_dir), db_path=db_path, out_dir=out_dir,
                         as_of=day(as_of), unit=unit, overrides_path=overrides_path, max_pages=max_pages,
                         echo=lambda line: click.echo(line, err=True), settings=settings())
    except LockHeld as exc:
        click.echo(f"auditor: {exc}", err=True)
        sys.exit(EXIT_LOCK_HELD)
    except CrawlIncomplete as exc:
        click.echo(f"auditor: {exc}", err=True)
        sys.exit(exc.exit_status)
    click.echo(str(result.index))
    if fail_under is not None and (result.score is None or result.score < fail_under):
        click.echo(f"auditor: district score {result.score} is below --fail-under {fail_under}", err=True)
        sys.exit(1)


@cli.command()
@db_option
@click.option("--keep", type=int, required=True, help="Crawl runs whose pages are kept (the newest complete ones)")
@click.option("--no-vacuum", is_flag=True, help="Do not rewrite the file to give the space back")
@one_line_errors
def prune(db_path: str, keep: int, no_vacuum: bool) -> None:
    """Delete old crawl runs' pages, links and fetches; findings and scores are always kept.

    Example: auditor prune --db audit.db --keep 5
    """
    from ..retention import prune as drop_old_pages

    result = drop_old_pages(db_path, keep=keep, vacuum=not no_vacuum)
    runs = ", ".join(map(str, result.pruned_runs)) or "none"
    click.echo(f"pruned runs {runs}: {result.rows} rows, {result.bytes_freed / 1e6:.1f} MB freed")
