"""The `auditor` command line: a thin shell over the Python API.

Each command module holds a few commands and calls the library module it names;
`auditor.cli.options` has what they share. Every command prints `AuditorError` as
one line with exit status 2. ``--config FILE`` and ``--setting NAME VALUE`` set the
settings of `auditor.settings` for the whole invocation.
"""

from __future__ import annotations

import sys

import click

from ..errors import AuditorError
from ..settings import Settings
from .options import one_line_errors, out_option  # noqa: F401  (re-exported for plugins: sampleportal.command)


class OneLineGroup(click.Group):
    """Usage errors as one line (``auditor: option: message``), exit 2, as for config errors.

    Commands other packages add (entry points of group ``auditor.commands``, as
    datasette's plugins do: the sample portal's ``demo``) are loaded only when named,
    so they cost the CLI's start-up nothing and production code never imports them.
    """

    def _plugins(self) -> dict:
        from importlib.metadata import entry_points

        return {ep.name: ep for ep in entry_points(group="auditor.commands")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._plugins()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in (plugins := self._plugins()):
            command = plugins[name].load()
        return command

    def main(self, args=None, prog_name=None, **extra):  # type: ignore[override]
        try:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        except click.UsageError as exc:
            where = f"{exc.ctx.command_path}: " if exc.ctx else ""
            click.echo(f"auditor: {where}{exc.format_message()}".replace("\n", " "), err=True)
            sys.exit(2)
        except click.exceptions.Abort:
            click.echo("auditor: interrupted", err=True)
            sys.exit(130)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"auditor: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="auditor")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
              help="Settings file (YAML with a 'settings:' mapping)")
@click.option("--setting", "pairs", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="Set a setting for this run (README: Settings); may be repeated")
@click.pass_context
def cli(ctx: click.Context, config: str | None, pairs: tuple[tuple[str, str], ...]) -> None:
    """Audit government-affairs openness (政务公开) on government websites.

    Rules from the work plan are checked against a crawl of the portal, and the
    gaps are written up as an HTML evaluation report.

    Example: auditor run --portal rules/portals/jiading.yaml --as-of 2019-01-15
    """
    try:
        ctx.obj = Settings.load(config, pairs)
    except AuditorError as exc:
        click.echo(f"auditor: {exc}", err=True)
        sys.exit(2)


from . import audit, crawling, inspecting, review, rules  # noqa: E402,F401  (each registers its commands)

if __name__ == "__main__":  # python -m auditor.cli
    cli()
