"""The `auditor` command line: a thin shell over the Python API.

Every command catches `AuditorError` and prints it as one line with exit status 2;
the work itself lives in the library modules each command names.
"""

from __future__ import annotations

import functools
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import click

from .errors import AuditorError
from .settings import DEFAULTS, default_rules_dir


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


def rules_option(fn: Callable) -> Callable:
    return click.option(
        "--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
        help=f"Rule catalogue folder [default: {DEFAULTS['rules']}]",
    )(fn)


def _rules_dir(value: str | None) -> Path:
    return Path(value) if value else default_rules_dir()


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
def cli() -> None:
    """Audit government-affairs openness (政务公开) on government websites.

    Rules from the work plan are checked against a crawl of the portal, and the
    gaps are written up as an HTML evaluation report.

    Example: auditor run --portal rules/portals/jiading.yaml
    """


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
    from .rules import read_catalogue

    catalogue, problems = read_catalogue(_rules_dir(rules_dir))
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
    from .rules import load_catalogue
    from .rules.examples import run_examples

    count, failures = run_examples(load_catalogue(_rules_dir(rules_dir)))
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
    from .rules import load_catalogue

    catalogue = load_catalogue(_rules_dir(rules_dir))
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


def as_of_option(fn: Callable) -> Callable:
    return click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        envvar="AUDITOR_AS_OF", show_envvar=True,
                        help="Date the audit judges at, YYYY-MM-DD [default: today, if it lies in the catalogue's "
                             "evaluation window]")(fn)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


db_option = click.option("--db", "db_path", type=click.Path(dir_okay=False), default=DEFAULTS["db"], show_default=True,
                         help="SQLite database")
out_option = click.option("--out", "out_dir", type=click.Path(file_okay=False), default=DEFAULTS["out"], show_default=True,
                          help="Folder to write the report into")
portal_option = click.option("--portal", "portal_path", type=click.Path(dir_okay=False), required=True,
                             help="Portal configuration (YAML, CONTRACT.md's format)")
unit_option = click.option("--unit", help="Only this unit (canonical name or alias)")
overrides_option = click.option("--overrides", "overrides_path", type=click.Path(dir_okay=False), default=None,
                                help="Reviewers' decisions (YAML) that replace computed statuses")


@cli.command()
@portal_option
@db_option
@unit_option
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop after this many pages")
@click.option("--redis", "redis_url", default=None,
              help="Be one worker of a distributed crawl sharing this Redis (redis://host:port/db); "
                   "'auditor ingest' stores it")
@one_line_errors
def crawl(portal_path: str, db_path: str, unit: str | None, max_pages: int | None, redis_url: str | None) -> None:
    """Crawl the portal into the database as a new numbered run.

    With --redis, run one worker of a distributed crawl instead (no database: start
    'auditor ingest' once to store the run); it exits when there is no work left.

    Example: auditor crawl --portal rules/portals/jiading.yaml --db audit.db --unit 区民政局
    """
    if redis_url:
        from .distributed import work

        click.echo(work(portal_path, redis_url, unit=unit, max_pages=max_pages))
        return
    from .crawl.process import crawl as run_crawl

    summary = run_crawl(portal_path, db_path, unit=unit, max_pages=max_pages)
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
    from .distributed import ingest as store_crawl

    click.echo(str(store_crawl(redis_url, db_path, wait=wait, echo=lambda line: click.echo(line, err=True))))


@cli.command()
@rules_option
@db_option
@as_of_option
@overrides_option
@click.option("--crawl-run", type=click.IntRange(min=1), default=None,
              help="Re-check this earlier crawl run instead of the latest complete one (no fetching)")
@one_line_errors
def check(rules_dir: str | None, db_path: str, as_of: datetime | None, overrides_path: str | None,
          crawl_run: int | None) -> None:
    """Evaluate the rules on the latest complete crawl and store findings and scores.

    Reviewers' decisions in the database apply; --overrides stores a file's first.

    Example: auditor check --as-of 2019-01-15 --overrides decisions.yaml
    """
    from .check import run_check

    click.echo(str(run_check(db_path, _rules_dir(rules_dir), as_of=_day(as_of), overrides_path=overrides_path,
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
    from .job import report as write

    click.echo(str(write(db_path, out_dir, unit=unit, check_run=check_run)))


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
def run(portal_path: str, rules_dir: str | None, db_path: str, out_dir: str, as_of: datetime | None,
        unit: str | None, overrides_path: str | None, max_pages: int | None, fail_under: float | None) -> None:
    """Crawl, check and report in one go: the scheduled job. Prints the report's path.

    A second job on the same database does nothing and exits 75 (EX_TEMPFAIL) with
    one line while the first runs: a scheduled run that overlaps is skipped, not failed.

    Example: auditor run --portal rules/portals/jiading.yaml --fail-under 60
    """
    from .job import CrawlIncomplete, run_job
    from .lock import EXIT_LOCK_HELD, LockHeld

    try:
        result = run_job(portal_path, rules_dir=_rules_dir(rules_dir), db_path=db_path, out_dir=out_dir,
                         as_of=_day(as_of), unit=unit, overrides_path=overrides_path, max_pages=max_pages,
                         echo=lambda line: click.echo(line, err=True))
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
    from .retention import prune as drop_old_pages

    result = drop_old_pages(db_path, keep=keep, vacuum=not no_vacuum)
    runs = ", ".join(map(str, result.pruned_runs)) or "none"
    click.echo(f"pruned runs {runs}: {result.rows} rows, {result.bytes_freed / 1e6:.1f} MB freed")


@cli.command()
@click.argument("url")
@click.option("--portal", "portal_path", type=click.Path(dir_okay=False), default=None,
              help="Portal configuration, to attribute the page by URL as the check does")
@rules_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON")
@one_line_errors
def inspect(url: str, portal_path: str | None, rules_dir: str | None, as_json: bool) -> None:
    """Fetch one page and show what the auditor reads from it and which rules it satisfies.

    Example: auditor inspect https://www.jiading.gov.cn/publicity/jcgk/zdgkwj/gfxwj --json
    """
    from .inspect import inspect_url
    from .rules import load_catalogue

    result = inspect_url(url, load_catalogue(_rules_dir(rules_dir)), portal_path)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return
    page = result.page
    for label, value in (("地址", page.url), ("标题", page.title), ("发布日期", page.date or "未识别"),
                         ("发布机构", page.publisher or "未识别"), ("栏目", page.column or "未识别"),
                         ("归属单位", result.unit or "未知"), ("索引号", page.index_no), ("文号", page.doc_no),
                         ("编码", page.encoding)):
        if value:
            click.echo(f"{label}：{value}")
    if page.is_list:
        click.echo(f"列表页：{len(page.entries)} 条{'（暂无信息）' if page.empty_list else ''}")
    for att in page.attachments:
        click.echo(f"附件：{att.text or att.url}（{att.ext}）{att.url}")
    if not result.hits:
        click.echo("没有规则与本页相关")
    for hit in result.hits:
        mark = "满足" if hit.satisfied else "接近"
        parts = f"（要素：{'、'.join(hit.elements)}）" if hit.elements else ""
        click.echo(f"[{mark}] {hit.rule} 第{hit.item or '-'}项 {hit.title}{parts}{'：' + hit.why if hit.why else ''}")


if __name__ == "__main__":  # python -m auditor.cli
    cli()
