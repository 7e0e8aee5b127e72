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
