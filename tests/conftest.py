"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled rule catalogue, safe to break."""
    dest = tmp_path / "rules"
    shutil.copytree(RULES, dest, ignore=shutil.ignore_patterns("portals"))
    return dest


@pytest.fixture(scope="session")
def sample_portal():
    """The bundled sample portal (default size), served on loopback for the whole session."""
    from sampleportal import SamplePortal

    with SamplePortal() as portal:
        yield portal
