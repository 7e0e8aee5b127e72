"""The evaluation window over real HTTP: which entries are fetched, where a list stops, what is skipped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from loopback import Resource, Site, article, html, list_page, rows, write_portal

from auditor.crawl.process import crawl
from auditor.crawl.window import AFTER, BEFORE, LIST_END, Window
from auditor.errors import ConfigError
from auditor.portal import load_portal
from auditor.rules import load_catalogue
from auditor.settings import default_rules_dir
from auditor.units import default_registry

WINDOW = "2018-01-01..2019-03-31"


def test_the_catalogue_window_is_its_dated_rules_earliest_date_through_the_manifest_end() -> None:
    # the 2018 plan's dated rules accept evidence from 2018-01-01; the guide (in force since 2008)
    # is a standing duty, read in full, and does not pull the window back to 2008
    assert load_catalogue(default_rules_dir()).crawl_window() == (date(2018, 1, 1), date(2019, 3, 31))


@pytest.mark.parametrize(("day", "reason"), [
    ("2018-01-01", ""), ("2019-03-31", ""), ("2017-12-31", BEFORE), ("2019-04-01", AFTER), (None, ""),
])
def test_window_edges(day: str | None, reason: str) -> None:
    assert Window(date(2018, 1, 1), date(2019, 3, 31)).outside(day) == reason


@pytest.mark.parametrize("text", ["2018", "2018-01-01", "2018-13-01..", "soon..later"])
def test_a_bad_window_setting_is_a_config_error(text: str) -> None:
    from auditor.crawl.window import parse

    with pytest.raises(ConfigError, match="AUDITOR_WINDOW"):
        parse(text)


def test_a_list_page_ends_the_list_only_when_no_dated_entry_reaches_the_window() -> None:
    w = Window(date(2018, 1, 1), date(2019, 3, 31))
    assert not w.list_ended(["2016-05-01", "2018-02-01", "2015-01-01"])  # mixed years: keep paging
    assert w.list_ended(["2017-12-31", "2016-05-01", None])
    assert not w.list_ended([None, None])  # an undated list is paged as before
    assert not Window().list_ended(["2001-01-01"])  # unbounded


def _site() -> dict[str, Resource]:
    news = [("/xw/first.html", "第一天的通知", "2018-01-01"), ("/xw/last.html", "最后一天的通知", "2019-03-31"),
            ("/xw/late.html", "窗口之后的通知", "2019-04-01"), ("/xw/early.html", "窗口之前的通知", "2017-12-31"),
            ("/xw/undated.html", "未标日期的通知", ""),
            # a standing document in an ordinary column: fetched whatever its date
            ("/xw/guide.html", "嘉定区民政局政府信息公开指南", "2014-06-01")]
    pages = {
        "/": Resource(html("首页", '<a href="/xw/">通知公告</a> <a href="/nb/">政府信息公开年报</a>')),
        "/xw/": list_page("通知公告", news, "/xw/2.html"),
        # mixed years: one entry still reaches into the window, so the list goes on
        "/xw/2.html": list_page("通知公告", [("/xw/m1.html", "旧通知一", "2016-03-01"),
                                          ("/xw/m2.html", "新通知二", "2018-02-01")], "/xw/3.html"),
        # wholly before the window: the last page read
        "/xw/3.html": list_page("通知公告", [("/xw/o1.html", "旧通知三", "2017-06-01"),
                                          ("/xw/o2.html", "旧通知四", "2016-01-01")], "/xw/4.html"),
        "/xw/4.html": list_page("通知公告", [("/xw/o3.html", "旧通知五", "2015-01-01")]),
        # a column of standing documents is read in full
        "/nb/": list_page("政府信息公开年报", [("/nb/2016.html", "2016年政府信息公开年报", "2017-03-20")], "/nb/2.html"),
        "/nb/2.html": list_page("政府信息公开年报", [("/nb/2015.html", "2015年政府信息公开年报", "2016-03-18")]),
    }
    for href, title, _ in news:
        pages[href] = article(title)
    pages["/xw/first.html"] = article("第一天的通知", '<a href="/xw/early.html">相关通知</a>')
    for href, title in [("/xw/m1.html", "旧通知一"), ("/xw/m2.html", "新通知二"), ("/xw/o1.html", "旧通知三"),
                        ("/xw/o2.html", "旧通知四"), ("/xw/o3.html", "旧通知五"), ("/nb/2016.html", "2016年年报"),
                        ("/nb/2015.html", "2015年年报")]:
        pages[href] = article(title)
    return pages


def _paths(site: Site) -> set[str]:
    return {path for path, _ in site.log if path != "/robots.txt"}


def test_the_window_bounds_what_the_crawl_fetches_and_records_what_it_skipped(tmp_path: Path) -> None:
    with Site("127.0.0.2", _site()) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        db = tmp_path / "audit.db"
        run = crawl(config, db).run
        fetched = _paths(site)
        skipped = {(url.removeprefix(site.url("")), reason) for url, reason in
                   rows(db, "SELECT url, reason FROM skipped WHERE run = ?", run)}
        window = rows(db, "SELECT window_from, window_to, skipped FROM runs WHERE id = ?", run)
    assert {"/xw/first.html", "/xw/last.html", "/xw/undated.html", "/xw/guide.html", "/xw/m2.html"} <= fetched
    assert {"/xw/2.html", "/xw/3.html", "/nb/", "/nb/2.html", "/nb/2016.html", "/nb/2015.html"} <= fetched
    # an entry dated outside the window is not fetched, even when a page read later links it
    assert not fetched & {"/xw/early.html", "/xw/late.html", "/xw/m1.html", "/xw/o1.html", "/xw/o2.html",
                          "/xw/4.html", "/xw/o3.html"}
    assert skipped == {("/xw/early.html", BEFORE), ("/xw/late.html", AFTER), ("/xw/m1.html", BEFORE),
                       ("/xw/o1.html", BEFORE), ("/xw/o2.html", BEFORE), ("/xw/4.html", LIST_END)}
    assert window == [("2018-01-01", "2019-03-31", 6)]


def test_window_all_in_the_portal_config_follows_everything(tmp_path: Path) -> None:
    with Site("127.0.0.2", _site()) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        Path(config).write_text(Path(config).read_text(encoding="utf-8") + "window: all\n", encoding="utf-8")
        run = crawl(config, tmp_path / "audit.db").run
        assert {"/xw/early.html", "/xw/late.html", "/xw/4.html", "/xw/o3.html"} <= _paths(site)
        assert rows(tmp_path / "audit.db", "SELECT window_from, window_to, skipped FROM runs WHERE id = ?", run) \
            == [(None, None, 0)]


def test_a_portal_config_window_overrides_the_catalogue(tmp_path: Path) -> None:
    with Site("127.0.0.2", _site()) as site:
        config = write_portal(tmp_path / "p.yaml", [site.url("/")])
        text = Path(config).read_text(encoding="utf-8") + "window:\n  from: 2019-01-01\n"
        Path(config).write_text(text, encoding="utf-8")
        crawl(config, tmp_path / "audit.db")
        fetched = _paths(site)
    assert "/xw/last.html" in fetched and "/xw/late.html" in fetched  # open end
    # page 1 reaches into 2019, page 2 lies wholly before it: the list ends there
    assert "/xw/2.html" in fetched and not fetched & {"/xw/first.html", "/xw/m2.html", "/xw/3.html"}


@pytest.mark.parametrize(("text", "message"), [
    ("window: 2018", "'window' is 'all' or a mapping"),
    ("window:\n  from: soon\n", "window 'from' must be a date"),
    ("window:\n  from: 2019-01-01\n  to: 2018-01-01\n", "the window ends before it begins"),
    ("window:\n  since: 2019-01-01\n", "'window' is 'all' or a mapping"),
])
def test_a_bad_window_is_one_line_naming_the_line(tmp_path: Path, text: str, message: str) -> None:
    config = write_portal(tmp_path / "p.yaml", ["http://127.0.0.2:1/"])
    Path(config).write_text(Path(config).read_text(encoding="utf-8") + text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        load_portal(config, default_registry(""))
    assert "p.yaml:5" in str(err.value)
