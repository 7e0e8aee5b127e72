"""`auditor rules …`: validate, test and list the rule catalogue."""

from __future__ import annotations

import json
import sys

import click

from . import cli
from .options import one_line_errors, rules_dir_of, rules_option


@cli.group()
def rules() -> None:
    """Validate, test and list the rule catalogue.

    Example: auditor rules lint
    """


@rules.command("lint")
@rules_option
@click.option("--titles", "titles_path", type=click.Path(dir_okay=False, exists=True), default=None,
              help="One real portal's titles (TSV with a 'title' column): warn on rules matching too many")
@click.option("--max-share", type=click.FloatRange(0, 1), default=None,
              help="With --titles: the share of titles above which a rule is too weak (default 0.08)")
@click.option("--corpus", "corpus_path", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A real-title corpus: a rule matching none of its own positives is a problem")
@one_line_errors
def rules_lint(rules_dir: str | None, titles_path: str | None, max_share: float | None, corpus_path: str | None) -> None:
    """Validate every rule file; print FILE:LINE: RULE-ID: message per problem.

    With --titles, warn (naming it) on every rule that takes more than --max-share of a
    real portal's titles as evidence; with --corpus, a rule none of whose real positives
    it accepts is a problem. Exits 2 if there is any problem (warnings do not fail).

    Example: auditor rules lint --titles tests/fixtures/corpus/portal-titles.tsv --corpus tests/fixtures/corpus/titles.yaml
    """
    from ..rules import read_catalogue
    from ..rules.guard import DEFAULT_MAX_SHARE, dead_rules, load_titles, weak_rules

    catalogue, problems = read_catalogue(rules_dir_of(rules_dir))
    messages = [str(p) for p in problems]
    if not problems and corpus_path:
        from ..rules.corpus import load_corpus

        messages += [f"{corpus_path}: {rid}: matches none of its {n} real positives in the corpus"
                     for rid, n in dead_rules(catalogue, load_corpus(corpus_path))]
    if not problems and titles_path:
        for weak in weak_rules(catalogue, load_titles(titles_path), DEFAULT_MAX_SHARE if max_share is None else max_share):
            click.echo(str(weak))
    for message in messages:
        click.echo(message)
    if messages:
        click.echo(f"{len(messages)} problem(s)", err=True)
        sys.exit(2)
    web = sum(r.is_web for r in catalogue.rules)
    click.echo(f"ok: {len(catalogue.rules)} rules ({web} web, {len(catalogue.rules) - web} manual), "
               f"plan items {min(catalogue.plan)}–{max(catalogue.plan)} covered, catalogue {catalogue.version}")


@rules.command("test")
@rules_option
@click.option("--corpus", "corpus_path", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Also measure the catalogue on a real-title corpus (tests/fixtures/corpus/titles.yaml)")
@click.option("--min-recall", type=click.FloatRange(0, 1), default=None,
              help="With --corpus: exit 1 if recall on the working part is below this")
@click.option("--min-rejection", type=click.FloatRange(0, 1), default=None,
              help="With --corpus: exit 1 if near-miss rejection on the working part is below this")
@click.option("--per-rule", is_flag=True, help="With --corpus: a line per rule")
@one_line_errors
def rules_test(rules_dir: str | None, corpus_path: str | None, min_recall: float | None,
               min_rejection: float | None, per_rule: bool) -> None:
    """Run each rule's own examples (pages that must and must not match), and a corpus.

    With --corpus, report recall (positives found) and near-miss rejection per rule and
    overall, for the working and the held-out part apart; the working part's misses are
    printed with the condition that decided them. Exits 1 if an example fails or a
    figure is below --min-recall / --min-rejection.

    Example: auditor rules test --corpus tests/fixtures/corpus/titles.yaml --min-recall 0.95
    """
    from ..rules import load_catalogue
    from ..rules.examples import run_examples

    catalogue = load_catalogue(rules_dir_of(rules_dir))
    count, failures = run_examples(catalogue)
    for failure in failures:
        click.echo(str(failure))
    click.echo(f"{count - len(failures)} passed, {len(failures)} failed")
    below = corpus_report(catalogue, corpus_path, min_recall, min_rejection, per_rule) if corpus_path else False
    if failures or below:
        sys.exit(1)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def corpus_report(catalogue, path: str, min_recall: float | None, min_rejection: float | None,
                  per_rule: bool) -> bool:
    """Print the corpus figures; True if the working part is below a threshold."""
    from ..rules.corpus import load_corpus, run_corpus, total

    results = run_corpus(catalogue, load_corpus(path))
    work = results.get("work", {})
    for case, why in sorted((m for t in work.values() for m in t.misses), key=lambda m: (m[0].rule, m[0].line)):
        kind = "missed" if case.label == "match" else "accepted near miss"
        click.echo(f"{path}:{case.line}: {case.rule}: {kind}: {case.title} — {why}")
    if per_rule:
        for rule in sorted(set(work) | set(results.get("heldout", {}))):
            w, h = work.get(rule), results.get("heldout", {}).get(rule)
            click.echo(f"{rule}: work recall {_pct(w.recall if w else None)} rejection {_pct(w.rejection if w else None)}"
                       f" · held-out recall {_pct(h.recall if h else None)} rejection {_pct(h.rejection if h else None)}")
    below = False
    for split in ("work", "heldout"):
        t = total(results.get(split, {}))
        click.echo(f"corpus {split}: recall {t.found}/{t.positives} = {_pct(t.recall)}, "
                   f"near-miss rejection {t.rejected}/{t.near} = {_pct(t.rejection)}, {len(results.get(split, {}))} rules")
        if split == "work":
            below = (min_recall is not None and (t.recall or 0) < min_recall) or \
                    (min_rejection is not None and (t.rejection or 0) < min_rejection)
    return below


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
        canonical = catalogue.registry.require(unit)
        selected = catalogue.rules_for_unit(canonical)
    if as_json:
        rows = [dict(r.to_dict(), responsible=catalogue.units_of(r)) for r in selected]
        click.echo(json.dumps({"version": catalogue.version, "rules": rows}, ensure_ascii=False, indent=1))
        return
    for r in selected:
        item = f"{r.item:>3}" if r.item else "  -"
        click.echo(f"{r.id:<16} {item}  {r.mode:<6} {r.title}  [{'、'.join(r.units)}]")
    click.echo(f"{len(selected)} rules")
