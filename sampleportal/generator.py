"""Write the sample portal's files and its ground-truth manifest into a cache folder.

Pages are written as they are made (only list entries stay in memory), so 100,000
pages take no more memory than 2,000. The output folder holds one folder per host
key (``www/``, ``hb/`` …) and ``manifest.json``; it is rebuilt only when missing or
when the rule catalogue it was derived from changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from auditor.plan import load_plan, plan_path
from auditor.settings import bundled_rules_dir
from auditor.units import Registry, load_registry

from . import filler, real_titles
from .attachments import attachment_bytes
from .expectations import RuleSpec, Served, read_law, read_rules, roll_up, rule_status
from .sites import CODES, HOST_BY_KEY, HOST_BY_UNIT, HOSTS, unit_base, unit_prefixes
from .templates import RENDER, DocPage, ListPage

VERSION = 1
AS_OF = date(2018, 12, 10)
STOPPED = date(2018, 4, 30)  # a stale unit published nothing after this
# the share of single-duty documents that carry a real government site's title instead of their own
REAL_TITLE_SHARE = 0.3
PER_PAGE = 20
DEFAULT_PAGES = 2000

# Columns every unit has, by template family: key → (relative path, name)
UNIT_COLUMNS = {
    "portal": {"guide": ("zfxxgkzn/", "政府信息公开指南"), "report": ("zfxxgknb/", "政府信息公开年报"),
               "docs": ("fdzdgknr/", "法定主动公开内容"), "notice": ("tzgg/", "通知公告"),
               "news": ("gzdt/", "工作动态")},
    "modern": {"guide": ("xxgk/zn/", "信息公开指南"), "report": ("xxgk/nb/", "信息公开年报"),
               "docs": ("xxgk/gkml/", "主动公开目录"), "notice": ("tzgg/", "通知公告"), "news": ("gzdt/", "工作动态")},
    "legacy": {"guide": ("xxgk/zn/", "信息公开指南"), "report": ("xxgk/nb/", "信息公开年度报告"),
               "docs": ("xxgk/gkml/", "政府信息公开目录"), "notice": ("tzgg/", "通知公告"), "news": ("gzdt/", "教育动态")},
    "town": {"guide": ("zwgk/zn/", "政府信息公开指南"), "report": ("zwgk/nb/", "政府信息公开年报"),
             "docs": ("zwgk/gkml/", "主动公开"), "notice": ("zwgk/tzgg/", "通知公告"), "news": ("zwgk/gzdt/", "镇务动态")},
}
# The district portal's own columns: key → (path, name)
PORTAL_COLUMNS = {
    "zfxxgkzn": ("/publicity/zfxxgk/zfxxgkzn2/", "政府信息公开指南"),
    "zfxxgkzd": ("/publicity/zfxxgk/zfxxgkzd/", "政府信息公开制度"),
    "fdzdgknr": ("/publicity/zfxxgk/fdzdgknr/", "法定主动公开内容"),
    "zfxgknb": ("/publicity/zfxxgk/zfxgknb/", "政府信息公开年报"),
    "ysqgk": ("/publicity/zfxxgk/ysqgk/", "依申请公开"),
    "gfxwj": ("/publicity/jcgk/zdgkwj/gfxwj/", "规范性文件"),
    "zcjd": ("/publicity/zcjd/", "政策解读"),
    "sgs": ("/publicity/sgs/", "双公示"),
    "czyjs": ("/publicity/czyjs/", "财政预决算"),
    "zdly": ("/publicity/zdlyxxgk/", "重点领域信息公开"),
    "jyta": ("/publicity/jytabljg/", "建议提案办理结果"),
    "tzgg": ("/publicity/tzgg/", "通知公告"),
    "gzdt": ("/news/gzdt/", "工作动态"),
    "jdxw": ("/news/jdxw/", "嘉定新闻"),
}
DISTRICT = "上海市嘉定区人民政府"


def default_dir(seed: int, pages: int, history_years: int = 0) -> Path:
    """~/.cache/auditor/sampleportal/<seed>-<pages>[-h<years>]/ (XDG_CACHE_HOME respected)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "auditor" / "sampleportal" / (f"{seed}-{pages}" + (f"-h{history_years}" if history_years else ""))


@dataclass
class SiteInfo:
    """A generated sample site."""

    dir: Path
    manifest_path: Path
    seed: int
    pages: int  # HTML pages written
    as_of: date


@dataclass
class Column:
    host: str
    path: str
    name: str
    unit: str
    kind: str  # guide | report | docs | notice | news | topic
    entries: list[tuple[str, str, date | None]] = field(default_factory=list)  # (path, title, date shown)
    # when the CMS published each entry: an undated page sits in its list where it was published
    published: dict[str, date] = field(default_factory=dict)


@dataclass
class Pair:
    """What one unit did for one plan item (or baseline rule): pages it published, near misses."""

    scenario: str
    published: list[str] = field(default_factory=list)
    distractors: list[str] = field(default_factory=list)


def url(host: str, path: str) -> str:
    return f"http://@{host}@{path}"


class Builder:
    """Writes pages, attachments and list pages; keeps only list entries in memory."""

    def __init__(self, root: Path, seed: int, registry: Registry) -> None:
        self.root, self.rng, self.reg = root, random.Random(seed), registry
        self.seed = seed
        self.columns: dict[tuple[str, str], Column] = {}
        self.html_pages = 0
        self.counter = 1000
        self.gbk_pages: list[dict] = []
        self.attachments: list[dict] = []

    # ---- files
    def write(self, host: str, path: str, html: str) -> None:
        target = self.root / host / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(html.encode(HOST_BY_KEY[host].charset))
        if target.suffix == ".html":
            self.html_pages += 1

    def write_bytes(self, host: str, path: str, data: bytes) -> None:
        target = self.root / host / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    # ---- columns
    def column(self, host: str, path: str, name: str, unit: str, kind: str) -> Column:
        key = (host, path)
        if key not in self.columns:
            self.columns[key] = Column(host, path, name, unit, kind)
        return self.columns[key]

    def unit_column(self, unit: str, key: str) -> Column:
        kind = self.reg.units[unit].kind
        host, base = unit_base(unit, kind)
        rel, name = UNIT_COLUMNS[HOST_BY_KEY[host].style][key]
        return self.column(host, base + rel, name, unit, key)

    def portal_column(self, key: str) -> Column:
        path, name = PORTAL_COLUMNS[key]
        return self.column("www", path, name, "区府办", "topic" if key not in ("gzdt", "jdxw", "tzgg") else
                           {"gzdt": "news", "jdxw": "news", "tzgg": "notice"}[key])

    # ---- naming
    def publisher_name(self, unit: str) -> str:
        """How a page names its publisher: full name, without 上海市, or the plan's short form."""
        u = self.reg.units[unit]
        forms = [u.full_name, u.full_name.removeprefix("上海市"), unit]
        return self.rng.choices(forms, weights=[3, 4, 2])[0]

    def next_id(self) -> int:
        self.counter += self.rng.randint(1, 9)
        return self.counter

    def doc_path(self, col: Column, d: date | None) -> str:
        n = self.next_id()
        style = HOST_BY_KEY[col.host].style
        if style == "portal":
            return f"{col.path}content_{n}.html" if n % 3 else f"{col.path}{n}.html"
        stamp = d or AS_OF
        if style == "modern":
            return f"{col.path}{stamp:%Y%m}/t{stamp:%Y%m%d}_{n}.html"
        if style == "legacy":
            return f"{col.path}{stamp:%Y}/{stamp:%m%d}/{n}.html"
        return f"{col.path}{n}.html"

    # ---- pages
    def add_page(self, col: Column, page: DocPage, unit_code: str = "",
                 attach: list[tuple[str, list[str], str | None]] = (), undated_entry: bool = False,
                 published: date | None = None) -> str:
        """Write a document or news page into a column; return its URL.

        ``attach``: (ext, table lines, link text or None for the document's own name).
        """
        path = self.doc_path(col, page.date)
        host = HOST_BY_KEY[col.host]
        for i, (ext, lines, own_name) in enumerate(attach):
            name = own_name or page.title
            if name.startswith("关于印发《") and "》" in name:
                name = name[len("关于印发《"):name.index("》")]
            digest = hashlib.md5(f"{self.seed}:{path}:{ext}:{i}".encode()).hexdigest()
            stamp = page.date or AS_OF
            apath = f"/upload/{unit_code or 'jd'}/{stamp:%Y%m}/file/{digest}.{ext}"
            self.write_bytes(col.host, apath, attachment_bytes(ext, name, lines))
            text = f"{name}.{ext}"
            page.attachments.append((apath, text))
            self.attachments.append({"url": url(col.host, apath), "ext": ext, "text": text,
                                     "page": url(col.host, path)})
        page.column, page.column_url = col.name, col.path
        render_doc = RENDER[host.style][0]
        self.write(col.host, path, render_doc(page, host.name))
        col.entries.append((path, page.title, None if undated_entry else page.date))
        if published or page.date:
            col.published[path] = published or page.date
        if host.charset != "utf-8" and len(self.gbk_pages) < 40:
            self.gbk_pages.append({"url": url(col.host, path), "title": page.title})
        return url(col.host, path)

    def finish_lists(self) -> None:
        """Write every column's paginated list (newest first, PER_PAGE a page)."""
        for col in self.columns.values():
            host = HOST_BY_KEY[col.host]
            col.entries.sort(key=lambda e: (col.published.get(e[0]) or e[2] or date.min, e[0]), reverse=True)
            pages = max(1, math.ceil(len(col.entries) / PER_PAGE))
            render_list = RENDER[host.style][1]
            for n in range(pages):
                chunk = col.entries[n * PER_PAGE:(n + 1) * PER_PAGE]
                lp = ListPage(col.name, col.path, chunk, n, pages, parent=self.parent_of(col))
                self.write(col.host, col.path + ("" if n == 0 else f"index_{n}.html"), render_list(lp, host.name))

    def parent_of(self, col: Column) -> tuple[str, str]:
        if col.host == "www" and col.unit and col.kind != "topic" and "/publicity/" in col.path and col.path.count("/") > 4:
            base = col.path[: col.path.rstrip("/").rindex("/") + 1]
            return base, col.unit
        return "/publicity/" if col.path.startswith("/publicity/") else "/", "政府信息公开" if col.path.startswith("/publicity/") else "首页"


# ---------------------------------------------------------------- document bodies

def doc_body(title: str, publisher_full: str, rows: int, rng: random.Random) -> tuple[list[str], str]:
    """Body paragraphs and the signing body for a document title, by the kind of document."""
    if title.startswith("关于印发《"):
        inner = title[len("关于印发"):title.rindex("的通知")]
        return (["各镇人民政府、区政府各委、办、局，各街道办事处，嘉定新城、嘉定工业区、菊园新区管委会：",
                 f"现将{inner}印发给你们，请结合实际，认真贯彻执行。", "（此件公开发布）"], publisher_full)
    if any(w in title for w in ("解读", "问答", "图解", "一图读懂")):
        return (["一、制定背景", "为深入贯彻落实市委、市政府决策部署，结合本区实际，制定本文件。",
                 "二、主要内容", "文件共分为总体要求、主要任务、保障措施三个部分。",
                 "三、下一步工作", "各责任单位将按照职责分工，抓好贯彻落实。"], "")
    body = [f"根据《中华人民共和国政府信息公开条例》等有关规定，现将{title.removesuffix('公示').removesuffix('公告')}"
            "有关情况予以公开。", "如对公开内容有异议，请在公示期内以书面形式向我单位反映。"]
    body += [f"{i}｜{rng.choice(filler.PLACES)}｜{rng.randint(1, 99) * 100}" for i in range(1, rows + 1)]
    return body, publisher_full


# ---------------------------------------------------------------- the generator

class Generator:
    def __init__(self, out: Path, pages: int, seed: int, rules_dir: Path, history_years: int = 0) -> None:
        self.history_years = history_years  # years of news and notices before the plan year
        self.reg = load_registry(rules_dir / "units.yaml")
        self.b = Builder(out, seed, self.reg)
        self.rng = self.b.rng
        self.pages, self.seed = pages, seed
        self.plan = load_plan(str(plan_path(rules_dir)))
        self.rules, self.base_rules, self.fingerprint = read_rules(rules_dir, self.reg)
        self.law = read_law(rules_dir)
        here = Path(__file__).parent
        self.spec = yaml.safe_load((here / "documents.yaml").read_text(encoding="utf-8"))
        self.real = real_titles.load()
        # the site depends on the catalogue, the documents, the real titles and this package's code
        sources = b"".join(p.read_bytes() for p in sorted([*here.glob("*.py"), *here.glob("*.yaml")]))
        self.fingerprint = hashlib.sha256(self.fingerprint.encode() + sources
                                          + f"history={history_years}".encode()).hexdigest()[:16]
        self.down = {h.unit for h in HOSTS if h.down}
        self.items: list[dict] = []
        self.baseline: list[dict] = []
        self.site_checks: list[dict] = []
        self.stale_news_units: set[str] = set()
        self.stale_notice_units: set[str] = set()
        self.rotation = 0
        self.titles: dict[str, tuple[str, str, date | None]] = {}  # document URL → (publisher unit, title, date)
        self.served: list[Served] = []  # every page that serves a rule, whoever published it
        self.pairs: list[tuple[int, str, Pair]] = []  # (item, unit, what the unit did), judged at the end
        self.town_cutoff = {"马陆镇": date(2018, 10, 20)}  # the stale 街镇 home page

    # ---- helpers
    def units_of(self, kind: str) -> list[str]:
        return [u.name for u in self.reg.units.values() if u.kind == kind]

    def cap(self, unit: str, d: date) -> date:
        return min(d, self.town_cutoff.get(unit, AS_OF))

    def publish(self, unit: str, title: str, d: date | None, column: str | None = None, attach: str | None = None,
                in_unit: str | None = None, kind: str = "doc", rows: int = 3, serves: dict | None = None,
                annexes: list[str] = (), period: str = "", publisher: str = "") -> str:
        """Write one document of ``unit`` (optionally placed in another unit's column).

        ``attach`` is the type of the document's own file, ``annexes`` name further ones (附件1 …);
        ``serves`` ({rule id: [elements]}) is what an evaluator reading it finds it evidence of.
        """
        u = self.reg.units[unit]
        if column:
            col = self.b.portal_column(column)
        else:
            col = self.b.unit_column(in_unit or unit, "docs" if kind == "doc" else kind)
        body, signer = doc_body(title, u.full_name, rows, self.rng)
        style = HOST_BY_KEY[col.host].style
        date_form = {"portal": "iso", "modern": "iso", "legacy": self.rng.choice(["slash", "cn"]),
                     "town": "iso"}[style]
        if style == "portal" and self.rng.random() < 0.3:
            date_form = "cn"
        meta_form = "table" if (style == "portal" and not column) else self.rng.choice(["line", "line", "meta"])
        if style == "portal" and column in ("gfxwj", "zdly", "czyjs"):
            meta_form = "table"
        code = CODES[unit]
        n = self.b.counter
        page = DocPage(title=title, column="", column_url="", date=d, publisher=publisher or self.b.publisher_name(unit),
                       body=body, meta_form=meta_form, date_form=date_form, signature=signer if signer else "",
                       index_no=f"{code.upper()}{n:06d}/2018-{n % 997:05d}", topic="综合政务",
                       doc_no=(f"嘉{code}〔{d.year if d else 2018}〕{n % 40 + 1}号" if signer else ""),
                       time=f"{self.rng.randint(8, 17):02d}:{self.rng.randint(0, 59):02d}")
        lines = [line for line in body if "｜" in line] or body
        files = ([(attach, lines, None)] if attach else []) + [(attach or "docx", lines, a) for a in annexes]
        page_url = self.b.add_page(col, page, code, files)
        self.titles[page_url] = (unit, title, d)
        if serves:
            self.served.append(Served(page_url, unit, d, {r: tuple(e or ()) for r, e in serves.items()}, str(period),
                                      foreign=bool(publisher)))
        return page_url

    def news(self, unit: str, title: str, d: date | None, col=None, source: str | None = None,
             undated: bool = False) -> str:
        col = col or self.b.unit_column(unit, "news")
        host = HOST_BY_KEY[col.host]
        page = DocPage(title=title, column="", column_url="", date=None if undated else d,
                       publisher="" if undated and self.rng.random() < 0.5 else (source or self.b.publisher_name(unit)),
                       body=filler.news_body(self.rng, unit, title),
                       meta_form="line" if host.style != "portal" or self.rng.random() < 0.7 else "meta",
                       date_form="iso" if host.style != "legacy" else "cn",
                       time=f"{self.rng.randint(8, 20):02d}:{self.rng.randint(0, 59):02d}")
        return self.b.add_page(col, page, undated_entry=undated, published=d)

    # ---- plan items
    def item_units(self, number: int) -> list[str]:
        return self.reg.expand(self.plan[number].units)

    def unit_rules(self, number: int, unit: str) -> list[RuleSpec]:
        """The item's rules that bind ``unit`` (a split rule may name only some of its units)."""
        return [r for r in self.rules.get(number, []) if unit in r.units]

    def covers(self, number: int, unit: str, docs: list[dict]) -> bool:
        """Whether ``docs`` serve every web rule of the item binding ``unit``, and every element."""
        served: dict[str, set] = {}
        for d in docs:
            for rule, elements in (d.get("serves") or {}).items():
                served.setdefault(rule, set()).update(elements or ())
        return all(r.id in served and served[r.id] >= set(r.elements)
                   for r in self.unit_rules(number, unit) if r.mode == "web")

    def series_dates(self, series: dict, scenario: str, unit: str) -> list[tuple[str, date, str]]:
        """(title, publication date, period) of a periodic publication up to the as-of date: every
        period, or stopped in spring (stale), or with two periods skipped (gaps)."""
        out = []
        quarterly = series.get("every") == "quarter"
        periods = range(1, 5) if quarterly else range(1, 13)
        skipped = set(series.get("gaps") or (2, 4) if quarterly else series.get("gaps") or (3, 5))
        for p in periods:
            if scenario == "gaps" and p in skipped:
                continue
            month = p * 3 if quarterly else p
            pub_month = month if series.get("ahead") else month + 1
            y, m = (2018, pub_month) if pub_month <= 12 else (2019, 1)
            pub = date(y, m, series["day"]) if not series.get("ahead") else date(2018, month, 1) - timedelta(days=5)
            if pub > AS_OF or (scenario == "stale" and pub > STOPPED):
                continue
            period = f"2018-Q{p}" if quarterly else f"2018-{month:02d}"
            out.append((series["title"].format(y=2018, m=month, n=p), self.cap(unit, pub), period))
        return out

    def plan_items(self) -> None:
        for number in sorted(self.plan):
            spec = self.spec.get(number) or {}
            units = self.item_units(number)
            if all(r.mode == "manual" for r in self.rules.get(number, [])):
                self.pairs += [(number, unit, Pair("manual")) for unit in units]
                continue
            if spec.get("group"):
                self.group_item(number, spec, units)
                continue
            docs = spec.get("docs") or []
            series = spec.get("series")
            own = {u: [d for d in docs if self.doc_unit(d, units) == u] + ([series] if series and series["unit"] == u
                                                                            else []) for u in units}
            owners = [u for u in units if own[u] and u not in self.down]
            # the unit meant to be fully met is one whose documents serve all its rules
            primary = next((u for u in owners if self.covers(number, u, own[u])), owners[0] if owners else None)
            pairs: dict[str, Pair] = {}
            # the primary unit first: a near miss may file its document in a colleague's column
            for unit in sorted(units, key=lambda u: u != primary):
                pairs[unit] = self.plan_pair(number, spec, unit, units, unit == primary, bool(own[unit]),
                                             pairs.get(primary))
            self.pairs += [(number, unit, pairs[unit]) for unit in units]

    @staticmethod
    def doc_unit(doc: dict, units: list[str]) -> str:
        return doc.get("unit") or units[0]

    def plan_pair(self, number: int, spec: dict, unit: str, units: list[str], primary: bool, owner: bool,
                  primary_pair: Pair | None) -> Pair:
        if unit in self.down:
            return Pair("unreachable")
        docs = [d for d in spec.get("docs") or [] if self.doc_unit(d, units) == unit]
        series = spec.get("series") if (spec.get("series") or {}).get("unit") == unit else None
        if primary:
            choices = ["met"] + (["partial"] if len(docs) >= 2 else []) + (["stale", "gaps"] if series else [])
            # fixed scenarios every seed shows: a multi-part item half done, a monthly series that
            # stopped, one with gaps, a document met
            scenario = {10: "partial", 50: "stale", 22: "gaps", 57: "met"}.get(number) or self.rng.choice(choices)
        else:
            # rotate, so every kind of near miss occurs at any seed
            self.rotation += 1
            kinds = ("met", "missing", "near", "wrong_unit", "old", "foreign") if owner else \
                ("missing", "near", "wrong_unit", "old", "foreign")
            scenario = kinds[(self.rotation + self.seed) % len(kinds)]
        pair = Pair(scenario)
        if scenario in ("met", "partial", "stale", "gaps"):
            # a partial unit published only the first of its documents, a stale one stopped in spring
            for d in docs[: max(1, len(docs) // 2)] if scenario == "partial" else docs:
                when = self.cap(unit, date.fromisoformat(f"2018-{d['date']}"))
                if scenario == "stale" and when > STOPPED:
                    continue
                in_unit = None
                if not d.get("column") and self.rng.random() < 0.08:
                    # filed in another department's column; its own metadata names the publisher
                    in_unit = self.rng.choice([u for u in self.units_of("department")
                                               if u not in self.down and u != unit and u not in HOST_BY_UNIT])
                pair.published.append(self.publish(unit, self.title_of(d), when, d.get("column"), d.get("attach"),
                                                   in_unit=in_unit, serves=d.get("serves"),
                                                   annexes=d.get("annexes") or (), period=d.get("period", "")))
            if series:
                for title, when, period in self.series_dates(series, scenario, unit):
                    pair.published.append(self.publish(unit, title, when, series.get("column"),
                                                       serves=series.get("serves"), period=period))
            if spec.get("near") and self.rng.random() < 0.5:
                # news about the document beside the document itself
                pair.distractors.append(self.news(unit, spec["near"], date(2018, 6, 12)))
            return pair
        self.distractor(pair, spec, unit, primary_pair)
        return pair

    def title_of(self, doc: dict) -> str:
        """The document's own title, or (for a share of the documents that serve one rule) a real
        title a government site used for the same duty and elements (real_titles.yaml)."""
        serves = doc.get("serves") or {}
        if len(serves) != 1 or self.rng.random() >= REAL_TITLE_SHARE:
            return doc["title"]
        (rule, elements), = serves.items()
        real = [t["title"] for t in self.real.get(rule, ()) if t["elements"] == sorted(elements or ())]
        return self.rng.choice(real) if real else doc["title"]

    def distractor(self, pair: Pair, spec: dict, unit: str, primary: Pair | None) -> None:
        """A near miss for a unit that did not publish: news about it, a colleague's document, a 2016 one."""
        kept = primary.published[0] if primary and primary.published else None
        source = self.titles.get(kept) if kept else None
        source_serves = next((s.serves for s in self.served if s.url == kept), {})
        if pair.scenario == "near" and (spec.get("near") or source):
            subject = source[1].removeprefix("关于印发").removesuffix("的通知") if source else ""
            title = re.sub(r"^区[^区]{1,6}?(局|委|办|中心)", unit, spec["near"]) if spec.get("near") else \
                f"{unit}召开{subject}相关工作推进会"
            pair.distractors.append(self.news(unit, title, date(2018, 9, 19)))
        elif pair.scenario == "wrong_unit" and source and unit not in HOST_BY_UNIT:
            # the colleague's document, filed in this unit's column under the colleague's name: it
            # serves the colleague (same date, so its status is unchanged), a near miss here
            pair.distractors.append(self.publish(source[0], source[1], source[2], in_unit=unit,
                                                 serves=source_serves))
        elif pair.scenario == "foreign" and source and unit not in HOST_BY_UNIT:
            # the same kind of document, published by another city's bureau and reposted in this
            # unit's column: its own metadata names a body outside the district, so it is no
            # district unit's evidence
            body = self.reg.units[unit].full_name.replace("上海市嘉定区", "浙江省杭州市").replace("嘉定", "萧山")
            pair.distractors.append(self.publish(unit, source[1], source[2], serves=source_serves, publisher=body))
        elif pair.scenario == "old":
            own = [d for d in spec.get("docs") or [] if d.get("unit") == unit]
            title, serves = (own[0]["title"], own[0].get("serves")) if own else \
                (source[1], source_serves) if source else ("", {})
            if title:
                old = title.replace("2018", "2016").replace("2017", "2015")
                # the same kind of document two years ago: it serves the same rules, if its date counts
                pair.distractors.append(self.publish(unit, old, date(2016, 6, 15), serves=serves))

    def group_item(self, number: int, spec: dict, units: list[str]) -> None:
        """An item every unit owes (97: its own 主动公开目录): some published one, some not yet."""
        group = spec["group"]
        first = True
        for unit in units:
            if unit in self.down:
                self.pairs.append((number, unit, Pair("unreachable")))
                continue
            roll = self.rng.random()
            name = self.b.publisher_name(unit)
            if first or roll < 0.45:
                first = False
                pair = Pair("met")
                when = self.cap(unit, date(2018, self.rng.randint(4, 11), self.rng.randint(1, 28)))
                pair.published.append(self.publish(unit, group["title"].format(name=name), when,
                                                   serves=group.get("serves")))
            elif roll < 0.6:
                pair = Pair("old")  # last year's edition
                pair.distractors.append(self.publish(unit, group["title"].format(name=name).replace("2018", "2017"),
                                                     date(2017, 11, 8), serves=group.get("serves")))
            else:
                pair = Pair("missing")
            self.pairs.append((number, unit, pair))

    def judge_items(self) -> None:
        """Each pair's expected status and evidence, from every page that serves its rules."""
        by_rule: dict[str, list[Served]] = {}
        for page in self.served:
            for rule in page.serves:
                by_rule.setdefault(rule, []).append(page)
        for number, unit, pair in self.pairs:
            statuses, evidence = {}, []
            for r in self.unit_rules(number, unit):
                statuses[r.id], urls = self.rule_truth(r, unit, by_rule.get(r.id, []))
                evidence += [u for u in urls if u not in evidence]
            modes = [(r.mode, statuses[r.id]) for r in self.unit_rules(number, unit)]
            status, pending = roll_up(modes, unreachable=unit in self.down)
            self.items.append({"item": number, "unit": unit, "scenario": pair.scenario, "status": status,
                               "review_pending": pending, "rules": statuses, "evidence": evidence,
                               "distractors": [u for u in pair.distractors if u not in evidence]})

    def rule_truth(self, r: RuleSpec, unit: str, serving: list[Served]) -> tuple[str, list[str]]:
        """A rule's expected finding for ``unit``: its own pages, or any unit's for `anywhere` rules."""
        pages = [p for p in serving if r.anywhere or p.unit == unit]
        return rule_status(r, pages, AS_OF, unreachable=unit in self.down, kind=self.reg.units[unit].kind, law=self.law)

    # ---- statutory baseline
    def baseline_rules(self) -> None:
        """Every statutory rule of the catalogue, with what documents.yaml says units published for it."""
        specs = self.spec.get("baseline") or {}
        for rid, rule in sorted(self.base_rules.items()):
            for unit in rule.units:
                pair = self.baseline_pair(rid, unit, specs.get(rid) or {})
                status, evidence = self.rule_truth(rule, unit, [p for p in self.served if rid in p.serves])
                self.baseline.append({"rule": rid, "unit": unit, "scenario": pair.scenario, "status": status,
                                      "evidence": evidence,
                                      "distractors": [u for u in pair.distractors if u not in evidence]})

    def baseline_pair(self, rid: str, unit: str, spec: dict) -> Pair:
        if unit in self.down:
            return Pair("unreachable")
        u = self.reg.units[unit]
        roll = self.rng.random()
        if unit == "区府办" or unit in HOST_BY_UNIT:
            roll = 0.0  # the portal owner and the sub-sites keep theirs
        share = 0.0
        for edition in spec.get("editions") or []:
            share += float(edition["share"])
            if roll < share:
                start, end = (date.fromisoformat(str(d)) for d in edition["date"])
                when = self.cap(unit, start + timedelta(days=self.rng.randint(0, (end - start).days)))
                title = edition["title"].format(full=u.full_name, short=u.full_name.removeprefix("上海市"))
                page = self.publish(unit, title, when, kind=spec.get("kind", "docs"), attach=edition.get("attach"),
                                    rows=0, serves={rid: []}, period=str(edition.get("period") or ""))
                met = edition.get("scenario", "met") == "met"
                return Pair(edition.get("scenario", "met"), [page] if met else [], [] if met else [page])
        return Pair("missing")

    # ---- filler and site health
    def fresh_date(self, unit: str, newest: date, oldest: date = date(2017, 1, 1)) -> date:
        span = (newest - oldest).days
        # most news is recent: bias towards the newest date
        return newest - timedelta(days=int(span * self.rng.random() ** 2))

    def filler(self) -> None:
        news_cols = [("www", None)] * 6 + [(None, u) for u in self.units_of("department") + self.units_of("town")
                                           if u not in self.down]
        stale_news = {u for u in self.rng.sample([u for _, u in news_cols if u and u not in HOST_BY_UNIT], 3)}
        stale_notice = {u for u in self.rng.sample([u for _, u in news_cols if u and u not in HOST_BY_UNIT
                                                    and u not in stale_news], 2)}
        newest_news = {u: date(2018, 10, self.rng.randint(5, 25)) for u in stale_news}
        # every column gets something fresh first, so only the designed faults are stale
        budget = max(0, int((self.pages - self.b.html_pages - 60 - 3 * len(news_cols)) * PER_PAGE / (PER_PAGE + 1)))
        units = [u for _, u in news_cols if u]
        for unit in units:
            newest = self.cap(unit, newest_news.get(unit, AS_OF - timedelta(days=self.rng.randint(0, 6))))
            self.news(unit, filler.news_title(self.rng, unit), newest)
            notice_day = date(2018, 4, self.rng.randint(1, 28)) if unit in stale_notice else \
                AS_OF - timedelta(days=self.rng.randint(3, 60))
            self.notice(unit, self.cap(unit, notice_day))
        for key in ("jdxw", "gzdt", "tzgg"):
            col = self.b.portal_column(key)
            self.news("区府办", filler.news_title(self.rng, "嘉定区"), AS_OF - timedelta(days=1), col=col,
                      source=self.rng.choice(filler.NON_UNIT_SOURCES))
        for i in range(budget):
            roll = self.rng.random()
            if roll < 0.35:
                col, unit, source = self.b.portal_column("jdxw"), "区府办", self.rng.choice(filler.NON_UNIT_SOURCES)
                title = filler.news_title(self.rng, "嘉定区")
                newest = AS_OF
            else:
                unit = self.rng.choice(units)
                col, source = None, None
                if roll < 0.5:
                    col = self.b.portal_column("gzdt")
                title = filler.school_title(self.rng) if unit == "区教育局" and roll > 0.8 else \
                    filler.news_title(self.rng, unit)
                newest = newest_news.get(unit, AS_OF) if col is None else AS_OF
                if roll > 0.5 and self.rng.random() < 0.1:
                    source = self.rng.choice(filler.NON_UNIT_SOURCES)
                if roll > 0.93:
                    cap_day = date(2018, 4, 30) if unit in stale_notice else AS_OF
                    self.notice(unit, self.fresh_date(unit, self.cap(unit, cap_day)))
                    continue
            self.news(unit, title, self.fresh_date(unit, self.cap(unit, newest)), col=col, source=source)
        self.history(units, budget)
        for unit in sorted(stale_news):
            self.site_checks.append({"check": "stale_column", "unit": unit,
                                     "url": self.col_url(self.b.unit_column(unit, "news")),
                                     "detail": "工作动态栏目超过2周未更新"})
        for unit in sorted(stale_notice):
            self.site_checks.append({"check": "stale_column", "unit": unit,
                                     "url": self.col_url(self.b.unit_column(unit, "notice")),
                                     "detail": "通知公告栏目超过6个月未更新"})
        for unit, cutoff in self.town_cutoff.items():
            host, base = unit_base(unit, "town")
            self.site_checks.append({"check": "stale_homepage", "unit": unit, "url": url(host, base),
                                     "detail": f"首页最近更新为{cutoff.isoformat()}"})
            self.site_checks.append({"check": "stale_column", "unit": unit,
                                     "url": self.col_url(self.b.unit_column(unit, "news")),
                                     "detail": "镇务动态栏目超过2周未更新"})

    def history(self, units: list[str], per_year: int) -> None:
        """Years of news and notices before the plan year, as many a year as the plan year's,
        in the same columns: what a real portal keeps and an audit of the plan year need not read."""
        for year in range(AS_OF.year - self.history_years, AS_OF.year):
            for _ in range(per_year):
                d = date(year, 1, 1) + timedelta(days=self.rng.randrange(365))
                roll = self.rng.random()
                if roll < 0.35:
                    self.news("区府办", filler.news_title(self.rng, "嘉定区"), d, col=self.b.portal_column("jdxw"),
                              source=self.rng.choice(filler.NON_UNIT_SOURCES))
                    continue
                unit = self.rng.choice(units)
                if roll > 0.93:
                    self.notice(unit, d)
                else:
                    self.news(unit, filler.news_title(self.rng, unit), d,
                              col=self.b.portal_column("gzdt") if roll < 0.5 else None)

    def notice(self, unit: str, d: date) -> str:
        return self.news(unit, filler.notice_title(self.rng, d.year), d, col=self.b.unit_column(unit, "notice"))

    @staticmethod
    def col_url(col: Column) -> str:
        return url(col.host, col.path)

    def faults(self) -> None:
        """Undated pages and broken internal links, on top of the stale and empty columns."""
        for i, unit in enumerate(self.rng.sample([u for u in self.units_of("department") if u not in self.down], 4)):
            # the CMS knows when it went out; the page and its list entry show no date
            page = self.news(unit, filler.news_title(self.rng, unit), AS_OF - timedelta(days=25 + 9 * i), undated=True)
            self.site_checks.append({"check": "undated_page", "unit": unit, "url": page, "detail": "页面无发布日期"})
        for i, unit in enumerate(self.rng.sample([u for u in self.units_of("department") if u not in self.down], 5)):
            col = self.b.unit_column(unit, "news")
            missing = f"{col.path}content_{990000 + i}.html"
            page = DocPage(title=filler.news_title(self.rng, unit), column="", column_url="",
                           date=AS_OF - timedelta(days=20 + i), publisher=self.b.publisher_name(unit),
                           body=filler.news_body(self.rng, unit, "相关报道"),
                           links=[(missing, "相关报道"), ("/publicity/" if col.host == "www" else "/", "返回首页")])
            src = self.b.add_page(col, page)
            self.site_checks.append({"check": "broken_link", "unit": unit, "url": url(col.host, missing),
                                     "linked_from": src, "detail": f"404, linked from {src}"})

    def empty_columns(self) -> None:
        """Guide and report columns of units that published none say 暂无信息."""
        for unit in self.units_of("department") + self.units_of("town"):
            if unit in self.down:
                continue
            for key in ("guide", "report"):
                col = self.b.unit_column(unit, key)
                if not col.entries:
                    self.site_checks.append({"check": "empty_column", "unit": unit, "url": self.col_url(col),
                                             "detail": f"{col.name}栏目暂无信息"})

    # ---- navigation
    def navigation(self) -> None:
        """Home pages, the 政府信息公开 index, unit indexes, robots.txt."""
        by_unit: dict[str, list[Column]] = {}
        for col in self.b.columns.values():
            if col.kind != "topic" and not (col.host == "www" and col.path in
                                            {p for p, _ in PORTAL_COLUMNS.values()}):
                by_unit.setdefault(col.unit, []).append(col)
        # every configured unit's place answers, even one whose documents all sit elsewhere
        for unit in dict.fromkeys([*by_unit, *(u for u in CODES if u not in self.down)]):
            cols = self.b.columns.values() if unit in HOST_BY_UNIT else by_unit.get(unit, [])
            for host, base in unit_prefixes(unit, self.reg.units[unit].kind):
                h = HOST_BY_KEY[host]
                sections = [(c.name, c.path, sorted(c.entries, key=lambda e: e[2] or date.min, reverse=True)[:6])
                            for c in cols if c.host == host and c.path.startswith(base)]
                self.b.write(host, base, RENDER[h.style][2](unit if host == "www" else h.name, sections, h.name))
        # a sub-site's section pages (信息公开 /xxgk/, 政务公开 /zwgk/) that its menus link to
        for h in HOSTS:
            if h.key == "www" or h.down:
                continue
            cols = [c for c in self.b.columns.values() if c.host == h.key and c.path.strip("/")]
            for top in sorted({"/" + c.path.strip("/").split("/")[0] + "/" for c in cols}):
                if not (self.b.root / h.key / top.lstrip("/") / "index.html").exists():
                    sections = [(c.name, c.path, sorted(c.entries, key=lambda e: e[2] or date.min, reverse=True)[:6])
                                for c in cols if c.path.startswith(top)]
                    self.b.write(h.key, top, RENDER[h.style][2](h.name, sections, h.name))
        portal = HOST_BY_KEY["www"]
        render_index = RENDER["portal"][2]
        topic = [(n, p, sorted(self.b.columns[("www", p)].entries, key=lambda e: e[2] or date.min, reverse=True)[:6])
                 for k, (p, n) in PORTAL_COLUMNS.items() if ("www", p) in self.b.columns and not p.startswith("/news/")]
        self.b.write("www", "/publicity/", render_index("政府信息公开", topic, portal.name))
        for section, kind, title in (("bmxxgk", "department", "部门信息公开"), ("jzxxgk", "town", "街镇信息公开")):
            links = []
            for unit in self.units_of(kind) + (self.units_of("other") if kind == "department" else []):
                host, base = unit_base(unit, self.reg.units[unit].kind)
                links.append((url(host, base) if host != "www" else base, self.reg.units[unit].full_name))
            self.b.write("www", f"/publicity/{section}/", render_index(title, [], portal.name, links))
        news = [(n, p, sorted(self.b.columns[("www", p)].entries, key=lambda e: e[2] or date.min, reverse=True)[:8])
                for k, (p, n) in PORTAL_COLUMNS.items() if k in ("jdxw", "gzdt", "tzgg")]
        self.b.write("www", "/", render_index("首页", news, portal.name, [
            ("/publicity/", "政府信息公开"), ("/publicity/bmxxgk/", "部门信息公开"),
            ("/publicity/jzxxgk/", "街镇信息公开")] + [(url(h.key, "/"), h.name) for h in HOSTS if h.key != "www"]))
        for h in HOSTS:
            if not h.down:
                self.b.write_bytes(h.key, "/robots.txt",
                                   b"User-agent: *\nDisallow: /admin/\nDisallow: /search/\n")

    def run(self) -> dict:
        self.plan_items()
        self.judge_items()
        self.baseline_rules()
        self.faults()
        self.filler()
        self.empty_columns()
        self.b.finish_lists()
        self.navigation()
        return {
            "schema": 1, "generator": VERSION, "seed": self.seed, "pages_requested": self.pages,
            "pages": self.b.html_pages, "as_of": AS_OF.isoformat(), "rules_fingerprint": self.fingerprint,
            "hosts": [{"key": h.key, "ip": h.ip, "name": h.name, "style": h.style, "charset": h.charset,
                       "unit": h.unit, "down": h.down} for h in HOSTS],
            "items": self.items, "baseline": self.baseline, "site_checks": self.site_checks,
            "gbk_pages": self.b.gbk_pages, "attachments": self.b.attachments,
            "documents": [{"url": u, "unit": unit, "title": title, "date": d.isoformat() if d else None}
                          for u, (unit, title, d) in self.titles.items()],
        }


def generate(dest: str | Path | None = None, pages: int = DEFAULT_PAGES, seed: int = 1,
             rules_dir: str | Path | None = None, history_years: int = 0) -> SiteInfo:
    """Generate the sample site into ``dest`` unless an up-to-date one is there already.

    ``history_years`` adds that many years of news and notices before the plan year.
    """
    dest = Path(dest) if dest else default_dir(seed, pages, history_years)
    rules = Path(rules_dir) if rules_dir else bundled_rules_dir()
    manifest_path = dest / "manifest.json"
    gen = Generator(dest.with_name(f"{dest.name}.tmp{os.getpid()}"), pages, seed, rules, history_years)
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("rules_fingerprint") == gen.fingerprint:
            return SiteInfo(dest, manifest_path, seed, manifest["pages"], AS_OF)
    tmp = gen.b.root
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    manifest = gen.run()
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True),
                                       encoding="utf-8")
    if dest.exists():
        shutil.rmtree(dest, ignore_errors=True)
    try:
        tmp.rename(dest)
    except OSError:  # another process generated it meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
    return SiteInfo(dest, manifest_path, seed, manifest["pages"], AS_OF)
