"""`auditor inspect URL`: what the auditor reads from one page and which rules it satisfies.

For a unit checking its own page before the evaluation does. The page is read by the
crawl's own reader (`auditor.crawl.reading`), attributed by the check's attribution,
its fields built as the check builds them, and each rule judged by the check's own
evaluation at the as-of date, so what a unit sees here is what the audit sees. A rule
only *nearly* satisfied says why (news about the document, a part missing, a date
outside the rule's window, a publisher outside the district, another unit's duty).
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .check.attribution import Attribution, Attributor
from .check.crawldata import names_of
from .check.status import Hit, evaluate
from .crawl.reading import read_body
from .crawl.settings import DOWNLOAD_MAXSIZE, USER_AGENT
from .crawl.urls import canonical_url
from .errors import AuditorError
from .rules.loader import Catalogue
from .rules.matcher import judge, page_fields
from .settings import DEFAULTS
from .store.records import Page


@dataclass
class RuleHit:
    rule: str
    item: int | None
    title: str
    satisfied: bool
    responsible: bool  # the page's unit is responsible for the rule (or the rule takes any unit)
    elements: list[str] = field(default_factory=list)
    why: str = ""


@dataclass
class Inspection:
    page: Page  # as the crawl would store it
    url: str
    status: int
    unit: str | None
    unit_source: str  # publisher | url | owner | ""
    as_of: date
    hits: list[RuleHit]

    def to_dict(self) -> dict:
        from dataclasses import asdict

        page = asdict(self.page)
        page.pop("text", None)
        return {"url": self.url, "status": self.status, "as_of": self.as_of.isoformat(), "page": page,
                "unit": self.unit, "unit_source": self.unit_source, "rules": [vars(h) for h in self.hits]}


def fetch(url: str, timeout: int = DEFAULTS["page_timeout"]) -> tuple[bytes, dict[str, str], int, str]:
    """GET one http(s) URL as the crawl asks (its User-Agent, timeout and size cap); a
    failure is a one-line `AuditorError`. Returns body, headers, status, final URL."""
    if not url.lower().startswith(("http://", "https://")):
        raise AuditorError(f"'{url}' is not an http(s) URL", "URL")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(DOWNLOAD_MAXSIZE + 1)
            if len(body) > DOWNLOAD_MAXSIZE:
                raise AuditorError("the page is larger than the crawl reads (too_large)", url)
            return body, dict(response.headers.items()), response.status, response.geturl()
    except urllib.error.HTTPError as exc:
        raise AuditorError(f"the server answered {exc.code} {exc.reason}", url) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise AuditorError(f"cannot fetch: {reason}", url) from None


def _why(rule, verdict, finding, responsible: bool, unit: str | None, units: list[str]) -> str:
    if verdict.excluded:
        return "页面是关于该文件的新闻或活动报道，不是文件本身"
    if rule.elements and not verdict.elements:
        return f"未涉及所需要素（{'、'.join(e.name for e in rule.elements)}）"
    if finding.rejected:
        return finding.rejected[0]["why"]
    if not responsible:
        return f"页面归属{unit or '未知单位'}，该规则的责任单位为{'、'.join(units)}"
    return ""


def judge_page(page: Page, url: str, catalogue: Catalogue, who: Attribution | None, as_of: date) -> list[RuleHit]:
    """Every rule the page satisfies or nearly satisfies, satisfied ones first, judged as the check judges."""
    names = [n for a in page.attachments for n in names_of(a.url, a.text)]
    fields = page_fields(page.title, page.text, names, url, page.column_name)
    day = date.fromisoformat(page.date) if page.date else None
    unit = who.unit if who else None
    hits = []
    for rule in catalogue.rules:
        if not rule.is_web:
            continue
        verdict = judge(rule, fields)
        if not verdict.subject:
            continue
        units = catalogue.units_of(rule)
        responsible = rule.anywhere or unit in units
        hit = Hit(url, page.title, day, tuple(verdict.elements), who.foreign if who else "")
        judged_unit = unit if unit in units else units[0]
        kind = catalogue.registry.units[judged_unit].kind if judged_unit in catalogue.registry.units else "other"
        finding = evaluate(rule, judged_unit, [hit] if verdict.evidence else [], as_of, unit_kind=kind,
                           law=catalogue.law)
        satisfied = bool(finding.evidence) and (responsible or unit is None)
        hits.append(RuleHit(rule.id, rule.item, rule.title, satisfied, responsible, list(verdict.elements),
                            _why(rule, verdict, finding, responsible, unit, units)))
    return sorted(hits, key=lambda h: (not h.satisfied, h.rule))


def inspect_url(url: str, catalogue: Catalogue, portal_path: str | Path | None = None, *,
                timeout: int = DEFAULTS["page_timeout"], as_of: date | None = None) -> Inspection:
    """Fetch ``url`` and judge it; attribution uses the portal config when given.

    ``as_of`` defaults to today inside the catalogue's window, else the window's end.
    """
    body, headers, status, final = fetch(url, timeout)
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    stored = canonical_url(final) or url
    page = read_body(final, stored, body, content_type, hashlib.sha1(body).hexdigest(), canonical_url, lambda _: True)
    portal = None
    if portal_path:
        from .portal import load_portal

        portal = load_portal(portal_path, catalogue.registry)
    attributor = Attributor(portal, catalogue.registry, catalogue.manifest.district)
    named = attributor.publisher_unit(page.publisher, page.meta)
    if named or portal is None:
        foreign = attributor.foreign_body(page.publisher) or attributor.title_issuer(page.title)
        who = Attribution(named, foreign) if named or foreign or page.publisher else None
        source = "publisher" if named else ""
    else:
        who = attributor.attribute(stored, page.publisher, page.meta, page.title)
        source = "url" if portal.unit_for_url(stored) else "owner"
    day = as_of or _default_as_of(catalogue)
    return Inspection(page, stored, status, who.unit if who else None, source, day,
                      judge_page(page, stored, catalogue, who, day))


def _default_as_of(catalogue: Catalogue) -> date:
    start, end = catalogue.manifest.window
    today = date.today()
    return today if start <= today <= end else end
