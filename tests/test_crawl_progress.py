"""The progress extension: a live line on a terminal, only a summary otherwise."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from loopback import Resource, Site, html, write_portal

REPO = Path(__file__).resolve().parent.parent


def test_a_terminal_gets_a_live_line_then_the_summary(tmp_path: Path) -> None:
    # A chain of slow pages keeps the crawl running for a few seconds of live updates.
    pages = {f"/{i}.html": Resource(html(f"第{i}页", f'<a href="/{i + 1}.html">下一篇</a>'), delay=0.25)
             for i in range(12)}
    with Site("127.0.0.2", pages) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/0.html")])
        master, slave = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"portal={config}",
             "-a", f"db={tmp_path / 'audit.db'}"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        proc.wait(timeout=60)
        os.close(master)
    text = out.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    live = [line for line in text.split("\r") if "待抓" in line]
    assert live and "已读" in live[0] and "错误" in live[0] and "每秒" in live[0]
    assert "\x1b[K抓取 #1 已完成：11 个页面" in text  # the chain is cut at AUDITOR_DEPTH_LIMIT = 10
