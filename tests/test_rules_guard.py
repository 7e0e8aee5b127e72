"""Lint's guard: a rule taking too many of a real portal's titles warns; a rule taking none of its real positives fails."""

from __future__ import annotations

from checkdb import REPO
from click.testing import CliRunner

from auditor.cli import cli

TITLES = REPO / "tests" / "fixtures" / "corpus" / "portal-titles.tsv"
CORPUS = REPO / "tests" / "fixtures" / "corpus" / "titles.yaml"


def lint(*args):
    result = CliRunner().invoke(cli, ["rules", "lint", *args])
    return result.exit_code, result.output


def weaken(rules_copy, rule_id: str, match: str) -> None:
    """Replace one rule's match with ``match`` (a flow mapping)."""
    for path in (rules_copy / "plan").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        start = text.find(f"- id: {rule_id}\n")
        if start < 0:
            continue
        at = text.index("    match:\n", start)
        end = text.index("\n    exclude:", at)
        path.write_text(text[:at] + f"    match:\n    - name: {match}" + text[end:], encoding="utf-8")
        return
    raise AssertionError(rule_id)


def test_the_bundled_catalogue_passes_the_guard_on_real_titles():
    code, out = lint("--titles", str(TITLES), "--corpus", str(CORPUS))
    assert code == 0, out
    assert "warning" not in out and out.strip().splitlines()[-1].startswith("ok: ")


def test_a_rule_reading_one_common_word_is_named_as_too_weak(rules_copy):
    weaken(rules_copy, "jd2018-057", "{any: [公示]}")
    code, out = lint("--rules", str(rules_copy), "--titles", str(TITLES))
    assert code == 0  # a warning, not a failure
    warning = next(line for line in out.splitlines() if line.startswith("warning: jd2018-057"))
    assert "real titles" in warning and "too weak" in warning
    # a stricter share names more rules; the real ones stay quiet at the default
    assert sum(line.startswith("warning") for line in out.splitlines()) == 1


def test_a_rule_matching_none_of_its_real_positives_fails_lint(rules_copy):
    weaken(rules_copy, "jd2018-057", "{all: [污染地块], any: [这个词不会出现]}")
    code, out = lint("--rules", str(rules_copy), "--corpus", str(CORPUS))
    assert code == 2
    assert "jd2018-057: matches none of its" in out and "real positives in the corpus" in out


def test_an_unreadable_titles_file_is_one_line(tmp_path):
    bad = tmp_path / "titles.tsv"
    bad.write_text("url\tdate\nhttp://x\t2018-01-01\n", encoding="utf-8")
    code, out = lint("--titles", str(bad))
    assert code == 2 and out.strip() == f"auditor: {bad}:1: expected a tab-separated file with a 'title' column"
