"""Which unit a page belongs to (CONTRACT.md): its own publisher metadata first, then
the longest configured URL prefix containing it, else the portal's owner."""

from __future__ import annotations

import json

from ..portal import Portal
from ..units import Registry


class Attributor:
    """Attributes pages of one crawl; publisher strings repeat, so their lookups are cached."""

    def __init__(self, portal: Portal | None, registry: Registry) -> None:
        self.portal = portal
        self.registry = registry
        self._named: dict[str, str | None] = {}

    def named_unit(self, text: str) -> str | None:
        """The unit a publisher or 来源 string names (None for 嘉定报, 新华社, …)."""
        if text not in self._named:
            self._named[text] = self.registry.find_in_text(text)
        return self._named[text]

    def publisher_unit(self, publisher: str = "", meta: str | dict | None = None) -> str | None:
        """The unit a page's own metadata names: its publisher field, else its ContentSource meta tag."""
        unit = self.named_unit(publisher) if publisher else None
        if unit is None and meta:
            source = _content_source(meta)
            unit = self.named_unit(source) if source else None
        return unit

    def unit_of(self, url: str, publisher: str = "", meta: str | dict | None = None) -> str:
        """The unit of a page from its URL, publisher field and CMS meta tags (dict or JSON)."""
        return self.publisher_unit(publisher, meta) or self.unit_of_url(url)

    def unit_of_url(self, url: str) -> str:
        """The longest configured prefix's unit, else the owner (needs a portal config)."""
        return self.portal.unit_for_url(url) or self.portal.owner


def _content_source(meta: str | dict) -> str:
    if isinstance(meta, str):
        if "ContentSource" not in meta:  # skip parsing the JSON of the many pages without it
            return ""
        try:
            meta = json.loads(meta)
        except ValueError:
            return ""
    value = meta.get("ContentSource") if isinstance(meta, dict) else None
    return value if isinstance(value, str) else ""
