"""run_check end to end on a small stored crawl: findings, roll-up, storage, failure safety."""

from __future__ import annotations

from datetime import date

import pytest
from checkdb import make_crawl, page, rule, write_rules
from sqlite_utils import Database

from auditor.check import run_check
from auditor.errors import AuditorError
from auditor.findings import build_document

RULES = [
    rule("jd2018-057", 57, ["区环保局"], "2018年嘉定区污染地块名录",
         {"name": {"all": ["污染地块"], "any": ["名录", "名单", "清单"]}},
         evidence={"exclude": {"title": {"any": ["召开", "会议"]}}},
         timing={"valid_from": "2018-01-01", "deadline": "2018-12-31"}),
    rule("jd2018-050", 50, ["民政局"], "城乡低保资金发放情况", {"name": {"all": ["低保"], "any": ["资金发放", "发放情况"]}},
         timing={"valid_from": "2018-01-01", "cadence": "monthly", "series_from": "2018-06", "grace_days": 31}),
    rule("jd2018-056", 56, ["区环保局"], "第七轮环保三年行动计划及解读", {"name": {"any": ["三年行动计划"]}},
         evidence={"elements": [{"name": "计划文本", "match": {"title": {"none": ["解读"]}}},
                                {"name": "政策解读", "match": {"title": {"any": ["解读"]}}}]}),
]


@pytest.fixture
def setup(tmp_path):
    rules = write_rules(tmp_path / "rules", RULES)
    db = tmp_path / "audit.db"
    make_crawl(db, [
        page("http://hb.test/a/1.html", "嘉定区2018年污染地块名录"),
        page("http://hb.test/a/2.html", "区环保局召开污染地块名录编制会议"),
        page("http://www.test/mzj/1.html", "2018年7月城乡低保资金发放情况", date="2018-07-05"),
        page("http://www.test/hbj/9.html", "嘉定区第七轮环保三年行动计划（2018-2020年）"),
        page("http://www.test/news/3.html", "2018年6月城乡低保资金发放情况", date="2018-06-05", publisher="嘉定区民政局"),
    ])
    return db, rules


def test_statuses_and_rollup_are_stored(setup):
    db, rules = setup
    summary = run_check(db, rules, as_of=date(2018, 12, 10))
    doc = build_document(Database(db))
    f = {x["rule"]: x for x in doc["findings"] if not x["rule"].startswith("fill")}
    assert f["jd2018-057"]["status"] == "met"
    assert [e["url"] for e in f["jd2018-057"]["evidence"]] == ["http://hb.test/a/1.html"]
    assert f["jd2018-050"]["status"] == "stale" and f["jd2018-050"]["unit"] == "区民政局"
    # June and July were published (a release names its month); August to October were
    # due by 12-10 (each month's end plus 31 days of grace), the newest of them missing
    assert f["jd2018-050"]["periods"]["missing"] == ["2018年8月", "2018年9月", "2018年10月"]
    assert f["jd2018-050"]["reasons"] == [
        "按月公开：最近一期为2018年7月（发布于2018-07-05），2018年10月应于2018-12-01前公开，缺2018年8月、9月、10月"]
    # the portal news page names 嘉定区民政局 as publisher, so it is the bureau's evidence
    assert "http://www.test/news/3.html" in [e["url"] for e in f["jd2018-050"]["evidence"]]
    assert f["jd2018-056"]["status"] == "partial" and f["jd2018-056"]["missing_elements"] == ["政策解读"]
    assert f["jd2018-056"]["reasons"][0] == "已公开计划文本，缺少政策解读"
    items = {(i["item"], i["unit"]): i["status"] for i in doc["items"]}
    assert items[(57, "区环保局")] == "met" and items[(50, "区民政局")] == "stale"
    assert items[(95, "南翔镇")] == "manual"
    assert summary.check_run == doc["run"]["check_run"] == 1
    assert summary.pages == 5
    assert doc["previous"] is None


def test_not_due_before_deadline_and_previous_run(setup, tmp_path):
    db, _ = setup
    rules = write_rules(tmp_path / "r2", RULES[:1])
    make_crawl(db, [page("http://hb.test/x.html", "无关信息")])  # a newer crawl without the list
    run_check(db, rules, as_of=date(2018, 12, 1))
    second = run_check(db, rules, as_of=date(2019, 1, 2))
    doc = build_document(Database(db), second.check_run)
    f = next(x for x in doc["findings"] if x["rule"] == "jd2018-057")
    assert f["status"] == "missing" and f["reasons"][0] == "未找到2018年嘉定区污染地块名录（应于2018-12-31前公开）"
    assert doc["previous"]["check_run"] == 1
    assert {"item": 57, "unit": "区环保局", "status": "not_due", "computed_status": "not_due"} in doc["previous"]["items"]


def test_a_failed_check_leaves_no_complete_half_run(setup, monkeypatch):
    db, rules = setup
    import auditor.check.store as store

    real, written = store.finding_row, []

    def dies_half_way(check_run, finding, catalogue):  # the process dies after some findings went in
        if len(written) == 3:
            raise KeyboardInterrupt
        written.append(finding)
        return real(check_run, finding, catalogue)

    monkeypatch.setattr(store, "finding_row", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        run_check(db, rules, as_of=date(2018, 12, 10))
    d = Database(db)
    assert d.execute("SELECT status FROM check_runs").fetchall() == [("failed",)]
    assert d.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == 0
    with pytest.raises(AuditorError):
        build_document(d)


def dump(db) -> list[str]:
    """Every row of every table, as SQL."""
    return list(Database(db).conn.iterdump())


def test_configuration_errors_write_nothing(setup, tmp_path):
    db, rules = setup
    bad = tmp_path / "o.yaml"
    bad.write_text("overrides:\n- rule: jd2018-057\n  unit: 区环保局\n  status: done\n", encoding="utf-8")
    before = dump(db)
    with pytest.raises(AuditorError, match="missing key"):
        run_check(db, rules, as_of=date(2018, 12, 10), overrides_path=bad)
    assert dump(db) == before and not Database(db).execute("SELECT count(*) FROM check_runs").fetchone()[0]
    with pytest.raises(AuditorError, match="not found"):
        run_check(tmp_path / "none.db", rules, as_of=date(2018, 12, 10))
