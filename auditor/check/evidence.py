"""The one pass over a crawl's pages: attribute each page, find what it is evidence for."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlite_utils import Database

from ..rules.loader import Catalogue
from ..rules.matcher import page_fields
from ..rules.model import Rule
from .attribution import Attributor
from .crawldata import Crawl, attachment_names, iter_pages
from .fastmatch import FastMatcher
from .status import Hit


@dataclass
class Evidence:
    """What the pass found: evidence per (rule id, unit) and every page's unit."""

    hits: dict[tuple[str, str], list[Hit]] = field(default_factory=lambda: defaultdict(list))
    unit_of_page: dict[str, str] = field(default_factory=dict)
    pages: int = 0
    read: Counter = field(default_factory=Counter)  # unit → pages read (lists included)
    errors: Counter = field(default_factory=Counter)  # unit → pages answered with an HTTP error


class Matchers:
    """One `FastMatcher` per distinct set of rules a unit answers for (built on first use),
    and one for the rules whose evidence any unit's page can give (`anywhere`)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._rules_of: dict[str, list[Rule]] = defaultdict(list)
        anywhere = []
        for rule in catalogue.rules:
            if rule.is_web and rule.anywhere:
                anywhere.append(rule)
            elif rule.is_web:
                for unit in catalogue.units_of(rule):
                    self._rules_of[unit].append(rule)
        self.anywhere = FastMatcher(anywhere) if anywhere else None
        self.responsible = {r.id: catalogue.units_of(r) for r in anywhere}
        self._built: dict[tuple[str, ...], FastMatcher] = {}

    def for_unit(self, unit: str) -> FastMatcher | None:
        rules = self._rules_of.get(unit)
        if not rules:
            return None
        key = tuple(r.id for r in rules)
        if key not in self._built:
            self._built[key] = FastMatcher(rules)
        return self._built[key]


def collect(db: Database, crawl: Crawl, catalogue: Catalogue, attributor: Attributor) -> Evidence:
    """Read every page once; list pages and failed fetches are attributed but are no evidence.

    A page whose own metadata names a body outside the district is matched too, but its
    hits carry that body (``Hit.foreign``): the finding lists it as near evidence that
    does not count, never as evidence.
    """
    found = Evidence()
    matchers = Matchers(catalogue)
    attachments = attachment_names(db, crawl.run)
    for page in iter_pages(db, crawl.run):
        found.pages += 1
        attribution = attributor.attribute(page.url, page.publisher, page.meta, page.title)
        unit = attribution.unit
        found.unit_of_page[page.url] = unit
        if (page.status or 200) >= 400:
            found.errors[unit] += 1
            continue
        found.read[unit] += 1
        if page.is_list:
            continue
        matcher = matchers.for_unit(unit)
        if matcher is None and matchers.anywhere is None:
            continue
        fields = page_fields(page.title, page.text, attachments.get(page.url, ()), page.url, page.column)
        judged = [(rule, verdict, (unit,)) for rule, verdict in matcher.judge_page(fields)] if matcher else []
        if matchers.anywhere:
            judged += [(r, v, matchers.responsible[r.id]) for r, v in matchers.anywhere.judge_page(fields)]
        for rule, verdict, units in judged:
            hit = Hit(page.url, page.title, page.date, tuple(verdict.elements), attribution.foreign)
            if attribution.foreign:  # near evidence of the column's unit only, not of every unit
                units = [u for u in units if u == unit]
            for credited in units:
                found.hits[(rule.id, credited)].append(hit)
    return found
