"""Serve a generated sample site on loopback: one threaded HTTP server per host.

Each host of ``sites.HOSTS`` listens on its own 127.0.0.x address and port. Pages
carry ``http://@key@`` for links to other hosts; the server fills in the real
``ip:port`` as it answers, so one cached site serves on any ports. The down host
answers 503 to everything; a missing file is 404.
"""

from __future__ import annotations

import json
import threading
from email.utils import formatdate
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from auditor.settings import bundled_rules_dir
from auditor.units import load_registry

from .generator import DEFAULT_PAGES, SiteInfo, generate
from .sites import CODES, HOSTS, Host, unit_prefixes

TYPES = {".html": "text/html", ".txt": "text/plain", ".pdf": "application/pdf",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class Handler(BaseHTTPRequestHandler):
    """Answers GET/HEAD from one host's folder."""

    server_version = "SamplePortal/1.0"

    def __init__(self, *args, host: Host, root: Path, addresses: dict[bytes, bytes], **kwargs) -> None:
        self.host, self.root, self.addresses = host, root, addresses
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: tests and demo read stdout
        pass

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def answer(self, body: bool) -> None:
        if self.host.down:
            return self.send(503, b"<html><body><h1>503 Service Unavailable</h1></body></html>", "text/html", body)
        path = unquote(urlsplit(self.path).path)
        target = (self.root / path.lstrip("/")).resolve()
        if path.endswith("/"):
            target = target / "index.html"
        if not target.is_relative_to(self.root) or not target.is_file():
            return self.send(404, "<html><body><h1>404 页面不存在</h1></body></html>".encode(self.host.charset),
                             self.content_type(".html", list_page=True), body)
        # Static government sites send validators; a crawler's conditional request then
        # costs a 304 instead of the page, as on the real sites the re-crawl is built for.
        stat = target.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if self.headers.get("If-None-Match") == etag:
            return self.send(304, b"", "", body=False, etag=etag)
        data = target.read_bytes()
        if target.suffix == ".html" and b"http://@" in data:
            for placeholder, address in self.addresses.items():
                data = data.replace(placeholder, address)
        self.send(200, data, self.content_type(target.suffix, list_page=target.name.startswith("index")), body,
                  etag=etag, modified=formatdate(stat.st_mtime, usegmt=True))

    def content_type(self, suffix: str, list_page: bool) -> str:
        kind = TYPES.get(suffix, "application/octet-stream")
        if not kind.startswith("text/"):
            return kind
        if self.host.charset == "utf-8":
            return f"{kind}; charset=utf-8"
        # legacy CMS: list pages name no charset, documents claim gb2312 for GBK bytes
        return kind if list_page else f"{kind}; charset=gb2312"

    def send(self, status: int, data: bytes, kind: str, body: bool, etag: str = "", modified: str = "") -> None:
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        if etag:
            self.send_header("ETag", etag)
        if modified:
            self.send_header("Last-Modified", modified)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


class KeepAliveHandler(Handler):
    """HTTP/1.1 with keep-alive: a connection stays open for its next request until it has
    been idle ``timeout`` seconds (Apache's KeepAliveTimeout is 5 s)."""

    protocol_version = "HTTP/1.1"
    timeout = 5.0
    # as nginx and Apache do on keep-alive connections: a response's last segment is not
    # held back waiting for the client's (delayed) ACK of the one before
    disable_nagle_algorithm = True


class PortalServer(ThreadingHTTPServer):
    """One host's server. Its listen backlog is a real server's (nginx and Apache: 511), not
    socketserver's 5: a burst of new connections would otherwise lose SYNs, each costing the
    client a 1 s retransmission, a fault of the toy server no real portal has."""

    request_queue_size = 128
    daemon_threads = True


class CappedServer(PortalServer):
    """A host of a portal server that serves at most N connections at a time, counted across
    all its hosts (one shared semaphore), as a real portal's worker pool does. A connection
    beyond the cap is accepted by the kernel but not served until another one closes."""

    def __init__(self, address, handler, slots: threading.BoundedSemaphore) -> None:
        super().__init__(address, handler)
        self.slots = slots

    def process_request(self, request, client_address) -> None:
        while not self.slots.acquire(timeout=0.5):
            if getattr(self, "_BaseServer__shutdown_request", False):
                self.shutdown_request(request)
                return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class SamplePortal:
    """Generate (if needed) and serve the sample portal; a context manager.

    ``config_path`` is the portal config YAML (CONTRACT.md format) and ``manifest_path``
    the ground-truth manifest with every URL resolved to the bound addresses.
    """

    def __init__(self, dir: str | Path | None = None, pages: int = DEFAULT_PAGES, seed: int = 1,
                 port: int = 0, rules_dir: str | Path | None = None, history_years: int = 0,
                 max_connections: int = 0) -> None:
        self.info: SiteInfo = generate(dir, pages, seed, rules_dir, history_years)
        # a portal server capping its connections (all hosts together), with keep-alive
        self.max_connections = max_connections
        self.base_port = port
        self.rules_dir = Path(rules_dir) if rules_dir else bundled_rules_dir()
        self.servers: list[ThreadingHTTPServer] = []
        self.threads: list[threading.Thread] = []
        self.addresses: dict[str, str] = {}  # host key → ip:port
        self.config_path = self.manifest_path = Path()

    def url(self, key: str, path: str = "/") -> str:
        """The real URL of a path on a host."""
        return f"http://{self.addresses[key]}{path}"

    def resolve(self, text: str) -> str:
        """Replace every http://@key@ placeholder with the bound address."""
        for key, address in self.addresses.items():
            text = text.replace(f"http://@{key}@", f"http://{address}")
        return text

    def start(self) -> SamplePortal:
        try:
            slots = threading.BoundedSemaphore(self.max_connections or 1)
            for i, host in enumerate(HOSTS):
                port = self.base_port + i if self.base_port else 0
                server = (CappedServer((host.ip, port), lambda *a, **k: None, slots) if self.max_connections
                          else PortalServer((host.ip, port), lambda *a, **k: None))
                self.servers.append(server)
                self.addresses[host.key] = f"{host.ip}:{server.server_address[1]}"
            placeholders = {f"http://@{k}@".encode(): f"http://{a}".encode() for k, a in self.addresses.items()}
            for host, server in zip(HOSTS, self.servers):
                handler = KeepAliveHandler if self.max_connections else Handler
                server.RequestHandlerClass = partial(handler, host=host, root=(self.info.dir / host.key).resolve(),
                                                     addresses=placeholders)
                thread = threading.Thread(target=server.serve_forever, name=f"sampleportal-{host.key}", daemon=True)
                thread.start()
                self.threads.append(thread)
            self.write_run_files()
        except BaseException:
            self.stop()
            raise
        return self

    def write_run_files(self) -> None:
        """The portal config and the resolved manifest, named by the portal's port."""
        manifest = json.loads(self.info.manifest_path.read_text(encoding="utf-8"))
        tag = self.addresses["www"].split(":")[1]
        units = {}
        reg = load_registry(self.rules_dir / "units.yaml")
        for unit in CODES:
            kind = reg.units[unit].kind
            units[unit] = [self.url(host, prefix) for host, prefix in unit_prefixes(unit, kind)]
        config = {"name": "上海嘉定", "start_urls": [self.url("www", "/"), self.url("www", "/publicity/")]
                  + [self.url(h.key, "/") for h in HOSTS if h.key != "www"],
                  "owner": "区府办", "units": units}
        self.config_path = self.info.dir / f"portal-{tag}.yaml"
        self.config_path.write_text("# generated by sampleportal; sample as-of date "
                                    f"{manifest['as_of']}\n" + yaml.safe_dump(config, allow_unicode=True,
                                                                               sort_keys=False), encoding="utf-8")
        manifest["addresses"] = self.addresses
        self.manifest_path = self.info.dir / f"manifest-{tag}.json"
        self.manifest_path.write_text(self.resolve(json.dumps(manifest, ensure_ascii=False, indent=1)),
                                      encoding="utf-8")

    def stop(self) -> None:
        """Stop every server and wait for its thread; idempotent."""
        for server in self.servers:
            server.shutdown()
            server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)
        self.servers, self.threads = [], []

    def __enter__(self) -> SamplePortal:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
