"""Extraction on real pages of real CMSs (tests/fixtures/pages/real): as published and with
their CMS meta tags removed, the working and the held-out part apart.

The truth is what a careful reader finds on each page (truth.yaml), written by hand, never
by running the extractor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from auditor.extract import extract_page

REAL = Path(__file__).parent / "fixtures" / "pages" / "real"
PAGES = yaml.safe_load((REAL / "truth.yaml").read_text(encoding="utf-8"))["pages"]
# every <meta name=…> a CMS writes (ArticleTitle, PubDate, ContentSource, ColumnName, SiteName…);
# the charset and http-equiv ones stay, as a browser needs them
CMS_META = re.compile(rb"<meta\s+(?![^>]*(?:charset|http-equiv))[^>]*>", re.I)


def same(a: str | None, b: str | None) -> bool:
    def norm(s):
        return "".join(unicodedata.normalize("NFKC", s or "").split())
    return norm(a) == norm(b)


def same_body(got: str, truth: str | None) -> bool:
    """The publisher the page names is the truth's body: the same name, its short form as
    the page writes it (省教育厅 for 浙江省教育厅), or the name with a former one in brackets."""
    if not truth:
        return not got
    g = re.sub(r"[（(]原[^）)]*[）)]$", "", "".join((got or "").split()))
    t = "".join(truth.split())
    return g == t or (len(g) >= 3 and t.endswith(g) and g[0] in "省市区县")


@dataclass
class Score:
    titles: int = 0
    dates: int = 0
    publishers: int = 0
    doc_numbers: int = 0
    details: int = 0
    entries_found: int = 0
    entries: int = 0

    def rate(self, name: str) -> float:
        total = self.entries if name == "entries_found" else self.details
        return getattr(self, name) / total if total else 1.0


def read(page: dict, stripped: bool):
    body = (REAL / page["file"]).read_bytes()
    if stripped:
        body = CMS_META.sub(b"", body)
    return extract_page(page.get("url") or f"http://unknown.gov.cn/{page['file']}", body, {"content-type": "text/html"})


def score(split: str, stripped: bool) -> Score:
    s = Score()
    for page in (p for p in PAGES if p["split"] == split):
        got = read(page, stripped)
        if page["kind"] == "list":
            base = page.get("url") or ""
            found = {urljoin(base, e.url): e.date for e in got.entries}
            s.entries += len(page["entries"])
            s.entries_found += sum(found.get(urljoin(base, e["url"]), "none") == e.get("date") for e in page["entries"])
            continue
        s.details += 1
        s.titles += same(got.title, page["title"])
        s.dates += got.date == page["date"]
        s.publishers += same_body(got.publisher, page["publisher"])
        s.doc_numbers += same(got.doc_no, page["doc_number"]) if page["doc_number"] else True
    return s


def test_the_corpus_is_real_and_split():
    cms = {p["cms"] for p in PAGES}
    assert len(cms) >= 4 and {"TRS", "Hanweb"} <= {c.split()[0] for c in cms}
    assert len({p["site"] for p in PAGES}) >= 10
    assert {p["kind"] for p in PAGES} == {"detail", "list"}
    assert all(p["split"] in ("work", "heldout") for p in PAGES) and sum(p["split"] == "heldout" for p in PAGES) >= 8
    assert all((REAL / p["file"]).exists() for p in PAGES)


@pytest.mark.parametrize("stripped, least", [(False, 0.97), (True, 0.90)], ids=["as-published", "meta-stripped"])
@pytest.mark.parametrize("split", ["work", "heldout"])
def test_titles_and_dates(split, stripped, least):
    s = score(split, stripped)
    assert s.rate("titles") >= least and s.rate("dates") >= least, s


@pytest.mark.parametrize("stripped", [False, True], ids=["as-published", "meta-stripped"])
def test_list_entries_with_their_dates(stripped):
    s = score("work", stripped)
    assert s.entries >= 100 and s.rate("entries_found") >= 0.95, s


def test_publisher_and_doc_number_on_the_working_part():
    s = score("work", stripped=False)
    assert s.rate("publishers") >= 0.9 and s.rate("doc_numbers") >= 0.95, s


def test_the_site_named_as_source_is_no_publisher():
    # 来源：平潭综合实验区党工委管委会 is the site's owner on every page; the document's signer is its author
    page = next(p for p in PAGES if p["file"] == "trs_pingtan_2.html")
    assert read(page, stripped=False).publisher == "平潭综合实验区公安局"
    # 来源：本站 / the site's old name: the issuer the title names
    page = next(p for p in PAGES if p["file"] == "trs_pingtan_8.html")
    assert read(page, stripped=False).publisher == "平潭县人民政府"
