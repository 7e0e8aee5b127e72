"""Weighted scores, partial credit, coverage, grades from data, separate health deductions,
and one count of problems: (plan item or statutory rule, unit) pairs not met."""

import pytest
from checkdb import REPO

from auditor.check.health import SiteCheck
from auditor.check.judge import roll_up_items
from auditor.check.scoring import compute_scores
from auditor.check.status import Finding
from auditor.rules import read_catalogue
from auditor.rules.model import Rule

CONFIG = read_catalogue(REPO / "rules")[0].scoring
ITEMS = iter(range(1, 1000))


def finding(unit, status, weight, section="一", item=None, baseline=False):
    item = None if baseline else (item or next(ITEMS))
    return Finding(Rule(f"r-{unit}-{status}-{weight}-{item}", item, "t", (unit,), float(weight), "web", section=section),
                   unit, status)


def scores_of(findings, checks=()):
    items = roll_up_items(findings, set())
    return {(s.scope, s.key): s for s in compute_scores(findings, items, list(checks), CONFIG, "嘉定区")}


def test_unit_section_and_district_scores():
    findings = [finding("区民政局", "met", 3), finding("区民政局", "partial", 2), finding("区民政局", "stale", 1),
                finding("区民政局", "missing", 2), finding("区民政局", "manual", 4), finding("区民政局", "not_due", 1),
                finding("区环保局", "met", 2, section="四"), finding("区环保局", "unreachable", 5, section="四"),
                finding("区府办", "met", 1, section="", baseline=True)]  # a baseline rule: no plan section
    checks = [SiteCheck("broken_link", "区民政局", "u", "d", 0.1), SiteCheck("stale_homepage", "区民政局", "u", "d", 5.0),
              SiteCheck("unreachable", "区网宣中心", "u", "d", 10.0)]
    scores = scores_of(findings, checks)
    mz = scores[("unit", "区民政局")]
    # (3·1 + 2·0.5 + 1·0.5 + 2·0) / 8 = 56.25 %; manual and not_due leave the denominator
    assert (mz.score, mz.grade, mz.weight_total, mz.weight_scored, mz.coverage) == (56.2, "不合格", 13, 8, 0.615)
    # problems are pairs: partial, stale and missing ones; assessed pairs are the four judged
    assert mz.health_deduction == 5.1 and mz.gaps == 3 and mz.assessed == 4
    hb = scores[("unit", "区环保局")]
    assert (hb.score, hb.grade, hb.coverage, hb.health_deduction, hb.gaps, hb.assessed) == (100.0, "优秀", 0.286, 0, 0, 1)
    assert scores[("section", "四")].score == 100.0 and ("section", "") not in scores
    district = scores[("district", "嘉定区")]
    assert district.score == round(100 * (4.5 + 2 + 1) / 11, 1) and district.health_deduction == 15.1
    assert district.gaps == 3 and district.assessed == 6  # the statutory rule's pair counts too


def test_a_pair_with_several_rules_is_one_problem():
    a = Finding(Rule("jd-1", 7, "t", ("区民政局",), 2.0, "web", section="一"), "区民政局", "missing")
    b = Finding(Rule("jd-1-b", 7, "t", ("区民政局",), 1.0, "web", section="一"), "区民政局", "partial")
    unit = scores_of([a, b])[("unit", "区民政局")]
    assert (unit.gaps, unit.assessed) == (1, 1)


def test_deductions_are_capped_and_nothing_scored_has_no_grade():
    checks = [SiteCheck("unreachable", "区民政局", "u", "d", 10.0)] * 9
    unit = scores_of([finding("区民政局", "manual", 2)], checks)[("unit", "区民政局")]
    assert unit.score is None and unit.grade is None and unit.coverage == 0
    assert unit.health_deduction == CONFIG.max_deduction == 40


@pytest.mark.parametrize("score, grade", [(95, "优秀"), (90, "优秀"), (89.9, "良好"), (80, "良好"), (60, "合格"), (59.9, "不合格"), (0, "不合格")])
def test_grades_from_thresholds(score, grade):
    assert CONFIG.grade_of(score) == grade
