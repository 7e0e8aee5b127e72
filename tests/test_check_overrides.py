"""Reviewer decisions: validation with FILE:LINE, replacement of statuses, audit trail."""

from datetime import date

import pytest
from checkdb import make_crawl, page, rule, write_rules
from sqlite_utils import Database

from auditor.check import run_check
from auditor.errors import ConfigError
from auditor.findings import build_document
from auditor.review.overrides import load_overrides
from auditor.rules import read_catalogue

RULES = [
    rule("jd2018-057", 57, ["区环保局"], "2018年嘉定区污染地块名录", {"name": {"all": ["污染地块"], "any": ["名录"]}}),
    rule("jd2018-095", 95, ["区政府各部门", "各街镇"], "向主要领导汇报政务公开工作的情况", {"title": {"all": ["汇报政务公开"]}}),
    {"id": "jd2018-095-b", "item": 95, "title": "报备", "units": ["区政府各部门", "各街镇"], "weight": 1, "mode": "manual",
     "manual_reason": "向区府办报备，网站无法体现"},
]
DECISION = """overrides:
- rule: jd2018-057
  unit: 嘉定区环境保护局
  status: met
  url: https://hb.test/mlgs.pdf
  note: 名录以附件形式发布在环保局子站
  by: 张三
  date: 2018-12-12
- item: 95
  unit: 南翔镇
  status: met
  url: https://nx.test/hb.html
  note: 南翔镇提供了汇报记录
  by: 李四
  date: 2018-12-13
"""


@pytest.fixture
def rules_dir(tmp_path):
    return write_rules(tmp_path / "rules", RULES)


def write(tmp_path, text):
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_decisions_replace_statuses_and_keep_the_computed_ones(tmp_path, rules_dir):
    db = tmp_path / "a.db"
    make_crawl(db, [page("http://www.test/n/1.html", "无关")])
    run_check(db, rules_dir, as_of=date(2018, 12, 10), overrides_path=write(tmp_path, DECISION))
    doc = build_document(Database(db))
    f57 = next(f for f in doc["findings"] if f["rule"] == "jd2018-057")
    assert (f57["status"], f57["computed_status"]) == ("met", "missing")
    assert f57["override"] == {"status": "met", "by": "张三", "date": "2018-12-12",
                               "note": "名录以附件形式发布在环保局子站", "url": "https://hb.test/mlgs.pdf",
                               "basis": "https://hb.test/mlgs.pdf", "decision": 1}
    assert f57["reasons"][-1] == "经人工复核认定为“已公开”（张三，2018-12-12）：名录以附件形式发布在环保局子站"
    items = {(i["item"], i["unit"]): i for i in doc["items"]}
    assert items[(57, "区环保局")] == {"item": 57, "unit": "区环保局", "status": "met", "computed_status": "missing",
                                     "reviewed": True, "review_pending": False}
    # an item decision covers all of the item's rules for that unit (the manual one too)
    nx = [f for f in doc["findings"] if f["item"] == 95 and f["unit"] == "南翔镇"]
    assert {f["status"] for f in nx} == {"met"} and {f["computed_status"] for f in nx} == {"missing", "manual"}
    assert items[(95, "南翔镇")]["status"] == "met" and items[(95, "南翔镇")]["computed_status"] == "missing"
    # the undecided manual rule neither raises nor lowers the pair: it awaits a review
    assert items[(95, "安亭镇")] == {"item": 95, "unit": "安亭镇", "status": "missing", "computed_status": "missing",
                                   "reviewed": False, "review_pending": True}
    # groups expand to every department and town
    registry = read_catalogue(rules_dir)[0].registry
    assert {u for i, u in items if i == 95} == set(registry.members("区政府各部门") + registry.members("各街镇"))


@pytest.mark.parametrize("text, message, line", [
    ("overrides:\n- rule: jd2018-999\n  unit: 区环保局\n  status: met\n  url: http://x/\n  note: n\n  by: b\n  date: 2018-12-01\n",
     "unknown rule 'jd2018-999'", 2),
    ("overrides:\n- rule: jd2018-057\n  unit: 区民政局\n  status: met\n  url: http://x/\n  note: n\n  by: b\n  date: 2018-12-01\n",
     "区民政局 is not responsible for jd2018-057", 3),
    ("overrides:\n- rule: jd2018-057\n  unit: 区环保局\n  status: ok\n  url: http://x/\n  note: n\n  by: b\n  date: 2018-12-01\n",
     "status must be one of", 4),
    ("overrides:\n- rule: jd2018-057\n  unit: 区环保局\n  status: 已发布\n  basis: 签到表\n  note: n\n  by: b\n  date: 2018-12-01\n",
     "status must be one of", 4),
    ("overrides:\n- rule: jd2018-057\n  unit: 区环保局\n  status: met\n  url: x\n  note: n\n  by: b\n  date: 2018-12-01\n",
     "is not an http(s) URL", 5),
    ("overrides:\n- rule: jd2018-057\n  unit: 各区县\n  status: met\n  url: http://x/\n  note: n\n  by: b\n  date: 2018-12-01\n",
     "unknown unit '各区县'", 3),
    ("overrides:\n- rule: jd2018-057\n  unit: 区环保局\n  status: met\n  url: http://x/\n  note: n\n  by: b\n  date: 12/01\n",
     "date must be YYYY-MM-DD", 8),
    ("overrides:\n- rule: jd2018-057\n  unit: 区环保局\n  status: met\n  url: http://x/\n  by: b\n  date: 2018-12-01\n",
     "missing key 'note'", 2),
    ("overrides:\n- rule: jd2018-057\n  unit: 区环保局\n  status: met\n  note: n\n  by: b\n  date: 2018-12-01\n",
     "missing key 'basis'", 2),
    ("overrides:\n- {rule: jd2018-057, item: 57, unit: 区环保局, status: met, url: 'http://x/', note: n, by: b, date: 2018-12-01}\n",
     "either 'rule' or 'item'", 2),
    ("overrides:\n- {rule: jd2018-057, unit: 区环保局, status: met, url: 'http://x/', note: n, by: b, date: 2018-12-01}\n"
     "- {rule: jd2018-057, unit: 区环保局, status: missing, url: 'http://x/', note: n, by: b, date: 2018-12-01}\n",
     "a second decision", 3),
    ("overrides:\n- {rule: jd2018-057, unit: 区环保局, status: met, url: 'http://x/', note: n, by: b, date: 2018-12-01, why: x}\n",
     "unknown key 'why'", 2),
    ("overrides: {rule: x}\n", "expected a list", 1),
])
def test_bad_files_are_one_line_errors_naming_file_and_line(tmp_path, rules_dir, text, message, line):
    catalogue, _ = read_catalogue(rules_dir)
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_overrides(path, catalogue)
    assert message in exc.value.message
    assert exc.value.where == f"{path}:{line}"
    assert "\n" not in str(exc.value)


def test_chinese_labels_group_units_and_named_materials(tmp_path, rules_dir):
    """A reviewer writes 已公开 and names a material; a group decides for every member town."""
    text = ("overrides:\n- item: 95\n  unit: 各街镇\n  status: 已公开\n  basis: 2018年政务公开工作汇报会议纪要\n"
            "  note: 各街镇均提交了汇报记录\n  by: 王五\n  date: 2018-12-14\n")
    catalogue, _ = read_catalogue(rules_dir)
    (decision,) = load_overrides(write(tmp_path, text), catalogue)
    assert (decision.unit, decision.status, decision.basis) == ("各街镇", "met", "2018年政务公开工作汇报会议纪要")
    db = tmp_path / "a.db"
    make_crawl(db, [page("http://www.test/n/1.html", "无关")])
    run_check(db, rules_dir, as_of=date(2018, 12, 10), overrides_path=write(tmp_path, text))
    doc = build_document(Database(db))
    towns = catalogue.registry.members("各街镇")
    items = {(i["item"], i["unit"]): i for i in doc["items"]}
    assert all(items[(95, t)]["status"] == "met" and items[(95, t)]["reviewed"] for t in towns)
    assert all(items[(95, d)]["status"] == "missing" for d in catalogue.registry.members("区政府各部门"))
    override = next(f["override"] for f in doc["findings"] if f["item"] == 95 and f["unit"] == towns[0])
    assert (override["basis"], override["url"]) == ("2018年政务公开工作汇报会议纪要", "")


def test_decisions_persist_for_later_checks_without_the_file(tmp_path, rules_dir):
    db = tmp_path / "a.db"
    make_crawl(db, [page("http://www.test/n/1.html", "无关")])
    run_check(db, rules_dir, as_of=date(2018, 12, 10), overrides_path=write(tmp_path, DECISION))
    make_crawl(db, [page("http://www.test/n/2.html", "无关")])
    run_check(db, rules_dir, as_of=date(2018, 12, 11))  # the nightly job: no --overrides
    doc = build_document(Database(db))
    f57 = next(f for f in doc["findings"] if f["rule"] == "jd2018-057")
    assert (f57["status"], f57["computed_status"], f57["override"]["by"]) == ("met", "missing", "张三")
