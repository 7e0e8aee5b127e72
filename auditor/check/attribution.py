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
# Names that end like a body but are the press.
_NOT_BODY = re.compile(r"(报社?|新闻网|电视台|广播电台|通讯社|新华社|杂志社|出版社|网站|网)$")


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
        return next((m.group(0) for m in _BODY.finditer(compact) if _PLACE.match(m.group(0))), "")

    def publisher_unit(self, publisher: str = "", meta: str | dict | None = None) -> str | None:
        """The unit a page's own metadata names: its publisher field, else its ContentSource meta tag."""
        unit = self.named_unit(publisher) if publisher else None
        if unit is None and meta:
            source = _content_source(meta)
            unit = self.named_unit(source) if source else None
        return unit

    def attribute(self, url: str, publisher: str = "", meta: str | dict | None = None) -> Attribution:
        """The page's unit, and the outside body its metadata names (which makes it no evidence)."""
        named = self.publisher_unit(publisher, meta)
        if named:
            return Attribution(named)
        foreign = (self.foreign_body(publisher) if publisher else "") or (
            self.foreign_body(_content_source(meta)) if meta else "")
        return Attribution(self.unit_of_url(url), foreign)

    def unit_of(self, url: str, publisher: str = "", meta: str | dict | None = None) -> str:
        """The unit of a page from its URL, publisher field and CMS meta tags (dict or JSON)."""
        return self.publisher_unit(publisher, meta) or self.unit_of_url(url)

    def unit_of_url(self, url: str) -> str:
        """The longest configured prefix's unit, else the owner (needs a portal config)."""
        return self.portal.unit_for_url(url) or self.portal.owner


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
