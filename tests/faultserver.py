"""A fault-injection portal on loopback: every way a real government site misbehaves.

`FaultSite` extends `loopback.Site` with faults a static `Resource` cannot express:
connection resets, bursts of 5xx before recovery, redirect loops, bodies streamed to
50 MB, endless calendars and pagers generated on demand. `FaultPortal` starts the
whole portal (the district site, unit sites that are down in different ways, one that
recovers, and an off-scope site that must never be contacted) and knows the ground
truth of every good page it serves, so a test can compare the store with it.

Bounded: each site answers at most `max_requests` requests (then hangs up, and
`overflowed` tells the test), streams stop at their size or when the client hangs up,
delays end at once when the site stops. Only 127.0.0.0/8 addresses are bound.
"""

from __future__ import annotations

import os
import socket
import struct
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Callable

from loopback import Resource, Site, html, write_portal

MB = 1024 * 1024
HOSTILE_TITLES = ("<script>alert(1)</script>", '"><img src=x onerror=alert(2)>')
LONG_DELAY = 4.0  # seconds a "timeout" answer waits: above any DOWNLOAD_TIMEOUT the tests set

# A fault answers a request itself: fault(site, handler, path).
Fault = Callable[["FaultSite", BaseHTTPRequestHandler, str], None]


def reset(site: "FaultSite", handler: BaseHTTPRequestHandler, path: str) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0), no answer at all."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()


def hang(site: "FaultSite", handler: BaseHTTPRequestHandler, path: str) -> None:
    """Answer nothing for `LONG_DELAY` seconds (a timeout), then hang up."""
    site.stopping.wait(LONG_DELAY)
    handler.close_connection = True


def stream(size: int, *, announce: bool) -> Fault:
    """A page of ``size`` bytes of HTML, sent in chunks (never held in memory), with or
    without a Content-Length; stops when the client hangs up."""
    def fault(site: "FaultSite", handler: BaseHTTPRequestHandler, path: str) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if announce:
            handler.send_header("Content-Length", str(size))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        chunk = ("<p>" + "巨型页面" * 5000 + "</p>").encode()
        head = html("巨型页面")[:-len("</body></html>")]
        try:
            handler.wfile.write(head)
            sent = len(head)
            while sent < size and not site.stopping.is_set():
                part = chunk[:size - sent]
                handler.wfile.write(part)
                sent += len(part)
                with site.lock:
                    site.sent[path] = sent
        except OSError:  # the crawler hung up at its size cap
            pass
    return fault


def redirect(location: str, status: int = 302) -> Resource:
    return Resource(status=status, headers={"Location": location}, content_type="text/plain")


class FaultSite(Site):
    """A `Site` whose paths may be faults, generated routes, or fail a burst of times first.

    ``faults``: path → `Fault`. ``routes``: path prefix → function of the path giving a
    `Resource` (or None for 404): endless calendars and pagers. ``burst``: statuses every
    path answers, one per request, before its real answer (a site recovering);
    ``bursts``: the same for single paths.
    """

    def __init__(self, ip: str, pages: dict[str, Resource] | None = None, *, faults: dict[str, Fault] | None = None,
                 routes: dict[str, Callable[[str], Resource | None]] | None = None, burst: tuple[int, ...] = (),
                 bursts: dict[str, tuple[int, ...]] | None = None, every: Fault | None = None,
                 max_requests: int = 2000) -> None:
        super().__init__(ip, pages, validators=False)
        self.faults = dict(faults or {})
        self.routes = dict(routes or {})
        self.burst = burst
        self.bursts = dict(bursts or {})
        self.every = every  # a fault for every path (a site that is down)
        self.max_requests = max_requests
        self.overflowed = False
        self.requests = 0
        self.attempts: dict[str, int] = {}
        self.sent: dict[str, int] = {}  # streamed paths: body bytes written before the client hung up
        self.stopping = threading.Event()

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self.lock:
            self.requests += 1
            if self.requests > self.max_requests:
                self.overflowed = True
                fault: Fault | None = reset
            else:
                fault = self.every or self.faults.get(path)
            attempt = self.attempts[path] = self.attempts.get(path, 0) + 1
            if path not in self.pages:
                route = next((make for prefix, make in self.routes.items() if path.startswith(prefix)), None)
                generated = route(path) if route else None
                if generated is not None:
                    self.pages[path] = generated
        codes = self.bursts.get(path, self.burst)
        if fault is not None or attempt <= len(codes):
            with self.lock:
                self.log.append((path, dict(handler.headers)))
            if fault is not None:
                return fault(self, handler, path)
            return self._send(handler, codes[attempt - 1], b"busy", "text/plain", {})
        super().serve(handler)

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        super().__exit__(*exc)


@dataclass(frozen=True)
class Good:
    """A page served well: what the store must hold for it."""

    path: str
    title: str
    date: str  # ISO


def article(title: str, day: str, extra: str = "", charset: str = "utf-8") -> bytes:
    """An article whose title reads ``title`` as text (markup in it is escaped, as a CMS does)."""
    body = f"<p>发布日期：{day}</p><p>" + "本机关依法主动公开政府信息。" * 10 + f"</p>{extra}"
    return html(escape(title, quote=False), body, charset)


def nested(title: str, day: str, depth: int) -> bytes:
    inner = f"<p>发布日期：{day}</p><p>深层嵌套的正文。</p>"
    return f"<html><head><title>{title}</title></head><body>{'<div>' * depth}{inner}{'</div>' * depth}</body></html>".encode()


def calendar(path: str) -> Resource | None:
    """/calendar/YYYY-MM.html for every month there is, each linking the previous and next month."""
    stem = path.removeprefix("/calendar/").removesuffix(".html")
    try:
        first = date.fromisoformat(stem + "-01")
    except ValueError:
        return None
    prev = (first - timedelta(days=1)).strftime("%Y-%m")
    nxt = (first + timedelta(days=31)).strftime("%Y-%m")
    return Resource(html(f"活动日历{stem}", f'<a href="/calendar/{prev}.html">上个月</a> '
                                             f'<a href="/calendar/{nxt}.html">下个月</a>'))


def news_day(n: int) -> str:
    return (date(2018, 1, 1) + timedelta(days=n)).isoformat()


def pager(path: str) -> Resource | None:
    """/news/list_N.html for every N: one entry each and a 下一页 link, forever; and its articles."""
    name = path.removeprefix("/news/")
    if name.startswith("list_") and name.endswith(".html") and name[5:-5].isdigit():
        n = int(name[5:-5])
        entry = f'<ul><li><a href="/news/n{n}.html">第{n}期工作动态</a><span>{news_day(n)}</span></li></ul>'
        return Resource(html("工作动态", f'{entry}<a href="/news/list_{n + 1}.html">下一页</a>'))
    if name.startswith("n") and name.endswith(".html") and name[1:-5].isdigit():
        n = int(name[1:-5])
        return Resource(article(f"第{n}期工作动态", news_day(n)))
    return None


class FaultPortal:
    """The whole faulty portal: a district site, unit sites, an off-scope site.

    Units (all canonical names of the registry): 区环保局's site fails twice on every
    path, then answers (within the default two retries); 区民政局's answers 503,
    区财政局's 403, 区教育局's never answers in time, 区卫计委's resets every
    connection. 区府办 owns the district site.
    """

    DOWN = {"区民政局": "503", "区财政局": "403", "区教育局": "timeout", "区卫计委": "reset"}

    def __init__(self) -> None:
        self.offsite = FaultSite("127.0.0.9", {"/": Resource(html("外站")), "/x.html": Resource(html("外站页"))})
        off = self.offsite.url
        self.good = [
            Good("/good/1.html", "关于2018年区级财政预算执行情况的公告", "2018-03-12"),
            Good("/good/slow.html", "嘉定区2018年重点工作安排", "2018-02-05"),
            Good("/good/gbk-labelled-utf8.html", "关于开展安全生产大检查的通知", "2018-04-20"),
            Good("/good/utf8-labelled-gbk.html", "嘉定区教育局2018年招生工作实施意见", "2018-05-08"),
            Good("/good/burst500.html", "区政府常务会议纪要", "2018-06-01"),
            Good("/good/malformed.html", "残缺页面的标题", "2018-05-06"),
            Good("/good/nested.html", "深层嵌套页面", "2018-07-09"),
            Good("/good/hostile1.html", HOSTILE_TITLES[0] + "嘉定区2017年政府信息公开工作年度报告", "2018-01-25"),
        ]
        # the recovering unit's annual report: evidence in the check, so its title reaches the report
        self.recovered = Good("/report2017.html", HOSTILE_TITLES[1] + "嘉定区环保局2017年政府信息公开工作年度报告",
                              "2018-01-20")
        pages = {g.path: Resource(article(g.title, g.date)) for g in self.good}
        pages["/good/slow.html"].delay = 0.3
        pages["/good/gbk-labelled-utf8.html"].content_type = "text/html; charset=gbk"
        # the header says UTF-8, the bytes are GBK (and no <meta> says otherwise)
        pages["/good/utf8-labelled-gbk.html"] = Resource(
            article("嘉定区教育局2018年招生工作实施意见", "2018-05-08", charset="gbk").replace(b'<meta charset="gbk">', b""),
            content_type="text/html; charset=utf-8")
        pages["/good/malformed.html"] = Resource(
            "<html><head><title>残缺页面的标题</title><body><p>发布日期：2018-05-06<div><span></p></div></b></i>"
            "<<<>>>&&&;<table><tr><td>正文<!-- 未闭合".encode())
        pages["/good/nested.html"] = Resource(nested("深层嵌套页面", "2018-07-09", 1000))
        links = " ".join(f'<a href="{g.path}">{g.title}</a>' for g in self.good)
        traps = """
            <a href="/deep-nest.html">极深嵌套</a> <a href="/binary.html">二进制</a> <a href="/empty.html">空页</a>
            <a href="/timeout.html">超时</a> <a href="/always500.html">故障</a> <a href="/reset.html">断开</a>
            <a href="/loop/a">循环跳转</a> <a href="/self">自跳转</a> <a href="/go-off">外跳</a>
            <a href="/go-off-chain">外跳链</a> <a href="/refresh-off.html">刷新外跳</a>
            <a href="/huge.html">巨型页面</a> <a href="/huge-stream.html">巨型流</a>
            <a href="/calendar/2018-05.html">活动日历</a> <a href="/cal?year=2018&amp;month=5">日历</a>
            <a href="/news/list_1.html">工作动态</a> <a href="/schemes.html">各种链接</a>"""
        pages.update({
            "/": Resource(html("嘉定区政府信息公开", f"{links} {traps} <a href=\"{off('/x.html')}\">外站</a>")),
            "/deep-nest.html": Resource(nested("极深嵌套", "2018-01-01", 50_000)),
            "/binary.html": Resource(os.urandom(64 * 1024), content_type="text/html"),
            "/empty.html": Resource(b""),
            "/always500.html": Resource(b"error", status=500, content_type="text/plain"),
            "/loop/a": redirect("/loop/b"),
            "/loop/b": redirect("/loop/a"),
            "/self": redirect("/self", 301),
            "/go-off": redirect(off("/")),
            "/go-off-chain": redirect("/go-off-2", 301),
            "/go-off-2": redirect(off("/x.html")),
            "/refresh-off.html": Resource(f'<html><head><meta http-equiv="refresh" content="0; url={off("/")}">'
                                          f"<title>跳转</title></head><body></body></html>".encode()),
            "/schemes.html": Resource(html("各种链接", """
                <a href="javascript:alert(1)">脚本</a> <a href="JaVaScRiPt:void(0)">脚本2</a>
                <a href="mailto:gk@example.cn">邮件</a> <a href="file:///etc/passwd">文件</a>
                <a href="data:text/html,<script>alert(3)</script>">数据</a> <a href="tel:12345">电话</a>
                <a href="ftp://127.0.0.2/x">ftp</a> <a href="/good/1.html">正常</a>""")),
        })
        self.main = FaultSite(
            "127.0.0.2", pages, routes={"/calendar/": calendar, "/news/": pager},
            bursts={"/good/burst500.html": (500, 503)},  # then the page: the last of 1 + 2 retries
            faults={"/timeout.html": hang, "/reset.html": reset, "/huge.html": stream(50 * MB, announce=True),
                    "/huge-stream.html": stream(50 * MB, announce=False)})
        self.recovering = FaultSite("127.0.0.4", {
            "/": Resource(html("嘉定区环保局", '<a href="/report2017.html">年报</a>')),
            "/report2017.html": Resource(article(self.recovered.title, self.recovered.date)),
        }, burst=(503, 500))
        self.down = {
            "区民政局": FaultSite("127.0.0.5", {"/": Resource(b"busy", status=503, content_type="text/plain")}),
            "区财政局": FaultSite("127.0.0.6", {"/": Resource(b"forbidden", status=403, content_type="text/plain")}),
            "区教育局": FaultSite("127.0.0.7", every=hang),
            "区卫计委": FaultSite("127.0.0.8", every=reset),
        }
        self.sites = [self.offsite, self.main, self.recovering, *self.down.values()]

    def __enter__(self) -> "FaultPortal":
        for site in self.sites:
            site.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        for site in self.sites:
            site.__exit__(*exc)

    def unit_urls(self) -> dict[str, list[str]]:
        urls = {unit: [site.url("/")] for unit, site in self.down.items()}
        urls["区环保局"] = [self.recovering.url("/")]
        return urls

    def write_config(self, path: Path, settings: dict | None = None) -> str:
        return write_portal(path, [self.main.url("/")], self.unit_urls(), settings)

