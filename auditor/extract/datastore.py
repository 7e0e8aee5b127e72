"""Expand Hanweb (大汉) "jpage" datastores into the page tree.

Hanweb list pages ship their first page of entries inside
``<script type="text/xml"><datastore><recordset><record><![CDATA[<li>…</li>]]>``
and render them with JavaScript. A crawler that runs no script would see an
empty column, so the records are parsed and put in the script's place.
"""

from __future__ import annotations

import re

from lxml import etree

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
# The record count stands in the datastore (<totalrecord>143</totalrecord>)
# or in the jpage call that renders it (totalRecord: 143).
_TOTAL = re.compile(r"totalrecord\s*(?:>|[:=])\s*(\d+)", re.I)
_MAX_RECORDS = 500
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=True)


def expand_datastores(root: etree._Element) -> int | None:
    """Replace datastore scripts with their records; return the total record
    count the page states (None without a datastore or a stated count)."""
    scripts = list(root.iter("script"))
    stores = [s for s in scripts if "<recordset" in (s.text or "").lower()]
    if not stores:
        return None
    counts = [int(m.group(1)) for s in scripts for m in [_TOTAL.search(s.text or "")] if m]
    for script in stores:
        source = script.text or ""
        records = _RECORD.findall(source)[:_MAX_RECORDS]
        holder = etree.Element("div", {"class": "datastore"})
        if records:
            fragment = etree.fromstring(f"<html><body><ul>{''.join(records)}</ul></body></html>".encode("utf-8", "replace"), _PARSER)
            holder.extend(fragment.find("body"))
        holder.tail = script.tail
        script.getparent().replace(script, holder)
    return counts[0] if counts else None
