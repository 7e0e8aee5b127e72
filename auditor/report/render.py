"""Render a findings document into the report folder, replacing it in one step.

The pages and data files are written into a fresh folder beside ``out_dir``
and swapped in by renames, so a killed run never leaves a half-written report
and never mixes two runs' files.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from auditor.errors import AuditorError
from auditor.settings import DEFAULTS

from ..labels import site_check_label, status_label
from . import exports
from .links import item_anchor, item_file, safe_url
from .snapshots import with_snapshots, write_snapshots
from .views import Report

# Marks a folder as ours: only such a folder (or an empty one) is ever replaced.
MARKER = ".auditor-report"
# Characters XML forbids; crawled text sometimes carries them, and the pages stay
# well-formed XHTML-compatible markup.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, Markup):
        return XML_INVALID.sub("", value)
    return value


def environment(report: Report | None = None) -> Environment:
    env = Environment(
        loader=PackageLoader("auditor.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_clean,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(status_label=status_label, site_check_label=site_check_label,
                       safe_url=safe_url, item_anchor=item_anchor,
                       unit_anchor=report.scope.unit_anchor if report else (lambda unit: unit))
    return env


def _render_site(report: Report, doc: dict, folder: Path) -> None:
    env = environment(report)
    (folder / "units").mkdir()
    (folder / "items").mkdir()
    pages = {"index.html": env.get_template("index.html").render(report.index()),
             "appendix.html": env.get_template("appendix.html").render(report.appendix())}
    for name in sorted(report.scope.units):
        pages[report.scope.unit_file(name)] = env.get_template("unit.html").render(report.unit_page(name))
    for number in sorted(report.scope.items):
        pages[item_file(number)] = env.get_template("item.html").render(report.item_page(number))
    for path, html in pages.items():
        (folder / path).write_text(html, encoding="utf-8")
    write_snapshots(env, doc, folder, report.common)
    doc = with_snapshots(doc)
    exports.write_json(doc, folder / "findings.json")
    exports.write_csv(exports.findings_table(doc), folder / "findings.csv")
    exports.write_xlsx(exports.tables(doc), folder / "findings.xlsx")
    (folder / MARKER).write_text(f"check run {doc['run'].get('check_run', doc['run']['id'])}\n", encoding="utf-8")


def _check_replaceable(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise AuditorError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise AuditorError(f"{out_dir}: folder is not empty and holds no auditor report; choose another --out")


def _scratch(out_dir: Path, kind: str) -> str:
    """Prefix of a scratch folder beside ``out_dir``, naming the process that owns it."""
    return f".{out_dir.name}.{kind}-{os.getpid()}-"


def _sweep(out_dir: Path) -> None:
    """Remove scratch folders of report writers that were killed mid-write.

    A writer killed between its two renames leaves the previous report in its ``old``
    folder and none at ``out_dir``: that report is put back first.
    """
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}\.(new|old)-(\d+)-[^/]+")
    for folder in sorted(out_dir.parent.iterdir()):
        m = pattern.fullmatch(folder.name)
        if not m or not folder.is_dir() or _alive(int(m.group(2))):
            continue
        if m.group(1) == "old" and (folder / "report").is_dir() and not out_dir.exists():
            (folder / "report").replace(out_dir)
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def write_report(document: dict, out_dir: str | os.PathLike, *, unit: str | None = None,
                 stale_banner_days: int = DEFAULTS["stale_banner_days"], today: date | None = None,
                 evaluator: str = DEFAULTS["evaluator"]) -> Path:
    """Write the report of ``document`` into ``out_dir``; return the path of its index.html.

    ``unit`` restricts pages and data files to one canonical unit (the index keeps
    the district's rankings for context). Raises `AuditorError` on a document
    lacking CONTRACT.md's keys, an unknown unit, or an ``out_dir`` that is not ours.
    """
    exports.check_contract(document)
    doc = exports.select_unit(document, unit) if unit else document
    report = Report(document, unit=unit, today=today or date.today(), stale_banner_days=stale_banner_days,
                    evaluator=evaluator)
    out_dir = Path(out_dir).absolute()
    _check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _sweep(out_dir)
    fresh = Path(tempfile.mkdtemp(prefix=_scratch(out_dir, "new"), dir=out_dir.parent))
    try:
        fresh.chmod(0o755)  # mkdtemp makes it private; a report is for reading
        _render_site(report, doc, fresh)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=_scratch(out_dir, "old"), dir=out_dir.parent))
            out_dir.replace(old / "report")
            try:
                fresh.replace(out_dir)
            except OSError:
                (old / "report").replace(out_dir)  # put the previous report back
                raise
            shutil.rmtree(old)
        else:
            fresh.replace(out_dir)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return out_dir / "index.html"
