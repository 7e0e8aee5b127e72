"""The review sheet (复核表, CONTRACT.md): export the findings awaiting or open to a
reviewer's decision as an Excel workbook, and read the decisions back.

Export writes one row per manual finding, per finding carrying a decision or an appeal,
and per group decision (各街镇 / 区政府各部门 decide for every member). Import validates
every row before storing any: a bad row is one line naming the sheet, row and column, and
nothing is imported. A row whose 复核结论 is emptied withdraws the decision in force.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..errors import ConfigError
from ..labels import STATUS_LABELS, status_label
from ..rules.loader import Catalogue
from .decisions import Decision
from .overrides import DECIDABLE, check_target, status_code

SHEET = "复核表"
# (header, width in characters, wrap): the first nine are CONTRACT.md's columns
COLUMNS = [
    ("规则", 14, False), ("事项", 6, False), ("单位", 16, False), ("工作要点", 40, True), ("应公开内容", 30, True),
    ("系统判定", 10, False), ("判定理由", 40, True), ("证据链接", 36, True), ("复核结论", 12, False),
    ("复核人", 10, False), ("复核日期", 12, False), ("理由", 36, True), ("依据", 30, True),
    ("单位申诉", 30, True), ("申诉材料", 30, True), ("复核意见", 30, True),
]
HEADERS = [c[0] for c in COLUMNS]
REQUIRED = ("规则", "事项", "单位", "系统判定", "复核结论", "复核人", "复核日期", "理由", "依据")
DECISION_LABELS = [STATUS_LABELS[s] for s in DECIDABLE]
GUIDE = [
    "复核表填写说明",
    "1. 每行是一条评估规则对一个单位（或“各街镇”“区政府各部门”整组）的判定。",
    "2. 在“复核结论”中从下拉列表选择：" + "、".join(DECISION_LABELS) + "。留空表示不作决定；清空已有结论即撤销该复核决定。",
    "3. 填写结论时须同时填写复核人、复核日期（YYYY-MM-DD）、理由和依据。依据可以是网址，也可以是材料名称（如会议纪要、签到表）。",
    "4. 单位申诉：在“单位申诉”“申诉材料”中写明申诉内容和反证，复核人在“复核意见”中写明裁定。",
    "5. 可新增行：填写规则编号（或只填事项序号，表示该事项的全部规则）和单位。",
    "6. 导入：auditor review import 本文件。任何一行有误时整表不导入，并提示出错的行和列。",
]


@dataclass
class Imported:
    """What a review sheet asks for: decisions to record, and targets whose decision is withdrawn."""

    decisions: list[Decision]
    revoked: list[tuple[str | None, int | None, str, str]]  # (rule, item, unit, by)
    unchanged: int = 0


# ---------------------------------------------------------------- export

def sheet_rows(doc: dict, in_force: list[Decision], registry) -> list[list]:
    """The rows of the review sheet for one findings document and the decisions in force:
    a row per decision on a group or a whole item, then per finding that is manual or has
    a decision of its own (one decided by a wider decision is left to that one's row)."""
    rules = {r["id"]: r for r in doc.get("rules") or []}
    plan = {p["item"]: p for p in doc.get("plan") or []}
    wide = sorted((d for d in in_force if registry.is_group(d.unit) or d.rule is None), key=_order)
    own = {(d.rule, d.unit): d for d in in_force if d not in wide}
    covered = {(d.rule, d.item, m) for d in wide for m in registry.expand([d.unit])}
    out = [_wide_row(d, rules, plan) for d in wide]
    for f in sorted(doc["findings"], key=lambda f: (f["item"] is None, f["item"] or 0, f["rule"], f["unit"])):
        decision = own.get((f["rule"], f["unit"]))
        if decision is None and ((f["rule"], None, f["unit"]) in covered or (None, f["item"], f["unit"]) in covered):
            continue  # a wider decision's row decides it
        if decision is not None or f.get("computed_status") == "manual":
            out.append(_finding_row(f, rules.get(f["rule"], {}), plan, decision.record() if decision else {}))
    return out


def _order(d: Decision) -> tuple:
    return (d.item or 0, d.rule or "", d.unit)


def _finding_row(f: dict, rule: dict, plan: dict, override: dict) -> list:
    links = "\n".join(e["url"] for e in f.get("evidence") or [] if e.get("url"))
    text = plan.get(f["item"], {}).get("text") or rule.get("text") or ""
    return [f["rule"], f["item"], f["unit"], text, rule.get("seeks") or "", status_label(f.get("computed_status") or f["status"]),
            "；".join(f.get("reasons") or []), links,
            status_label(override["status"]) if override else "", override.get("by", ""), override.get("date", ""),
            override.get("note", ""), override.get("basis", ""), override.get("appeal", ""),
            override.get("appeal_evidence", ""), override.get("ruling", "")]


def _wide_row(d: Decision, rules: dict, plan: dict) -> list:
    rule = rules.get(d.rule or "", {})
    item = d.item if d.item is not None else rule.get("item")
    return [d.rule or "", item, d.unit, plan.get(item, {}).get("text") or rule.get("text") or "", rule.get("seeks") or "",
            "（整组）" if d.rule else "（整项）", "", "", status_label(d.status), d.reviewer, d.decided_on, d.reason, d.basis,
            d.appeal, d.appeal_evidence, d.ruling]


def write_sheet(rows: list[list], out: str | Path) -> Path:
    """The 复核表 workbook: Chinese headers, a drop-down of the status labels, wrapped text, links."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for i, (name, width, wraps) in enumerate(COLUMNS, 1):
        letter = ws.cell(1, i).column_letter
        ws.column_dimensions[letter].width = width
        ws.cell(1, i).font = Font(bold=True)
        for cell in ws[letter][1:]:
            cell.alignment = wrap if wraps else top
    link_col = HEADERS.index("证据链接") + 1
    for r in range(2, ws.max_row + 1):
        first = str(ws.cell(r, link_col).value or "").split("\n")[0]
        if first.startswith(("http://", "https://")):
            ws.cell(r, link_col).hyperlink = first
            ws.cell(r, link_col).font = Font(color="0563C1", underline="single")
    choice = DataValidation(type="list", formula1='"' + ",".join(DECISION_LABELS) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="复核结论", error="请从下拉列表中选择复核结论")
    ws.add_data_validation(choice)
    choice.add(f"{ws.cell(2, HEADERS.index('复核结论') + 1).column_letter}2:"
               f"{ws.cell(2, HEADERS.index('复核结论') + 1).column_letter}{max(ws.max_row, 2) + 500}")
    ws.freeze_panes = "D2"
    guide = wb.create_sheet("说明")
    for line in GUIDE:
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


# ---------------------------------------------------------------- import

def read_sheet(path: str | Path, catalogue: Catalogue, in_force: list[Decision]) -> Imported:
    """Validate every row of a filled-in review sheet; raises one-line `ConfigError` on the first bad one."""
    rows = _open_rows(path)
    header = [str(v).strip() if v is not None else "" for v in (rows[0] if rows else [])]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise ConfigError(f"sheet {SHEET}, row 1: the header lacks column '{missing[0]}' "
                          f"(expected {', '.join(REQUIRED)})", str(path))
    col = {h: header.index(h) for h in header if h}
    current = {d.target: d for d in in_force}
    result, seen = Imported([], []), {}
    for n, values in enumerate(rows[1:], 2):
        cells = {h: values[i] if i < len(values) else None for h, i in col.items()}
        if all(v in (None, "") for v in cells.values()):
            continue
        row = _Row(path, n, cells)
        target = row.target(catalogue)
        if target in seen:
            raise row.error("单位", f"a second row on the same rule or item and unit (first at row {seen[target]})")
        seen[target] = n
        decision = row.decision(catalogue, target)
        before = current.get(target)
        if decision is None:
            if before is not None:
                result.revoked.append((*target, row.text("复核人") or "复核表"))
        elif before is not None and _same(before, decision):
            result.unchanged += 1
        else:
            result.decisions.append(decision)
    return result


def _open_rows(path: str | Path) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ConfigError(f"not a readable .xlsx workbook ({type(exc).__name__})", str(path)) from None
    if SHEET not in wb.sheetnames:
        raise ConfigError(f"no sheet named {SHEET} (sheets: {', '.join(wb.sheetnames)})", str(path))
    return [tuple(r) for r in wb[SHEET].iter_rows(values_only=True)]


def _same(a: Decision, b: Decision) -> bool:
    keys = ("status", "reviewer", "decided_on", "reason", "basis", "appeal", "appeal_evidence", "ruling")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


class _Row:
    """One row of the sheet, read cell by cell with errors naming the sheet, row and column."""

    def __init__(self, path: str | Path, n: int, cells: dict) -> None:
        self.path, self.n, self.cells = str(path), n, cells

    def error(self, column: str, message: str) -> ConfigError:
        return ConfigError(f"sheet {SHEET}, row {self.n}, column {column}: {message}", self.path)

    def text(self, column: str) -> str:
        value = self.cells.get(column)
        return "" if value is None else str(value).strip()

    def target(self, catalogue: Catalogue) -> tuple[str | None, int | None, str]:
        rule, item, unit = self.text("规则") or None, self.cells.get("事项"), self.text("单位")
        if not unit:
            raise self.error("单位", "missing unit")
        if rule is None and item in (None, ""):
            raise self.error("规则", "name a rule (or, for every rule of an item, the item alone)")
        if rule is not None:
            item_of_rule = next((r.item for r in catalogue.rules if r.id == rule), "unknown")
            if item not in (None, "") and item_of_rule != "unknown" and _number(item) != item_of_rule:
                raise self.error("事项", f"rule {rule} belongs to item {item_of_rule}, not {item}")
            item = None
        else:
            item = _number(item)
            if item is None:
                raise self.error("事项", f"item must be a plan item number, not '{self.cells.get('事项')}'")
        try:
            return check_target(catalogue, rule, item, unit)
        except ValueError as exc:
            raise self.error({"rule": "规则", "item": "事项", "unit": "单位"}[exc.args[1]], exc.args[0]) from None

    def decision(self, catalogue: Catalogue, target: tuple) -> Decision | None:
        label = self.text("复核结论")
        if not label:
            return None
        status = status_code(label)
        if status is None:
            raise self.error("复核结论", f"'{label}' is not one of {'、'.join(DECISION_LABELS)}")
        for column in ("复核人", "理由", "依据"):
            if not self.text(column):
                raise self.error(column, f"a decision needs {column}")
        rule, item, unit = target
        return Decision(catalogue.manifest.id, unit, status, self.text("理由"), self.text("依据"), self.text("复核人"),
                        self._day(), rule=rule, item=item, source=f"{self.path}: {SHEET} row {self.n}",
                        appeal=self.text("单位申诉"), appeal_evidence=self.text("申诉材料"), ruling=self.text("复核意见"))

    def _day(self) -> str:
        value = self.cells.get("复核日期")
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value or "").strip()).isoformat()
        except ValueError:
            raise self.error("复核日期", f"date must be YYYY-MM-DD, not '{value or ''}'") from None


def _number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None
