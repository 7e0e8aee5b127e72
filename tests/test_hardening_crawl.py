"""Hardening: one crawl of the fault-injection portal (tests/faultserver.py), then a check
and a report of it.

The crawl must finish within its bounds (counted in requests, never in seconds),
record every failure with its cause, never contact a host outside the scope, and store
every good page as it was served. Units whose sites are down are `unreachable`, never
`missing`; a site that recovers within the retries is audited normally. The report of
hostile pages holds them as inert text and links only to http(s).
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, RULES
from faultserver import HOSTILE_TITLES, MB, FaultPortal, news_day
from test_crawl_process import query as rows

from auditor.check import run_check
from auditor.job import report

DEPTH = 4
LIST_PAGES = 5
RETRIES = 2
SETTINGS = {"DOWNLOAD_TIMEOUT": 1, "AUDITOR_DEPTH_LIMIT": DEPTH, "AUDITOR_MAX_LIST_PAGES": LIST_PAGES,
            "RETRY_TIMES": RETRIES}
MAXSIZE = 16 * MB  # spiders/settings.py DOWNLOAD_MAXSIZE, left at its default here
REDIRECT_MAX_TIMES = 10  # spiders/settings.py
AS_OF = date(2019, 1, 15)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """The fault portal crawled once by `auditor crawl`, with tight limits in the portal config's `settings:`."""
    tmp = tmp_path_factory.mktemp("faults")
    with FaultPortal() as portal:
        config = portal.write_config(tmp / "portal.yaml", SETTINGS)
        proc = subprocess.run([sys.executable, "-m", "auditor", "crawl", "--portal", config, "--db", str(tmp / "audit.db")],
                              cwd=REPO, capture_output=True, text=True, timeout=300)
        yield proc, tmp / "audit.db", portal


def fetch(db: Path, url: str) -> tuple:
    found = rows(db, "SELECT status, error FROM fetches WHERE url = ?", url)
    assert len(found) == 1, f"{url}: {found}"
    return found[0]


def test_the_crawl_completes_within_its_bounds(crawled) -> None:
    proc, db, portal = crawled
    assert proc.returncode == 0, proc.stderr
    assert rows(db, "SELECT status FROM runs") == [("complete",)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert not any(site.overflowed for site in portal.sites)
    paths = portal.main.paths()
    # An endless calendar (prev/next month links) is cut by the depth limit: the
    # calendar is linked from the home page (depth 1), so months 1 + 2 × (DEPTH - 1).
    months = {p for p in paths if p.startswith("/calendar/")}
    assert 3 <= len(months) <= 2 * DEPTH - 1
    assert len([p for p in paths if p.startswith("/calendar/")]) == len(months)  # each asked for once
    # A calendar in the query string is a trap and never asked for.
    assert not any(p.startswith("/cal?") for p in paths)
    # An endless pager is followed up to AUDITOR_MAX_LIST_PAGES, with one entry per page.
    assert sorted(p for p in paths if p.startswith("/news/list_")) == sorted(
        f"/news/list_{n}.html" for n in range(1, LIST_PAGES + 1))
    assert len([p for p in paths if p.startswith("/news/n")]) == LIST_PAGES
    # A redirect loop is given up after REDIRECT_MAX_TIMES hops.
    loop = [p for p in paths if p.startswith("/loop/")]
    assert 2 <= len(loop) <= REDIRECT_MAX_TIMES + 1
    assert paths.count("/self") <= REDIRECT_MAX_TIMES + 1
    # Everything else is a fixed set of pages, each tried at most 1 + RETRIES times.
    # (Twisted resends once, unseen by Scrapy, a request whose reused connection was reset.)
    fixed = [p for p in paths if not p.startswith(("/calendar/", "/news/", "/loop/", "/self", "/reset"))]
    assert max(map(fixed.count, fixed)) == 1 + RETRIES
    assert paths.count("/reset.html") <= 2 * (1 + RETRIES)
    assert len(fixed) <= (1 + RETRIES) * len(portal.main.pages | portal.main.faults)


def test_every_failure_is_recorded_with_its_cause(crawled) -> None:
    _, db, portal = crawled
    url = portal.main.url
    expected = {
        url("/timeout.html"): (None, "timeout"),
        url("/reset.html"): (None, "reset"),
        url("/always500.html"): (500, ""),
        url("/loop/a"): (None, "too_many_redirects"),
        url("/self"): (None, "too_many_redirects"),
        url("/go-off"): (None, "offsite_redirect"),
        url("/go-off-chain"): (None, "offsite_redirect"),
        url("/refresh-off.html"): (None, "offsite_redirect"),
        url("/huge.html"): (None, "too_large"),
        url("/huge-stream.html"): (None, "too_large"),
        portal.down["区民政局"].url("/"): (503, ""),
        portal.down["区财政局"].url("/"): (403, ""),
        portal.down["区教育局"].url("/"): (None, "timeout"),
        portal.down["区卫计委"].url("/"): (None, "reset"),
    }
    assert {u: fetch(db, u) for u in expected} == expected
    # Failures that may pass are retried; the outcome recorded is the last attempt's.
    for path in ("/timeout.html", "/always500.html"):
        assert portal.main.attempts[path] == 1 + RETRIES, path
    # (Twisted itself resends once a request whose reused connection was reset.)
    assert 1 + RETRIES <= portal.main.attempts["/reset.html"] <= 2 * (1 + RETRIES)
    # Every failure counts in the run's totals.
    (errors,), = rows(db, "SELECT errors FROM runs")
    assert errors == rows(db, "SELECT count(*) FROM fetches WHERE status >= 400 OR error != ''")[0][0]
    assert errors >= len(expected)


def test_faults_are_reported_in_one_line_each_never_a_traceback(crawled) -> None:
    proc, _, portal = crawled
    assert "Traceback" not in proc.stderr and "ERROR" not in proc.stderr
    # a robots.txt that timed out or was reset is named once, as a warning
    lines = [line for line in proc.stderr.splitlines() if portal.down["区教育局"].host in line]
    assert len(lines) == 1 and "WARNING" in lines[0], lines


def test_a_50_mb_page_is_cut_at_the_size_cap_and_never_stored(crawled) -> None:
    _, db, portal = crawled
    for path in ("/huge.html", "/huge-stream.html"):
        # The server was hung up on long before the end (socket buffers let a few MB more through).
        assert portal.main.sent.get(path, 0) < MAXSIZE + 16 * MB < 50 * MB
        assert rows(db, "SELECT count(*) FROM pages WHERE url = ?", portal.main.url(path)) == [(0,)]
    assert rows(db, "SELECT max(bytes) FROM fetches")[0][0] < MB
    assert rows(db, "SELECT max(length(text)) FROM pages")[0][0] < MB


def test_nothing_outside_the_scope_is_ever_contacted(crawled) -> None:
    _, db, portal = crawled
    assert portal.offsite.paths() == []
    in_scope = {site.host for site in portal.sites if site is not portal.offsite}
    assert {urlsplit(u).netloc for (u,) in rows(db, "SELECT url FROM fetches")} <= in_scope
    assert rows(db, "SELECT internal FROM links WHERE to_url = ?", portal.offsite.url("/x.html")) == [(0,)]


def test_non_http_links_are_neither_stored_nor_followed(crawled) -> None:
    _, db, portal = crawled
    page = portal.main.url("/schemes.html")
    assert rows(db, "SELECT to_url FROM links WHERE from_url = ?", page) == [(portal.main.url("/good/1.html"),)]
    schemes = {urlsplit(u).scheme for (u,) in rows(db, "SELECT to_url FROM links UNION SELECT url FROM fetches")}
    assert schemes == {"http"}
    assert not [p for p in portal.main.paths() if re.search(r"javascript|mailto|passwd|alert|tel:|ftp", p, re.I)]


def test_every_good_page_is_stored_as_served(crawled) -> None:
    _, db, portal = crawled
    stored = {url: (title, day) for url, title, day in rows(db, "SELECT url, title, date FROM pages")}
    served = {portal.main.url(g.path): (g.title, g.date) for g in portal.good}
    served.update({portal.main.url(f"/news/n{n}.html"): (f"第{n}期工作动态", news_day(n))
                   for n in range(1, LIST_PAGES + 1)})
    served[portal.recovering.url(portal.recovered.path)] = (portal.recovered.title, portal.recovered.date)
    assert {url: stored.get(url) for url in served} == served


def test_pages_that_recover_within_the_retries_are_read_normally(crawled) -> None:
    _, db, portal = crawled
    assert portal.main.attempts["/good/burst500.html"] == 3  # 500, 503, then the page
    assert fetch(db, portal.main.url("/good/burst500.html")) == (200, "")
    assert set(portal.recovering.attempts.values()) == {3}  # every path: 503, 500, then the answer
    assert rows(db, "SELECT ok, status, error FROM unit_reach WHERE unit = '区环保局'") == [(1, 200, "")]


def test_broken_pages_are_recorded_without_stopping_the_crawl(crawled) -> None:
    _, db, portal = crawled
    pages = {u: rest for u, *rest in rows(db, "SELECT url, title, date, entries, length(text) FROM pages")}
    url = portal.main.url
    # zero bytes: an empty page, answered 200
    assert fetch(db, url("/empty.html")) == (200, "")
    assert pages[url("/empty.html")] == ["", None, 0, 0]
    # 50 000 nested <div>s: the parser keeps the head, nothing is invented
    assert pages[url("/deep-nest.html")][:3] == ["极深嵌套", None, 0]
    # random bytes labelled text/html: no title, date, links, entries or text read into them
    assert fetch(db, url("/binary.html")) == (200, "")
    assert pages[url("/binary.html")] == ["", None, 0, 0]
    assert rows(db, "SELECT count(*) FROM links WHERE from_url = ?", url("/binary.html")) == [(0,)]


# --- unreachable is not missing (check of the same crawl) ------------------------------


@pytest.fixture(scope="module")
def checked(crawled):
    _, db, _ = crawled
    return run_check(db, RULES, as_of=AS_OF)


def statuses(db: Path, table: str, check_run: int, unit: str) -> set[str]:
    return {s for (s,) in rows(db, f"SELECT status FROM {table} WHERE check_run = ? AND unit = ?", check_run, unit)}


@pytest.mark.parametrize("unit", list(FaultPortal.DOWN), ids=list(FaultPortal.DOWN.values()))
def test_a_unit_whose_site_is_down_is_unreachable_never_missing(crawled, checked, unit) -> None:
    _, db, _ = crawled
    # Rules a website cannot show stay manual; every other finding is unreachable.
    assert statuses(db, "findings", checked.check_run, unit) == {"unreachable", "manual"}
    assert statuses(db, "item_status", checked.check_run, unit) == {"unreachable"}
    assert rows(db, "SELECT unreachable FROM check_units WHERE check_run = ? AND unit = ?",
                checked.check_run, unit) == [(1,)]


def test_a_unit_whose_site_recovers_is_audited_normally(crawled, checked) -> None:
    _, db, portal = crawled
    found = statuses(db, "findings", checked.check_run, "区环保局")
    assert "unreachable" not in found and "met" in found
    evidence = rows(db, "SELECT evidence FROM findings WHERE check_run = ? AND unit = '区环保局' AND status = 'met'",
                    checked.check_run)
    assert any(portal.recovering.url(portal.recovered.path) in e for (e,) in evidence)
    assert rows(db, "SELECT unreachable FROM check_units WHERE check_run = ? AND unit = '区环保局'",
                checked.check_run) == [(0,)]


def test_site_checks_blame_the_site_only_for_its_own_failures(crawled, checked) -> None:
    _, db, portal = crawled
    found = {(c, url): detail for c, url, detail in rows(
        db, "SELECT [check], url, detail FROM site_checks WHERE check_run = ?", checked.check_run)}
    url = portal.main.url
    broken = {u for c, u in found if c == "broken_link"}
    assert broken == {url(p) for p in ("/always500.html", "/timeout.html", "/reset.html", "/loop/a", "/self")}
    assert "重定向次数过多" in found[("broken_link", url("/loop/a"))]  # error codes read in Chinese
    assert "请求超时" in found[("broken_link", url("/timeout.html"))]
    # pages that show nothing are blank pages, not undated documents
    assert found[("blank_page", url("/empty.html"))] == "页面内容为空"
    assert "二进制" in found[("blank_page", url("/binary.html"))]
    assert not {("undated_page", url(p)) for p in ("/empty.html", "/binary.html")} & set(found)
    # the crawl's own choices (size cap, scope) are no fault of the site
    assert not broken & {url(p) for p in ("/huge.html", "/huge-stream.html", "/go-off", "/refresh-off.html")}
    down = {u for c, u in found if c == "unreachable"}
    assert down == {site.url("/") for site in portal.down.values()}


# --- the report of hostile pages ----------------------------------------------------


@pytest.fixture(scope="module")
def report_pages(crawled, checked, tmp_path_factory) -> dict[str, str]:
    _, db, _ = crawled
    index = report(db, tmp_path_factory.mktemp("report") / "out", check_run=checked.check_run)
    return {str(p.relative_to(index.parent)): p.read_text(encoding="utf-8") for p in index.parent.rglob("*.html")}


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's tokenizer sees them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def test_hostile_titles_are_inert_text_in_the_report(report_pages) -> None:
    html = "\n".join(report_pages.values())
    for hostile in HOSTILE_TITLES:
        markup = hostile.lstrip('">')  # the quote may be escaped either way (&#34; or &quot;)
        assert escape(markup) in html, hostile
    for name, page in report_pages.items():
        tags = Tags(page).tags
        assert not {t for t, _ in tags} & {"script", "img", "iframe", "object", "embed"}, name
        assert not [(t, a) for t, attrs in tags for a in attrs if a.startswith("on")], name


def test_report_links_are_only_http_or_the_reports_own_files(report_pages) -> None:
    targets = 0
    for name, page in report_pages.items():
        for tag, attrs in Tags(page).tags:
            for attr in ("href", "src", "action", "formaction"):
                if attr in attrs:
                    target = attrs[attr].strip()
                    scheme = urlsplit(target).scheme.lower()
                    assert scheme in ("", "http", "https") and not target.startswith("//"), (name, tag, target)
                    targets += 1
    assert targets > 10
    # the evidence of the recovering unit is linked, by its http URL
    assert 'href="http://127.0.0.4:' in "".join(report_pages.values())
