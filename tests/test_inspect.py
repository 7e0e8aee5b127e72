"""`auditor inspect` reads a sample-portal page's true title, date and unit."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.inspect import inspect_url
from auditor.rules import load_catalogue


@pytest.fixture(scope="module")
def manifest(sample_portal):
    return json.loads(sample_portal.manifest_path.read_text(encoding="utf-8"))


def test_inspect_reads_true_title_date_and_unit(sample_portal, manifest):
    catalogue = load_catalogue("rules")
    docs = random.Random(5).sample(manifest["documents"], 25)
    wrong, by_publisher = [], 0
    for doc in docs:
        result = inspect_url(doc["url"], catalogue, sample_portal.config_path)
        got = (result.page.title, result.page.date, result.unit)
        want = (doc["title"], date.fromisoformat(doc["date"]).isoformat() if doc["date"] else None, doc["unit"])
        if got != want:
            wrong.append((doc["url"], got, want))
        # without a portal config only the page's own publisher can name the unit
        alone = inspect_url(doc["url"], catalogue)
        if alone.unit not in (doc["unit"], None) or (alone.unit is None) != (alone.unit_source == ""):
            wrong.append((doc["url"], "without portal", alone.unit, alone.unit_source))
        by_publisher += alone.unit == doc["unit"]
    assert not wrong, wrong
    assert by_publisher >= len(docs) * 0.8  # documents name their publisher; the URL is rarely needed


def test_inspect_names_the_rules_a_document_satisfies(sample_portal, manifest):
    catalogue = load_catalogue("rules")
    as_of = date.fromisoformat(manifest["as_of"])
    met = [p for p in manifest["items"] if p["status"] == "met" and p["evidence"]]
    pair = met[0]
    results = [inspect_url(url, catalogue, sample_portal.config_path, as_of=as_of) for url in pair["evidence"]]
    satisfied = {h.rule for r in results for h in r.hits if h.satisfied}
    assert any(catalogue_rule.startswith(f"jd2018-{pair['item']:03d}") for catalogue_rule in satisfied), (pair, satisfied)


@pytest.fixture(scope="module")
def checked(sample_portal, manifest, tmp_path_factory):
    """The audit's own judgement of the sample portal: its crawl and check."""
    from sqlite_utils import Database

    from auditor.check import run_check
    from auditor.crawl.process import crawl
    from auditor.findings import build_document

    db = tmp_path_factory.mktemp("inspect") / "audit.db"
    crawl(sample_portal.config_path, db)
    run_check(db, "rules", as_of=date.fromisoformat(manifest["as_of"]))
    return build_document(Database(db))


def test_inspect_agrees_with_the_check(sample_portal, manifest, checked):
    """What a unit sees in inspect is what the audit saw: every page the check cites for a
    (rule, unit) satisfies that rule in inspect, and a near miss the check did not cite for
    its pair satisfies none of the pair's rules there."""
    catalogue = load_catalogue("rules")
    as_of = date.fromisoformat(manifest["as_of"])
    cited = {(f["rule"], f["unit"], e["url"]) for f in checked["findings"] for e in f["evidence"]}
    rng = random.Random(7)
    wrong = []
    for rule, unit, url in rng.sample(sorted(cited), 40):
        result = inspect_url(url, catalogue, sample_portal.config_path, as_of=as_of)
        rule_obj = next(r for r in catalogue.rules if r.id == rule)
        if not any(h.rule == rule and h.satisfied for h in result.hits) or (
                result.unit != unit and not rule_obj.anywhere):
            wrong.append(("cited", rule, unit, url))
    near = [(p, url) for p in manifest["items"] for url in p["distractors"]]
    for pair, url in rng.sample(near, min(40, len(near))):
        if any((r, pair["unit"], url) in cited for r in pair["rules"]):
            continue
        result = inspect_url(url, catalogue, sample_portal.config_path, as_of=as_of)
        if result.unit == pair["unit"] and any(h.satisfied and h.rule in pair["rules"] for h in result.hits):
            wrong.append(("near", pair["item"], pair["unit"], url))
    assert not wrong, wrong


def test_cli_json_and_errors(sample_portal, manifest):
    doc = manifest["documents"][0]
    result = CliRunner().invoke(cli, ["inspect", doc["url"], "--portal", str(sample_portal.config_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["page"]["title"] == doc["title"] and data["unit"] == doc["unit"]
    missing = sample_portal.url("www", "/no/such/page.html")
    result = CliRunner().invoke(cli, ["inspect", missing])
    assert result.exit_code == 2 and "404" in result.output and len(result.output.strip().splitlines()) == 1
    result = CliRunner().invoke(cli, ["inspect", "javascript:alert(1)"])
    assert result.exit_code == 2 and "not an http(s) URL" in result.output
