"""`auditor inspect URL`: what the auditor reads from one page and which rules it satisfies.

For a unit checking its own page before the evaluation does: the same extraction the
crawl uses, the same attribution the check uses, and the reference rule semantics,
with the reason a rule is only *nearly* satisfied (news about the document, a part
missing, a date outside the rule's window).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .check.attribution import Attributor
from .errors import AuditorError
from .extract import extract_page
from .page import Page
from .rules.loader import Catalogue
from .rules.matcher import judge, page_fields
from .settings import DEFAULTS

MAX_BYTES = 20 * 1024 * 1024  # a page larger than this is not a page anyone reads
USER_AGENT = "auditor/0.1 (+government openness audit; inspect)"  # HTTP headers are Latin-1: no Chinese here


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
    page: Page
    unit: str | None
    unit_source: str  # publisher | url | owner | ""
    hits: list[RuleHit]

    def to_dict(self) -> dict:
        return {"page": self.page.to_dict(), "unit": self.unit, "unit_source": self.unit_source,
                "rules": [vars(h) for h in self.hits]}


def fetch(url: str, timeout: int = DEFAULTS["page_timeout"]) -> tuple[bytes, dict[str, str], int]:
    """GET one http(s) URL; network failures become a one-line `AuditorError`."""
    if not url.lower().startswith(("http://", "https://")):
        raise AuditorError(f"'{url}' is not an http(s) URL", "URL")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            return body[:MAX_BYTES], dict(response.headers.items()), response.status
    except urllib.error.HTTPError as exc:
        raise AuditorError(f"the server answered {exc.code} {exc.reason}", url) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise AuditorError(f"cannot fetch: {reason}", url) from None


def judge_page(page: Page, catalogue: Catalogue, unit: str | None) -> list[RuleHit]:
    """Every rule the page satisfies or nearly satisfies, satisfied ones first."""
    fields = page_fields(title=page.title, text=page.text, attachments=[a.text for a in page.attachments],
                         url=page.url, column=page.column)
    hits = []
    for rule in catalogue.rules:
        if not rule.is_web:
            continue
        verdict = judge(rule, fields)
        if not verdict.subject:
            continue
        responsible = rule.anywhere or (unit in catalogue.units_of(rule) if unit else False)
        why, satisfied = "", verdict.evidence
        window = rule.timing.valid_from
        if verdict.excluded:
            why = "页面是关于该文件的新闻或活动报道，不是文件本身"
        elif rule.elements and not verdict.elements:
            why = f"未涉及所需要素（{'、'.join(e.name for e in rule.elements)}）"
        elif page.date is None:
            satisfied, why = False, "页面没有可识别的发布日期"
        elif window and page.date < window:
            satisfied, why = False, f"发布日期{page.date.isoformat()}早于有效起始日{window.isoformat()}"
        elif not responsible:
            why = f"页面归属{unit or '未知单位'}，该规则的责任单位为{'、'.join(catalogue.units_of(rule))}"
        hits.append(RuleHit(rule.id, rule.item, rule.title, satisfied and (responsible or not unit), responsible,
                            verdict.elements, why))
    return sorted(hits, key=lambda h: (not h.satisfied, h.rule))


def inspect_url(url: str, catalogue: Catalogue, portal_path: str | Path | None = None, *,
                timeout: int = DEFAULTS["page_timeout"]) -> Inspection:
    """Fetch ``url`` and judge it; attribution uses the portal config when given."""
    body, headers, status = fetch(url, timeout)
    page = extract_page(url, body, headers)
    page.status = status
    unit, source = _attribute(page, catalogue, portal_path)
    return Inspection(page, unit, source, judge_page(page, catalogue, unit))


def _attribute(page: Page, catalogue: Catalogue, portal_path: str | Path | None) -> tuple[str | None, str]:
    """The check's attribution; without a portal config only the page's own metadata can tell."""
    portal = None
    if portal_path:
        from .portal import load_portal

        portal = load_portal(portal_path, catalogue.registry)
    attributor = Attributor(portal, catalogue.registry)
    named = attributor.publisher_unit(page.publisher, page.meta)
    if named or portal is None:
        return named, "publisher" if named else ""
    return attributor.unit_of_url(page.url), "url" if portal.unit_for_url(page.url) else "owner"
