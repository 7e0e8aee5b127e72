"""The linter: every problem as FILE:LINE: RULE-ID: message, exit 2, on a broken copy of the real catalogue."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.rules import load_catalogue, read_catalogue

LINE_RE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<rule>[^:]+): (?P<msg>.+)$")


def lint(rules_dir):
    result = CliRunner().invoke(cli, ["rules", "lint", "--rules", str(rules_dir)])
    return result.exit_code, [l for l in result.output.splitlines() if l.strip()]


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path, needle):
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_the_bundled_catalogue_lints_clean(rules_copy):
    code, lines = lint(rules_copy)
    assert code == 0, "\n".join(lines[:20])
    assert lines[-1].startswith("ok: ")


def test_syntax_error(rules_copy):
    f = rules_copy / "plan" / "s4-livelihood.yaml"
    n = line_of(f, "- id: jd2018-057")
    edit(f, "- id: jd2018-057", "- id: [jd2018-057")
    code, lines = lint(rules_copy)
    assert code == 2
    m = LINE_RE.match(lines[0])
    assert m and m["file"].endswith("s4-livelihood.yaml") and "YAML syntax error" in m["msg"]
    assert abs(int(m["line"]) - n) <= 2


def test_unknown_unit(rules_copy):
    f = rules_copy / "plan" / "s4-livelihood.yaml"
    edit(f, "units: [区环保局]", "units: [区环保厅]")
    code, lines = lint(rules_copy)
    assert code == 2
    hits = [LINE_RE.match(l) for l in lines if "unknown unit '区环保厅'" in l]
    assert hits and all(h and h["rule"].startswith("jd2018-05") for h in hits)
    assert int(hits[0]["line"]) == line_of(f, "units: [区环保厅]")


def test_duplicate_id(rules_copy):
    f = rules_copy / "plan" / "s1-brands.yaml"
    edit(f, "- id: jd2018-002\n", "- id: jd2018-001\n")
    code, lines = lint(rules_copy)
    assert code == 2
    dup = [LINE_RE.match(l) for l in lines if "duplicate id" in l]
    assert dup and dup[0]["rule"] == "jd2018-001"
    # the second occurrence is reported, pointing back at the first
    assert "first at" in dup[0]["msg"] and int(dup[0]["line"]) > line_of(f, "- id: jd2018-001")


def test_bad_regex(rules_copy):
    f = rules_copy / "plan" / "s4-livelihood.yaml"
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if "regex: ['" in line)
    lines[n] = lines[n].replace("regex: ['", "regex: ['(unclosed', '", 1)
    f.write_text("".join(lines), encoding="utf-8")
    code, out = lint(rules_copy)
    assert code == 2
    hits = [LINE_RE.match(l) for l in out if "invalid regex '(unclosed'" in l]
    assert len(hits) == 1 and hits[0]["rule"].startswith("jd2018-0") and int(hits[0]["line"]) == n + 1, out[:5]


def test_item_removed(rules_copy):
    f = rules_copy / "plan" / "s4-livelihood.yaml"
    edit(f, "  item: 57\n", "  item: 58\n", count=-1)  # every rule of item 57
    code, lines = lint(rules_copy)
    assert code == 2
    assert any(l.endswith(": item-57: plan item 57 has no rule") and "plan-2018.txt:" in l for l in lines), lines


def test_text_must_be_verbatim(rules_copy):
    f = rules_copy / "plan" / "s4-livelihood.yaml"
    edit(f, "发布2018年嘉定区污染地块名录", "发布2019年嘉定区污染地块名录")
    code, lines = lint(rules_copy)
    assert code == 2
    assert any(": jd2018-057" in l and "text differs from the plan's wording of item 57" in l for l in lines)


@pytest.mark.parametrize("old, new, message", [
    ("  mode: web\n", "  mode: web\n  colour: red\n", "unknown key 'colour'"),
    ("  weight: ", "  weight: 9\n  x_weight: ", "weight must be a number above 0 and at most 5"),
    ("    cadence: ", "    cadence: fortnightly\n    x_cadence: ", "cadence must be one of"),
    ("    valid_from: 2018-01-01", "    valid_from: 2018-13-01", "valid_from must be a date"),
])
def test_more_problems_are_named(rules_copy, old, new, message):
    f = rules_copy / "plan" / "s4-livelihood.yaml"
    edit(f, old, new)
    code, lines = lint(rules_copy)
    assert code == 2
    assert any(message in l and LINE_RE.match(l) for l in lines), lines[:5]


def test_load_catalogue_raises_one_line_with_location(rules_copy):
    edit(rules_copy / "plan" / "s4-livelihood.yaml", "units: [区环保局]", "units: [区环保厅]")
    with pytest.raises(Exception) as err:
        load_catalogue(rules_copy)
    assert "\n" not in str(err.value) and "s4-livelihood.yaml:" in str(err.value)


def test_a_command_on_a_broken_catalogue_exits_2_with_one_line(rules_copy):
    edit(rules_copy / "plan" / "s4-livelihood.yaml", "units: [区环保局]", "units: [区环保厅]")
    result = CliRunner().invoke(cli, ["rules", "list", "--rules", str(rules_copy)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "unknown unit" in result.output


def test_catalogue_covers_every_item_with_verbatim_text():
    catalogue, problems = read_catalogue("rules")
    assert not problems, problems[:5]
    items = {r.item for r in catalogue.rules if r.item is not None}
    assert items == set(range(1, 102))
    for rule in catalogue.rules:
        if rule.item is not None:
            assert rule.text == catalogue.plan[rule.item].text
    baseline = {r.id for r in catalogue.rules if r.item is None}
    assert {"base-guide", "base-annual-report"} <= baseline


def test_a_text_officials_read_never_names_an_internal_rule_id(rules_copy):
    f = rules_copy / "plan" / "s4-livelihood.yaml"
    edit(f, "  seeks: 嘉定区污染地块名录\n", "  seeks: 嘉定区污染地块名录(由jd2018-058检查)\n")
    code, lines = lint(rules_copy)
    where = next(LINE_RE.match(l) for l in lines if "names the internal id 'jd2018-058'" in l)
    assert (code, where["rule"], int(where["line"])) == (2, "jd2018-057", line_of(f, "(由jd2018-058检查)"))
