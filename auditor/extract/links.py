"""Collect a page's hyperlinks and the document files among them."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urldefrag, urljoin, urlsplit

from lxml import etree

from auditor.extract.document import all_text, collapse
from auditor.page import Attachment, Link

ATTACHMENT_EXTS = frozenset(
    "pdf doc docx xls xlsx wps ofd zip rar et ppt pptx".split()
)


@lru_cache(maxsize=4096)  # menus repeat the same hrefs on every page of a site
def absolute_url(href: str | None, base: str) -> str | None:
    """``href`` resolved against ``base``, fragment dropped; None unless http(s)."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    try:
        url = urldefrag(urljoin(base, href)).url
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # malformed (e.g. a broken IPv6 host)
        return None
    return url if scheme in ("http", "https") else None


def base_url(root: etree._Element, page_url: str) -> str:
    """The URL relative links resolve against (``<base href>`` wins)."""
    for el in root.iter("base"):
        resolved = absolute_url(el.get("href"), page_url)
        if resolved:
            return resolved
    return page_url


def _file_name(name: str) -> tuple[str, str]:
    """(file name, lower-case extension) if ``name`` ends like a document file."""
    name = posixpath.basename(unquote(name).strip().replace("\\", "/"))
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    return (name, ext) if ext in ATTACHMENT_EXTS else ("", "")


def attachment_of(url: str) -> tuple[str, str]:
    """(file name, ext) when ``url`` points at a document file, else ("", "").

    The file may be named by the path or, for download scripts
    (``download.jsp?file=x.pdf``), by a query value.
    """
    parts = urlsplit(url)
    name, ext = _file_name(parts.path)
    if ext:
        return name, ext
    for _, value in parse_qsl(parts.query):
        name, ext = _file_name(value)
        if ext:
            return name, ext
    return "", ""


def anchor_text(el: etree._Element) -> str:
    """Visible link text, falling back to the title attribute."""
    return all_text(el) or collapse(el.get("title") or "")


def read_links(root: etree._Element, page_url: str) -> tuple[list[Link], list[Attachment]]:
    """All http(s) links (one per URL, first non-empty text) and the attachments among them."""
    base = base_url(root, page_url)
    links: dict[str, Link] = {}
    for el in root.iter("a", "area"):
        url = absolute_url(el.get("href"), base)
        if not url:
            continue
        text = anchor_text(el)
        link = links.setdefault(url, Link(url, text))
        if not link.text:
            link.text = text
    attachments: dict[str, Attachment] = {}
    for link in links.values():
        name, ext = attachment_of(link.url)
        if ext:
            attachments[link.url] = Attachment(link.url, link.text or name, ext)
    # Documents shown inline (PDF viewers in iframes) are published files too.
    for el in root.iter("iframe", "embed", "object"):
        url = absolute_url(el.get("src") or el.get("data"), base)
        name, ext = attachment_of(url) if url else ("", "")
        if ext and url not in attachments:
            attachments[url] = Attachment(url, collapse(el.get("title") or "") or name, ext)
    return list(links.values()), list(attachments.values())
