"""Recognise column list pages: their entries, next page and emptiness.

A list page repeats rows (li/tr/div/dd) that each hold a link and usually a
date (`[05-30]`, `2018-05-30`), and often paginates (下一页, index_1.html,
TRS `createPageHTML(total, current, 'index', 'html')`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin

from lxml import etree

from auditor.extract.dates import find_dates, parse_list_date
from auditor.extract.document import all_text, class_id, collapse, short_text
from auditor.extract.links import absolute_url, anchor_text
from auditor.page import ListEntry

ROW_TAGS = ("li", "tr", "div", "dd", "dl", "p")  # a <dl> per row holds its link and date in <dd>s
# Elements made to hold a list: one dated row in one of them is already a list
# (a column with a single document: 信息公开指南, 年报).
_LIST_BLOCKS = ("ul", "ol", "tbody", "table", "dl")
_MIN_ROWS = 3
_MAX_ROW_TEXT = 300
_ROW_DEPTH = 5  # levels between a list link and its row element (li > div > span > a)
_EMPTY_MARKERS = re.compile(r"暂无信息|暂无数据|暂无内容|暂无记录|暂无相关|没有相关信息|没有找到相关|无相关信息|没有记录")
_NEXT_TEXT = re.compile(r"^(?:(?:下一页|下页|后一页|next)\s*[>›»]*|[>›»])$", re.I)
_LIST_CONTAINER = re.compile(r"list|lb_|_lb|news|xxgk")
_PAGER_TEXT = re.compile(r"^(?:下一页|尾页|末页|上一页|首页|\d+)$")
_INDEX_PAGE = re.compile(r"(?:^|/)index_\d+\.s?html?$")
# TRS/Hanweb pagers: createPageHTML([id,] total, current, 'index', 'html'…).
_PAGER_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_VAR = re.compile(r"\bvar\s+(\w+)\s*=\s*(\d+)")
# Any date-like run, with or without a year: enough to call a row dated.
_ANY_DATE = re.compile(r"(?<!\d)\d{1,2}\s*[-/.月]\s*\d{1,2}(?!\d)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# A year standing alone above a list (`<div class="year">2018年</div>`): archive
# templates group entries written `[01-17]` under their year.
_YEAR_HEADING = re.compile(r"^((?:19|20)\d{2})\s*年?度?$")
_YEAR_HEADING_REACH = 2  # preceding siblings, and ancestors, searched for it
_ELLIPSIS = ("...", "…", "..")


@dataclass
class Listing:
    """What the listing reader found on one page."""

    entries: list[ListEntry] = field(default_factory=list)
    next_page: str = ""
    paginated: bool = False
    empty_marker: bool = False
    empty_container: bool = False  # a list-named container that holds nothing
    pager_total: int | None = None
    container: etree._Element | None = None  # the element holding the rows
    # Chinese characters outside links in the block around the rows, when every row is
    # dated: a heading, a breadcrumb, a footer on a list page; the body of an article
    other_text: int | None = None


def _row_link(row: etree._Element, base: str) -> tuple[str, str] | None:
    best = None
    for a in row.iter("a"):
        url = absolute_url(a.get("href"), base)
        text = anchor_text(a)
        if not url or _PAGER_TEXT.match(text):
            continue
        title = collapse(a.get("title") or "")
        if title and (text.endswith(_ELLIPSIS) or not text):
            text = title  # list templates truncate long titles
        if best is None or len(text) > len(best[1]):
            best = (url, text)
    return best


Row = tuple[str, str, str]  # (url, title, row text without the title)
_TITLE_LINK = 6  # characters of a link text that make it a document's title, not a tag (【通知】)


def _titled_links(el: etree._Element) -> int:
    """How many links under ``el`` carry a title-length text (stops counting at two)."""
    n = 0
    for a in el.iter("a"):
        if len(anchor_text(a) or a.get("title") or "") >= _TITLE_LINK:
            n += 1
            if n > 1:
                break
    return n


def _rows(root: etree._Element, base: str) -> list[tuple[etree._Element, list[Row], str]]:
    """Groups of sibling rows with a link each, with their parent element and the rows' tag.

    Rows are found upward from the links (a few levels), so only the parts of
    the page that hold links are read.
    """
    groups: dict[etree._Element, dict[etree._Element, None]] = {}
    for a in root.iter("a"):
        el = a.getparent()
        for _ in range(_ROW_DEPTH):
            if el is None:
                break
            parent = el.getparent()
            if el.tag in ROW_TAGS and parent is not None:
                groups.setdefault(parent, {})[el] = None
            el = parent
    found = []
    for parent, members in groups.items():
        least = 1 if parent.tag in _LIST_BLOCKS else 2
        if len(members) < least:
            continue
        rows = []
        for child in members:
            if _titled_links(child) > 1:
                continue  # a block of rows (a group of a split list), not a row
            text = short_text(child, _MAX_ROW_TEXT)
            link = _row_link(child, base) if text else None
            if link and link[1]:
                rows.append((link[0], link[1], text.replace(link[1], " ")))
        if len(rows) >= least:
            found.append((parent, rows, next(iter(members)).tag))
    return found


_GROUP_REACH = 3  # levels up to the ancestor that groups of one list share


def _shape(parent: etree._Element, row_tag: str) -> tuple[str, str, str]:
    return parent.tag, class_id(parent), row_tag


def _near(a: etree._Element, b: etree._Element) -> etree._Element | None:
    """The ancestor ``a`` and ``b`` share within a few levels, or None."""
    up = [a, *list(a.iterancestors())[:_GROUP_REACH]]
    for el in [b, *list(b.iterancestors())[:_GROUP_REACH]]:
        if el in up:
            return el
    return None


def _one_list(root: etree._Element, groups: list, best: tuple) -> tuple[etree._Element, list[Row]]:
    """The best group joined with the groups of the same shape beside it, in page order.

    Templates split one list into blocks of a few rows (TRS renders five per
    ``<div ms-visible="$showStatic(n)"><ul>``): the list is all of them.
    """
    _, _, parent, rows, tag = best
    shape = _shape(parent, tag)
    same = [g for g in groups if g[2] is not parent and _shape(g[2], g[4]) == shape and _near(g[2], parent) is not None]
    if not same:
        return parent, rows
    members = [best, *same]
    order = {el: i for i, el in enumerate(root.iter())}
    members.sort(key=lambda g: order.get(g[2], 0))
    shared = parent
    for g in same:
        up = _near(g[2], shared)
        shared = up if up is not None else shared
    return shared, [r for g in members for r in g[3]]


def _heading_year(container: etree._Element | None) -> int | None:
    """The year of a bare year heading just before the list (or before the
    element wrapping it); text other than a year in between ends the search."""
    el = container
    for _ in range(_YEAR_HEADING_REACH):
        if el is None:
            return None
        sibling = el.getprevious()
        for _ in range(_YEAR_HEADING_REACH):
            if sibling is None:
                break
            text = short_text(sibling, 8) if isinstance(sibling.tag, str) else ""
            if text != "":  # empty elements (spacers, anchors) are passed over
                m = _YEAR_HEADING.match(text or "")
                return int(m.group(1)) if m else None
            sibling = sibling.getprevious()
        el = el.getparent()
    return None


def _context_year(rows: list[tuple[str, str, str]], default_year: int | None) -> int | None:
    years = Counter(d.year for _, _, rest in rows for d in find_dates(rest))
    return years.most_common(1)[0][0] if years else default_year


def _entries(rows, default_year: int | None, today: date | None) -> list[ListEntry]:
    year = _context_year(rows, default_year)
    entries = []
    prev: date | None = None
    for url, title, rest in rows:
        d, had_year = parse_list_date(rest, year)
        if d and not had_year:
            # Lists run newest first: a month-day later than the entry above
            # it crossed a new year; a date after today is last year's.
            if prev and d > prev and (d - prev).days > 31:
                d = d.replace(year=d.year - 1) if _valid_year_back(d) else d
            elif today and d > today:
                d = d.replace(year=d.year - 1) if _valid_year_back(d) else d
        if d:
            prev = d
        entries.append(ListEntry(url, title, d))
    return entries


def _valid_year_back(d: date) -> bool:
    return not (d.month == 2 and d.day == 29)


def _pager_from_script(scripts: list[str], page_url: str) -> tuple[str, int | None]:
    """(next page URL, total pages) from a createPageHTML call, if any."""
    for script in scripts:
        m = _PAGER_CALL.search(script)
        if not m:
            continue
        variables = dict(_VAR.findall(script))
        args = [a.strip().strip("\"'") for a in m.group(1).split(",")]
        values = [variables.get(a, a) for a in args]
        numbers = [i for i, a in enumerate(values) if a.isdigit()]
        if len(numbers) < 2:
            continue
        total, current = int(values[numbers[0]]), int(values[numbers[1]])
        names = [a for a in values[numbers[1] + 1:] if a and not a.isdigit()]
        prefix, ext = (names + ["index", "html"])[:2] if names else ("index", "html")
        if current + 1 < total:
            return urljoin(page_url, f"{prefix}_{current + 1}.{ext}"), total
        return "", total
    return "", None


def _pager_links(root: etree._Element, base: str) -> tuple[str, bool]:
    """(下一页 link, whether the page shows a pager)."""
    paginated = False
    for a in root.iter("a"):
        text = all_text(a)
        href = a.get("href") or ""
        if text in ("下一页", "尾页", "末页", "上一页") or _INDEX_PAGE.search(href):
            paginated = True
        if _NEXT_TEXT.match(text):
            url = absolute_url(href, base)
            if url and url.rstrip("/") != base.rstrip("/"):
                return url, True
    return "", paginated


def _has_empty_container(root: etree._Element) -> bool:
    """True when a list-named ul/ol/table/tbody holds no text at all."""
    for el in root.iter("ul", "ol", "table", "tbody"):
        if _LIST_CONTAINER.search(class_id(el)) and short_text(el, 0) == "":
            return True
    return False


def _other_text(container: etree._Element, rows: list[Row]) -> int | None:
    """Chinese characters outside links in the block enclosing ``container`` (None unless
    every row is dated: menus and breadcrumbs are link rows too, but undated)."""
    if not all(_ANY_DATE.search(rest) for _, _, rest in rows):
        return None
    block = container.getparent()
    texts = (block if block is not None else container).xpath(".//text()[not(ancestor::a)]")
    return sum(len(_HAN.findall(t)) for t in texts)


def read_listing(
    root: etree._Element,
    base: str,
    scripts: list[str],
    text: str,
    *,
    default_year: int | None = None,
    today: date | None = None,
    record_total: int | None = None,
) -> Listing:
    """The best list group on the page (most dated rows) plus paging evidence.

    ``record_total`` is a record count the page states (Hanweb datastores).
    """
    dated = []
    for parent, rows, tag in _rows(root, base):
        n = sum(bool(_ANY_DATE.search(rest)) for _, _, rest in rows)
        if n >= 2 or (n and (len(rows) >= _MIN_ROWS or parent.tag in _LIST_BLOCKS)):
            dated.append((n, len(rows), parent, rows, tag))
    container, best = _one_list(root, dated, max(dated, key=lambda t: t[:2])) if dated else (None, [])
    next_page, paginated = _pager_links(root, base)
    scripted_next, total = _pager_from_script(scripts, base)
    entries = _entries(best, _heading_year(container) or default_year, today)
    return Listing(
        entries=entries,
        next_page=next_page or scripted_next,
        paginated=paginated or total is not None or (record_total or 0) > len(entries),
        empty_marker=bool(_EMPTY_MARKERS.search(text)) or total == 0 or record_total == 0,
        pager_total=total,
        container=container,
        other_text=None if container is None else _other_text(container, best),
        empty_container=not entries and _has_empty_container(root),
    )
