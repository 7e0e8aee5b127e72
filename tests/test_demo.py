"""`auditor demo`, the README's main job, run as a user runs it: a fresh process, its own
database and output folder. Its report must agree with the sample portal's ground truth."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from test_check_accuracy import THRESHOLD, pairs, report

from sampleportal import generate


def test_demo_writes_a_report_that_agrees_with_ground_truth(tmp_path):
    out, db = tmp_path / "out", tmp_path / "demo.db"
    run = subprocess.run([sys.executable, "-m", "auditor", "demo", "--out", str(out), "--db", str(db)],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    index = Path(run.stdout.strip().splitlines()[-1])
    assert index == out / "index.html" and index.exists()
    for name in ("findings.json", "findings.csv", "findings.xlsx"):
        assert (out / name).stat().st_size > 0, name
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    manifest = json.loads(generate().manifest_path.read_text(encoding="utf-8"))
    assert document["run"]["as_of"] == manifest["as_of"]
    compared = pairs(manifest, document)
    agree = sum(found == e["status"] for _, e, found, _ in compared)
    assert agree / len(compared) >= THRESHOLD, report(compared)
    # every unit the report ranks links to its own page, and every page was written
    assert {Counter(u["unit"] for u in document["units"]).most_common(1)[0][1]} == {1}
    assert len(list((out / "units").glob("*.html"))) == len(document["units"])
