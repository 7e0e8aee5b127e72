"""The crawl's budget before the crawl: the estimate against the requests the crawl then makes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from auditor.crawl.estimate import ListSample, list_cost
from auditor.crawl.process import crawl, estimate

START, END = date(2018, 1, 1), date(2019, 3, 31)


def sample(pages: int, dates: list[str], *, per_page: int = 20, standing: bool = False, inside: int = 0):
    return ListSample("http://h/x/", per_page, pages, dates, standing, [f"e{i}" for i in range(inside)])


def test_a_list_is_read_down_to_the_window_start_and_its_entries_inside_counted() -> None:
    # 20 entries a page spanning 10 days (2 a day), newest 2018-12-31, 100 pages: 2,000
    # entries back to 2016-04-05. From the window's start to the newest entry is 364 days:
    # 728 entries, 37 pages (36.4 rounded up), plus the first page wholly before it.
    first = sample(100, [f"2018-12-{31 - i // 2:02d}" for i in range(19)] + ["2018-12-21"])
    pages, details = list_cost(first, START, END)
    assert pages == 38
    assert details == pytest.approx(728)


def test_standing_undated_and_short_lists_are_costed_as_the_crawl_reads_them() -> None:
    assert list_cost(sample(7, ["2012-01-01"] * 20, standing=True), START, END) == (7, 140.0)  # in full
    assert list_cost(sample(3, []), START, END) == (3, 60.0)  # undated: every page and entry
    assert list_cost(sample(1, ["2018-05-01", "2016-01-01"], per_page=2, inside=1), START, END) == (1, 1.0)
    assert list_cost(sample(5, ["2018-05-01"] * 20), None, None) == (5, 100.0)  # no window: everything


def test_the_estimate_is_within_20_percent_of_the_requests_the_crawl_makes(sample_portal, tmp_path) -> None:
    guess = estimate(sample_portal.config_path)
    run = crawl(sample_portal.config_path, tmp_path / "audit.db").run
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        made = dict(conn.execute("SELECT host, count(*) FROM fetches WHERE run = ? GROUP BY host", [run]))
    total = sum(made.values())
    assert abs(guess.requests - total) <= 0.2 * total, (guess.requests, total)
    busiest = max(made, key=made.get)
    host = next(h for h in guess.hosts if h.host == busiest)
    assert abs(host.requests - made[busiest]) <= 0.2 * made[busiest]
    assert {h.host for h in guess.hosts} == set(made)
    assert guess.window == "2018-01-01..2019-03-31"


def test_crawl_estimate_prints_per_host_and_stores_nothing(sample_portal, tmp_path) -> None:
    db = tmp_path / "audit.db"
    out = subprocess.run([sys.executable, "-m", "auditor", "crawl", "--portal", str(sample_portal.config_path),
                          "--db", str(db), "--estimate"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith("抓取预估（时间窗 2018-01-01..2019-03-31）：共 ") and "次请求" in lines[0]
    assert len(lines) == 1 + 7 and all("预计请求" in line for line in lines[1:])  # the sample's 7 hosts
    assert not db.exists()
