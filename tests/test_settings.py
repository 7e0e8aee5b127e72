"""Settings as data: typed, validated from a file (FILE:LINE) or `--setting NAME VALUE`, read by the commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from auditor.errors import AuditorError, ConfigError
from auditor.settings import DEFAULTS, SETTINGS, Settings


def test_defaults_are_typed_and_every_setting_has_help():
    for s in SETTINGS:
        assert isinstance(s.default, s.kind) and s.help, s.name
    assert Settings()["stale_banner_days"] == DEFAULTS["stale_banner_days"] == 30


def test_file_then_command_line(tmp_path: Path):
    config = tmp_path / "auditor.yaml"
    config.write_text("settings:\n  stale_banner_days: 7\n  evaluator: 某某评估中心\n", encoding="utf-8")
    s = Settings.load(config, (("stale_banner_days", "3"),))
    assert (s["stale_banner_days"], s["evaluator"], s["page_timeout"]) == (3, "某某评估中心", 30)
    assert s.crawl_overrides() == {}
    assert Settings.load(None, (("page_timeout", "12"),)).crawl_overrides() == {"DOWNLOAD_TIMEOUT": 12}


@pytest.mark.parametrize("text, message, line", [
    ("settings:\n  stale_banner_day: 7\n", "unknown setting 'stale_banner_day'", 2),
    ("settings:\n  stale_banner_days: soon\n", "stale_banner_days must be a whole number", 2),
    ("settings:\n  evaluator: x\n  page_timeout: 0\n", "page_timeout must be a whole number above 0", 3),
    ("stale_banner_days: 7\n", "expected a mapping with a 'settings' mapping", 1),
])
def test_a_bad_settings_file_is_one_line_naming_file_and_line(tmp_path: Path, text, message, line):
    config = tmp_path / "auditor.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        Settings.load(config)
    assert message in exc.value.message and exc.value.where == f"{config}:{line}"


def test_a_bad_setting_on_the_command_line_names_it(tmp_path: Path):
    with pytest.raises(AuditorError) as exc:
        Settings.load(None, (("page_timeout", "-1"),))
    assert exc.value.where == "--setting page_timeout"
    done = subprocess.run([sys.executable, "-m", "auditor", "--setting", "nope", "1", "rules", "lint"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("auditor: --setting: unknown setting 'nope'")
    assert done.stderr.count("\n") == 1
