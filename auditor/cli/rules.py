"""`auditor rules …`: validate, test and list the rule catalogue."""

from __future__ import annotations

import json
import sys

import click

from ..errors import AuditorError
from . import cli
from .options import one_line_errors, rules_dir_of, rules_option


@cli.group()
def rules() -> None:
    """Validate, test and list the rule catalogue.

    Example: auditor rules lint
    """


@rules.command("lint")
@rules_option
@one_line_errors
def rules_lint(rules_dir: str | None) -> None:
    """Validate every rule file; print FILE:LINE: RULE-ID: message per problem.

    Exits 2 if there is any problem.

    Example: auditor rules lint --rules rules/
    """
    from ..rules import read_catalogue

    catalogue, problems = read_catalogue(rules_dir_of(rules_dir))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(2)
    web = sum(r.is_web for r in catalogue.rules)
    click.echo(f"ok: {len(catalogue.rules)} rules ({web} web, {len(catalogue.rules) - web} manual), "
               f"plan items {min(catalogue.plan)}–{max(catalogue.plan)} covered, catalogue {catalogue.version}")


@rules.command("test")
@rules_option
@one_line_errors
def rules_test(rules_dir: str | None) -> None:
    """Run each rule's own examples (pages that must and must not match).

    Exits 1 if an example fails.

    Example: auditor rules test
    """
    from ..rules import load_catalogue
    from ..rules.examples import run_examples

    count, failures = run_examples(load_catalogue(rules_dir_of(rules_dir)))
    for failure in failures:
        click.echo(str(failure))
    click.echo(f"{count - len(failures)} passed, {len(failures)} failed")
    if failures:
        sys.exit(1)


@rules.command("list")
@rules_option
@click.option("--unit", help="Only the rules this unit (name or alias) is responsible for")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON")
@one_line_errors
def rules_list(rules_dir: str | None, unit: str | None, as_json: bool) -> None:
    """The rule catalogue, optionally for one unit.

    Example: auditor rules list --unit 区民政局 --json
    """
    from ..rules import load_catalogue

    catalogue = load_catalogue(rules_dir_of(rules_dir))
    selected = catalogue.rules
    if unit:
        canonical = catalogue.registry.resolve(unit)
        if not canonical:
            raise AuditorError(f"unknown unit '{unit}'", "--unit")
        selected = catalogue.rules_for_unit(canonical)
    if as_json:
        rows = [dict(r.to_dict(), responsible=catalogue.units_of(r)) for r in selected]
        click.echo(json.dumps({"version": catalogue.version, "rules": rows}, ensure_ascii=False, indent=1))
        return
    for r in selected:
        item = f"{r.item:>3}" if r.item else "  -"
        click.echo(f"{r.id:<16} {item}  {r.mode:<6} {r.title}  [{'、'.join(r.units)}]")
    click.echo(f"{len(selected)} rules")
