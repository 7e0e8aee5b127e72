"""The report's view model: safe links, rankings, changes since the last run."""

from __future__ import annotations

import pytest
from report_fixture import FRESH_DAY, STALE_DAY, document

from auditor.report.links import safe_url, split_urls
from auditor.report.views import Report


@pytest.mark.parametrize("url", [
    "http://www.jiading.gov.cn/a.html", "https://huanbao.jiading.cn/x?y=1#z", "  https://x.cn/  ", "HTTPS://X.CN/",
])
def test_http_links_are_kept(url):
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>",
    "vbscript:x", "file:///etc/passwd", "//evil.example/x", "/relative/path.html", "http:javascript:alert(1)",
    "https://", "http://exa mple.cn/", "http://x.cn/\nheader", "", None, 42, "http://[::1",
])
def test_other_links_become_text(url):
    assert safe_url(url) == ""


def test_urls_in_free_text_are_split_out_and_checked():
    runs = split_urls("404, linked from https://a.cn/x.html，及javascript:alert(1)")
    assert runs == [("404, linked from ", ""), ("https://a.cn/x.html", "https://a.cn/x.html"), ("，及javascript:alert(1)", "")]
    assert "".join(text for text, _ in runs) == "404, linked from https://a.cn/x.html，及javascript:alert(1)"


def test_ranking_shares_ties_and_leaves_unscored_units_unranked():
    ranks = Report(document(), unit=None, today=FRESH_DAY, stale_banner_days=30).ranks()
    assert ranks == {"区民政局": 1, "区环保局": 2, "区府办": None, "南翔镇": 1, "安亭镇": 1}


def test_change_since_previous_run():
    report = Report(document(), unit=None, today=FRESH_DAY, stale_banner_days=30)
    assert report.change(1, "区民政局", "met") == "新达标"
    assert report.change(1, "区环保局", "missing") == "新增"
    assert report.change(50, "区民政局", "stale") == "持续"
    assert report.change(1, "安亭镇", "not_due") == ""
    doc = document()
    doc["previous"] = None
    assert Report(doc, unit=None, today=FRESH_DAY, stale_banner_days=30).change(1, "区环保局", "missing") == ""


@pytest.mark.parametrize("today, days, stale", [(FRESH_DAY, 30, False), (STALE_DAY, 30, True), (FRESH_DAY, 10, False),
                                                (FRESH_DAY, 9, True)])
def test_stale_banner_threshold(today, days, stale):
    assert Report(document(), unit=None, today=today, stale_banner_days=days).common["stale"] is stale


def test_units_assessed_on_too_few_pairs_are_listed_not_ranked():
    doc = document()
    doc["scoring"] = {"min_assessed": 5, "grades": [{"grade": g, "min": m} for g, m in
                                                    (("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0))]}
    for u in doc["units"]:
        u["assessed"] = 2 if u["kind"] == "town" else 12
    report = Report(doc, unit=None, today=FRESH_DAY, stale_banner_days=30)
    ranks = report.ranks()
    towns = [u["unit"] for u in doc["units"] if u["kind"] == "town"]
    assert towns and all(ranks[t] is None for t in towns)
    assert all(report.unit_summary(t, ranks)["rank_note"] == "评估事项不足，暂不排名" for t in towns)
    dist = {d["kind"]: d for d in report.grade_distribution()}
    assert dist["town"]["unranked"] == towns and sum(g["count"] for g in dist["town"]["grades"]) == 0
    scored = [u for u in doc["units"] if u["kind"] == "department" and u["score"] is not None]
    assert sum(g["count"] for g in dist["department"]["grades"]) == len(scored)
