"""`auditor rules test --corpus`: recall and near-miss rejection per split, misses with the deciding condition."""

from __future__ import annotations

from checkdb import REPO
from click.testing import CliRunner

from auditor.cli import cli
from auditor.rules import load_catalogue
from auditor.rules.corpus import Case, judge_case, load_corpus, run_corpus, total

CATALOGUE = load_catalogue(str(REPO / "rules"))
RULES = {r.id: r for r in CATALOGUE.rules if r.is_web}
CORPUS = REPO / "tests" / "fixtures" / "corpus" / "titles.yaml"


def case(rule, label, title, split="work", **kw):
    return Case(rule, split, label, title, source="https://example.gov.cn/1.html", **kw)


def write(tmp_path, cases: str):
    path = tmp_path / "corpus.yaml"
    path.write_text("cases:\n" + cases, encoding="utf-8")
    return path


def test_a_near_miss_is_rejected_by_the_rule_or_by_a_body_above_the_district():
    ok, _ = judge_case(CATALOGUE, RULES, case("jd2018-057", "no_match", "区环保局召开污染地块名录编制工作推进会"))
    assert ok  # the rule's news exclusion
    # the same kind of document, but a ministry's or a province's: the check never credits it
    ok, _ = judge_case(CATALOGUE, RULES, case("jd2018-057", "no_match", "2018年污染地块名录", publisher="生态环境部"))
    assert ok
    # another district's document stands for the district's own: it is judged on its kind
    ok, why = judge_case(CATALOGUE, RULES, case("jd2018-057", "no_match", "2018年污染地块名录", publisher="上海市普陀区生态环境局"))
    assert not ok and why == "accepted"


def test_a_positive_must_show_the_elements_it_names():
    ok, why = judge_case(CATALOGUE, RULES, case("jd2018-006", "match", "2018年嘉定区早餐网点名单", elements=("早餐工程",)))
    assert ok, why
    ok, why = judge_case(CATALOGUE, RULES, case("jd2018-006", "match", "2018年嘉定区早餐网点名单", elements=("家政服务",)))
    assert not ok and why.startswith("element 家政服务")


def test_the_bundled_corpus_is_real_large_and_split_before_tuning():
    cases = load_corpus(CORPUS)
    assert len(cases) >= 1700
    assert all(c.source.startswith(("http://", "https://", "github.com")) for c in cases)
    assert len({c.source.split("/")[2] for c in cases if c.source.startswith("http")}) >= 100
    heldout = sum(c.split == "heldout" for c in cases) / len(cases)
    assert 0.28 <= heldout <= 0.38
    results = run_corpus(CATALOGUE, cases)
    assert set(results) == {"work", "heldout"} and len(results["work"]) >= 120


def test_cli_prints_work_misses_with_their_condition_and_both_parts_figures(tmp_path):
    path = write(tmp_path, """- {rule: jd2018-057, split: work, label: match, title: 2018年嘉定区污染地块名录, source: https://a.gov.cn/1}
- {rule: jd2018-057, split: work, label: match, title: 嘉定区疑似污染场地一览, source: https://a.gov.cn/2}
- {rule: jd2018-057, split: work, label: no_match, title: 区环保局召开污染地块名录推进会, source: https://a.gov.cn/3}
- {rule: jd2018-057, split: heldout, label: match, title: 某区污染场地调查报告汇编, source: https://b.gov.cn/1}
""")
    result = CliRunner().invoke(cli, ["rules", "test", "--corpus", str(path), "--per-rule"])
    out = result.output
    assert f"{path}:3: jd2018-057: missed: 嘉定区疑似污染场地一览 — match: name lacks all of 污染地块" in out
    assert "corpus work: recall 1/2 = 0.500, near-miss rejection 1/1 = 1.000" in out
    assert "corpus heldout: recall 0/1 = 0.000" in out
    assert "某区污染场地调查报告汇编" not in out  # the held-out part's misses are never shown
    assert result.exit_code == 0
    below = CliRunner().invoke(cli, ["rules", "test", "--corpus", str(path), "--min-recall", "0.9"])
    assert below.exit_code == 1


def test_a_malformed_case_is_one_line_naming_its_line(tmp_path):
    path = write(tmp_path, """- {rule: jd2018-057, split: work, label: match, title: 名录, source: https://a/1}
- {rule: jd2018-057, split: somewhere, label: match, title: 名录, source: https://a/2}
""")
    result = CliRunner().invoke(cli, ["rules", "test", "--corpus", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == f"auditor: {path}:3: label must be one of ('match', 'no_match') and split one of ('work', 'heldout')"
    assert "Traceback" not in result.output


def test_totals_add_up_over_rules():
    cases = [case("jd2018-057", "match", "2018年污染地块名录"), case("jd2018-058", "no_match", "召开重点排污单位名录推进会")]
    t = total(run_corpus(CATALOGUE, cases)["work"])
    assert (t.found, t.positives, t.rejected, t.near) == (1, 1, 1, 1)
