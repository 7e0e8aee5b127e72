"""Every finding status, its reasons, evidence order, near evidence, and CONTRACT.md's roll-up."""

from datetime import date

import pytest

from auditor.check.status import Finding, Hit, best_first, evaluate, roll_up
from auditor.rules.model import Element, Rule, Timing

AS_OF = date(2018, 12, 10)
Y18 = date(2018, 1, 1)


def make(timing=Timing(valid_from=Y18), elements=(), mode="web", when_absent="missing"):
    return Rule("jd2018-057", 57, "污染地块名录", ("区环保局",), 3.0, mode, seeks="2018年嘉定区污染地块名录",
                manual_reason="内部培训" if mode == "manual" else "", elements=tuple(Element(e, ()) for e in elements),
                timing=timing, when_absent=when_absent)


def hit(day, elements=(), url=None, foreign=""):
    return Hit(url or f"http://hb.test/{day}.html", f"名录 {day}", date.fromisoformat(day) if day else None,
               tuple(elements), foreign)


def test_met_with_newest_evidence_first():
    f = evaluate(make(), "区环保局", [hit("2018-03-01"), hit("2018-05-01")], AS_OF)
    assert f.status == f.computed_status == "met"
    assert [h.date.isoformat() for h in f.evidence] == ["2018-05-01", "2018-03-01"]
    assert f.reasons == ["已公开2018年嘉定区污染地块名录，最近一次发布为2018-05-01"]


def test_missing_names_what_was_sought_and_lists_old_evidence_as_near_evidence():
    f = evaluate(make(Timing(valid_from=Y18, deadline=date(2018, 6, 30))), "区环保局", [hit("2017-05-01")], AS_OF)
    assert f.status == "missing" and f.evidence == []
    assert f.reasons[0] == "未找到2018年嘉定区污染地块名录（应于2018-06-30前公开）"
    assert f.rejected == [{"url": "http://hb.test/2017-05-01.html", "title": "名录 2017-05-01", "date": "2017-05-01",
                           "why": "发布于2017-05-01，早于2018-01-01，不在评估期内"}]
    assert "不予计入" in f.reasons[1]
    assert evaluate(make(), "区环保局", [], AS_OF).reasons == ["未找到2018年嘉定区污染地块名录"]


def test_not_due_until_the_deadline_has_passed():
    rule = make(Timing(valid_from=Y18, deadline=date(2018, 12, 31)))
    assert evaluate(rule, "区环保局", [], AS_OF).status == "not_due"
    assert evaluate(rule, "区环保局", [], date(2018, 12, 31)).status == "missing"  # deadline not after as-of
    assert evaluate(rule, "区环保局", [], date(2019, 1, 1)).status == "missing"
    assert evaluate(rule, "区环保局", [hit("2018-11-01")], AS_OF).status == "met"


def test_a_duty_in_force_before_the_plan_is_due_at_once():
    standing = make(Timing(valid_from=date(2008, 5, 1), in_force=date(2008, 5, 1)))
    f = evaluate(standing, "南翔镇", [], date(2018, 6, 1))
    assert f.status == "missing"
    assert f.reasons == ["未找到2018年嘉定区污染地块名录（该义务自2008-05-01起施行，应常年公开）"]


def test_evidence_published_after_the_as_of_date_does_not_count():
    f = evaluate(make(), "区环保局", [hit("2018-12-20")], AS_OF)
    assert f.status == "missing" and f.rejected[0]["why"] == "发布于2018-12-20，晚于评估基准日"


def test_a_page_of_a_body_outside_the_district_is_never_evidence():
    f = evaluate(make(), "区市场监管局", [hit("2018-05-01", foreign="杭州市市场监督管理局")], AS_OF)
    assert f.status == "missing" and f.evidence == []
    assert f.rejected[0]["why"] == "发布机构为杭州市市场监督管理局，不是本区单位发布的信息"


def test_continuous_duties_are_stale_past_their_maximum_age():
    rule = make(Timing(valid_from=Y18, cadence="continuous", max_age_days=90))
    f = evaluate(rule, "区民政局", [hit("2018-06-05"), hit("2018-07-05")], AS_OF)
    assert f.status == "stale" and f.days_overdue == 68 and f.newest_date == date(2018, 7, 5)
    assert f.reasons == ["最近一次发布为2018-07-05，已超过90天内动态更新要求68天"]
    assert evaluate(rule, "区民政局", [hit("2018-11-08")], AS_OF).status == "met"


def test_partial_names_missing_elements():
    rule = make(elements=("申报指南", "立项", "验收", "资金安排", "绩效评价"))
    f = evaluate(rule, "区科委", [hit("2018-03-01", ["申报指南"]), hit("2018-09-01", ["立项"])], AS_OF)
    assert f.status == "partial" and f.missing_elements == ["验收", "资金安排", "绩效评价"]
    assert f.reasons[0] == "已公开申报指南、立项，缺少验收、资金安排、绩效评价"
    whole = evaluate(rule, "区科委", [hit("2018-03-01", ["申报指南", "立项", "验收", "资金安排", "绩效评价"])], AS_OF)
    assert whole.status == "met"


def test_manual_unreachable_and_when_absent():
    assert evaluate(make(mode="manual"), "区府办", [hit("2018-03-01")], AS_OF).status == "manual"
    down = evaluate(make(), "区网宣中心", [hit("2018-03-01")], AS_OF, unreachable=True)
    assert down.status == "unreachable" and "无法访问" in down.reasons[0]
    absent = make(Timing(valid_from=Y18), when_absent="manual")
    assert evaluate(absent, "区安监局", [], AS_OF).status == "manual"
    assert evaluate(absent, "区安监局", [hit("2018-04-01")], AS_OF).status == "met"


def test_best_first_keeps_a_page_for_every_element():
    hits = [hit(f"2018-0{m}-01", ["立项"]) for m in range(1, 10)] + [hit("2017-01-01", ["验收"])]
    chosen = best_first(hits, limit=3)
    assert len(chosen) == 3
    assert any("验收" in h.elements for h in chosen)
    assert chosen[0].date == date(2018, 9, 1)


def finding(status: str, decided: str | None = None) -> Finding:
    """A finding; ``decided`` is a reviewer's decision replacing its status."""
    f = Finding(make(mode="manual" if status == "manual" else "web"), "区民政局", status)
    if decided:
        f.status, f.override = decided, {"status": decided}
    return f


@pytest.mark.parametrize("statuses, unreachable, expected, pending", [
    (["met", "met"], True, "unreachable", False),
    (["manual", "manual"], False, "manual", True),
    (["met", "met"], False, "met", False),
    # a manual finding awaiting a decision neither raises nor lowers the pair: item 97's 目录
    # published, its manual rule undecided, is met with a review pending
    (["met", "manual"], False, "met", True),
    (["met", "unreachable"], False, "unreachable", False),
    (["missing", "not_due"], False, "missing", False),
    (["not_due", "not_due"], False, "not_due", False),
    (["not_due", "manual"], False, "not_due", True),
    # nothing published and a manual rule undecided: missing (it was never 未到期 by default)
    (["missing", "manual"], False, "missing", True),
    (["met", "stale", "missing"], False, "stale", False),
    (["met", "missing"], False, "partial", False),
    (["partial"], False, "partial", False),
    (["met", "not_due"], False, "partial", False),
])
def test_roll_up(statuses, unreachable, expected, pending):
    assert roll_up([finding(s) for s in statuses], unreachable) == (expected, pending)


def test_decided_manual_findings_count_with_their_decided_status():
    assert roll_up([finding("met"), finding("manual", decided="missing")]) == ("partial", False)
    assert roll_up([finding("missing"), finding("manual", decided="missing")]) == ("missing", False)
    assert roll_up([finding("met"), finding("manual", decided="met")]) == ("met", False)
    # a reviewer who decided every rule of an unreachable unit's pair has seen the material
    assert roll_up([finding("unreachable", decided="met")], unreachable=True) == ("met", False)
