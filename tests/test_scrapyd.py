"""Scrapyd deployment: the project builds into the egg `scrapyd-deploy` uploads, Scrapyd
can list its spiders from that egg, and a job run as Scrapyd runs it (egg on the path,
settings from the egg's entry point, spider arguments from schedule.json) writes a
normal run into the database it is given."""

from __future__ import annotations

import configparser
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sampleportal import SamplePortal

REPO = Path(__file__).resolve().parent.parent
# What scrapyd-deploy writes as setup.py when a project has none (scrapyd-client 2.x).
SETUP_PY = """from setuptools import setup, find_packages
setup(name='project', version='1.0', packages=find_packages(),
      entry_points={'scrapy': ['settings = %(settings)s']})
"""


@pytest.fixture(scope="module")
def egg(tmp_path_factory) -> Path:
    """The egg, built from a copy of the project as scrapyd-deploy builds it."""
    tmp = tmp_path_factory.mktemp("scrapyd")
    project = tmp / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy(REPO / name, project / name)
    for package in ("auditor", "sampleportal"):
        shutil.copytree(REPO / package, project / package, ignore=shutil.ignore_patterns("__pycache__"))
    cfg = configparser.ConfigParser()
    cfg.read(project / "scrapy.cfg")
    (project / "setup.py").write_text(SETUP_PY % {"settings": cfg["settings"]["default"]})
    subprocess.run([sys.executable, "setup.py", "-q", "clean", "-a", "bdist_egg", "-d", str(tmp)], cwd=project,
                   check=True, capture_output=True)
    (egg,) = tmp.glob("*.egg")
    return egg


def scrapy(egg: Path, settings_module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(egg), SCRAPY_SETTINGS_MODULE=settings_module)
    return subprocess.run([sys.executable, "-m", "scrapy", *args], env=env, cwd=cwd, capture_output=True, text=True)


def entry_point(egg: Path) -> str:
    points = configparser.ConfigParser()
    points.read_string(zipfile.ZipFile(egg).read("EGG-INFO/entry_points.txt").decode())
    return points["scrapy"]["settings"]


def test_egg_holds_the_settings_entry_point_and_lists_the_spiders(egg, tmp_path):
    assert entry_point(egg) == "auditor.crawl.settings"
    # Scrapyd's listspiders.json: run away from the repository, so only the egg can provide them
    listed = scrapy(egg, entry_point(egg), "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == ["portal", "portal-worker"]


def test_a_job_scheduled_in_scrapyd_writes_into_the_given_store(egg, tmp_path):
    db = tmp_path / "audit.db"
    with SamplePortal(pages=600) as portal:
        # schedule.json's extra parameters become the spider's -a arguments; Scrapyd runs
        # jobs in its own working directory, the repository (README).
        job = scrapy(egg, entry_point(egg), "crawl", "portal", "-a", f"portal={portal.config_path}",
                     "-a", f"db={db}", cwd=REPO)
    assert job.returncode == 0, job.stderr
    with sqlite3.connect(db) as conn:
        (status, pages), = conn.execute("SELECT status, pages FROM runs").fetchall()
        assert status == "complete" and pages == conn.execute("SELECT count(*) FROM pages").fetchone()[0] > 500
