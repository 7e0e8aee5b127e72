"""Reading one fetched HTML body into the record the crawl stores (links, attachments and
list entries canonical), the one reading the crawl and `auditor inspect` share."""

from __future__ import annotations

from typing import Callable

from ..extract import extract_page
from ..store.records import Attachment, Entry, Link, Page
from .responses import page_record


def read_body(final_url: str, stored_url: str, body: bytes, content_type: str | None, sha1: str,
              canonical: Callable[[str], str], in_scope: Callable[[str], bool]) -> Page:
    """The page the crawl stores under ``stored_url`` for ``body`` fetched from ``final_url``."""
    page = extract_page(final_url, body, {"content-type": content_type or ""})
    links: dict[str, Link] = {}
    for link in page.links:
        to = canonical(link.url)
        if to and to not in links:
            links[to] = Link(to, link.text, in_scope(to))
    attachments = {to: Attachment(to, a.text, a.ext) for a in page.attachments if (to := canonical(a.url))}
    entries: dict[str, Entry] = {}
    for e in page.entries:
        to = canonical(e.url)
        if to and to not in entries:
            entries[to] = Entry(to, e.title, e.date.isoformat() if e.date else None)
    next_page = canonical(page.next_page) if page.next_page else ""
    return page_record(page, stored_url, sha1, list(links.values()), list(attachments.values()),
                       list(entries.values()), next_page)
