"""Shared word lists: `$name` in words and in regexes, checked by lint."""

from __future__ import annotations

from checkdb import REPO
from click.testing import CliRunner

from auditor.cli import cli
from auditor.rules import load_catalogue
from auditor.rules.matcher import judge, page_fields


def lint(rules_dir):
    result = CliRunner().invoke(cli, ["rules", "lint", "--rules", str(rules_dir)])
    return result.exit_code, result.output


def add_rule(rules_copy, regex_ref: str, words_ref: str) -> None:
    """A statutory rule whose regex and exclude words name the given lists."""
    path = rules_copy / "baseline.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"""
- id: base-vocab-test
  item: null
  title: 测试
  text: ""
  units: [区府办]
  weight: 1
  mode: web
  seeks: 测试文件
  satisfy: 测试
  basis:
  - document: ogi-2008
    article: 第十九条
    text: "行政机关应当编制、公布政府信息公开指南和政府信息公开目录,并及时更新。"
  evidence:
    match:
      name: {{regex: ['测试({regex_ref})']}}
    exclude:
      title: {{any: [{words_ref}]}}
  timing: {{cadence: once}}
  examples:
    match: [测试目录]
    no_match: [召开测试目录推进会]
""", encoding="utf-8")


def test_the_catalogue_names_its_shared_lists_instead_of_copying_them():
    catalogue = load_catalogue(str(REPO / "rules"))
    assert {"news", "explain", "pre_decision", "procurement", "subsidy", "plan_docs"} <= set(catalogue.vocabulary.lists)
    # a list may include others: news is meetings and activity reports together
    news = catalogue.vocabulary.lists["news"]
    assert set(catalogue.vocabulary.lists["meetings"]) <= set(news) and "召开" in news
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "rules").glob("plan/*.yaml")))
    assert text.count("$news") + text.count("$interpret_or_news") + text.count("$meetings") >= 10


def test_list_words_and_regex_references_expand(rules_copy):
    add_rule(rules_copy, "$lists", "$news")
    code, out = lint(rules_copy)
    assert code == 0, out
    rule = next(r for r in load_catalogue(str(rules_copy)).rules if r.id == "base-vocab-test")
    assert judge(rule, page_fields(title="测试名录")).evidence
    assert not judge(rule, page_fields(title="测试规定")).evidence
    assert not judge(rule, page_fields(title="区府办召开测试名录推进会")).evidence


def test_an_unknown_list_is_a_lint_problem_at_its_line(rules_copy):
    add_rule(rules_copy, "$nosuchlist", "$nosuchwords")
    code, out = lint(rules_copy)
    assert code == 2
    assert "names no word list '$nosuchlist'" in out and "names no word list '$nosuchwords'" in out
    assert "baseline.yaml:" in out


def test_a_list_including_itself_is_a_lint_problem(rules_copy):
    path = rules_copy / "vocabulary.yaml"
    path.write_text(path.read_text(encoding="utf-8") + """  loop_a:
    help: 甲
    words: [$loop_b]
  loop_b:
    help: 乙
    words: [$loop_a]
""", encoding="utf-8")
    code, out = lint(rules_copy)
    assert code == 2 and "includes itself" in out
