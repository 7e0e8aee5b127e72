"""Attachments are probed, not downloaded: their body is read only up to a cap.

An attachment's evidence is that it answers, with which status, type and size. The
download stops at `AUDITOR_ATTACHMENT_MAXSIZE` bytes (at once when the announced
Content-Length is larger) and the truncated response still reaches the spider, with
its status. A page request answered with a document type (a PDF behind an
extension-less link) is treated the same way: it is never read as HTML.
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import StopDownload
from scrapy.http import Headers

HTML_TYPES = (b"text/html", b"application/xhtml", b"text/plain", b"text/xml", b"application/xml")


def is_html_type(content_type: bytes | str | None) -> bool:
    """Whether a Content-Type may hold a page (no header: let the body decide)."""
    if not content_type:
        return True
    if isinstance(content_type, str):
        content_type = content_type.encode("latin-1", "replace")
    return content_type.strip().lower().startswith(HTML_TYPES)


class BodyCap:
    """Extension stopping attachment downloads at the cap (and non-HTML page answers at once)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "BodyCap":
        ext = cls(crawler.settings.getint("AUDITOR_ATTACHMENT_MAXSIZE"))
        crawler.signals.connect(ext.headers_received, signal=signals.headers_received)
        crawler.signals.connect(ext.bytes_received, signal=signals.bytes_received)
        return ext

    def headers_received(self, headers: Headers, body_length: int, request: Request, spider=None) -> None:
        kind = request.meta.get("kind")
        if kind == "page" and not is_html_type(headers.get(b"Content-Type")):
            request.meta["not_html"] = True
            raise StopDownload(fail=False)
        if kind == "attachment" and isinstance(body_length, int) and body_length > self.maxsize:
            raise StopDownload(fail=False)

    def bytes_received(self, data: bytes, request: Request, spider=None) -> None:
        if request.meta.get("kind") != "attachment":
            return
        read = request.meta.get("bytes_read", 0) + len(data)
        request.meta["bytes_read"] = read
        if read >= self.maxsize:
            raise StopDownload(fail=False)
