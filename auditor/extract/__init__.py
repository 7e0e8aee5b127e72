"""Read a fetched HTML page into a `Page` (the crawl's hot path).

One lxml parse per page; each module reads one kind of fact from the tree.
`extract_page` never raises on hostile input: whatever cannot be read stays
empty in the returned `Page`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date

from lxml import etree

from auditor.extract.breadcrumb import column_from_trail, trail
from auditor.extract.datastore import expand_datastores
from auditor.extract.dates import find_dates, parse_date
from auditor.extract.document import NON_CONTENT, all_text, parse_html, text_lines
from auditor.extract.encoding import decode
from auditor.extract.fields import (
    INDEX_NO,
    PUBLICATION_DATE_LABELS,
    PUBLISHER_SOURCE,
    PUBLISHER_TABLE,
    TOPIC,
    doc_number,
    label_lines,
    labelled,
    labelled_date,
)
from auditor.extract.links import base_url, read_links
from auditor.extract.listing import Listing, read_listing
from auditor.extract.maintext import main_text
from auditor.extract.meta import read_meta
from auditor.extract.publisher import choose_publisher
from auditor.extract.title import choose_title, site_names
from auditor.page import Page

__all__ = ["extract_page"]

logger = logging.getLogger(__name__)

_SIGNATURE_LINES = 8  # an official document's signature block closes its text
_HEADING_WINDOW = 6  # lines after the title where a byline date may stand
_MIN_ARTICLE = 100  # characters of text outside any list that make a page an article
_LIST_PROSE = 40  # Chinese characters outside links a list's block holds (heading, breadcrumb, 共N条, footer)


def _text(value) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _header(headers: Mapping | None, name: str) -> str | None:
    """A header's last value, whatever the mapping holds: str or bytes keys and
    values, or lists of values (Scrapy's `Headers`)."""
    for key, value in (headers or {}).items():
        if _text(key).lower() == name:
            if isinstance(value, (list, tuple)):
                value = value[-1] if value else ""
            return _text(value)
    return None


def _scripts(root: etree._Element) -> tuple[list[str], int | None]:
    """Script texts (pagination lives there) and the datastore total; then
    drop non-content elements."""
    datastore_total = expand_datastores(root)
    scripts = [el.text for el in root.iter("script") if el.text]
    etree.strip_elements(root, *NON_CONTENT, with_tail=False)
    return scripts, datastore_total


def _text_date(lines: list[str], title: str, article: list[str]) -> date | None:
    """A date standing near the heading, else at the end of the article's text."""
    start = next((i for i, line in enumerate(lines) if title and title in line), None)
    if start is not None:
        for line in lines[start + 1: start + 1 + _HEADING_WINDOW]:
            if len(line) <= 80:
                d = parse_date(line)
                if d:
                    return d
    for line in reversed(article[-_SIGNATURE_LINES:]):
        found = find_dates(line)
        if found and len(line) <= 60:
            return found[-1]
    return None


def _fill(page: Page, root: etree._Element, default_year: int | None) -> None:
    scripts, datastore_total = _scripts(root)
    meta = read_meta(root)
    page.meta = meta
    html_title = " ".join(all_text(el) for el in root.iter("title"))
    body = root.find("body")
    if body is None:
        body = root
    base = base_url(root, page.url)
    page.links, page.attachments = read_links(body, base)
    page.text, main = main_text(body)
    lines = text_lines(body)

    crumbs = trail(body)
    known_names = (*crumbs, meta.get("SiteName", ""), meta.get("ColumnName", ""))
    page.title = choose_title(body, meta, html_title, main, known_names)
    page.column = meta.get("ColumnName") or column_from_trail(crumbs, page.title)

    labels = label_lines(lines)
    page.index_no = labelled(labels, INDEX_NO)
    page.topic = labelled(labels, TOPIC)
    page.doc_no = doc_number(labels, lines, page.title)
    page.publisher = choose_publisher(
        labelled(labels, PUBLISHER_TABLE), meta.get("ContentSource", ""), labelled(labels, PUBLISHER_SOURCE),
        page.title, page.text.split("\n"), site_names(meta, html_title, page.title, body, main),
    )

    listing = read_listing(
        body, base, scripts, "\n".join(lines), default_year=default_year, today=date.today(),
        record_total=datastore_total,
    )
    page.is_list = _is_list(page, listing, main, labels)
    if page.is_list:
        page.entries = listing.entries
        page.next_page = listing.next_page
        page.empty_list = not listing.entries
    _fill_date(page, meta, labels, lines)


def _is_list(page: Page, listing: Listing, main: etree._Element | None, labels: list[str]) -> bool:
    """A column list page: rows or paging or 暂无信息, and no article of its own.

    An article's text outside the rows (related links under a document), or its
    索引号, make an article. Otherwise a block that holds dated entries and little
    else is a list whatever the meta says (CMSs put the column's name in
    ArticleTitle on list pages too), and a short page with an ArticleTitle or a
    发布机构 label is a document.
    """
    if page.index_no:
        return False
    inside_list = main is not None and listing.container is not None and (
        main is listing.container
        or listing.container in main.iterancestors()
        or main in listing.container.iterancestors()
    )
    if len(page.text) >= _MIN_ARTICLE and not inside_list:
        return False
    entries = listing.entries
    if entries and listing.other_text is not None and listing.other_text <= _LIST_PROSE:
        return True
    if page.meta.get("ArticleTitle") or labelled(labels, PUBLISHER_TABLE):
        return False
    return (
        len(entries) >= 3
        or bool(entries and listing.paginated)
        or listing.empty_marker
        or (listing.empty_container and len(page.text) < _MIN_ARTICLE)
    )


def _fill_date(page: Page, meta: dict[str, str], labels: list[str], lines: list[str]) -> None:
    """Publication date by evidence order (the date the page shows as its publication, the CMS
    meta, any other date label, the newest list entry, the text); list pages date by their entries."""
    listed = [e.date for e in page.entries if e.date]
    article = page.text.split("\n")
    for source, found in (
        ("label", lambda: labelled_date(labels, PUBLICATION_DATE_LABELS)),
        ("meta", lambda: parse_date(meta.get("PubDate", ""))),
        ("label", lambda: labelled_date(labels)),
        ("list", lambda: max(listed) if listed else None),
        ("text", lambda: None if page.is_list else _text_date(lines, page.title, article)),
    ):
        page.date = found()
        if page.date:
            page.date_source = source
            return


def extract_page(
    url: str,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    *,
    default_year: int | None = None,
) -> Page:
    """Read ``body`` fetched from ``url`` into a `Page`. Never raises: a failure
    midway is logged (logger ``auditor.extract``) and the fields read so far kept.

    ``headers`` supplies Content-Type (its charset); ``default_year`` completes
    list dates written without a year when the page gives no year itself.
    """
    page = Page(url=url)
    try:
        text, page.encoding = decode(body or b"", _header(headers, "content-type"))
        root = parse_html(text)
        if root is not None:
            _fill(page, root, default_year)
    except Exception:  # noqa: BLE001
        # One unreadable page must not stop a crawl of thousands: keep what was
        # read before the failure, and log it so the failure is not silent.
        logger.warning("extraction stopped early on %s", url, exc_info=True)
    return page
