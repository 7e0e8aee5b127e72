"""The report's data files: findings.json, findings.csv and findings.xlsx.

The CSV and every workbook sheet come from the same `Table` rows, so the
spreadsheet and the CSV cannot disagree with each other or with the JSON.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from auditor.errors import AuditorError

from ..labels import GAP_STATUSES, KIND_LABELS, site_check_label, status_label
from .links import safe_url

# CONTRACT.md's findings.json keys; the document may carry more.
CONTRACT_KEYS = {
    "run": ("id", "portal", "as_of", "crawled_at", "pages"),
    "units": ("unit", "score", "grade"),
    "items": ("item", "unit", "status"),
    "findings": ("rule", "item", "unit", "status", "evidence", "reasons"),
    "site_checks": ("check", "unit", "url", "detail"),
}
# Spreadsheet programs run a cell that starts with one of these as a formula;
# crawled titles must never do that (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_contract(doc: dict) -> None:
    """Raise `AuditorError` naming the first CONTRACT.md key the document lacks."""
    if doc.get("schema") != 1:
        raise AuditorError(f"findings document has schema {doc.get('schema')!r}, expected 1")
    for key, fields in CONTRACT_KEYS.items():
        value = doc.get(key)
        rows = [value] if key == "run" else value
        if not isinstance(rows, list) or any(not isinstance(r, dict) for r in rows):
            raise AuditorError(f"findings document: '{key}' is missing or malformed")
        for row in rows:
            absent = [f for f in fields if f not in row]
            if absent:
                raise AuditorError(f"findings document: an entry of '{key}' lacks {', '.join(absent)}")


def select_unit(doc: dict, unit: str) -> dict:
    """The document restricted to one unit's scores, items, findings and site checks."""
    if unit not in {u["unit"] for u in doc["units"]}:
        raise AuditorError(f"unit {unit!r} has no findings in check run {doc['run'].get('check_run', doc['run']['id'])}")
    keep = lambda rows: [r for r in rows or [] if r.get("unit") == unit]  # noqa: E731
    findings = keep(doc["findings"])
    cited = {e.get("url") for f in findings for e in (f.get("evidence") or []) + (f.get("rejected") or [])}
    return {**doc, "units": keep(doc["units"]), "items": keep(doc["items"]), "findings": findings,
            "site_checks": keep(doc.get("site_checks")), "reviews": keep(doc.get("reviews")),
            "captures": {u: c for u, c in (doc.get("captures") or {}).items() if u in cited}}


@dataclass(frozen=True)
class Table:
    sheet: str
    headers: tuple[str, ...]
    rows: list[tuple]
    formats: tuple[tuple[str, str], ...] = ()  # (header, Excel number format), e.g. 覆盖率 as 0%
    links: tuple[str, ...] = ()  # headers whose cells are URLs, written as hyperlinks


def _first_url(evidence: list[dict]) -> str:
    return next((e["url"] for e in evidence if str(e.get("url") or "").startswith(("http://", "https://"))), "")


def _evidence_cell(evidence: list[dict]) -> str:
    return "\n".join(f"{e.get('date') or '日期不详'} {e.get('title') or ''} {e.get('url') or ''}".strip()
                     for e in evidence)


def _override_cell(override: dict | None) -> str:
    if not override:
        return ""
    return f"{override.get('by', '')} {override.get('date', '')} {override.get('note', '')}".strip()


def findings_table(doc: dict) -> Table:
    rows = [
        (f["rule"], f["item"], f["unit"], f["status"], status_label(f["status"]),
         f.get("computed_status") or f["status"], status_label(f.get("computed_status") or f["status"]),
         _override_cell(f.get("override")),
         "；".join(f.get("reasons") or []), "、".join(f.get("missing_elements") or []),
         f.get("days_overdue"), len(f.get("evidence") or []), _first_url(f.get("evidence") or []),
         _evidence_cell(f.get("evidence") or []))
        for f in doc["findings"]
    ]
    return Table("发现", ("规则编号", "事项序号", "单位", "状态代码", "状态", "系统判定代码", "系统判定", "人工复核",
                        "原因", "缺少要素", "超期天数", "证据数", "证据链接", "证据"), rows, links=("证据链接",))


def tables(doc: dict) -> list[Table]:
    """One table per view of the report, in workbook order."""
    plan = {p["item"]: p for p in doc.get("plan") or []}
    kinds = {k: n for n, k in enumerate(KIND_LABELS)}
    ranked = sorted(doc["units"], key=lambda u: (kinds.get(u.get("kind", "other"), 9), u["score"] is None,
                                                 -(u["score"] or 0), u["unit"]))
    units = Table("单位得分", ("单位", "类别", "得分", "等级", "评估事项", "覆盖率", "问题数", "网站健康扣分"), [
        (u["unit"], KIND_LABELS.get(u.get("kind", "other"), ""), u["score"], u["grade"], u.get("assessed"),
         u.get("coverage"), u.get("gaps"), u.get("health_deduction"))
        for u in ranked
    ], formats=(("覆盖率", "0%"), ("得分", "0.0"), ("网站健康扣分", "0.0")))
    items = Table("事项状态", ("事项序号", "领域", "单位", "状态代码", "状态", "系统判定代码", "系统判定", "已复核"), [
        (i["item"], plan.get(i["item"], {}).get("section", ""), i["unit"], i["status"], status_label(i["status"]),
         i.get("computed_status") or i["status"], status_label(i.get("computed_status") or i["status"]),
         "是" if i.get("reviewed") else "")
        for i in doc["items"]
    ])
    gaps = Table("问题清单", ("单位", "事项序号", "规则编号", "状态", "问题描述"), [
        (f["unit"], f["item"], f["rule"], status_label(f["status"]), "；".join(f.get("reasons") or []))
        for f in doc["findings"] if f["status"] in GAP_STATUSES
    ])
    health = Table("网站健康", ("单位", "检查代码", "问题", "网址", "说明"), [
        (c.get("unit"), c["check"], site_check_label(c["check"]), c.get("url"), c.get("detail"))
        for c in doc.get("site_checks") or []
    ], links=("网址",))
    return [units, items, gaps, findings_table(doc), health]


def write_json(doc: dict, path: Path) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def write_csv(table: Table, path: Path) -> None:
    # utf-8-sig: the BOM makes Excel read the Chinese text as UTF-8.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(table.headers)
        writer.writerows([_csv_cell(v) for v in row] for row in table.rows)


MAX_WIDTH = 60  # characters of a column; longer text wraps


def display_width(value: object) -> int:
    """Width of a cell's text in Excel's character units: a Chinese character takes two."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in str(value or ""))


def write_xlsx(all_tables: list[Table], path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for table in all_tables:
        ws = wb.create_sheet(table.sheet)
        ws.append(table.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [min(MAX_WIDTH, max([display_width(h)] + [display_width(r[n]) for r in table.rows[:1000]]))
                  for n, h in enumerate(table.headers)]
        formats = dict(table.formats)
        links = {table.headers.index(h) for h in table.links}
        for row in table.rows:
            ws.append([None if v is None else v for v in row])
            for n, cell in enumerate(ws[ws.max_row]):
                # openpyxl stores a string starting with "=" as a formula; crawled text is data.
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if "\n" in cell.value or display_width(cell.value) > widths[n]:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                    if n in links and safe_url(cell.value):
                        cell.hyperlink = cell.value
                        cell.font = Font(color="0563C1", underline="single")
                elif table.headers[n] in formats and isinstance(cell.value, (int, float)):
                    cell.number_format = formats[table.headers[n]]
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = max(8, width + 2)
    wb.save(path)
