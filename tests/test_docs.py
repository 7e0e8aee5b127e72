"""The README documents every command and setting; every command's help has an example."""

from __future__ import annotations

import click
import pytest
from conftest import REPO as REPO_ROOT

from auditor.cli import cli
from auditor.settings import SETTINGS

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "auditor"):
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        yield path, cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, path)


ALL = list(commands(cli))


@pytest.mark.parametrize("path, cmd", ALL, ids=[p for p, _ in ALL])
def test_command_is_documented_with_an_example(path, cmd):
    assert f"`{path}" in README, f"README does not document {path}"
    assert "Example:" in (cmd.help or ""), f"{path} --help has no example"


def test_settings_table_matches_settings_module():
    for s in SETTINGS:
        assert f"| `{s.name}` | `{s.default}` | {s.help} |" in README, s.name


def test_readme_test_command_is_what_ci_runs():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    command = "python3 -m pytest -q -p no:cacheprovider"
    assert command in [line.strip() for line in ci]
    assert f"    {command}" in README
