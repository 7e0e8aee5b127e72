"""The review workflow: export the 复核表, fill it in, import it, check, report — and bad sheets."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from checkdb import make_crawl, page, rule, write_rules
from click.testing import CliRunner
from sqlite_utils import Database

from auditor.check import run_check
from auditor.cli import cli
from auditor.findings import build_document
from auditor.report import write_report
from auditor.review.sheet import HEADERS

RULES = [
    rule("jd2018-057", 57, ["区环保局"], "2018年嘉定区污染地块名录", {"name": {"all": ["污染地块"], "any": ["名录"]}}),
    rule("jd2018-095", 95, ["区政府各部门", "各街镇"], "向主要领导汇报政务公开工作的情况", {"title": {"all": ["汇报政务公开"]}}),
    {"id": "jd2018-095-b", "item": 95, "title": "报备", "units": ["区政府各部门", "各街镇"], "weight": 1, "mode": "manual",
     "manual_reason": "向区府办报备，网站无法体现"},
]
AS_OF = date(2018, 12, 10)


def invoke(*args):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def audited(tmp_path):
    rules = write_rules(tmp_path / "rules", RULES)
    db = tmp_path / "a.db"
    make_crawl(db, [page("http://www.test/n/1.html", "无关")])
    run_check(db, rules, as_of=AS_OF)
    return tmp_path, rules, db


def export(tmp_path, rules, db, name="复核表.xlsx"):
    out = tmp_path / name
    code, text = invoke("review", "export", "--db", str(db), "--rules", str(rules), "--out", str(out))
    assert code == 0, text
    return out


def sheet_of(path):
    wb = openpyxl.load_workbook(path)
    return wb, wb["复核表"]


def find_row(ws, rule_id, unit):
    for row in ws.iter_rows(min_row=2):
        if row[0].value == rule_id and row[2].value == unit:
            return row
    raise AssertionError((rule_id, unit))


def fill(row, status, by, day, reason, basis, **extra):
    col = {h: i for i, h in enumerate(HEADERS)}
    for header, value in {"复核结论": status, "复核人": by, "复核日期": day, "理由": reason, "依据": basis, **extra}.items():
        row[col[header]].value = value


def decisions(db):
    return list(Database(db).query("SELECT * FROM decisions ORDER BY id"))


def test_export_has_the_contract_columns_a_drop_down_and_a_row_per_manual_finding(audited):
    tmp_path, rules, db = audited
    wb, ws = sheet_of(export(tmp_path, rules, db))
    assert [c.value for c in ws[1]][:len(HEADERS)] == HEADERS
    manual = [f for f in build_document(Database(db))["findings"] if f["computed_status"] == "manual"]
    assert ws.max_row - 1 == len(manual) > 20
    row = find_row(ws, "jd2018-095-b", "区民政局")
    assert row[HEADERS.index("系统判定")].value == "需人工核查"
    assert "网站无法体现" in row[HEADERS.index("判定理由")].value
    choices = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert choices and "已公开" in choices[0].formula1 and "需人工核查" in choices[0].formula1
    assert ws.column_dimensions["C"].width >= 14 and ws["D2"].alignment.wrap_text
    assert "说明" in wb.sheetnames


def test_round_trip_group_decision_named_material_and_revocation(audited):
    tmp_path, rules, db = audited
    path = export(tmp_path, rules, db)
    wb, ws = sheet_of(path)
    # a group row added by the reviewer decides for every 街镇
    ws.append(["jd2018-095-b", 95, "各街镇", "", "", "", "", "", "已公开", "王五", "2018-12-14",
               "各街镇均已向区府办报备", "2018年各街镇政务公开报备材料汇编"])
    fill(find_row(ws, "jd2018-095-b", "区民政局"), "未公开", "张三", date(2018, 12, 12), "未能提供报备材料",
         "2018年第3次区长办公会会议纪要")
    fill(find_row(ws, "jd2018-095-b", "区环保局"), "已公开", "张三", "2018-12-12", "提供了报备回执",
         "https://hb.test/bb.pdf", 单位申诉="已于6月报备", 申诉材料="报备回执扫描件", 复核意见="申诉成立")
    wb.save(path)
    code, text = invoke("review", "import", str(path), "--db", str(db), "--rules", str(rules))
    assert code == 0 and "新增或更新 3 条" in text, text

    # the next export carries them; clearing one withdraws it
    again = export(tmp_path, rules, db, "复核表2.xlsx")
    wb, ws = sheet_of(again)
    group = find_row(ws, "jd2018-095-b", "各街镇")
    assert group[HEADERS.index("复核结论")].value == "已公开" and group[HEADERS.index("复核人")].value == "王五"
    assert not any(r[2].value == "南翔镇" and r[0].value == "jd2018-095-b" for r in ws.iter_rows(min_row=2))
    kept = find_row(ws, "jd2018-095-b", "区民政局")
    assert kept[HEADERS.index("依据")].value == "2018年第3次区长办公会会议纪要"
    fill(find_row(ws, "jd2018-095-b", "区环保局"), None, "张三", None, None, None)
    wb.save(again)
    code, text = invoke("review", "import", str(again), "--db", str(db), "--rules", str(rules))
    assert code == 0 and "撤销 1 条" in text and "未变 2 条" in text, text

    # a check without any flag applies the decisions in force
    run_check(db, rules, as_of=AS_OF)
    doc = build_document(Database(db))
    by = {(f["rule"], f["unit"]): f for f in doc["findings"]}
    town = by[("jd2018-095-b", "南翔镇")]
    assert (town["status"], town["override"]["by"], town["override"]["basis"]) == ("met", "王五", "2018年各街镇政务公开报备材料汇编")
    assert town["override"]["url"] == ""  # a named material, no link
    assert by[("jd2018-095-b", "区民政局")]["status"] == "missing"
    assert by[("jd2018-095-b", "区环保局")]["status"] == "manual" and not by[("jd2018-095-b", "区环保局")]["override"]

    # the report shows the trail, and its review record lists the withdrawn decision too
    index = write_report(doc, tmp_path / "out", today=AS_OF)
    html = "".join(p.read_text(encoding="utf-8") for p in index.parent.rglob("*.html"))
    assert "王五" in html and "2018年各街镇政务公开报备材料汇编" in html and "2018年第3次区长办公会会议纪要" in html
    appendix = (index.parent / "appendix.html").read_text(encoding="utf-8")
    assert "已撤销" in appendix and "提供了报备回执" in appendix and "申诉成立" in appendix


def test_revoke_command(audited, tmp_path):
    tmp_path, rules, db = audited
    path = export(tmp_path, rules, db)
    wb, ws = sheet_of(path)
    fill(find_row(ws, "jd2018-095-b", "区民政局"), "已公开", "张三", "2018-12-12", "有报备回执", "报备回执")
    wb.save(path)
    assert invoke("review", "import", str(path), "--db", str(db), "--rules", str(rules))[0] == 0
    code, text = invoke("review", "revoke", "--db", str(db), "--rules", str(rules), "--rule", "jd2018-095-b",
                        "--unit", "区民政局", "--by", "李四", "--reason", "回执不是本年度的")
    assert code == 0 and "已撤销 1 条" in text
    row = decisions(db)[-1]
    assert (row["revoked_by"], row["revoked_reason"]) == ("李四", "回执不是本年度的") and row["revoked_at"]
    code, text = invoke("review", "revoke", "--db", str(db), "--rules", str(rules), "--rule", "jd2018-095-b",
                        "--unit", "区民政局", "--by", "李四", "--reason", "再次")
    assert code == 2 and text.count("\n") == 1 and "no decision in force" in text


BAD = {
    "unknown rule": (lambda ws: ws.append(["jd2018-999", None, "区民政局", "", "", "", "", "", "已公开", "张三", "2018-12-12", "r", "b"]),
                     "row {last}, column 规则: unknown rule 'jd2018-999'"),
    "unknown unit": (lambda ws: ws.append(["jd2018-095-b", 95, "区民证局", "", "", "", "", "", "已公开", "张三", "2018-12-12", "r", "b"]),
                     "row {last}, column 单位: unknown unit '区民证局'"),
    "not responsible": (lambda ws: ws.append(["jd2018-057", 57, "南翔镇", "", "", "", "", "", "已公开", "张三", "2018-12-12", "r", "b"]),
                        "row {last}, column 单位: 南翔镇 is not responsible for jd2018-057"),
    "bad status": (lambda ws: fill(ws[2], "通过", "张三", "2018-12-12", "r", "b"), "row 2, column 复核结论: '通过' is not one of"),
    "no reviewer": (lambda ws: fill(ws[2], "已公开", None, "2018-12-12", "r", "b"), "row 2, column 复核人: a decision needs 复核人"),
    "no reason": (lambda ws: fill(ws[2], "已公开", "张三", "2018-12-12", None, "b"), "row 2, column 理由: a decision needs 理由"),
    "no basis": (lambda ws: fill(ws[2], "已公开", "张三", "2018-12-12", "r", None), "row 2, column 依据: a decision needs 依据"),
    "bad date": (lambda ws: fill(ws[2], "已公开", "张三", "12/12/2018", "r", "b"), "row 2, column 复核日期: date must be YYYY-MM-DD"),
    "item of another rule": (lambda ws: ws.append(["jd2018-057", 95, "区环保局", "", "", "", "", "", "已公开", "张三", "2018-12-12", "r", "b"]),
                             "row {last}, column 事项: rule jd2018-057 belongs to item 57, not 95"),
    "item not a number": (lambda ws: ws.append([None, "九十五", "区民政局", "", "", "", "", "", "已公开", "张三", "2018-12-12", "r", "b"]),
                          "row {last}, column 事项: item must be a plan item number"),
    "two rows, one target": (lambda ws: ws.append([ws[2][0].value, ws[2][1].value, ws[2][2].value, "", "", "", "", "", "已公开",
                                                   "张三", "2018-12-12", "r", "b"]),
                             "row {last}, column 单位: a second row on the same rule or item and unit (first at row 2)"),
    "no rule nor item": (lambda ws: ws.append([None, None, "区民政局", "", "", "", "", "", "已公开", "张三", "2018-12-12", "r", "b"]),
                         "row {last}, column 规则: name a rule"),
    "header lacks a column": (lambda ws: setattr(ws.cell(1, HEADERS.index("复核结论") + 1), "value", "结论"),
                              "row 1: the header lacks column '复核结论'"),
    "sheet renamed": (lambda ws: setattr(ws, "title", "Sheet1"), "no sheet named 复核表"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_sheet_is_one_line_exit_2_and_nothing_imported(audited, case):
    tmp_path, rules, db = audited
    path = export(tmp_path, rules, db)
    wb, ws = sheet_of(path)
    fill(find_row(ws, "jd2018-095-b", "区发改委"), "已公开", "张三", "2018-12-12", "提供了材料", "材料")  # a good row first
    change, expected = BAD[case]
    change(ws)
    wb.save(path)
    before = decisions(db)
    code, text = invoke("review", "import", str(path), "--db", str(db), "--rules", str(rules))
    assert code == 2 and text.count("\n") == 1 and "Traceback" not in text, text
    assert expected.format(last=ws.max_row) in text, text
    assert decisions(db) == before


def test_not_a_workbook_is_one_line(audited):
    tmp_path, rules, db = audited
    bad = tmp_path / "复核表.xlsx"
    bad.write_text("这不是工作簿", encoding="utf-8")
    code, text = invoke("review", "import", str(bad), "--db", str(db), "--rules", str(rules))
    assert code == 2 and text.strip() == f"auditor: {bad}: not a readable .xlsx workbook (BadZipFile)"
    assert decisions(db) == []


def test_yaml_overrides_import_with_chinese_labels_and_named_material(audited):
    tmp_path, rules, db = audited
    path = tmp_path / "overrides.yaml"
    path.write_text("""overrides:
- rule: jd2018-095-b
  unit: 区政府各部门
  status: 已公开
  basis: 2018年各部门报备材料汇编
  note: 各部门均已报备
  by: 王五
  date: 2018-12-14
""", encoding="utf-8")
    code, text = invoke("review", "import", str(path), "--db", str(db), "--rules", str(rules))
    assert code == 0 and "新增或更新 1 条" in text
    run_check(db, rules, as_of=AS_OF)
    doc = build_document(Database(db))
    f = next(f for f in doc["findings"] if f["rule"] == "jd2018-095-b" and f["unit"] == "区民政局")
    assert f["status"] == "met" and f["override"]["basis"] == "2018年各部门报备材料汇编"
