"""Which unit a page belongs to (CONTRACT.md): its own publisher metadata first, then the
longest configured URL prefix containing it, else the portal's owner.

A page whose own metadata names a government body that is not one of the district's
units (another city's 市场监督管理局, the municipal 上海市民政局 reposted on the district
site) is published by that body: it is never evidence for a district unit, whatever
column it sits in. Names that are no government body (嘉定报, 上海嘉定, 新华社) and the
district's own bodies outside the registry fall back to the URL, as DOMAIN.md says.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..portal import Portal
from ..rules.manifest import District
from ..units import Registry

# The endings of a government body's name (政府, 委员会, 局, 办公室, 法院 …).
_BODY = re.compile(r"[\u4e00-\u9fff]{2,24}?(?:国务院|人民政府|政府|管理委员会|委员会|办公厅|办公室|总局|分局|局|厅|委|署|部|"
                   r"法院|检察院|管委会|街道办事处|办事处|中心)")
# A body of a named place or of the state: 杭州市…, 上海市…, 浦东新区…, 国家…, 国务院…; a bare
# 市场监管局 names no place and may be the district's own (its short name).
_PLACE = re.compile(r"^(?:中华人民共和国|国务院|国家|中共中央|中央|[\u4e00-\u9fff]{2,6}?(?:省|自治区|特别行政区|市|州|盟|县|旗|区))")
# The State Council's ministries sign without a place (商务部关于…, 工业和信息化部办公厅关于…).
_MINISTRY = re.compile(r"^(?:(?:外交|国防|教育|科学技术|科技|工业和信息化|公安|国家安全|民政|司法|财政|人力资源和?社会保障|"
                       r"自然资源|生态环境|住房和?城乡建设|交通运输|水利|农业农村|商务|文化和旅游|退役军人事务|应急管理)部|"
                       r"审计署|海关总署|税务总局)")
# A body of a county-level place (…区、…县、…旗, with or without its city): the level of a district.
_COUNTY_LEVEL = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:省|自治区)?[\u4e00-\u9fff]{0,8}?(?:市|州|盟)?[\u4e00-\u9fff]{1,8}?(?:区|县|旗)"
                           r"(?!域|级|内|外)")
# Names that end like a body but are the press.
_NOT_BODY = re.compile(r"(报社?|新闻网|电视台|广播电台|通讯社|新华社|杂志社|出版社|网站|网)$")
# A title opening with a province or a city (上海市…, 江西省…), and a county-level name after it.
_LEADING_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?[\u4e00-\u9fff]{2,4}?市(?![\u4e00-\u9fff]{1,5}?(?:区|县|旗))"
                            r"|^[\u4e00-\u9fff]{2,7}?(?:省|自治区)(?![\u4e00-\u9fff]{1,6}?(?:市|州|区|县|旗))")
_COUNTY_NAME = re.compile(r"[\u4e00-\u9fff](?:区|县|旗)(?!域|级|内|外|间)")
# A document's title names its issuer before 关于/印发/转发 (国务院办公厅关于…的通知,
# 上海市人民政府印发…), a news item its actor before the verb (商务部开展…, 某市发布…):
# that body is the author whatever site carries it.
_ISSUER = re.compile(r"^(.{2,60}?)(?:关于|印发|转发|发布|公布|开展|召开|举办|部署|启动)")


@dataclass(frozen=True)
class Attribution:
    unit: str  # the unit the page counts for (URL attribution when its publisher is no unit)
    foreign: str = ""  # the body outside the district its metadata names; then it is no unit's evidence


class Attributor:
    """Attributes pages of one crawl; publisher strings repeat, so their lookups are cached."""

    def __init__(self, portal: Portal | None, registry: Registry, district: District | None = None) -> None:
        self.portal = portal
        self.registry = registry
        self.stem = district.stem if district else registry.stem
        # the district's own city, named without 市 at the head of its news (上海启动……)
        city = district.city.removesuffix("市") if district and district.city else ""
        self._city = re.compile(rf"^{re.escape(city)}(?!市?[\u4e00-\u9fff]{{1,5}}?(?:区|县))") if len(city) >= 2 else None
        self._named: dict[str, str | None] = {}
        self._foreign: dict[str, str] = {}

    def named_unit(self, text: str) -> str | None:
        """The unit a publisher or 来源 string names (None for 嘉定报, 新华社, …)."""
        if text not in self._named:
            self._named[text] = self.registry.find_in_text(text)
        return self._named[text]

    def foreign_body(self, text: str) -> str:
        """The government body outside the district ``text`` names, or '' (a unit, the press, the district's own)."""
        if text not in self._foreign:
            self._foreign[text] = self._find_foreign(text)
        return self._foreign[text]

    def _find_foreign(self, text: str) -> str:
        if not text.strip() or self.named_unit(text):
            return ""
        # names run on through quotes and signs (上海市“互联网+政务服务”推进办公室): read the characters alone
        compact = "".join(re.findall(r"[\u4e00-\u9fff]+", text))
        if not compact or _NOT_BODY.search(compact):
            return ""
        if self.stem and self.stem in compact:  # the district's own bodies fall back to the URL
            return ""
        return next((m.group(0) for m in _BODY.finditer(compact) if _PLACE.match(m.group(0)) or _MINISTRY.match(m.group(0))), "")

    def publisher_unit(self, publisher: str = "", meta: str | dict | None = None) -> str | None:
        """The unit a page's own metadata names: its publisher field, else its ContentSource meta tag."""
        unit = self.named_unit(publisher) if publisher else None
        if unit is None and meta:
            source = _content_source(meta)
            unit = self.named_unit(source) if source else None
        return unit

    def title_issuer(self, title: str) -> str:
        """The body outside the district a document's title names as its issuer, or ''.

        Another body's document reposted on a district site (国务院办公厅关于…的通知 in a
        unit's column) is that body's, as a careful evaluator reads it.
        """
        m = _ISSUER.match(title.strip()) if title else None
        if m and self.foreign_body(m.group(1)):
            return self.foreign_body(m.group(1))
        return self._leading_place(title)

    def _leading_place(self, title: str) -> str:
        """A province or city that opens a title naming no county (上海市全力打响……三年行动计划,
        江西省2022年……统计公报, and the district's own city without 市: 上海启动……): that place's own."""
        compact = "".join(re.findall(r"[\u4e00-\u9fff\d]+", title or ""))
        m = _LEADING_PLACE.match(compact) or (self._city.match(compact) if self._city else None)
        if not m or (self.stem and self.stem in compact) or self.named_unit(compact):
            return ""
        return "" if _COUNTY_NAME.search(compact[m.end():]) else m.group(0)

    def attribute(self, url: str, publisher: str = "", meta: str | dict | None = None, title: str = "") -> Attribution:
        """The page's unit, and the outside body its metadata or its title's issuer names (then it is no evidence)."""
        named = self.publisher_unit(publisher, meta)
        if named:
            return Attribution(named, self.title_issuer(title))
        foreign = (self.foreign_body(publisher) if publisher else "") or (
            self.foreign_body(_content_source(meta)) if meta else "") or self.title_issuer(title)
        return Attribution(self.unit_of_url(url), foreign)

    def unit_of(self, url: str, publisher: str = "", meta: str | dict | None = None) -> str:
        """The unit of a page from its URL, publisher field and CMS meta tags (dict or JSON)."""
        return self.publisher_unit(publisher, meta) or self.unit_of_url(url)

    def unit_of_url(self, url: str) -> str:
        """The longest configured prefix's unit, else the owner (needs a portal config)."""
        return self.portal.unit_for_url(url) or self.portal.owner


def above_county(body: str) -> bool:
    """Whether a body named by `Attributor.foreign_body` sits above a district or county (the
    state, a province, a city): a careful evaluator never credits a district with its documents."""
    # 自治区 and 特别行政区 are provinces, a 社区 or 园区 no county: read them so first
    plain = re.sub(r"特别行政区|自治区", "省", body).replace("社区", "社").replace("园区", "园")
    return bool(body) and not _COUNTY_LEVEL.match(plain)


def _content_source(meta: str | dict | None) -> str:
    if not meta:
        return ""
    if isinstance(meta, str):
        if "ContentSource" not in meta:  # skip parsing the JSON of the many pages without it
            return ""
        try:
            meta = json.loads(meta)
        except ValueError:
            return ""
    value = meta.get("ContentSource") if isinstance(meta, dict) else None
    return value if isinstance(value, str) else ""
