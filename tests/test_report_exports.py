"""findings.json, findings.csv and findings.xlsx say exactly what the findings say."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from report_fixture import FORMULA_TITLE, document, write_fixture_report

from auditor.report import write_report
from auditor.report.exports import CONTRACT_KEYS
from auditor.report.snapshots import with_snapshots


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_fixture_report(tmp_path_factory.mktemp("exports") / "out").parent


def test_json_is_the_document_with_contract_keys(folder):
    written = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    assert written == with_snapshots(document())  # the document, each cited page naming its saved copy
    assert all("snapshot" in e for f in written["findings"] for e in f["evidence"])
    assert written["schema"] == 1
    for key, fields in CONTRACT_KEYS.items():
        rows = [written[key]] if key == "run" else written[key]
        assert rows and all(set(fields) <= set(r) for r in rows), key
    assert "区民政局" in (folder / "findings.json").read_text(encoding="utf-8")  # not \u-escaped


def test_csv_rows_equal_findings(folder):
    raw = (folder / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    findings = document()["findings"]
    assert len(rows) == len(findings)
    for row, f in zip(rows, findings):
        assert row["规则编号"] == f["rule"]
        assert row["事项序号"] == ("" if f["item"] is None else str(f["item"]))
        assert row["单位"] == f["unit"]
        assert row["状态代码"] == f["status"]
        assert row["原因"] == "；".join(f["reasons"])
        assert int(row["证据数"]) == len(f["evidence"])
        for e in f["evidence"]:
            assert e["url"] in row["证据"] and e["date"] in row["证据"]
    # A crawled title starting with "=" would run as a formula in Excel: it is quoted.
    stale = next(r for r in rows if r["规则编号"] == "jd2018-050" and r["单位"] == "区民政局")
    assert not stale["证据"].startswith("=") and FORMULA_TITLE in stale["证据"]


def sheet_rows(ws):
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2)]


def test_xlsx_has_a_sheet_per_view_equal_to_the_findings(folder):
    wb = load_workbook(folder / "findings.xlsx")
    assert wb.sheetnames == ["单位得分", "事项状态", "问题清单", "发现", "网站健康"]
    doc = document()
    units = sheet_rows(wb["单位得分"])
    # ranked: departments, then 街镇, each by score, those without a score last
    ranked = sorted(doc["units"], key=lambda u: ({"department": 0, "town": 1}[u["kind"]], u["score"] is None,
                                                 -(u["score"] or 0), u["unit"]))
    assert [(r[0], r[2], r[3], r[6]) for r in units] == [(u["unit"], u["score"], u["grade"], u["gaps"]) for u in ranked]
    assert [(r[0], r[2], r[3]) for r in sheet_rows(wb["事项状态"])] == [(i["item"], i["unit"], i["status"]) for i in doc["items"]]
    assert [(r[0], r[1], r[2], r[3]) for r in sheet_rows(wb["发现"])] == [
        (f["rule"], f["item"], f["unit"], f["status"]) for f in doc["findings"]]
    gaps = [f for f in doc["findings"] if f["status"] in ("partial", "stale", "missing")]
    assert [(r[0], r[2]) for r in sheet_rows(wb["问题清单"])] == [(f["unit"], f["rule"]) for f in gaps]
    assert [(r[0], r[1], r[3]) for r in sheet_rows(wb["网站健康"])] == [
        (c["unit"], c["check"], c["url"]) for c in doc["site_checks"]]


def test_xlsx_never_stores_crawled_text_as_a_formula(folder):
    ws = load_workbook(folder / "findings.xlsx")["发现"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and FORMULA_TITLE in c.value]
    assert cells and all(c.data_type == "s" for c in cells)



def test_whole_cell_formula_stays_text(tmp_path):
    doc = document()
    doc["findings"][0]["reasons"] = [FORMULA_TITLE]  # a cell that is nothing but a formula
    write_report(doc, tmp_path / "out")
    cell = next(c for row in load_workbook(tmp_path / "out" / "findings.xlsx")["发现"].iter_rows()
                for c in row if c.value == FORMULA_TITLE)
    assert cell.data_type == "s"
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "findings.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert "'" + FORMULA_TITLE in rows[1]


def test_xlsx_reads_well_in_excel(folder):
    wb = load_workbook(folder / "findings.xlsx")
    units = wb["单位得分"]
    headers = [c.value for c in units[1]]
    coverage = headers.index("覆盖率") + 1
    assert all(units.cell(r, coverage).number_format == "0%" for r in range(2, units.max_row + 1))
    # a column fits its Chinese names: two width units a character
    assert units.column_dimensions["A"].width >= 2 * max(len(units.cell(r, 1).value) for r in range(2, units.max_row + 1))
    found = wb["发现"]
    headers = [c.value for c in found[1]]
    links = [found.cell(r, headers.index("证据链接") + 1) for r in range(2, found.max_row + 1)]
    linked = [c for c in links if c.value]
    assert linked and all(c.hyperlink is not None and c.hyperlink.target == c.value for c in linked)
    several = [found.cell(r, headers.index("证据") + 1) for r in range(2, found.max_row + 1)
               if "\n" in str(found.cell(r, headers.index("证据") + 1).value or "")]
    assert several and all(c.alignment.wrap_text for c in several)  # long text wraps
    # a Chinese label stands beside every status code
    assert headers.index("状态") == headers.index("状态代码") + 1 and headers.index("系统判定") == headers.index("系统判定代码") + 1
    row = next(r for r in found.iter_rows(min_row=2, values_only=True) if r[0] == "jd2018-050" and r[2] == "安亭镇")
    assert row[headers.index("系统判定代码")] == "missing" and row[headers.index("系统判定")] == "未公开"


def test_csv_carries_chinese_labels_beside_codes(folder):
    rows = list(csv.DictReader(io.StringIO((folder / "findings.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert all(r["状态"] and r["状态代码"] and r["系统判定"] and r["系统判定代码"] for r in rows)
    assert {r["状态代码"]: r["状态"] for r in rows}["missing"] == "未公开"
