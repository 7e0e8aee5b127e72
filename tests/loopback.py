"""Small HTTP sites on loopback addresses for the crawl tests.

Each `Site` is a threaded ``http.server`` bound to its own 127.0.0.x address, serving
a dict of paths the test can change between crawls, and logging every request so a
test can assert what was (never) fetched.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Resource:
    """What a path answers: body and status, extra headers, failures before it recovers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    fail_first: int = 0  # answer 503 this many times first
    delay: float = 0.0  # seconds to wait before answering


class Server(ThreadingHTTPServer):
    """A threaded HTTP server whose listen backlog holds a crawl's burst of connections.

    The crawl opens up to 32 connections to a host at once; with the default backlog
    of 5 the kernel drops the surplus SYNs, and a retransmitted SYN (1 s later) looks
    like a connect timeout to a crawl with a short DOWNLOAD_TIMEOUT.
    """

    daemon_threads = True
    request_queue_size = 128


def html(title: str, body: str = "", charset: str = "utf-8") -> bytes:
    """A small HTML page."""
    return (f'<html><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}</body></html>").encode(charset)


class Site:
    """A loopback site: ``site.pages[path] = Resource(...)``; ``site.log`` lists requested paths."""

    def __init__(self, ip: str, pages: dict[str, Resource] | None = None, *, validators: bool = True) -> None:
        self.pages: dict[str, Resource] = dict(pages or {})
        self.validators = validators  # send ETag/Last-Modified and answer 304
        self.log: list[tuple[str, dict[str, str]]] = []
        self.times: list[float] = []  # time.monotonic() of each request, as the server saw it
        self.body_bytes = 0
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                site.serve(self)

            def log_message(self, *args) -> None:
                pass

        self.server = Server((ip, 0), Handler)
        self.host = f"{ip}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _ in self.log]

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self.lock:
            self.log.append((path, dict(handler.headers)))
            self.times.append(time.monotonic())
            res = self.pages.get(path)
            failing = res is not None and res.fail_first > 0
            if failing:
                res.fail_first -= 1
        if res is None:
            return self._send(handler, 404, b"not found", "text/plain", {})
        if res.delay:
            time.sleep(res.delay)
        if failing:
            return self._send(handler, 503, b"busy", "text/plain", {})
        headers = dict(res.headers)
        if self.validators and res.status == 200:
            etag = '"%s"' % hashlib.sha1(res.body).hexdigest()[:16]
            headers.update({"ETag": etag, "Last-Modified": formatdate(1527638400, usegmt=True)})
            if handler.headers.get("If-None-Match") == etag:
                return self._send(handler, 304, b"", None, headers)
        self._send(handler, res.status, res.body, res.content_type, headers)

    def _send(self, handler, status: int, body: bytes, ctype: str | None, headers: dict[str, str]) -> None:
        try:
            handler.send_response(status)
            if ctype:
                handler.send_header("Content-Type", ctype)
            for k, v in headers.items():
                handler.send_header(k, v)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            with self.lock:
                self.body_bytes += len(body)
        except (BrokenPipeError, ConnectionResetError):  # the crawler hung up (body cap, timeout)
            pass

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_portal(path, start_urls: list[str], units: dict[str, list[str]] | None = None,
                 settings: dict | None = None, name: str = "测试门户") -> str:
    """Write a portal config (CONTRACT.md format) and return its path."""
    lines = [f"name: {name}", "start_urls:", *(f"  - {u}" for u in start_urls), "owner: 区府办"]
    if units:
        lines.append("units:")
        for unit, urls in units.items():
            lines += [f"  {unit}:", *(f"    - {u}" for u in urls)]
    if settings:
        lines.append("settings:")
        lines += [f"  {k}: {v}" for k, v in settings.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def list_page(title: str, entries: list[tuple[str, str, str]], next_href: str = "") -> Resource:
    rows = "".join(f'<li><a href="{href}">{t}</a><span>{d}</span></li>' for href, t, d in entries)
    pager = f'<a href="{next_href}">下一页</a>' if next_href else ""
    return Resource(html(title, f"<ul>{rows}</ul>{pager}"))


def article(title: str, extra: str = "") -> Resource:
    return Resource(html(title, "<p>" + "本机关依法公开政府信息。" * 20 + f"</p>{extra}"))


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()
