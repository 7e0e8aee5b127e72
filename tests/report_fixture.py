"""A known findings document (docs/findings.md) for the report tests.

Every status, an override, site checks of each kind, a previous run, a
unit without a score, and crawled text that tries to inject markup.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

SCRIPT_TITLE = "<script>alert(1)</script>"
IMG_TITLE = "\"><img src=x onerror=\"document.title='pwned'\">"
JS_URL = "javascript:document.title='pwned'"
FORMULA_TITLE = "=HYPERLINK(\"http://evil.example\",\"点击\")"
TITLE_SCRIPT = "<script>document.title='pwned'</script>"
# As of the fixture's crawl (2018-12-10) this is fresh; 2019-03-01 is 81 days on.
FRESH_DAY = date(2018, 12, 20)
STALE_DAY = date(2019, 3, 1)


def _finding(rule, item, unit, status, *, evidence=(), reasons=(), computed=None, override=None, **extra):
    return {"rule": rule, "item": item, "unit": unit, "status": status,
            "computed_status": computed or status,
            "evidence": [dict(zip(("url", "title", "date"), e)) for e in evidence],
            "reasons": list(reasons), "missing_elements": extra.get("missing_elements", []),
            "days_overdue": extra.get("days_overdue"), "override": override, "rejected": extra.get("rejected", [])}


_BASE = "http://www.jiading.example/publicity"

DOCUMENT = {
    "schema": 1,
    "run": {"id": 3, "portal": "上海嘉定", "as_of": "2018-12-10", "crawled_at": "2018-12-10T02:00:00+08:00",
            "pages": 2345, "skipped": 812, "window": ["2018-01-01", "2019-03-31"], "check_run": 5, "rules_version": "2018.1a2b3c4d", "checked_at": "2018-12-10T03:10:00+08:00"},
    "scoring": {"credit": {"met": 1.0, "partial": 0.5, "stale": 0.5, "missing": 0.0},
                "grades": [{"grade": "优秀", "min": 90.0}, {"grade": "良好", "min": 80.0}, {"grade": "合格", "min": 60.0},
                           {"grade": "不合格", "min": 0.0}],
                "deductions": {"broken_link": 0.1, "stale_column": 1.0, "unreachable": 10.0}, "max_deduction": 40.0},
    "district": {"score": 74.2, "grade": "合格", "coverage": 0.83, "health_deduction": 6.5},
    "sections": [
        {"section": "一", "title": "加强上海四个品牌建设信息公开", "score": 70.0, "coverage": 0.9},
        {"section": "四", "title": "加强民生领域信息公开", "score": 88.5, "coverage": 1.0},
        {"section": "七", "title": "加强政务公开组织保障", "score": None, "coverage": 0.0},
    ],
    "units": [
        {"unit": "区民政局", "kind": "department", "score": 82.5, "grade": "良好", "coverage": 0.9, "gaps": 1,
         "health_deduction": 1.2, "unreachable": False},
        {"unit": "区环保局", "kind": "department", "score": 55.0, "grade": "不合格", "coverage": 1.0, "gaps": 2,
         "health_deduction": 5.3, "unreachable": False,
         "crawl": {"pages": 120, "errors": 2, "skipped": 37, "failed": [{"url": f"{_BASE}/hbj/missing.html", "status": 404, "error": ""}],
                   "unreachable": [{"url": "http://huanbao.jiading.example/", "status": None, "error": "timeout"}]}},
        {"unit": "区府办", "kind": "department", "score": None, "grade": None, "coverage": 0.0, "gaps": 0,
         "health_deduction": 10.0, "unreachable": True},
        {"unit": "南翔镇", "kind": "town", "score": 91.0, "grade": "优秀", "coverage": 0.75, "gaps": 1,
         "health_deduction": 0.0, "unreachable": False},
        {"unit": "安亭镇", "kind": "town", "score": 91.0, "grade": "优秀", "coverage": 0.5, "gaps": 0,
         "health_deduction": 0.1, "unreachable": False},
    ],
    "items": [
        {"item": 1, "unit": "区民政局", "status": "met", "computed_status": "met", "reviewed": False},
        {"item": 1, "unit": "区环保局", "status": "missing", "computed_status": "missing", "reviewed": False},
        {"item": 1, "unit": "南翔镇", "status": "partial", "computed_status": "partial", "reviewed": False},
        {"item": 1, "unit": "安亭镇", "status": "not_due", "computed_status": "not_due", "reviewed": False},
        {"item": 1, "unit": "区府办", "status": "unreachable", "computed_status": "unreachable", "reviewed": False},
        {"item": 50, "unit": "区民政局", "status": "stale", "computed_status": "stale", "reviewed": False},
        {"item": 50, "unit": "安亭镇", "status": "met", "computed_status": "missing", "reviewed": True},
        {"item": 95, "unit": "区民政局", "status": "manual", "computed_status": "manual", "reviewed": False},
        {"item": 95, "unit": "区环保局", "status": "manual", "computed_status": "manual", "reviewed": False},
    ],
    "findings": [
        _finding("jd2018-001", 1, "区民政局", "met",
                 evidence=[(f"{_BASE}/mzj/2018/a.html", "2018年第三季度养老服务信息", "2018-10-08"),
                           (JS_URL, SCRIPT_TITLE, "2018-09-01")]),
        _finding("jd2018-001", 1, "区环保局", "missing", reasons=["未找到2018年污染地块名录"],
                 rejected=[{"url": f"{_BASE}/hbj/2016/old.html", "title": "2016年污染地块名录", "date": "2016-05-01",
                            "why": "发布于2016-05-01，早于2018-01-01，不在评估期内"}]),
        _finding("jd2018-001", 1, "南翔镇", "partial",
                 evidence=[(f"{_BASE}/nx/b.html", IMG_TITLE, "2018-06-01")],
                 reasons=["缺少申报指南、验收结果"], missing_elements=["申报指南", "验收结果"]),
        _finding("jd2018-001", 1, "安亭镇", "not_due", reasons=["要求9月底前公开，尚未到期"]),
        _finding("jd2018-001", 1, "区府办", "unreachable", reasons=["单位网站无法访问"]),
        _finding("jd2018-050", 50, "区民政局", "stale",
                 evidence=[(f"{_BASE}/mzj/c.html", FORMULA_TITLE, "2018-07-05")],
                 reasons=["最近一次发布为2018-07-05，已超过按月公开要求162天"], days_overdue=162),
        _finding("jd2018-050", 50, "安亭镇", "met", computed="missing",
                 override={"status": "met", "by": "张三", "date": "2018-12-12",
                           "note": "已在镇政府网站公开 <b>见附件</b>", "url": JS_URL}),
        _finding("jd2018-095", 95, "区民政局", "manual"),
        _finding("jd2018-095", 95, "区环保局", "manual"),
        _finding("base-annual-report", None, "区环保局", "missing", reasons=["未找到2017年度政府信息公开工作年报", TITLE_SCRIPT]),
    ],
    "rules": [
        {"id": "jd2018-001", "item": 1, "section": "一", "title": "品牌建设信息公开", "text": "…",
         "seeks": "品牌建设相关信息", "satisfy": "在本单位信息公开栏目发布品牌建设信息，含申报指南和验收结果",
         "mode": "web", "weight": 3, "manual_reason": ""},
        {"id": "jd2018-050", "item": 50, "section": "四", "title": "养老服务信息按月公开", "text": "…",
         "seeks": "养老服务信息", "satisfy": "每月发布养老服务信息", "mode": "web", "weight": 3, "manual_reason": ""},
        {"id": "jd2018-095", "item": 95, "section": "七", "title": "政务公开培训", "text": "…", "seeks": "",
         "satisfy": "", "mode": "manual", "weight": 1, "manual_reason": "培训情况无法在网站上看到"},
        {"id": "base-annual-report", "item": None, "section": None, "title": "政府信息公开工作年度报告",
         "text": "每年1月31日前公布上一年度政府信息公开工作年度报告", "seeks": "年报",
         "satisfy": "在政府信息公开年报栏目发布上一年度年报", "mode": "web", "weight": 2, "manual_reason": ""},
    ],
    "plan": [
        {"item": 1, "section": "一", "section_title": "加强上海四个品牌建设信息公开", "subsection": "(一)",
         "text": "围绕上海服务品牌建设，公开相关政策措施和推进情况。", "units": ["区发改委", "各街镇"]},
        {"item": 50, "section": "四", "section_title": "加强民生领域信息公开", "subsection": "(二)",
         "text": "按月公开养老服务信息。", "units": ["民政局"]},
        {"item": 95, "section": "七", "section_title": "加强政务公开组织保障", "subsection": "(一)",
         "text": "加强政务公开培训。", "units": ["区政府各部门"]},
    ],
    "site_checks": [
        {"check": "broken_link", "unit": "区环保局", "url": f"{_BASE}/hbj/missing.html",
         "detail": f"404, linked from {_BASE}/hbj/index.html"},
        {"check": "broken_link", "unit": "区环保局", "url": JS_URL, "detail": f"linked from {SCRIPT_TITLE}"},
        {"check": "stale_column", "unit": "区环保局", "url": f"{_BASE}/hbj/tzgg/", "detail": "通知公告栏目最近一次更新为2018-03-01"},
        {"check": "empty_column", "unit": "区民政局", "url": f"{_BASE}/mzj/zcjd/", "detail": "政策解读栏目无内容"},
        {"check": "stale_homepage", "unit": "区府办", "url": f"{_BASE}/", "detail": "首页2018-11-01后未更新"},
        {"check": "unreachable", "unit": "区府办", "url": "http://bgs.jiading.example/", "detail": "连续5次访问超时"},
        {"check": "undated_page", "unit": "安亭镇", "url": f"{_BASE}/at/x.html", "detail": "页面无发布日期"},
    ],
    "captures": {
        f"{_BASE}/mzj/2018/a.html": {
            "url": f"{_BASE}/mzj/2018/a.html", "final_url": f"{_BASE}/mzj/2018/a.html", "status": 200,
            "title": "2018年第三季度养老服务信息", "date": "2018-10-08", "publisher": "嘉定区民政局", "doc_no": "",
            "column_name": "养老服务", "text": f"第一段正文。\n{SCRIPT_TITLE}第二段\n{IMG_TITLE}",
            "fetched_at": "2018-12-10T02:03:00+08:00", "sha1": "3f786850e387550fdab836ed7e6dc881de23001b",
            "content_type": "text/html", "attachments": [{"url": JS_URL, "text": SCRIPT_TITLE}]},
        f"{_BASE}/hbj/2016/old.html": {
            "url": f"{_BASE}/hbj/2016/old.html", "final_url": f"{_BASE}/hbj/2016/old.html", "status": 200,
            "title": "2016年污染地块名录", "date": "2016-05-01", "publisher": "嘉定区环保局", "doc_no": "",
            "column_name": "", "text": "旧名录", "fetched_at": "2018-12-10T02:04:00+08:00", "sha1": "aa" * 20,
            "content_type": "text/html", "attachments": []},
    },
    "reviews": [
        {"id": 1, "rule": "jd2018-050", "item": None, "unit": "安亭镇", "status": "met", "reason": "已在镇政府网站公开",
         "basis": "镇政府信息公开栏目截图", "reviewer": "张三", "decided_on": "2018-12-12", "recorded_at": "2018-12-12T09:00:00+08:00",
         "source": "复核表.xlsx", "crawl_run": 3, "appeal": "", "appeal_evidence": "", "ruling": "", "revoked_at": None,
         "revoked_by": None, "revoked_reason": None},
        {"id": 2, "rule": "jd2018-001", "item": None, "unit": "区环保局", "status": "met", "reason": "曾认定已公开",
         "basis": "https://hbj.example/x.pdf", "reviewer": "李四", "decided_on": "2018-12-11", "recorded_at": "2018-12-11T09:00:00+08:00",
         "source": "overrides.yaml:2", "crawl_run": 3, "appeal": "已公开于子站", "appeal_evidence": "子站截图", "ruling": "申诉不成立",
         "revoked_at": "2018-12-12T10:00:00+08:00", "revoked_by": "王五", "revoked_reason": "子站页面为2016年"},
    ],
    "previous": {"check_run": 4, "as_of": "2018-11-10", "items": [
        {"item": 1, "unit": "区民政局", "status": "missing"},   # newly met
        {"item": 1, "unit": "区环保局", "status": "met"},       # new gap
        {"item": 50, "unit": "区民政局", "status": "stale"},    # persisting
    ]},
}


def document() -> dict:
    """A fresh deep copy, so a test may change it."""
    return copy.deepcopy(DOCUMENT)


def write_fixture_report(out: Path, **kwargs) -> Path:
    """Render the fixture document into ``out``; return the index.html path."""
    from auditor.report import write_report

    kwargs.setdefault("today", STALE_DAY)
    return write_report(document(), out, **kwargs)
