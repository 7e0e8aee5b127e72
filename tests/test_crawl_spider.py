"""The `portal` spider over real HTTP on loopback: scope, failures, attachments, limits, re-crawls."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from loopback import Resource, Site, article, html, list_page, rows, write_portal

from auditor.crawl.process import crawl

CAP = 4096  # attachment body cap for these tests
NOTICE = b'<html><a href="/from-attachment.html">x</a></html>'
SETTINGS = {"AUDITOR_ATTACHMENT_MAXSIZE": CAP, "AUDITOR_DEPTH_LIMIT": 3, "AUDITOR_MAX_LIST_PAGES": 3,
            "DOWNLOAD_TIMEOUT": 1}


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.3", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def offsite():
    with Site("127.0.0.9", {"/": Resource(html("外站")), "/x": Resource(html("外站页"))}) as site:
        yield site


@pytest.fixture(scope="module")
def portal_site(offsite: Site):
    """A district site with every kind of trouble, a dead unit site and a recovering page."""
    gbk = "<html><head><meta charset=gbk><title>嘉定区教育局文件</title></head><body><p>镕</p></body></html>"
    pages = {
        "/": Resource(html("首页", f"""
            <a href="/list/">通知公告</a> <a href="/missing.html">失效链接</a>
            <a href="{offsite.url('/x')}">外站链接</a> <a href="/go-away">跳转</a>
            <a href="/big.pdf">年度报告全文</a> <a href="/notice.doc">通知附件</a>
            <a href="/cal?year=2018&month=5">日历</a> <a href="/deep/1">深层</a>
            <a href="/gbk.html">教育</a> <a href="/moved">内部跳转</a> <a href="/private/x.html">内部</a>
            <a href="/slow.html">很慢</a>""")),
        "/slow.html": Resource(html("很慢"), delay=3),
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/private/x.html": article("内部资料"),
        "/go-away": Resource(status=302, headers={"Location": offsite.url("/")}),
        "/moved": Resource(status=301, headers={"Location": "/list/"}),
        "/big.pdf": Resource(b"%PDF-1.4\n" + b"0" * (CAP * 10), content_type="application/pdf"),
        # An attachment whose bytes look like HTML: it must never be read as a page.
        "/notice.doc": Resource(NOTICE, content_type="application/msword"),
        "/from-attachment.html": article("不应抓取"),
        "/cal?year=2018&month=5": Resource(html("日历")),
        "/gbk.html": Resource(gbk.encode("gbk"), content_type="text/html"),
        "/flaky.html": Resource(html("环保信息").replace(b"</body>", "<p>正文</p></body>".encode()), fail_first=1),
        "/list/": list_page("通知公告", [(f"/a{i}.html", f"关于开展第{i}项工作的通知", f"2018-05-{10 + i}")
                                     for i in range(4)], "/list/2"),
    }
    for i in range(4):
        pages[f"/a{i}.html"] = article(f"关于开展第{i}项工作的通知")
    for n in range(2, 6):
        pages[f"/list/{n}"] = list_page("通知公告", [(f"/p{n}.html", f"第{n}页文章", "2018-04-01")] * 3,
                                        f"/list/{n + 1}")
        pages[f"/p{n}.html"] = article(f"第{n}页文章", "<p>发布日期：2018-04-01</p>")
    for d in range(1, 8):
        pages[f"/deep/{d}"] = Resource(html(f"深层{d}", f'<a href="/deep/{d + 1}">更深</a>'))
    with Site("127.0.0.2", pages) as site, Site("127.0.0.3", {"/": Resource(html("网宣"), fail_first=10**6)}) as down:
        yield site, down


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, portal_site):
    """One crawl of the troubled site, read by the tests below."""
    tmp_path = tmp_path_factory.mktemp("crawl")
    site, down = portal_site
    config = write_portal(tmp_path / "portal.yaml", [site.url("/")], {
        "区民政局": [site.url("/list/")], "区网宣中心": [down.url("/")], "区环保局": [site.url("/flaky.html")],
        "区农委": [f"http://127.0.0.3:{closed_port()}/"],
    })
    db = tmp_path / "audit.db"
    summary = crawl(config, db, settings=SETTINGS)
    return summary, db, site, down


def test_crawl_completes_with_one_run(crawled) -> None:
    summary, db, site, _ = crawled
    assert summary.status == "complete"
    assert rows(db, "SELECT id, status FROM runs") == [(summary.run, "complete")]
    assert summary.pages == rows(db, "SELECT count(*) FROM pages WHERE run = ?", summary.run)[0][0] > 10


def test_out_of_scope_links_and_redirects_are_never_fetched(crawled, offsite: Site) -> None:
    _, db, site, _ = crawled
    assert offsite.paths() == []
    assert rows(db, "SELECT error FROM fetches WHERE url = ?", site.url("/go-away")) == [("offsite_redirect",)]
    assert rows(db, "SELECT internal FROM links WHERE to_url = ?", offsite.url("/x")) == [(0,)]
    # An in-scope redirect is followed and recorded with its final URL.
    assert rows(db, "SELECT status, final_url FROM fetches WHERE url = ?", site.url("/moved")) == [
        (200, site.url("/list/"))]


def test_broken_links_are_recorded_with_their_linking_page(crawled) -> None:
    _, db, site, _ = crawled
    broken = rows(db, """SELECT l.from_url, l.to_url, f.status FROM links l JOIN fetches f
                         ON f.run = l.run AND f.url = l.to_url WHERE f.status >= 400 OR f.error != ''""")
    assert (site.url("/"), site.url("/missing.html"), 404) in broken
    assert (site.url("/"), site.url("/go-away"), None) in broken


def test_a_unit_whose_site_is_down_is_unreachable_after_retries(crawled) -> None:
    summary, db, _, down = crawled
    assert summary.unreachable == ["区农委", "区网宣中心"]
    assert rows(db, "SELECT ok, status FROM unit_reach WHERE unit = '区网宣中心'") == [(0, 503)]
    assert down.paths().count("/") == 3  # first attempt + RETRY_TIMES


def test_timeouts_and_refused_connections_are_recorded(crawled) -> None:
    summary, db, site, _ = crawled
    assert rows(db, "SELECT status, error FROM fetches WHERE url = ?", site.url("/slow.html")) == [(None, "timeout")]
    assert rows(db, "SELECT ok, status, error FROM unit_reach WHERE unit = '区农委'") == [(0, None, "refused")]
    assert "区农委" in summary.unreachable


def test_a_page_that_recovers_within_the_retries_is_audited_normally(crawled) -> None:
    _, db, site, _ = crawled
    assert rows(db, "SELECT ok, status FROM unit_reach WHERE unit = '区环保局'") == [(1, 200)]
    assert rows(db, "SELECT title FROM pages WHERE url = ?", site.url("/flaky.html")) == [("环保信息",)]


def test_attachments_are_recorded_not_parsed(crawled) -> None:
    _, db, site, _ = crawled
    att = rows(db, """SELECT url, text, ext, status, size, content_type FROM attachments
                      WHERE page_url = ? ORDER BY url""", site.url("/"))
    assert att == [
        (site.url("/big.pdf"), "年度报告全文", "pdf", 200, CAP * 10 + 9, "application/pdf"),
        (site.url("/notice.doc"), "通知附件", "doc", 200, len(NOTICE), "application/msword"),
    ]
    assert rows(db, "SELECT max(bytes) FROM fetches WHERE kind = 'attachment'")[0][0] <= CAP
    assert rows(db, "SELECT count(*) FROM pages WHERE url LIKE '%.pdf' OR url LIKE '%.doc'") == [(0,)]
    assert "/from-attachment.html" not in site.paths()


def test_pagination_is_followed_up_to_the_cap(crawled) -> None:
    _, _, site, _ = crawled
    requested = set(site.paths())
    assert {"/list/", "/list/2", "/list/3"} <= requested
    assert "/list/4" not in requested  # AUDITOR_MAX_LIST_PAGES = 3


def test_robots_txt_is_obeyed(crawled) -> None:
    _, db, site, _ = crawled
    assert "/private/x.html" not in site.paths()
    assert rows(db, "SELECT status, error FROM fetches WHERE url = ?", site.url("/private/x.html")) == [
        (None, "robots")]


def test_depth_limit_and_traps(crawled) -> None:
    _, _, site, _ = crawled
    requested = set(site.paths())
    assert {"/deep/1", "/deep/2", "/deep/3"} <= requested
    assert "/deep/4" not in requested  # AUDITOR_DEPTH_LIMIT = 3
    assert not any(p.startswith("/cal") for p in requested)


def test_list_entries_date_undated_pages(crawled) -> None:
    _, db, site, _ = crawled
    assert rows(db, "SELECT date FROM list_entries WHERE url = ?", site.url("/a2.html")) == [("2018-05-12",)]
    assert rows(db, "SELECT date, date_source FROM pages WHERE url = ?", site.url("/a2.html")) == [
        ("2018-05-12", "list")]


def test_gbk_page_without_charset_header_is_decoded(crawled) -> None:
    _, db, site, _ = crawled
    assert rows(db, "SELECT title, encoding FROM pages WHERE url = ?", site.url("/gbk.html")) == [
        ("嘉定区教育局文件", "gb18030")]


def test_every_url_is_requested_once(crawled) -> None:
    _, db, site, _ = crawled
    paths = [p for p in site.paths() if p not in ("/flaky.html", "/slow.html", "/robots.txt")]  # retried
    paths.remove("/list/")  # once more as the target of the /moved redirect
    assert len(paths) == len(set(paths))
    # The redirect's target is stored once, under its own URL.
    assert rows(db, "SELECT count(*) FROM pages WHERE title = '通知公告' AND url = final_url") == [(3,)]


# --- re-crawls ------------------------------------------------------------------------


def _news_site(n: int, *, validators: bool) -> Site:
    pages = {"/": Resource(html("首页", '<a href="/list/">新闻</a> <a href="/report.pdf">年报</a>')),
             "/report.pdf": Resource(b"%PDF" + b"1" * 2000, content_type="application/pdf"),
             "/list/": list_page("新闻", [(f"/n{i}.html", f"新闻{i}", f"2018-05-{1 + i:02d}") for i in range(n)])}
    for i in range(n):
        pages[f"/n{i}.html"] = article(f"新闻{i}", f'<a href="/n{i}.pdf">附件{i}</a>')
        pages[f"/n{i}.pdf"] = Resource(b"%PDF" + b"2" * 1000, content_type="application/pdf")
    return Site("127.0.0.2", pages, validators=validators)


def _page_set(db: Path, run: int) -> set[str]:
    return {u for (u,) in rows(db, "SELECT url FROM pages WHERE run = ?", run)}


@pytest.mark.parametrize("validators", [True, False], ids=["etag", "no-validators"])
def test_second_crawl_is_incremental_and_complete(tmp_path: Path, validators: bool) -> None:
    with _news_site(20, validators=validators) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        db = tmp_path / "audit.db"
        first = crawl(config, db)
        second = crawl(config, db)
        assert (first.status, second.status) == ("complete", "complete")
        assert _page_set(db, second.run) == _page_set(db, first.run)
        assert len(_page_set(db, first.run)) == 22
        assert second.bytes <= 0.2 * first.bytes
        assert second.carried_over >= 20
        # Detail pages whose list entry did not change are not downloaded again.
        assert site.paths().count("/n5.html") == 1
        # A page added between the runs is found.
        site.pages["/list/"] = list_page("新闻", [("/new.html", "新增新闻", "2018-06-01")] + [
            (f"/n{i}.html", f"新闻{i}", f"2018-05-{1 + i:02d}") for i in range(20)])
        site.pages["/new.html"] = article("新增新闻")
        third = crawl(config, db)
        assert _page_set(db, third.run) == _page_set(db, first.run) | {site.url("/new.html")}
        assert rows(db, "SELECT carried_over FROM pages WHERE run = ? AND url = ?", third.run,
                    site.url("/new.html")) == [(0,)]
    # Earlier runs keep their own rows.
    assert rows(db, "SELECT count(*) FROM pages WHERE run = ? AND carried_over = 1", first.run) == [(0,)]


def test_changed_list_entry_is_downloaded_again(tmp_path: Path) -> None:
    with _news_site(5, validators=False) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        db = tmp_path / "audit.db"
        crawl(config, db)
        site.pages["/list/"] = list_page("新闻", [(f"/n{i}.html", f"新闻{i}" + ("(修订)" if i == 3 else ""),
                                                  f"2018-05-{1 + i:02d}") for i in range(5)])
        second = crawl(config, db)
        assert site.paths().count("/n3.html") == 2
        assert site.paths().count("/n2.html") == 1
        assert rows(db, "SELECT carried_over FROM pages WHERE run = ? AND url = ?", second.run,
                    site.url("/n3.html")) == [(0,)]


def test_max_pages_caps_the_pages_stored(tmp_path: Path) -> None:
    with _news_site(20, validators=True) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        summary = crawl(config, tmp_path / "audit.db", max_pages=5)
    assert (summary.status, summary.pages) == ("complete", 5)


def test_unit_filter_crawls_only_that_units_urls(tmp_path: Path) -> None:
    with _news_site(3, validators=True) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")], {"区民政局": [site.url("/list/")]})
        db = tmp_path / "audit.db"
        summary = crawl(config, db, unit="民政局")
    assert rows(db, "SELECT unit_filter FROM runs") == [("区民政局",)]
    assert "/" not in site.paths()
    assert _page_set(db, summary.run) == {site.url("/list/")}


def _spider(config: str):
    """A portal spider built as Scrapy builds it (its crawler's settings and state included)."""
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from auditor.crawl.spider import PortalSpider
    from auditor.crawl.state import CrawlState

    settings = Settings()
    settings.setmodule("auditor.crawl.settings", priority="project")
    from scrapy.statscollectors import MemoryStatsCollector

    crawler = Crawler(PortalSpider, settings)
    spider = PortalSpider.from_crawler(crawler, portal=config)
    state = CrawlState.from_crawler(crawler)
    crawler.get_extension = lambda cls: state  # what the extension manager hands the components
    crawler.stats = MemoryStatsCollector(crawler)  # set when a crawl starts
    return spider


def test_a_configured_url_reached_first_through_a_link_records_its_units_reach(tmp_path: Path) -> None:
    """The start request for a unit's URL may lose the race to a link from another page: the
    fetch that wins still records the unit's reach, answered or not."""
    from scrapy.http import HtmlResponse
    from twisted.internet.error import ConnectionRefusedError
    from twisted.python.failure import Failure

    from auditor.store import Reach

    config = write_portal(tmp_path / "p.yaml", ["http://127.0.0.2:8000/"],
                          {"区网宣中心": ["http://127.0.0.5:8000/"], "区民政局": ["http://127.0.0.2:8000/mzj/"]})
    spider = _spider(config)
    linked = spider.request("http://127.0.0.5:8000/", "page", depth=1, referer="http://127.0.0.2:8000/")
    down = HtmlResponse("http://127.0.0.5:8000/", status=503, body=b"busy", request=linked)
    reach = [r for r in spider.parse(down) if isinstance(r, Reach)]
    assert reach == [Reach("区网宣中心", "http://127.0.0.5:8000/", False, 503, "")]
    failed = Failure(ConnectionRefusedError())
    failed.request = spider.request("http://127.0.0.5:8000/", "page", depth=2)
    assert [r for r in spider.failed(failed) if isinstance(r, Reach)][0].ok is False
    # a redirect landing on a configured URL shows the unit's site answering
    start = spider.request("http://127.0.0.2:8000/old-mzj", "page", depth=1)
    landed = HtmlResponse("http://127.0.0.2:8000/mzj/", status=200, request=start, headers={"Content-Type": "text/html"},
                          body="<html><title>区民政局</title><body><p>民政</p></body></html>".encode())
    assert [r for r in spider.parse(landed) if isinstance(r, Reach)] == [
        Reach("区民政局", "http://127.0.0.2:8000/mzj/", True, 200, "")]


def test_a_dead_unit_linked_from_the_home_page_is_unreachable_on_every_crawl(tmp_path: Path) -> None:
    """The race on a real crawl: the home page links to the unit's dead site and the start
    request for it is queued behind; whichever arrives first, the unit is unreachable."""
    with Site("127.0.0.5", {"/": Resource(html("网宣"), fail_first=10**6)}) as dead:
        with Site("127.0.0.2", {"/": Resource(html("首页", f'<a href="{dead.url("/")}">网宣中心</a>'))}) as site:
            config = write_portal(tmp_path / "p.yaml", [site.url("/")], {"区网宣中心": [dead.url("/")]},
                                  settings={"RETRY_TIMES": 0, "CONCURRENT_REQUESTS": 1})
            db = tmp_path / "audit.db"
            runs = [crawl(config, db) for _ in range(3)]
    assert all(r.unreachable == ["区网宣中心"] for r in runs)


@pytest.mark.parametrize("validators", [True, False], ids=["etag-304", "no-validators"])
def test_a_directory_and_its_index_page_are_one_page_on_every_crawl(tmp_path: Path, validators: bool) -> None:
    # the home page links the column as /tzgg/, its pager and a sidebar as /tzgg/index.html
    entries = [(f"/tzgg/t{i}.html", f"通知{i}", f"2018-05-{1 + i:02d}") for i in range(6)]
    column = list_page("通知公告", entries, "/tzgg/index_1.html")
    second = list_page("通知公告", [(f"/tzgg/s{i}.html", f"旧通知{i}", "2018-03-01") for i in range(3)], "/tzgg/index.html")
    pages = {"/": Resource(html("首页", '<a href="/tzgg/">通知公告</a> <a href="/tzgg/index.html">更多</a>')),
             "/tzgg/": column, "/tzgg/index.html": Resource(column.body, delay=0.5), "/tzgg/index_1.html": second}
    pages.update({href: article(title) for href, title, _ in entries})
    pages.update({f"/tzgg/s{i}.html": article(f"旧通知{i}") for i in range(3)})
    with Site("127.0.0.2", pages, validators=validators) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        db = tmp_path / "audit.db"
        runs = [crawl(config, db).run]
        # the re-crawls hear from the other name first: its body, then the 304 of the stored one
        site.pages["/tzgg/"] = Resource(column.body, delay=0.5)
        site.pages["/tzgg/index.html"] = Resource(column.body)
        runs += [crawl(config, db).run for _ in range(2)]
        sets = [_page_set(db, run) for run in runs]
        assert sets[0] == sets[1] == sets[2]
        assert len({u for u in sets[0] if "/tzgg/index.html" in u or u.endswith("/tzgg/")}) == 1
        for sql in ("SELECT count(*) FROM links WHERE run = ?", "SELECT count(*) FROM list_entries WHERE run = ?"):
            assert [rows(db, sql, run) for run in runs[1:]] == [rows(db, sql, runs[0])] * 2, sql
