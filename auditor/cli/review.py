"""`auditor review …`: the reviewer's 复核表 — export it, import it, revoke a decision."""

from __future__ import annotations

import click

from . import cli
from .options import db_option, one_line_errors, rules_dir_of, rules_option


@cli.group()
def review() -> None:
    """Reviewers' decisions: export the 复核表, import it filled in, revoke a decision.

    Example: auditor review export --out 复核表.xlsx
    """


@review.command("export")
@db_option
@rules_option
@click.option("--out", "out", type=click.Path(dir_okay=False), default="复核表.xlsx", show_default=True,
              help="Workbook to write")
@one_line_errors
def review_export(db_path: str, rules_dir: str | None, out: str) -> None:
    """Write the review sheet (复核表) of the latest check: every manual finding, every
    decision in force (a group's or an item's once), every appeal.

    Example: auditor review export --db audit.db --out 复核表.xlsx
    """
    from ..review.workflow import export_review

    path, rows = export_review(db_path, out, rules_dir_of(rules_dir))
    click.echo(f"复核表已写出：{path}（{rows} 行）")


@review.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@rules_option
@one_line_errors
def review_import(file: str, db_path: str, rules_dir: str | None) -> None:
    """Store the decisions of a filled-in 复核表 (.xlsx) or an overrides file (.yaml).

    Every row is checked first: a bad one is one line naming its sheet, row and column,
    exit 2, and nothing is stored. An emptied 复核结论 withdraws the decision. Decisions
    apply to every later check of the same catalogue.

    Example: auditor review import 复核表.xlsx
    """
    from ..review.workflow import import_review

    click.echo(str(import_review(file, db_path, rules_dir_of(rules_dir))))


@review.command("revoke")
@db_option
@rules_option
@click.option("--unit", required=True, help="Unit (or 各街镇 / 区政府各部门) the decision is on")
@click.option("--rule", default=None, help="Rule id the decision is on")
@click.option("--item", type=int, default=None, help="Plan item the decision is on (instead of --rule)")
@click.option("--by", "by", required=True, help="Who withdraws it")
@click.option("--reason", required=True, help="Why")
@one_line_errors
def review_revoke(db_path: str, rules_dir: str | None, unit: str, rule: str | None, item: int | None,
                  by: str, reason: str) -> None:
    """Withdraw a decision; the finding returns to the system's verdict at the next check.

    Example: auditor review revoke --rule jd2018-095 --unit 区府办 --by 张三 --reason 材料不足
    """
    from ..review.workflow import revoke_decision

    n = revoke_decision(db_path, rules_dir_of(rules_dir), unit=unit, rule=rule, item=item, by=by, reason=reason)
    click.echo(f"已撤销 {n} 条复核决定")
