"""The reviewer's commands as library calls: export the 复核表, import it (or a YAML
overrides file), revoke a decision. The CLI (`auditor review …`) is a shell over these."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import AuditorError, ConfigError
from ..findings import build_document
from ..rules import load_catalogue
from ..store import open_db
from . import decisions
from .overrides import check_target, load_overrides
from .sheet import read_sheet, sheet_rows, write_sheet


@dataclass
class ImportSummary:
    stored: int
    revoked: int
    unchanged: int

    def __str__(self) -> str:
        return f"复核决定：新增或更新 {self.stored} 条，撤销 {self.revoked} 条，未变 {self.unchanged} 条"


def _existing_db(db_path: str | Path):
    if not Path(db_path).exists():
        raise AuditorError(f"{db_path}: no such database (run 'auditor run' or 'auditor check' first)", "--db")
    return open_db(db_path)


def export_review(db_path: str | Path, out: str | Path, rules_dir: str | Path) -> tuple[Path, int]:
    """Write the review sheet of the latest check; returns (its path, its number of rows)."""
    db = _existing_db(db_path)
    doc = build_document(db)
    catalogue = load_catalogue(rules_dir)
    rows = sheet_rows(doc, decisions.active(db, catalogue.manifest.id), catalogue.registry)
    return write_sheet(rows, out), len(rows)


def import_review(path: str | Path, db_path: str | Path, rules_dir: str | Path) -> ImportSummary:
    """Store the decisions of a filled-in 复核表 (.xlsx) or overrides file (.yaml), all or none."""
    catalogue = load_catalogue(rules_dir)
    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".yaml", ".yml"):
        raise ConfigError("a review is a filled-in 复核表 (.xlsx) or an overrides file (.yaml)", str(path))
    if not Path(path).is_file():
        raise ConfigError("file not found", str(path))
    db = _existing_db(db_path)
    in_force = decisions.active(db, catalogue.manifest.id)
    if suffix == ".xlsx":
        sheet = read_sheet(path, catalogue, in_force)
        new, revoked, unchanged = sheet.decisions, sheet.revoked, sheet.unchanged
    else:
        new, revoked, unchanged = load_overrides(path, catalogue), [], 0
    stored, withdrawn = decisions.record(db, catalogue.manifest.id, new, revoked, reason=f"复核表 {Path(path).name} 中清空了复核结论")
    return ImportSummary(stored, withdrawn, unchanged)


def revoke_decision(db_path: str | Path, rules_dir: str | Path, *, unit: str, rule: str | None, item: int | None,
                    by: str, reason: str) -> int:
    """Withdraw the decision in force on (rule or item, unit); an unknown target is a one-line error."""
    catalogue = load_catalogue(rules_dir)
    try:
        rule, item, unit = check_target(catalogue, rule, item, unit)
    except ValueError as exc:
        raise AuditorError(exc.args[0], f"--{exc.args[1]}") from None
    n = decisions.revoke(_existing_db(db_path), catalogue.manifest.id, unit=unit, rule=rule, item=item, by=by, reason=reason)
    if not n:
        raise AuditorError(f"no decision in force on {rule or '第' + str(item) + '项'} for {unit}", "--unit")
    return n
