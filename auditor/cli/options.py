"""What every command of the CLI shares: one-line errors, common options, the settings."""

from __future__ import annotations

import functools
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import click

from ..errors import AuditorError
from ..settings import DEFAULTS, Settings, default_rules_dir


def one_line_errors(fn: Callable) -> Callable:
    """Turn `AuditorError` into ``auditor: FILE:LINE: message`` and exit 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AuditorError as exc:
            click.echo(f"auditor: {exc}", err=True)
            sys.exit(2)

    return wrapper


def settings() -> Settings:
    """The effective settings of this invocation (`--config`, `--setting`)."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return (root.obj if root and isinstance(root.obj, Settings) else None) or Settings()


def rules_option(fn: Callable) -> Callable:
    return click.option(
        "--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
        help=f"Rule catalogue folder [default: {DEFAULTS['rules']}]",
    )(fn)


def rules_dir_of(value: str | None) -> Path:
    return Path(value) if value else default_rules_dir()


def as_of_option(fn: Callable) -> Callable:
    return click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        envvar="AUDITOR_AS_OF", show_envvar=True,
                        help="Date the audit judges at, YYYY-MM-DD [default: today, if it lies in the catalogue's "
                             "evaluation window]")(fn)


def day(value: datetime | None) -> date | None:
    return value.date() if value else None


db_option = click.option("--db", "db_path", type=click.Path(dir_okay=False), default=DEFAULTS["db"], show_default=True,
                         help="SQLite database")
out_option = click.option("--out", "out_dir", type=click.Path(file_okay=False), default=DEFAULTS["out"], show_default=True,
                          help="Folder to write the report into")
portal_option = click.option("--portal", "portal_path", type=click.Path(dir_okay=False), required=True,
                             help="Portal configuration (YAML, CONTRACT.md's format)")
unit_option = click.option("--unit", help="Only this unit (canonical name or alias)")
overrides_option = click.option("--overrides", "overrides_path", type=click.Path(dir_okay=False), default=None,
                                help="Reviewers' decisions (YAML) to store before checking")
