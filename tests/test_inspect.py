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
        want = (doc["title"], date.fromisoformat(doc["date"]) if doc["date"] else None, doc["unit"])
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
    met = [p for p in manifest["items"] if p["status"] == "met" and p["evidence"]]
    pair = met[0]
    results = [inspect_url(url, catalogue, sample_portal.config_path) for url in pair["evidence"]]
    satisfied = {h.rule for r in results for h in r.hits if h.satisfied}
    assert any(catalogue_rule.startswith(f"jd2018-{pair['item']:03d}") for catalogue_rule in satisfied), (pair, satisfied)


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
