"""Read the standard meta tags of government CMS pages (SiteName, PubDate…)."""

from __future__ import annotations

from lxml import etree

from auditor.extract.document import collapse

# The tag names the national government-website standard prescribes, in the
# spelling the model uses; pages write them in any case (KeyWords, keywords).
CMS_META = (
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ArticleTitle",
    "PubDate", "ContentSource", "Keywords", "Url", "Author", "Description",
)
_BY_LOWER = {name.lower(): name for name in CMS_META}


def read_meta(root: etree._Element) -> dict[str, str]:
    """CMS meta tags with a non-empty value, keyed by their canonical name."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        name = _BY_LOWER.get((el.get("name") or "").strip().lower())
        value = collapse(el.get("content") or "")
        if name and value and name not in found:
            found[name] = value
    return found
