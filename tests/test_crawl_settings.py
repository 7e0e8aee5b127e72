"""The crawl's settings: polite for real portals, full speed only when every host is loopback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings

from auditor.crawl.responses import is_loopback, profile

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings() -> Settings:
    s = Settings()
    s.setmodule("auditor.crawl.settings", priority="project")
    return s


def test_real_portals_are_crawled_politely(settings: Settings) -> None:
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getfloat("DOWNLOAD_DELAY") > 0
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings["USER_AGENT"].startswith("auditor/0.1 (+") and settings["USER_AGENT"].isascii()
    assert profile({"www.jiading.gov.cn", "huanbao.jiading.cn"}, settings) == {}


def test_a_portal_mixing_loopback_and_real_hosts_stays_polite(settings: Settings) -> None:
    assert profile({"127.0.0.2:8000", "www.jiading.gov.cn"}, settings) == {}


def test_loopback_portals_run_at_full_speed(settings: Settings) -> None:
    fast = profile({"127.0.0.2:8000", "127.0.0.3:8001", "localhost:9000"}, settings)
    assert fast["DOWNLOAD_DELAY"] == 0 and fast["AUTOTHROTTLE_ENABLED"] is False
    assert fast["CONCURRENT_REQUESTS_PER_DOMAIN"] > settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")


@pytest.mark.parametrize("host, loop", [("127.0.0.1", True), ("127.8.9.10:80", True), ("localhost", True),
                                        ("128.0.0.1", False), ("127.example.cn", False), ("10.0.0.1", False)])
def test_is_loopback(host: str, loop: bool) -> None:
    assert is_loopback(host) is loop


def test_scrapy_crawl_with_a_bad_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("name: x\nstart_urls: [http://127.0.0.2:9/]\nowner: 无此单位\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"portal={bad}",
                          "-a", f"db={tmp_path / 'audit.db'}"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [f"auditor: {bad}:3: unknown unit '无此单位'"]
    assert not (tmp_path / "audit.db").exists()
