"""URL canonicalisation, scope and trap detection: pure functions the crawl components share.

Every URL the crawl stores or requests is canonical, so `links.to_url` joins
`fetches.url` and one document is one row however it was linked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

DEFAULT_PORTS = {"http": "80", "https": "443"}
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/?#]*", re.I)
# Query parameters a calendar widget pages through.
_CALENDAR_NAMES = re.compile(r"^(?:year|month|day|week|date|cal(?:endar)?|yyyy|mm|dd|ym|riqi|rq)$", re.I)
_DATE_VALUE = re.compile(r"^\d{4}[-/.]?\d{1,2}(?:[-/.]?\d{1,2})?$")


def host_of(url: str) -> str:
    """``host[:port]`` of ``url``, lower-case, the scheme's default port left out."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or str(port) == DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


def canonical_url(url: str, session_params: Iterable[str] = ()) -> str:
    """The canonical form of an http(s) URL: w3lib's canonical form, no fragment,
    no session id, no default port; '' for anything else (mailto:, javascript:, junk)."""
    try:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
            return ""
        drop = {p.lower() for p in session_params}
        query = parts.query
        if drop and query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(k, v) for k, v in pairs if k.lower() not in drop])
        path = _PATH_SESSION.sub("", parts.path)
        rebuilt = urlunsplit((parts.scheme.lower(), host_of(url), path or "/", query, ""))
        return canonicalize_url(rebuilt, keep_fragments=False)
    except ValueError:
        return ""


def trap_reason(url: str, *, max_params: int, max_query: int, max_repeats: int) -> str:
    """Why ``url`` looks machine-generated (a crawler trap), or '' if it does not."""
    parts = urlsplit(url)
    if len(parts.query) > max_query:
        return "long_query"
    params = parse_qsl(parts.query, keep_blank_values=True)
    if len(params) > max_params:
        return "many_params"
    names = [k.lower() for k, _ in params]
    if len(set(names)) < len(names):
        return "repeated_param"
    calendar = [v for k, v in params if _CALENDAR_NAMES.match(k)]
    if len(calendar) >= 2 or any(_DATE_VALUE.match(v) for v in calendar):
        return "calendar"
    segments = [s for s in parts.path.split("/") if s]
    if segments and Counter(segments).most_common(1)[0][1] >= max_repeats:
        return "repeated_segment"
    return ""


# The last path segment of a list's page (index.html, index_2.html, list-3.htm, default_5.aspx, a bare 4);
# never a document's name such as 123456.html.
_PAGE_SEGMENT = re.compile(
    r"^(?:(?:index|default|list|page)(?:[_-](\d+)(?:\.(?:s?html?|jsp|aspx?|php))?|\.(?:s?html?|jsp|aspx?|php))"
    r"|(\d+)|)$", re.I)
_PAGE_PARAMS = {"page", "pageno", "pagenum", "pageindex", "p", "pn", "currentpage", "curpage", "cp", "start"}


def pager_key(url: str) -> str:
    """``url`` without its page number: pages of one column list share this key."""
    parts = urlsplit(url)
    head, _, last = parts.path.rpartition("/")
    path = head + "/" if _PAGE_SEGMENT.match(last) else parts.path
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _PAGE_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def pager_links(url: str, links: list[str], entries, next_page: str) -> set[str]:
    """The other pages of the list ``url`` is a page of: its 下一页 and the links sharing its
    `pager_key` (numbered pager links), entries excepted; none for a page that lists nothing."""
    pager = {next_page} if next_page else set()
    if entries or next_page:
        key = pager_key(url)
        pager.update(to for to in links if to != url and to not in entries and pager_key(to) == key)
    return pager


def page_number(url: str) -> int:
    """The page number a list page's URL carries (0 when it shows none)."""
    parts = urlsplit(url)
    for k, v in parse_qsl(parts.query):
        if k.lower() in _PAGE_PARAMS and v.isdigit():
            return int(v)
    m = _PAGE_SEGMENT.match(parts.path.rpartition("/")[2])
    number = m and (m.group(1) or m.group(2))
    return int(number) if number else 0


_INDEX_FILE = re.compile(r"^(?:index|default)\.(?:s?html?|jsp|aspx?|php)$", re.I)


def directory_key(url: str) -> str:
    """For a directory URL (``/x/``) or its index file (``/x/index.html``), the directory URL; else ''."""
    parts = urlsplit(url)
    head, _, last = parts.path.rpartition("/")
    if last and not _INDEX_FILE.match(last):
        return ""
    return urlunsplit((parts.scheme, parts.netloc, head + "/", parts.query, ""))
