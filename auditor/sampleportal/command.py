"""``auditor demo serve``: serve the bundled sample portal until Ctrl-C."""

from __future__ import annotations

import time

import click

from .generator import DEFAULT_PAGES
from .server import SamplePortal


@click.command("serve")
@click.option("--pages", type=click.IntRange(min=1), default=DEFAULT_PAGES, show_default=True,
              help="Approximate number of HTML pages to generate.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generator.")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Folder for the site (default ~/.cache/auditor/sampleportal/<seed>-<pages>/).")
@click.option("--port", type=click.IntRange(min=0, max=65000), default=0, show_default=True,
              help="Base port: host i listens on port+i (0: free ports).")
def serve(pages: int, seed: int, directory: str | None, port: int) -> None:
    """Serve the sample portal on 127.0.0.2 and further loopback hosts.

    Example: auditor demo serve --pages 2000 --port 8000
    """
    try:
        portal = SamplePortal(directory, pages=pages, seed=seed, port=port).start()
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
