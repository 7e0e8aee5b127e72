"""Acceptance: crawl + check of the sample portal against its ground-truth manifest.

Every (plan item, unit) pair and every (baseline rule, unit) pair is compared with
the status the manifest expects: exact agreement must reach 95 % overall and for each
expected status; of the pages the findings cite as evidence, 95 % must be pages the
manifest lists as evidence. On failure the confusion table and the disagreements
are printed.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest
from conftest import RULES
from sqlite_utils import Database

from auditor.check import run_check
from auditor.crawl.process import crawl
from auditor.findings import build_document
from sampleportal import SamplePortal

PAGES, SEED = 2000, 1
THRESHOLD = 0.97


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("accuracy")
    with SamplePortal(tmp / "site", pages=PAGES, seed=SEED) as portal:
        db = tmp / "audit.db"
        crawl(portal.config_path, db)
        manifest = json.loads(portal.manifest_path.read_text(encoding="utf-8"))
        run_check(db, RULES, as_of=date.fromisoformat(manifest["as_of"]))
        yield manifest, build_document(Database(db))


def pairs(manifest: dict, document: dict) -> list[tuple[tuple, dict, str, list[str]]]:
    """(pair, expected entry, status found, evidence URLs cited) for every pair of the manifest."""
    items = {(i["item"], i["unit"]): i["status"] for i in document["items"]}
    cited: dict[tuple, list[str]] = {}
    for f in document["findings"]:
        key = (f["item"], f["unit"]) if f["item"] is not None else (f["rule"], f["unit"])
        cited.setdefault(key, []).extend(e["url"] for e in f["evidence"])
    baseline = {(f["rule"], f["unit"]): f["status"] for f in document["findings"] if f["item"] is None}
    out = [((e["item"], e["unit"]), e, items.get((e["item"], e["unit"]), "absent"), cited.get((e["item"], e["unit"]), []))
           for e in manifest["items"]]
    out += [((e["rule"], e["unit"]), e, baseline.get((e["rule"], e["unit"]), "absent"), cited.get((e["rule"], e["unit"]), []))
            for e in manifest["baseline"]]
    return out


def report(compared: list) -> str:
    confusion = Counter((e["status"], found) for _, e, found, _ in compared)
    lines = ["confusion (expected → found):"]
    lines += [f"  {exp:>11} → {found:<11} {n}" for (exp, found), n in sorted(confusion.items())]
    lines.append("disagreements:")
    lines += [f"  {key} expected {e['status']} ({e.get('scenario')}), found {found}"
              for key, e, found, _ in compared if found != e["status"]]
    return "\n".join(lines)


def test_status_agreement_overall_and_per_status(audited):
    manifest, document = audited
    compared = pairs(manifest, document)
    agree = sum(found == e["status"] for _, e, found, _ in compared)
    per_status: dict[str, list[bool]] = {}
    for _, e, found, _ in compared:
        per_status.setdefault(e["status"], []).append(found == e["status"])
    low = {s: sum(v) / len(v) for s, v in per_status.items() if sum(v) / len(v) < THRESHOLD}
    assert agree / len(compared) >= THRESHOLD and not low, (
        f"agreement {agree}/{len(compared)} = {agree / len(compared):.1%}; below {THRESHOLD:.0%}: "
        f"{ {s: f'{r:.1%}' for s, r in low.items()} }\n{report(compared)}")
    assert {e["status"] for _, e, _, _ in compared} >= {"met", "partial", "stale", "missing", "not_due", "manual",
                                                         "unreachable"}


def test_evidence_precision(audited):
    manifest, document = audited
    cited = wrong = 0
    mistakes = []
    for key, e, _, urls in pairs(manifest, document):
        truth = set(e.get("evidence") or [])
        for url in urls:
            cited += 1
            if url not in truth:
                wrong += 1
                mistakes.append(f"  {key}: {url}")
    assert cited > 100  # the check does cite evidence
    assert (cited - wrong) / cited >= THRESHOLD, (
        f"evidence precision {(cited - wrong)}/{cited} = {(cited - wrong) / cited:.1%}\n" + "\n".join(mistakes[:80]))


def test_five_crawls_in_a_row_give_identical_statuses(sample_portal, tmp_path):
    """Races in the crawl (which request reaches a unit's site first, which page of a pair
    arrives first) must never change a verdict."""
    as_of = sample_portal.info.as_of
    seen = []
    for n in range(5):
        db = tmp_path / f"run{n}.db"
        crawl(sample_portal.config_path, db)
        run_check(db, RULES, as_of=as_of)
        doc = build_document(Database(db))
        seen.append(sorted((i["item"], i["unit"], i["status"]) for i in doc["items"])
                    + sorted((f["rule"], f["unit"], f["status"]) for f in doc["findings"]))
    assert all(s == seen[0] for s in seen[1:])
