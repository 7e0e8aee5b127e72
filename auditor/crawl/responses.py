"""What a response or a failed request becomes: the crawl's records of one fetch.

Pure functions of Scrapy responses and failures; the spider decides what to do
with them. Error names are the schema's (docs/schema.md, `fetches.error`).
"""

from __future__ import annotations

import ipaddress
import json
from urllib.parse import urlsplit

from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.settings import Settings
from twisted.internet import defer
from twisted.internet import error as txerror
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from ..clock import now
from ..page import Page as ReadPage
from ..store.records import Attachment, Entry, Fetch, Link, Page
from .scope import OffsiteRedirect
from .urls import host_of

# Settings recorded with each run (name prefixes).
RECORDED_SETTINGS = ("AUDITOR_", "ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "CONCURRENT_REQUESTS",
                     "AUTOTHROTTLE_ENABLED", "RETRY_TIMES", "USER_AGENT")


def _errors(*names: str) -> tuple[type[BaseException], ...]:
    return tuple(t for t in (getattr(scrapy_errors, n, None) for n in names) if t)


# Network failures by the name the schema records. Newer Scrapy raises its own
# exception types, older versions Twisted's; both are named.
NETWORK_ERRORS = (
    (_errors("CannotResolveHostError") + (txerror.DNSLookupError,), "dns"),
    (_errors("DownloadConnectionRefusedError") + (txerror.ConnectionRefusedError,), "refused"),
    (_errors("DownloadTimeoutError") + (txerror.TimeoutError, txerror.TCPTimedOutError), "timeout"),
    (_errors("ResponseDataLossError", "DownloadFailedError")
     + (txerror.ConnectionLost, txerror.ConnectionDone, ResponseFailed, ResponseNeverReceived), "reset"),
)
CANCELLED = _errors("DownloadCancelledError") + (defer.CancelledError,)


def answered(status: int) -> bool:
    """Whether an HTTP status shows the site reachable: a 404 is an answer (a wrong or
    removed page, which the check can judge); 5xx after retries, 401/403/407 and 429
    keep the site from us, so nothing could be concluded about the unit."""
    return status < 500 and status not in (401, 403, 407, 429)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (host[:port]) is this machine: localhost or 127.0.0.0/8."""
    name = urlsplit(f"//{host}").hostname or ""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def profile(hosts: set[str], settings: Settings) -> dict:
    """Settings overriding the polite defaults: full speed when every host is loopback."""
    if hosts and all(is_loopback(h) for h in hosts):
        return settings.getdict("AUDITOR_LOOPBACK_SETTINGS")
    return {}


def recorded(settings: Settings) -> dict:
    """The settings a run records (what shaped the crawl: politeness, limits, caps)."""
    return {
        name: settings.get(name) for name in sorted(settings.attributes)
        if name.startswith(RECORDED_SETTINGS) and isinstance(settings.get(name), (bool, int, float, str, list))
    }


def error_name(failure: Failure) -> str:
    """The schema's name for why a request got no answer."""
    if failure.check(OffsiteRedirect):
        return "offsite_redirect"
    if failure.check(IgnoreRequest):
        message = str(failure.value).lower()
        if "robots" in message:
            return "robots"
        # RedirectMiddleware gives up after REDIRECT_MAX_TIMES hops: a loop, in practice.
        return "too_many_redirects" if "redirections" in message else "ignored"
    for kinds, name in NETWORK_ERRORS:
        if failure.check(*kinds):
            return name
    # Scrapy cancels a body larger than DOWNLOAD_MAXSIZE: with a message when the size
    # was announced, without one when the stream outgrew it (timeouts are named above).
    if failure.check(*CANCELLED):
        return "too_large"
    return type(failure.value).__name__.lower()


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value is not None else None


def declared_size(response: Response) -> int | None:
    """The file's full size as the server announced it (Content-Range total, Content-Length)."""
    total = (header(response, b"Content-Range") or "").rpartition("/")[2]
    if total.isdigit():
        return int(total)
    length = header(response, b"Content-Length") or ""
    return int(length) if length.isdigit() else None


def fetch_of(response: Response, url: str, kind: str) -> Fetch:
    """The fetch record of an answered request for canonical ``url``."""
    meta = response.meta
    return Fetch(
        url=url, kind=kind, status=response.status, final_url=response.url, host=host_of(url),
        bytes=len(response.body), content_type=header(response, b"Content-Type"), etag=header(response, b"ETag"),
        last_modified=header(response, b"Last-Modified"),
        elapsed_ms=int(meta.get("download_latency", 0) * 1000), fetched_at=now(), depth=meta.get("depth"),
        referer=meta.get("referer", ""),
    )


def failed_fetch(failure: Failure) -> Fetch:
    """The fetch record of a request that got no answer."""
    request = failure.request
    meta = request.meta
    return Fetch(url=meta["origin"], kind=meta["kind"], status=None, error=error_name(failure),
                 final_url=request.url, host=host_of(meta["origin"]), fetched_at=now(), depth=meta.get("depth"),
                 referer=meta.get("referer", ""))


def page_record(page: ReadPage, url: str, sha1: str, links: list[Link], attachments: list[Attachment],
                entries: list[Entry], next_page: str) -> Page:
    """What the crawl stores of one read page, under canonical ``url``."""
    return Page(
        url=url, sha1=sha1, encoding=page.encoding, title=page.title,
        date=page.date.isoformat() if page.date else None, date_source=page.date_source,
        publisher=page.publisher, index_no=page.index_no, doc_no=page.doc_no, topic=page.topic,
        column_name=page.column, text=page.text, meta=json.dumps(page.meta, ensure_ascii=False),
        is_list=page.is_list, empty_list=page.empty_list, next_page=next_page, links=links,
        attachments=attachments, entries=entries,
    )
