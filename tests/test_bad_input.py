"""Bad input: malformed rule, portal-config and override files each give one line naming
the file (and line), exit 2, and leave the database exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_OVERRIDE = """overrides:
- rule: jd2018-095
  unit: 区民政局
  status: met
  url: https://www.jiading.gov.cn/publicity/bmxxgk/mzj/1.html
  note: 提供了向主要领导汇报的会议纪要
  by: 张三
  date: 2019-01-10
"""
GOOD_PORTAL = """name: 上海嘉定
start_urls:
  - http://127.0.0.2:8/publicity/
owner: 区府办
units:
  区民政局:
    - http://127.0.0.2:8/publicity/bmxxgk/mzj/
"""

OVERRIDES = {
    "syntax": GOOD_OVERRIDE.replace("  unit: 区民政局", "  unit: [区民政局"),
    "unknown-rule": GOOD_OVERRIDE.replace("jd2018-095", "jd2018-999"),
    "bad-status": GOOD_OVERRIDE.replace("status: met", "status: done"),
    "missing-by": GOOD_OVERRIDE.replace("  by: 张三\n", ""),
    "bad-date": GOOD_OVERRIDE.replace("2019-01-10", "2019-02-30"),
    "unknown-unit": GOOD_OVERRIDE.replace("unit: 区民政局", "unit: 区外星局"),
    "not-responsible": GOOD_OVERRIDE.replace("jd2018-095", "jd2018-057"),
    "javascript-url": GOOD_OVERRIDE.replace("https://www.jiading.gov.cn/publicity/bmxxgk/mzj/1.html", "javascript:alert(1)"),
    "not-a-list": "overrides: yes\n",
    "both-rule-and-item": GOOD_OVERRIDE.replace("- rule: jd2018-095", "- rule: jd2018-095\n  item: 95"),
    "twice": GOOD_OVERRIDE + GOOD_OVERRIDE.split("\n", 1)[1],
    "unknown-key": GOOD_OVERRIDE.replace("  by: 张三", "  by: 张三\n  mood: 开心"),
}
PORTALS = {
    "syntax": GOOD_PORTAL.replace("  - http://127.0.0.2:8/publicity/", "  - [http://127.0.0.2:8/publicity/"),
    "missing-start-urls": GOOD_PORTAL.replace("start_urls:\n  - http://127.0.0.2:8/publicity/\n", ""),
    "unknown-unit": GOOD_PORTAL.replace("  区民政局:", "  区外星局:"),
    "unknown-owner": GOOD_PORTAL.replace("owner: 区府办", "owner: 某办"),
    "ftp-url": GOOD_PORTAL.replace("http://127.0.0.2:8/publicity/bmxxgk", "ftp://127.0.0.2/publicity/bmxxgk"),
    "start-urls-not-list": GOOD_PORTAL.replace("start_urls:\n  - http", "start_urls: http"),
    "empty": "",
    "units-number": GOOD_PORTAL.replace("  区民政局:\n    - http://127.0.0.2:8/publicity/bmxxgk/mzj/", "  区民政局: 42"),
    "unknown-key": GOOD_PORTAL + "colour: red\n",
    "not-utf8": None,  # written as GBK bytes below
}
RULES = {
    "syntax": ("plan/s4-livelihood.yaml", "- id: jd2018-057\n", "- id: [jd2018-057\n"),
    "unknown-unit": ("plan/s4-livelihood.yaml", "units: [区环保局]", "units: [区环保厅]"),
    "registry-kind": ("units.yaml", "kind: town\n", "kind: village\n"),
    "scoring-not-mapping": ("scoring.yaml", "scoring:\n", "scoring: 5\nx:\n"),
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


@pytest.fixture
def db(tmp_path) -> Path:
    """A database with something in it, to prove it is left alone."""
    path = tmp_path / "audit.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE keep (x)")
        conn.execute("INSERT INTO keep VALUES ('存档')")
    return path


def auditor(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def assert_one_line_exit_2(run: subprocess.CompletedProcess, path: Path, with_line: bool = True) -> None:
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert str(path) in lines[0], lines[0]
    if with_line:
        assert f"{path}:" in lines[0] and lines[0].split(f"{path}:", 1)[1][:1].isdigit(), lines[0]


@pytest.mark.parametrize("case", sorted(OVERRIDES))
def test_bad_overrides_file(case, tmp_path, db):
    f = tmp_path / f"{case}.yaml"
    f.write_text(OVERRIDES[case], encoding="utf-8")
    before = sha(db)
    run = auditor("check", "--db", str(db), "--overrides", str(f), "--as-of", "2018-12-10", cwd=tmp_path)
    assert_one_line_exit_2(run, f)
    assert sha(db) == before


@pytest.mark.parametrize("case", sorted(PORTALS))
def test_bad_portal_config(case, tmp_path):
    f = tmp_path / f"{case}.yaml"
    if PORTALS[case] is None:
        f.write_bytes(GOOD_PORTAL.encode("gbk"))
    else:
        f.write_text(PORTALS[case], encoding="utf-8")
    db = tmp_path / "audit.db"
    run = auditor("crawl", "--portal", str(f), "--db", str(db), cwd=tmp_path)
    assert_one_line_exit_2(run, f, with_line=case not in ("not-utf8",))
    assert not db.exists()


@pytest.mark.parametrize("case", sorted(RULES))
def test_bad_rules_stop_check_and_run_before_the_database(case, rules_copy, tmp_path, db):
    name, old, new = RULES[case]
    f = rules_copy / name
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = sha(db)
    run = auditor("check", "--rules", str(rules_copy), "--db", str(db), cwd=tmp_path)
    assert_one_line_exit_2(run, f)
    portal = tmp_path / "portal.yaml"
    portal.write_text(GOOD_PORTAL, encoding="utf-8")
    run = auditor("run", "--portal", str(portal), "--rules", str(rules_copy), "--db", str(db), "--out", str(tmp_path / "o"),
                  cwd=tmp_path)
    assert_one_line_exit_2(run, f)
    assert sha(db) == before and not (tmp_path / "o").exists()


def test_missing_files_and_bad_options_are_one_line(tmp_path, db):
    run = auditor("crawl", "--portal", str(tmp_path / "nope.yaml"), "--db", str(db), cwd=tmp_path)
    assert_one_line_exit_2(run, tmp_path / "nope.yaml", with_line=False)
    run = auditor("check", "--db", str(db), "--as-of", "10/12/2018", cwd=tmp_path)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "--as-of" in run.stderr
    run = auditor("report", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "none.db" in run.stderr
