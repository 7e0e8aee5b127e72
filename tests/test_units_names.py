"""A unit named on the command line: a mistyped name names the closest, a unit without URLs says so."""

from __future__ import annotations

import yaml
from checkdb import PORTAL, REPO
from click.testing import CliRunner

from auditor.cli import cli
from auditor.units import default_registry

REG = default_registry(str(REPO / "rules"))


def test_the_closest_registry_names_of_a_mistyped_unit():
    assert REG.closest("区民证局")[0] == "区民政局"
    assert "区环保局" in REG.closest("嘉定区环保厅")


def test_a_mistyped_unit_is_one_line_naming_the_closest():
    result = CliRunner().invoke(cli, ["rules", "list", "--unit", "区民证局"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith("auditor: --unit: unknown unit '区民证局': did you mean 区民政局")


def test_a_unit_without_urls_in_the_portal_is_told_so(tmp_path):
    portal = tmp_path / "portal.yaml"
    portal.write_text(yaml.safe_dump(dict(PORTAL, name="测试"), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", "--portal", str(portal), "--db", str(tmp_path / "a.db"), "--out",
                                      str(tmp_path / "out"), "--as-of", "2018-12-10", "--unit", "区审计局"])
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert "区审计局 has no URLs in the portal configuration" in result.output
    assert not (tmp_path / "a.db").exists()  # refused before anything was crawled
