"""Every rule's own examples pass; a broken rule makes `auditor rules test` fail."""

from __future__ import annotations

from click.testing import CliRunner

from auditor.cli import cli
from auditor.rules import load_catalogue
from auditor.rules.examples import run_examples


def test_every_example_of_the_catalogue_passes():
    count, failures = run_examples(load_catalogue("rules"))
    assert count >= 4 * 90
    assert not failures, "\n".join(map(str, failures[:20]))


def test_every_web_rule_has_realistic_examples_both_ways():
    for rule in load_catalogue("rules").rules:
        if rule.is_web:
            assert len(rule.examples_match) >= 1 and len(rule.examples_no_match) >= 1, rule.id
        else:
            assert rule.manual_reason, rule.id


def test_rules_test_fails_when_a_rule_breaks(rules_copy):
    f = rules_copy / "plan" / "s4-livelihood.yaml"
    plan_text = load_catalogue(rules_copy).plan[57].text
    # a rule whose near-miss example it wrongly accepts
    f.write_text(f.read_text(encoding="utf-8").rstrip() + f"""

- id: jd2018-057-zz
  item: 57
  title: 过宽的规则
  text: "{plan_text}"
  units: [区环保局]
  weight: 1
  mode: web
  seeks: 污染地块名录
  evidence:
    match: {{title: {{any: [污染地块]}}}}
  examples:
    match: [2018年嘉定区污染地块名录]
    no_match: [区环保局召开污染地块工作推进会]
""", encoding="utf-8")
    _, failures = run_examples(load_catalogue(rules_copy))
    assert [f.rule.id for f in failures] == ["jd2018-057-zz"]
    assert "must not match but matched: 区环保局召开污染地块工作推进会" in str(failures[0])
    result = CliRunner().invoke(cli, ["rules", "test", "--rules", str(rules_copy)])
    assert result.exit_code == 1
    assert result.output.strip().endswith("passed, 1 failed")
