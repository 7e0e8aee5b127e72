"""Site health from the crawl tables: broken links, stale home pages and columns, empty
columns, undated pages and unreachable units, with thresholds from rules/site_health.yaml."""

from datetime import date

import pytest
from checkdb import PORTAL, REPO, make_crawl, page
from sqlite_utils import Database

from auditor.check.attribution import Attributor
from auditor.check.crawldata import load_crawl
from auditor.check.health import HealthCheck
from auditor.rules import read_catalogue

CAT, _ = read_catalogue(REPO / "rules")
AS_OF = date(2018, 12, 10)
CONFIG = dict(PORTAL, units=dict(PORTAL["units"], 安亭镇=["http://at.test/"]))


def lst(url, column, **kw):
    return page(url, column, date=None, is_list=1, entries=kw.pop("entries", 10), column_name=column, **kw)


@pytest.fixture
def checks(tmp_path):
    db_path = tmp_path / "a.db"
    make_crawl(db_path, [
        page("http://www.test/", "上海嘉定", date=None),
        lst("http://www.test/news/", "工作动态"),
        lst("http://www.test/news/index_2.html", "工作动态"),  # the list's next page: older entries
        page("http://hb.test/", "嘉定环保", date=None),
        lst("http://hb.test/tzgg/", "通知公告"),
        page("http://hb.test/a.html", "环保要闻", date="2018-10-01"),
        lst("http://www.test/hbj/dt/", "工作动态"),
        page("http://www.test/mzj/", "区民政局", date=None),
        page("http://www.test/mzj/1.html", "低保", date="2018-12-01"),
        page("http://www.test/mzj/u.html", "养老机构名单", date=None),
        lst("http://www.test/mzj/kl/", "专项资金", empty_list=1, entries=0),
        lst("http://www.test/mzj/ld/", "领导信息"),  # a column no freshness rule applies to
        page("http://nx.test/", "南翔镇", date=None),
        page("http://nx.test/about.html", "镇情简介", date=None),
    ], portal=CONFIG,
        links=[{"from_url": "http://www.test/", "to_url": u} for u in ("http://www.test/news/", "http://www.test/gone.html", "http://elsewhere.test/r")]
        + [{"from_url": "http://hb.test/", "to_url": u} for u in ("http://hb.test/tzgg/", "http://hb.test/a.html")]
        + [{"from_url": "http://www.test/mzj/", "to_url": "http://www.test/mzj/1.html"},
           {"from_url": "http://www.test/mzj/1.html", "to_url": "http://www.test/gone.html"},
           {"from_url": "http://www.test/mzj/u.html", "to_url": "http://www.test/gone.html"},
           {"from_url": "http://nx.test/", "to_url": "http://nx.test/about.html"}],
        fetches=[{"url": "http://www.test/gone.html", "kind": "page", "status": 404, "error": ""},
                 {"url": "http://elsewhere.test/r", "kind": "page", "status": None, "error": "offsite_redirect"},
                 {"url": "http://www.test/news/", "kind": "page", "status": 200, "error": ""}],
        list_entries=[{"list_url": "http://www.test/news/", "url": "http://www.test/n1", "date": "2018-12-05"},
                      {"list_url": "http://www.test/news/index_2.html", "url": "http://www.test/n0", "date": "2018-06-05"},
                      {"list_url": "http://hb.test/tzgg/", "url": "http://hb.test/t1", "date": "2018-04-01"},
                      {"list_url": "http://www.test/hbj/dt/", "url": "http://www.test/hbj/1", "date": "2018-11-01"},
                      {"list_url": "http://www.test/mzj/ld/", "url": "http://www.test/mzj/l1", "date": "2016-01-01"}],
        unit_reach=[{"unit": "安亭镇", "url": "http://at.test/", "ok": 0, "status": 503, "error": ""},
                    {"unit": "区环保局", "url": "http://hb.test/", "ok": 1, "status": 200, "error": ""}])
    db = Database(db_path)
    crawl = load_crawl(db, CAT.registry)
    attr = Attributor(crawl.portal, CAT.registry)
    found = HealthCheck(db, crawl, attr.unit_of_url, CAT.site_health.under("census-2015"), CAT.scoring.deductions,
                        AS_OF).run()
    return {(c.check, c.unit, c.url): c for c in found}


def test_every_fault_is_found_once(checks):
    assert set(checks) == {
        ("unreachable", "安亭镇", "http://at.test/"),
        ("broken_link", "区府办", "http://www.test/gone.html"),
        ("broken_link", "区民政局", "http://www.test/gone.html"),
        ("stale_homepage", "区环保局", "http://hb.test/"),
        ("stale_homepage", "南翔镇", "http://nx.test/"),
        ("stale_column", "区环保局", "http://hb.test/tzgg/"),
        ("stale_column", "区环保局", "http://www.test/hbj/dt/"),
        ("empty_column", "区民政局", "http://www.test/mzj/kl/"),
        ("undated_page", "区民政局", "http://www.test/mzj/u.html"),
        ("undated_page", "南翔镇", "http://nx.test/about.html"),
        # the standard's single vetoes: an unreachable site, a stale home page
        ("site_failed", "安亭镇", "http://at.test/"),
        ("site_failed", "区环保局", "http://hb.test/"),
        ("site_failed", "南翔镇", "http://nx.test/"),
    }


def test_details_and_deductions(checks):
    home_link = checks[("broken_link", "区府办", "http://www.test/gone.html")]
    assert home_link.detail == "HTTP 404，链接所在页面：http://www.test/（首页）" and home_link.deduction == 1.0
    inner = checks[("broken_link", "区民政局", "http://www.test/gone.html")]
    assert inner.detail == "HTTP 404，链接所在页面：http://www.test/mzj/1.html等2个页面" and inner.deduction == 0.1
    assert checks[("stale_homepage", "区环保局", "http://hb.test/")].detail == "首页最近更新为2018-10-01，已70天未更新（要求14天内）"
    assert checks[("stale_column", "区环保局", "http://hb.test/tzgg/")].detail == \
        "栏目“通知公告”最近更新为2018-04-01，已253天未更新（要求183天内）"
    assert checks[("stale_column", "区环保局", "http://www.test/hbj/dt/")].detail.endswith("已39天未更新（要求14天内）")
    assert checks[("unreachable", "安亭镇", "http://at.test/")].detail == "安亭镇的网站无法访问（HTTP 503）"
    assert checks[("unreachable", "安亭镇", "http://at.test/")].deduction == 10.0
