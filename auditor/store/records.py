"""What a crawl hands the store: one typed record per fact (the spider's items).

The `portal` spider yields these (auditor/crawl/items.py names them for Scrapy); the
store pipeline, or `auditor ingest` for a distributed crawl, writes them in batches.
Dates are ISO strings, times ISO 8601 with offset (`auditor.clock`).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields


@dataclass
class Fetch:
    """The outcome of one request: an HTTP status, or why no answer came."""

    url: str  # canonical URL asked for
    kind: str  # page | attachment
    status: int | None
    error: str = ""
    final_url: str = ""
    host: str = ""
    bytes: int = 0  # body bytes downloaded
    size: int | None = None  # attachments: the file's full size
    content_type: str | None = None
    sha1: str | None = None  # of the whole body (None when cut at the cap)
    etag: str | None = None
    last_modified: str | None = None
    elapsed_ms: int = 0
    fetched_at: str = ""
    depth: int | None = None
    referer: str = ""
    version: str | None = None  # the page version it stored (`version_id`), if it stored a page


@dataclass
class Link:
    to_url: str
    text: str = ""
    internal: bool = False


@dataclass
class Attachment:
    url: str
    text: str = ""
    ext: str = ""


@dataclass
class Entry:
    """A list page's entry: where it points, its title and its list date."""

    url: str
    title: str = ""
    date: str | None = None


@dataclass
class Page:
    """What the crawl read from one HTML body stored under ``url`` (its fetch is a `Fetch`)."""

    url: str
    sha1: str
    encoding: str = ""
    title: str = ""
    date: str | None = None
    date_source: str = ""
    publisher: str = ""
    index_no: str = ""
    doc_no: str = ""
    topic: str = ""
    column_name: str = ""
    text: str = ""
    meta: str = "{}"  # JSON of the CMS meta tags
    is_list: bool = False
    empty_list: bool = False
    next_page: str = ""
    links: list[Link] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def version(self) -> str:
        return version_id(self.url, self.sha1)


@dataclass
class Reach:
    """Whether one of a unit's configured URLs answered."""

    unit: str
    url: str
    ok: bool
    status: int | None = None
    error: str = ""


@dataclass
class Carry:
    """A URL unchanged since ``from_run``: this run takes that run's fetch (and page) as its own."""

    url: str
    from_run: int


@dataclass
class Skip:
    """A link the crawl chose not to fetch (e.g. a list entry dated before the window)."""

    url: str
    reason: str
    list_url: str = ""
    date: str | None = None


RECORDS = {cls.__name__: cls for cls in (Fetch, Page, Reach, Carry, Skip)}
_NESTED = {"links": Link, "attachments": Attachment, "entries": Entry}


def version_id(url: str, sha1: str) -> str:
    """The key of a page version: the same URL with the same body is one version, in every run."""
    return hashlib.sha1(f"{url}\0{sha1}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


def to_json(record: object) -> dict:
    """A record as plain data tagged with its type (the distributed crawl's wire format)."""
    return {"type": type(record).__name__, **asdict(record)}


def from_json(data: dict) -> object:
    """The record `to_json` made; unknown keys of a newer worker are dropped."""
    cls = RECORDS[data["type"]]
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in data.items() if k in names}
    for key, nested in _NESTED.items():
        if key in values:
            values[key] = [nested(**v) for v in values[key]]
    return cls(**values)
