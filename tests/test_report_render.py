"""The HTML report: well formed, linked, escaped, and saying what findings.json says."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import etree, html
from report_fixture import (
    FRESH_DAY,
    IMG_TITLE,
    JS_URL,
    SCRIPT_TITLE,
    TITLE_SCRIPT,
    document,
    write_fixture_report,
)

from auditor.errors import AuditorError
from auditor.report import render, write_report

STATUS_LABELS = {"met": "已公开", "partial": "部分公开", "stale": "未及时更新", "missing": "未公开",
                 "not_due": "未到期", "unreachable": "无法访问", "manual": "需人工核查"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return write_fixture_report(tmp_path_factory.mktemp("report") / "out").parent


def pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def tree(path: Path):
    return html.fromstring(path.read_bytes())


def score(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def pct(value) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def texts(root, xpath: str) -> list[str]:
    return [e.text_content().strip() for e in root.xpath(xpath)]


class TagBalance(HTMLParser):
    """Every non-void element is closed, in order; self-closing only for void and SVG elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID and "svg" not in self.stack:
            self.errors.append(f"<{tag}/> at {self.getpos()} is left open by HTML parsers")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_report_has_every_page_and_data_file(site):
    doc = document()
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "findings.json", "findings.csv", "findings.xlsx"} <= names
    assert len([n for n in names if n.startswith("units/")]) == len(doc["units"])
    assert len([n for n in names if n.startswith("items/")]) == len({i["item"] for i in doc["items"]})


@pytest.mark.parametrize("index", range(9))
def test_pages_are_well_formed(site, index):
    page = pages(site)[index]
    source = page.read_text(encoding="utf-8")
    # The pages are XHTML-compatible: a strict XML parse rejects any unclosed or misnested tag.
    etree.fromstring(source.removeprefix("<!DOCTYPE html>").encode("utf-8"))
    checker = TagBalance()
    checker.feed(source)
    assert checker.errors == [] and checker.stack == []
    root = tree(page)
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert root.xpath("/html/@lang") == ["zh-CN"]


def test_well_formedness_check_catches_an_unclosed_tag():
    checker = TagBalance()
    checker.feed("<html><body><div><span>x</div></body></html>")
    assert checker.errors


def assert_links_resolve(site: Path) -> int:
    """Every relative link names a file of the report (and an existing #anchor); return the count."""
    checked = 0
    for page in pages(site):
        for href in tree(page).xpath("//a/@href"):
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme and not parts.netloc, f"{page.name}: {href}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(site)} links to missing {href}"
            assert site.resolve() in target.parents, f"{href} leaves the report folder"
            if parts.fragment and target.suffix == ".html":
                assert tree(target).xpath("//*[@id=$id]", id=parts.fragment), f"{href}: no #{parts.fragment}"
            checked += 1
    return checked


def test_every_internal_link_resolves(site):
    assert assert_links_resolve(site) > 40


def test_index_numbers_equal_findings_json(site):
    doc = json.loads((site / "findings.json").read_text(encoding="utf-8"))
    root = tree(site / "index.html")
    assert texts(root, "//*[@id='district']//*[@class='score']") == [score(doc["district"]["score"])]
    assert texts(root, "//*[@id='district']//*[@class='grade']") == [doc["district"]["grade"]]
    assert texts(root, "//*[@id='district']//*[@class='coverage']") == [pct(doc["district"]["coverage"])]
    rows = root.xpath("//table[contains(@class,'ranking')]/tbody/tr")
    assert sorted(r.get("data-unit") for r in rows) == sorted(u["unit"] for u in doc["units"])
    for row in rows:
        u = next(u for u in doc["units"] if u["unit"] == row.get("data-unit"))
        assert texts(row, "td[contains(@class,'score')]") == [score(u["score"])]
        assert texts(row, "td[@class='grade']") == [u["grade"] or "—"]
        assert texts(row, "td[contains(@class,'coverage')]") == [pct(u["coverage"])]
        assert texts(row, "td[contains(@class,'gaps')]") == [str(u["gaps"])]
        assert texts(row, "td[contains(@class,'health-deduction')]") == [score(u["health_deduction"])]
    # Departments and 街镇 are ranked separately, best first, ties sharing a rank.
    by_kind = {t.get("data-kind"): texts(t, "tbody/tr/td[contains(@class,'rank')]")
               for t in root.xpath("//table[contains(@class,'ranking')]")}
    assert by_kind == {"department": ["1", "2", "无可评分事项"], "town": ["1", "1"]}
    spread = {r.get("data-status"): int(texts(r, "td[contains(@class,'count')]")[0])
              for r in root.xpath("//table[@class='spread']/tbody/tr")}
    assert spread == {s: Counter(i["status"] for i in doc["items"])[s] for s in STATUS_LABELS}
    bars = [b.get("data-score") for b in root.xpath("//*[@class='section-bar']")]
    assert bars == [score(s["score"]) for s in doc["sections"]]
    assert texts(root, "//*[@class='pages']") == [str(doc["run"]["pages"])]
    assert texts(root, "//*[@class='health-total']") == [str(len(doc["site_checks"]))]


def test_comparison_with_previous_run(site):
    root = tree(site / "index.html")
    assert texts(root, "//*[@class='newly-met-count']") == ["1"]
    assert texts(root, "//*[@class='new-gaps-count']") == ["2"]  # 区环保局 met→missing; 南翔镇 not assessed before
    assert texts(root, "//*[@class='persisting-count']") == ["1"]
    persisting = root.xpath("//table[@class='persisting']/tbody/tr")[0]
    assert "第50项" in persisting.text_content() and "区民政局" in persisting.text_content()


def test_no_previous_run_says_so(tmp_path):
    doc = document()
    doc["previous"] = None
    root = tree(write_report(doc, tmp_path / "out", today=FRESH_DAY))
    assert "此前没有完整的评估记录" in root.xpath("string(//*[@id='comparison']/following-sibling::p[1])")


def unit_page(site: Path, unit: str) -> Path:
    link = tree(site / "index.html").xpath("//table[contains(@class,'ranking')]//tr[@data-unit=$u]//a/@href", u=unit)
    return site / link[0]


@pytest.mark.parametrize("unit", ["区民政局", "区环保局", "区府办", "南翔镇", "安亭镇"])
def test_unit_page_numbers_equal_findings_json(site, unit):
    doc = json.loads((site / "findings.json").read_text(encoding="utf-8"))
    u = next(x for x in doc["units"] if x["unit"] == unit)
    root = tree(unit_page(site, unit))
    assert texts(root, "//h1") == [unit]
    summary = "//*[@id='summary']//*[@class='%s']"
    assert texts(root, summary % "score") == [score(u["score"])]
    assert texts(root, summary % "grade") == [u["grade"] or "—"]
    assert texts(root, summary % "gaps") == [str(u["gaps"])]
    assert texts(root, "//*[@class='gap-count']") == [str(u["gaps"])]
    gap_rows = root.xpath("//table[@class='gap-list']/tbody/tr")
    assert len(gap_rows) == u["gaps"]
    expected_checks = Counter(c["check"] for c in doc["site_checks"] if c["unit"] == unit)
    shown = {h.get("data-check"): int(texts(h, "*[@class='check-count']")[0]) for h in root.xpath("//h3[@class='check']")}
    assert shown == expected_checks
    # The issue list comes before met items and site health.
    order = [h.get("id") for h in root.xpath("//h2")]
    assert order == ["gaps", "manual", "pending", "met", "health", "crawl"]


def test_gap_entry_explains_itself(site):
    root = tree(unit_page(site, "区民政局"))
    gap = root.xpath("//section[@class='gap']")[0]
    content = gap.text_content()
    assert "按月公开养老服务信息。" in content  # the plan item's text
    assert "已超过按月公开要求162天" in content  # why
    assert "2018-07-05" in content  # evidence with its date
    assert "每月发布养老服务信息" in content  # what would satisfy the rule
    assert texts(gap, ".//*[@class='days-overdue']") == ["162"]
    assert "持续" in texts(root, "//table[@class='gap-list']/tbody/tr/td[last()]")[0]


def test_override_shows_reviewer_and_computed_status(site):
    root = tree(site / "items" / "item-050.html")
    row = root.xpath("//tr[@data-unit='安亭镇']")[0]
    assert texts(row, ".//*[@data-status]") == ["已公开"]
    assert row.xpath(".//*[@class='reviewed']/@title") == ["系统判定：未公开"]
    assert "张三于2018-12-12认定为「已公开」" in row.text_content()


def test_item_page_shows_every_responsible_unit(site):
    doc = json.loads((site / "findings.json").read_text(encoding="utf-8"))
    root = tree(site / "items" / "item-001.html")
    shown = {r.get("data-unit"): r.xpath("string(.//*[@data-status]/@data-status)")
             for r in root.xpath("//table[@class='unit-status']/tbody/tr")}
    assert shown == {i["unit"]: i["status"] for i in doc["items"] if i["item"] == 1}


def test_status_labels_are_chinese(site):
    root = tree(site / "items" / "item-001.html")
    for badge in root.xpath("//*[@data-status]"):
        assert badge.text_content() == STATUS_LABELS[badge.get("data-status")]


def test_hostile_text_is_inert(site):
    for page in pages(site):
        source = page.read_text(encoding="utf-8")
        for raw in (SCRIPT_TITLE, IMG_TITLE, TITLE_SCRIPT, "<b>见附件</b>"):
            assert raw not in source, f"{page.name} carries {raw!r} unescaped"
        root = tree(page)
        assert root.xpath("//script | //img | //iframe | //object | //embed") == []
        assert [a for e in root.iter() if isinstance(e.tag, str) for a in e.attrib if a.lower().startswith("on")] == []
        for href in root.xpath("//@href | //@src"):
            assert urlsplit(href.strip()).scheme in ("", "http", "https"), f"{page.name}: {href}"
    # ... and is still shown, as text, where the unit needs to read it.
    assert SCRIPT_TITLE in tree(unit_page(site, "区民政局")).text_content()
    assert IMG_TITLE in tree(unit_page(site, "南翔镇")).text_content()
    assert JS_URL in tree(unit_page(site, "区环保局")).text_content()


def test_no_external_assets(site):
    for page in pages(site):
        root = tree(page)
        # Only <a> may point outside the folder (to the crawled pages themselves).
        for el in root.xpath("//*[@src or @srcset or @data or @poster] | //link | //base | //meta[@http-equiv]"):
            pytest.fail(f"{page.name}: <{el.tag}> loads something")
        for css in root.xpath("//style/text() | //@style"):
            assert "@import" not in css
            assert re.findall(r"url\(\s*['\"]?(?!data:)", css) == []


def test_banner_when_data_is_old(tmp_path, site):
    assert tree(site / "index.html").xpath("//*[@id='stale-banner']")  # fixture report: 81 days old
    fresh = tree(write_fixture_report(tmp_path / "fresh", today=FRESH_DAY))
    assert fresh.xpath("//*[@id='stale-banner']") == []
    narrow = write_fixture_report(tmp_path / "narrow", today=FRESH_DAY, stale_banner_days=5)
    for page in pages(narrow.parent):
        assert "10 天" in tree(page).xpath("string(//*[@id='stale-banner'])"), page.name


def test_every_page_shows_the_run_date(site):
    for page in pages(site):
        assert texts(tree(page), "//time[@class='as-of']") == ["2018-12-10"], page.name


def test_print_css_present(site):
    css = tree(site / "units" / unit_page(site, "南翔镇").name).xpath("string(//style)")
    assert "@media print" in css and "@page" in css


def test_unit_report_holds_only_that_unit(tmp_path):
    index = write_fixture_report(tmp_path / "out", unit="区环保局")
    folder = index.parent
    doc = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    assert {u["unit"] for u in doc["units"]} == {"区环保局"}
    assert {f["unit"] for f in doc["findings"]} == {"区环保局"}
    assert len(list((folder / "units").iterdir())) == 1
    assert {p.name for p in (folder / "items").iterdir()} == {"item-001.html", "item-095.html"}
    assert assert_links_resolve(folder) > 10


def test_unknown_unit_is_a_clear_error(tmp_path):
    with pytest.raises(AuditorError, match="区不存在局"):
        write_fixture_report(tmp_path / "out", unit="区不存在局")
    assert not (tmp_path / "out").exists()


def test_document_missing_contract_keys_is_refused(tmp_path):
    doc = document()
    del doc["findings"][0]["reasons"]
    with pytest.raises(AuditorError, match="findings.*reasons"):
        write_report(doc, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_rewrite_replaces_previous_report(tmp_path):
    out = tmp_path / "out"
    write_fixture_report(out)
    (out / "units" / "leftover.html").write_text("old", encoding="utf-8")
    write_fixture_report(out, unit="南翔镇")
    assert not (out / "units" / "leftover.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_failed_render_keeps_previous_report(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_fixture_report(out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(render.exports, "write_xlsx", broken)
    with pytest.raises(OSError, match="disk full"):
        write_fixture_report(out, unit="南翔镇")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no half-written folder left behind


def test_refuses_to_replace_a_folder_that_is_not_a_report(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(AuditorError, match="not empty"):
        write_fixture_report(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
