"""The report in a real browser: Debian's headless chromium, driven by its command-line flags.

Each page is loaded from disk with every network route closed (host resolution
maps to NOTFOUND, the proxy is a closed loopback port), and chromium's net log
records any request the page tried. Control pages that do inject markup, log to
the console and fetch from the network prove each probe can see what it looks for.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html
from report_fixture import write_fixture_report

CHROMIUM = shutil.which("chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    # Nothing may leave the machine: no name resolves, and any proxied request meets a closed port.
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
]
HANG_GUARD = 60  # seconds; a hung browser fails the test instead of stalling the suite


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    if CHROMIUM is None:
        pytest.fail("Debian chromium is required for the browser tests: apt-get install -y chromium")
    return write_fixture_report(tmp_path_factory.mktemp("browser") / "out").parent


def chromium(page: Path, work: Path, *flags: str) -> subprocess.CompletedProcess:
    work.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={work / 'profile'}", *flags, page.as_uri()],
        capture_output=True, text=True, timeout=HANG_GUARD, check=True,
    )


@dataclass
class Load:
    dom: str
    console: list[str]
    requests: list[str]


def page_requests(netlog: Path) -> list[str]:
    """URLs of network requests a file:// page started (the browser's own housekeeping excluded)."""
    text = netlog.read_text(encoding="utf-8")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # a log cut short at exit lacks its closing brackets
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [e["params"]["url"] for e in log["events"]
            if e["type"] == start_job and "file://" in e["params"].get("network_isolation_key", "")]


def load(page: Path, work: Path) -> Load:
    netlog = work / "net.json"
    done = chromium(page, work, "--dump-dom", "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}")
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return Load(done.stdout, console, page_requests(netlog))


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and unfiltered rows of an 8-bit, non-interlaced
    truecolour PNG (what chromium writes); no imaging library is installed."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up
            line = bytearray((x + b) & 255 for x, b in zip(line, prev))
        elif kind == 3:  # Average
            for i in range(stride):
                line[i] = (line[i] + (((line[i - bpp] if i >= bpp else 0) + prev[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a, b = (line[i - bpp] if i >= bpp else 0), prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def ink(png: Path) -> tuple[int, float]:
    """Distinct colours in a screenshot and the share of pixels unlike the background."""
    width, height, bpp, rows = decode_png(png.read_bytes())
    colours = Counter(r[i:i + 3] for r in rows for i in range(0, len(r), bpp))
    background = colours.most_common(1)[0][1]
    return len(colours), 1 - background / (width * height)


def screenshot(page: Path, work: Path) -> Path:
    shot = work / "shot.png"
    chromium(page, work, f"--screenshot={shot}", "--window-size=1000,1400")
    return shot


def unit_page(site: Path, unit: str) -> Path:
    root = html.fromstring((site / "index.html").read_bytes())
    return site / root.xpath("//tr[@data-unit=$u]//a/@href", u=unit)[0]


def snapshot_page(site: Path) -> Path:
    data = json.loads((site / "findings.json").read_text(encoding="utf-8"))
    return site / next(e["snapshot"] for f in data["findings"] for e in f["evidence"] if e.get("snapshot"))


def pages_under_test(site: Path) -> dict[str, Path]:
    # 区民政局 shows a <script> title, 南翔镇 an onerror <img>, 区环保局 a script in a reason and a javascript: URL;
    # the snapshot holds crawled text with a <script> and an onerror <img>.
    return {"index": site / "index.html", **{u: unit_page(site, u) for u in ("区民政局", "南翔镇", "区环保局")},
            "snapshot": snapshot_page(site), "appendix": site / "appendix.html"}


@pytest.mark.parametrize("name", ["index", "区民政局", "南翔镇", "区环保局", "snapshot", "appendix"])
def test_page_loads_clean_and_inert(site, tmp_path, name):
    page = pages_under_test(site)[name]
    title = html.fromstring(page.read_bytes()).findtext(".//title")
    result = load(page, tmp_path)
    assert result.console == []
    assert result.requests == []
    dom = html.fromstring(result.dom)
    assert dom.findtext(".//title") == title  # an executed payload would have set it to 'pwned'
    assert dom.xpath("//script | //img | //iframe") == []
    assert "pwned" not in dom.findtext(".//title")


@pytest.mark.parametrize("name", ["index", "区民政局", "snapshot"])
def test_screenshot_is_not_blank(site, tmp_path, name):
    colours, share = ink(screenshot(pages_under_test(site)[name], tmp_path))
    assert colours > 50  # anti-aliased text in several colours
    assert share > 0.05


def test_probes_see_injection_console_errors_and_requests(tmp_path):
    """Control: a page that does run injected markup, logs an error and fetches from the network."""
    page = tmp_path / "hostile.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>原标题</title></head><body><p>对照页</p>'
        "<img src=x onerror=\"document.title='pwned'\"><img src=\"http://example.invalid/a.png\">"
        '<script>console.error("boom")</script></body></html>', encoding="utf-8")
    result = load(page, tmp_path / "load")
    assert html.fromstring(result.dom).findtext(".//title") == "pwned"
    assert any("boom" in line for line in result.console)
    assert result.requests == ["http://example.invalid/a.png"]


def test_probe_sees_a_blank_screenshot(tmp_path):
    page = tmp_path / "blank.html"
    page.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    colours, share = ink(screenshot(page, tmp_path / "shot"))
    assert colours == 1 and share == 0


def test_unit_page_prints_on_its_own(site, tmp_path):
    pdf = tmp_path / "unit.pdf"
    chromium(unit_page(site, "区环保局"), tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert 1 <= pages <= 4  # A4, print CSS: the unit's whole report, no blank runaway pages


# Run in a copy of the index only (the report itself carries no script): where the score and the
# grade distribution stand in a 1366x768 window, written into the title for --dump-dom to read.
PROBE = """<script>
const box = s => { const e = document.querySelector(s); const r = e.getBoundingClientRect(); return [r.top, r.bottom]; };
document.title = JSON.stringify({score: box('#district .score'), grades: box('table.grade-distribution'),
                                 gaps: box('table.headline-gaps'), height: window.innerHeight});
</script>"""


def test_the_index_first_screen_holds_the_score_the_grade_distribution_and_the_biggest_gaps(site, tmp_path):
    probe = site / "first-screen-probe.html"
    probe.write_text((site / "index.html").read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                     encoding="utf-8")
    try:
        done = chromium(probe, tmp_path, "--dump-dom", "--window-size=1366,768")
    finally:
        probe.unlink()
    where = json.loads(html.fromstring(done.stdout).findtext(".//title"))
    assert where["height"] == 768 or where["height"] > 600
    for part in ("score", "grades", "gaps"):
        top, bottom = where[part]
        assert 0 <= top < bottom <= where["height"], (part, where)


def test_a_unit_page_prints_to_a4_with_every_row_of_its_issue_list(site, tmp_path):
    page = unit_page(site, "区环保局")
    pdf = tmp_path / "unit.pdf"
    chromium(page, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2, info  # A4
    printed = "".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                     check=True).stdout.split())
    rows = html.fromstring(page.read_bytes()).xpath("//table[@class='gap-list']/tbody/tr")
    assert rows
    for row in rows:
        for cell in row.xpath("td"):
            words = "".join(cell.text_content().split())
            assert words in printed, words
