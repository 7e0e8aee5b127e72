"""Every finding status, its reasons, evidence order, and CONTRACT.md's roll-up."""

from datetime import date

import pytest

from auditor.check.status import Hit, best_first, evaluate, roll_up
from auditor.rules.model import Element, Rule, Timing

AS_OF = date(2018, 12, 10)
Y18 = date(2018, 1, 1)


def make(timing=Timing(valid_from=Y18), elements=(), mode="web", when_absent="missing"):
    return Rule("jd2018-057", 57, "污染地块名录", ("区环保局",), 3.0, mode, seeks="2018年嘉定区污染地块名录",
                manual_reason="内部培训" if mode == "manual" else "", elements=tuple(Element(e, ()) for e in elements),
                timing=timing, when_absent=when_absent)


def hit(day, elements=(), url=None):
    return Hit(url or f"http://hb.test/{day}.html", f"名录 {day}", date.fromisoformat(day) if day else None, tuple(elements))


def test_met_with_newest_evidence_first():
    f = evaluate(make(), "区环保局", [hit("2018-03-01"), hit("2018-05-01")], AS_OF)
    assert f.status == f.computed_status == "met"
    assert [h.date.isoformat() for h in f.evidence] == ["2018-05-01", "2018-03-01"]
    assert f.reasons == ["已公开2018年嘉定区污染地块名录，最近一次发布为2018-05-01"]


def test_missing_names_what_was_sought_and_ignores_old_evidence():
    f = evaluate(make(Timing(valid_from=Y18, deadline=date(2018, 6, 30))), "区环保局", [hit("2017-05-01")], AS_OF)
    assert f.status == "missing" and f.evidence == []
    assert f.reasons == ["未找到2018年嘉定区污染地块名录（应于2018-06-30前公开）",
                         "相关信息最近一次发布于2017-05-01，早于2018-01-01，不予计入"]
    assert evaluate(make(), "区环保局", [], AS_OF).reasons == ["未找到2018年嘉定区污染地块名录"]


def test_not_due_until_the_deadline_has_passed():
    rule = make(Timing(valid_from=Y18, deadline=date(2018, 12, 31)))
    assert evaluate(rule, "区环保局", [], AS_OF).status == "not_due"
    assert evaluate(rule, "区环保局", [], date(2018, 12, 31)).status == "missing"  # deadline not after as-of
    assert evaluate(rule, "区环保局", [], date(2019, 1, 1)).status == "missing"
    assert evaluate(rule, "区环保局", [hit("2018-11-01")], AS_OF).status == "met"


def test_evidence_published_after_the_as_of_date_does_not_count():
    assert evaluate(make(), "区环保局", [hit("2018-12-20")], AS_OF).status == "missing"


def test_stale_with_days_overdue():
    f = evaluate(make(Timing(valid_from=Y18, cadence="monthly")), "区民政局",
                 [hit("2018-06-05"), hit("2018-07-05")], AS_OF)
    assert f.status == "stale" and f.days_overdue == 101 and f.newest_date == date(2018, 7, 5)
    assert f.reasons == ["最近一次发布为2018-07-05，已超过按月公开要求101天"]
    fresh = evaluate(make(Timing(valid_from=Y18, cadence="monthly")), "区民政局", [hit("2018-11-08")], AS_OF)
    assert fresh.status == "met" and fresh.days_overdue == 0


def test_undated_evidence_of_a_periodic_rule_is_stale():
    f = evaluate(make(Timing(cadence="monthly")), "区民政局", [hit(None)], AS_OF)
    assert f.status == "stale" and f.days_overdue is None
    assert "未标注发布日期" in f.reasons[0]


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


@pytest.mark.parametrize("statuses, unreachable, expected", [
    (["met", "met"], True, "unreachable"),
    (["manual", "manual"], False, "manual"),
    (["met", "met"], False, "met"),
    (["met", "manual"], False, "partial"),        # met needs every rule met; a reviewer decides the manual one
    (["met", "unreachable"], False, "unreachable"),
    (["missing", "not_due"], False, "missing"),
    (["not_due", "not_due"], False, "not_due"),
    (["not_due", "manual"], False, "not_due"),
    (["missing", "manual"], False, "missing"),
    (["met", "stale", "missing"], False, "stale"),
    (["met", "missing"], False, "partial"),
    (["partial"], False, "partial"),
    (["met", "not_due"], False, "partial"),
])
def test_roll_up(statuses, unreachable, expected):
    assert roll_up(statuses, unreachable) == expected
