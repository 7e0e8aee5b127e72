"""``auditor demo``: the sample portal's commands, added to the CLI by an entry point.

``pyproject.toml`` registers the ``demo`` group under ``auditor.commands``; the auditor's
CLI loads it only when ``auditor demo`` is run, and production code never imports it.
"""

from __future__ import annotations

import time

import click

from auditor.cli.options import one_line_errors, out_option

from .generator import DEFAULT_PAGES
from .server import SamplePortal


@click.group(invoke_without_command=True)
@out_option
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default="demo.db", show_default=True,
              help="Database of the demo's runs (kept apart from audit.db)")
@click.option("--pages", type=click.IntRange(min=100), default=None, help="Size of the sample portal [default: 2000]")
@click.pass_context
@one_line_errors
def demo(ctx: click.Context, out_dir: str, db_path: str, pages: int | None) -> None:
    """Serve the bundled sample portal on loopback, audit it and print the report's path.

    Example: auditor demo --out reports/out/
    """
    if ctx.invoked_subcommand:
        return
    from .demo import run_demo

    result = run_demo(out_dir, db_path, pages=pages, echo=lambda line: click.echo(line, err=True))
    click.echo(str(result.index))


@demo.command("serve")
@click.option("--pages", type=click.IntRange(min=1), default=DEFAULT_PAGES, show_default=True,
              help="Approximate number of HTML pages to generate.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generator.")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Folder for the site (default ~/.cache/auditor/sampleportal/<seed>-<pages>/).")
@click.option("--port", type=click.IntRange(min=0, max=65000), default=0, show_default=True,
              help="Base port: host i listens on port+i (0: free ports).")
@click.option("--history-years", type=click.IntRange(min=0, max=20), default=0, show_default=True,
              help="Years of news and notices before the plan year, as a real portal keeps them.")
def serve(pages: int, seed: int, directory: str | None, port: int, history_years: int) -> None:
    """Serve the sample portal on 127.0.0.2 and further loopback hosts.

    Example: auditor demo serve --pages 2000 --port 8000
    """
    try:
        portal = SamplePortal(directory, pages=pages, seed=seed, port=port, history_years=history_years).start()
    except OSError as exc:
        raise click.ClickException(f"cannot serve the sample portal: {exc}") from None
    click.echo(f"portal config: {portal.config_path}")
    click.echo(f"manifest: {portal.manifest_path}")
    click.echo(f"portal: {portal.url('www')}  (as-of {portal.info.as_of.isoformat()}, {portal.info.pages} pages)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()
