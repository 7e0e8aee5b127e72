"""Page → unit: publisher metadata, then the longest URL prefix, then the owner."""

import json

from checkdb import PORTAL, REPO

from auditor.check.attribution import Attributor
from auditor.check.crawldata import portal_from_config
from auditor.units import default_registry

REG = default_registry(str(REPO / "rules"))
ATTR = Attributor(portal_from_config("上海嘉定", PORTAL, REG), REG)


def test_publisher_field_first_with_aliases_resolved():
    assert ATTR.unit_of("http://www.test/mzj/1.html", "上海市嘉定区环境保护局") == "区环保局"
    assert ATTR.unit_of("http://www.test/x.html", "嘉定区生态环境局") == "区环保局"  # the successor's name
    assert ATTR.unit_of("http://www.test/x.html", "区民政局") == "区民政局"


def test_content_source_meta_when_no_publisher():
    meta = json.dumps({"ContentSource": "嘉定区民政局", "SiteName": "上海嘉定"}, ensure_ascii=False)
    assert ATTR.unit_of("http://www.test/news/1.html", "", meta) == "区民政局"
    assert ATTR.unit_of("http://www.test/news/1.html", "", {"ContentSource": "南翔镇人民政府"}) == "南翔镇"


def test_a_source_naming_no_unit_falls_back_to_the_url():
    assert ATTR.unit_of("http://www.test/mzj/2.html", "嘉定报") == "区民政局"
    assert ATTR.unit_of("http://www.test/mzj/2.html", "新华社", {"ContentSource": "上海嘉定"}) == "区民政局"


def test_longest_url_prefix_then_owner():
    portal = dict(PORTAL, units={"区环保局": ["http://www.test/bm/"], "区民政局": ["http://www.test/bm/mzj/"]})
    attr = Attributor(portal_from_config("p", portal, REG), REG)
    assert attr.unit_of("http://www.test/bm/mzj/1.html") == "区民政局"
    assert attr.unit_of("http://www.test/bm/hbj/1.html") == "区环保局"
    assert attr.unit_of("http://www.test/news/1.html") == "区府办"
    assert ATTR.unit_of("http://hb.test/a.html") == "区环保局"


def test_config_aliases_resolve_to_canonical_units():
    portal = portal_from_config("p", {"start_urls": ["http://w/"], "owner": "嘉定区人民政府办公室",
                                      "units": {"嘉定区环境保护局": ["http://hb/"]}}, REG)
    assert portal.owner == "区府办" and portal.units == {"区环保局": ["http://hb/"]}


DISTRICT = Attributor(None, REG)


def test_a_body_outside_the_district_in_the_publisher_field():
    assert ATTR.attribute("http://x/1.html", "杭州市市场监督管理局").foreign == "杭州市市场监督管理局"
    assert ATTR.attribute("http://x/1.html", "商务部办公厅").foreign == "商务部"  # a ministry signs without a place
    assert DISTRICT.foreign_body("嘉定区市场监督管理局") == ""  # the district's own, even unregistered
    assert DISTRICT.foreign_body("解放日报") == ""  # the press is no body


def test_the_issuer_a_title_names_is_its_author():
    # another body's document reposted in a unit's column is that body's, whatever the column
    assert DISTRICT.title_issuer("国务院办公厅关于印发全国深化“放管服”改革电视电话会议重点任务分工方案的通知") == "国务院办公厅"
    assert DISTRICT.title_issuer("上海市人民政府办公厅关于转发市发展改革委《关于……》的通知") == "上海市人民政府"
    assert DISTRICT.title_issuer("工业和信息化部办公厅关于开展2018年智能制造试点示范项目推荐的通知") == "工业和信息化部"
    # a city or province opening a title that names no county: that place's own document
    assert DISTRICT.title_issuer("上海市全力打响“上海服务”品牌加快构筑新时代上海发展战略优势三年行动计划") == "上海市"
    assert DISTRICT.title_issuer("江西省2022年国民经济和社会发展统计公报") == "江西省"
    # the district's own and unsigned titles are no other body's
    for own in ("上海市嘉定区人民政府关于印发《嘉定区2018年政务公开工作要点》的通知", "区民政局关于公布2018年养老机构名单的通知",
                "嘉定区全力打响“上海服务”品牌三年行动计划", "关于印发《嘉定区……实施方案》的通知", "2018年8月嘉定区统计月报"):
        assert DISTRICT.title_issuer(own) == "", own
    # a page whose publisher is a unit but whose title names another body is that body's document
    reposted = ATTR.attribute("http://x/1.html", "嘉定区民政局", title="上海市民政局关于印发《……办法》的通知")
    assert reposted.unit == "区民政局" and reposted.foreign == "上海市民政局"
