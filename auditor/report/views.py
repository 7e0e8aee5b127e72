"""What each page of the report shows, computed from the findings document.

No HTML here: these functions turn the document (docs/findings.md) into plain
dicts the templates lay out, so the numbers on the pages have one source.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..labels import (
    GAP_STATUSES,
    KIND_LABELS,
    STATUS_LABELS,
    site_check_label,
    status_label,
)
from .appendix import coverage_table, coverage_view, review_record, rule_list
from .evaluation import (
    collection,
    headline_gaps,
    indicator_system,
    objects,
    suggestions,
    typical_cases,
)
from .links import (
    KIND_ORDER,
    SITE_CHECK_ORDER,
    district_offset,
    fmt_datetime,
    fmt_pct,
    fmt_score,
    item_anchor,
    item_file,
    parse_day,
    rule_anchor,
    safe_url,
    split_urls,
    unit_anchor,
    unit_file,
)
from .overview import (
    comparison,
    health_summary,
    section_chart,
    sections_index,
    status_spread,
)
from .snapshots import snapshot_file
from .unitview import manual_table


@dataclass
class Scope:
    """Which pages this report writes, so links point only at written files."""

    units: set[str] = field(default_factory=set)
    items: set[int] = field(default_factory=set)
    codes: dict[str, str] = field(default_factory=dict)  # unit → registry code (its page's name)

    def unit_file(self, unit: str) -> str:
        return unit_file(unit, self.codes.get(unit, ""))

    def unit_anchor(self, unit: str) -> str:
        return unit_anchor(unit, self.codes.get(unit, ""))

    def unit_href(self, unit: str, prefix: str = "") -> str:
        return prefix + self.unit_file(unit) if unit in self.units else ""

    def item_href(self, item: int | None, prefix: str = "") -> str:
        return prefix + item_file(item) if item in self.items else ""


class Report:
    """Indexes over one findings document and the view of every page."""

    def __init__(self, doc: dict, *, unit: str | None, today: date, stale_banner_days: int, evaluator: str = "") -> None:
        self.evaluator = evaluator
        self.doc = doc
        self.run = doc["run"]
        self.focus = unit
        self.rules = {r["id"]: r for r in doc.get("rules") or []}
        self.plan = {p["item"]: p for p in doc.get("plan") or []}
        self.unit_rows = {u["unit"]: u for u in doc["units"]}
        self.items = [i for i in doc["items"] if unit is None or i["unit"] == unit]
        self.findings = [f for f in doc["findings"] if unit is None or f["unit"] == unit]
        self.site_checks = [c for c in doc.get("site_checks") or [] if unit is None or c.get("unit") == unit]
        self.findings_by_pair: dict[tuple, list[dict]] = defaultdict(list)
        for f in self.findings:
            self.findings_by_pair[(f["item"], f["unit"])].append(f)
        previous = doc.get("previous") or None
        self.previous = previous
        self.prev_status = {(p["item"], p["unit"]): p["status"] for p in (previous or {}).get("items", [])}
        self.prev_computed = {(p["item"], p["unit"]): p.get("computed_status") or p["status"]
                              for p in (previous or {}).get("items", [])}
        self.scope = Scope(
            units={unit} if unit else set(self.unit_rows),
            items={i["item"] for i in self.items if i["item"] is not None},
            codes={u["unit"]: u.get("code") or "" for u in doc["units"]},
        )
        self.captured = set(doc.get("captures") or {})
        self.prefix = ""  # the current page's way back to the report folder ("../" under units/, items/)
        self.common = self._common(today, stale_banner_days)

    # -- shared by every page ------------------------------------------------
    def _common(self, today: date, stale_banner_days: int) -> dict:
        collected = parse_day(self.run.get("crawled_at")) or parse_day(self.run.get("as_of"))
        age = (today - collected).days if collected else None
        return {
            "run": self.run,
            "portal": self.run.get("portal") or "",
            "as_of": self.run.get("as_of") or "—",
            "crawled_at": fmt_datetime(self.run.get("crawled_at"), district_offset(self.doc)),
            "checked_at": fmt_datetime(self.run.get("checked_at"), district_offset(self.doc)),
            "rules_version": self.run.get("rules_version") or "—",
            "today": today.isoformat(),
            "focus": self.focus,
            "stale": age is not None and age > stale_banner_days,
            "age_days": age,
            "stale_banner_days": stale_banner_days,
        }

    # -- building blocks -----------------------------------------------------
    def finding_view(self, f: dict) -> dict:
        rule = self.rules.get(f["rule"], {})
        return {
            "rule": f["rule"],
            "anchor": rule_anchor(f["rule"]),
            "title": rule.get("title") or f["rule"],
            "seeks": rule.get("seeks") or "",
            "satisfy": rule.get("satisfy") or "",
            "manual_reason": rule.get("manual_reason") or "",
            "status": f["status"],
            "computed_status": f.get("computed_status") or f["status"],
            "reasons": list(f.get("reasons") or []),
            "missing_elements": list(f.get("missing_elements") or []),
            "days_overdue": f.get("days_overdue"),
            "evidence": [self.evidence_view(e, self.prefix) for e in f.get("evidence") or []],
            "rejected": [dict(self.evidence_view(e, self.prefix), why=e.get("why") or "") for e in f.get("rejected") or []],
            "override": f.get("override") or None,
        }

    def evidence_view(self, e: dict, prefix: str = "") -> dict:
        """One cited page: its live link and, where the crawl kept it, its saved copy (取证)."""
        url = e.get("url") or ""
        return {"url": url, "href": safe_url(url), "title": e.get("title") or url, "date": e.get("date") or "日期不详",
                "snapshot": prefix + snapshot_file(url) if url in self.captured else ""}

    def change(self, item: int | None, unit: str, status: str, computed: str | None = None) -> str:
        """How a pair's status moved since the previous run: 新增 / 持续 / 新达标 / 复核更正 / "".

        A move the system's own verdict does not share (the same computed status before and
        now) is a reviewer's correction, never the unit's improvement or decline.
        """
        if self.previous is None:
            return ""
        before = self.prev_status.get((item, unit))
        if computed is not None and before is not None and status != before \
                and self.prev_computed.get((item, unit)) == computed:
            return "复核更正"
        if status in GAP_STATUSES:
            return "持续" if before in GAP_STATUSES else "新增"
        if status == "met" and before is not None and before != "met":
            return "新达标"
        return ""

    def entry(self, item: int | None, unit: str, status: str, findings: list[dict], *,
              reviewed: bool = False, pending: bool = False, computed: str | None = None,
              prefix: str = "") -> dict:
        """One (plan item or baseline rule, unit) pair as the unit and item pages show it
        (``pending``: the pair's ``review_pending``, as the check rolled it up)."""
        views = [self.finding_view(f) for f in findings]
        plan = self.plan.get(item, {}) if item is not None else {}
        if item is None:
            rule = views[0] if views else {"title": "", "anchor": "rule-unknown"}
            heading, anchor = f"法定基本要求：{rule['title']}", rule["anchor"]
            text = self.rules.get(findings[0]["rule"], {}).get("text", "") if findings else ""
        else:
            heading, anchor = f"第{item}项", item_anchor(item)
            text = plan.get("text", "")
        problem = [r for v in views if v["status"] != "met" for r in v["reasons"]]
        if not problem and status != "met":
            problem = [f"{v['title']}：{status_label(v['status'])}" for v in views if v["status"] != "met"]
        return {
            "item": item,
            "heading": heading,
            "anchor": anchor,
            "href": self.scope.item_href(item, prefix),
            "section": plan.get("section", ""),
            "section_title": plan.get("section_title", ""),
            "text": text,
            "unit": unit,
            "unit_href": self.scope.unit_href(unit, prefix),
            "status": status,
            "computed_status": computed or status,
            "reviewed": reviewed or any(v["override"] for v in views),
            # a pair wholly awaiting review shows as 待人工核查, not as "also pending"
            "review_pending": pending and status != "manual",
            "change": self.change(item, unit, status, computed or status),
            "findings": views,
            "problem": problem,
            "evidence": [e for v in views for e in v["evidence"]],
        }

    def unit_entries(self, unit: str, prefix: str = "") -> list[dict]:
        out = [
            self.entry(i["item"], unit, i["status"], self.findings_by_pair[(i["item"], unit)],
                       reviewed=bool(i.get("reviewed")), pending=bool(i.get("review_pending")),
                       computed=i.get("computed_status"), prefix=prefix)
            for i in sorted(self.items, key=lambda i: i["item"])
            if i["unit"] == unit and i["item"] is not None
        ]
        # Baseline and site-health rules belong to no plan item: one entry per finding.
        out += [
            self.entry(None, unit, f["status"], [f], computed=f.get("computed_status"), prefix=prefix)
            for f in self.findings_by_pair[(None, unit)]
        ]
        return out

    def unit_summary(self, name: str, rank: dict[str, int | None], prefix: str = "") -> dict:
        u = self.unit_rows.get(name, {"unit": name})
        return {
            "unit": name,
            "href": self.scope.unit_href(name, prefix),
            "kind": u.get("kind", "other"),
            "kind_label": KIND_LABELS.get(u.get("kind", "other"), "其他单位"),
            "rank": rank.get(name),
            "rank_note": "" if rank.get(name) else ("评估事项不足，暂不排名" if u.get("score") is not None else "无可评分事项"),
            "assessed": u.get("assessed"),
            "score": fmt_score(u.get("score")),
            "grade": u.get("grade") or "—",
            "coverage": fmt_pct(u.get("coverage")),
            "gaps": u.get("gaps", 0),
            "health_deduction": fmt_score(u.get("health_deduction")),
            "unreachable": bool(u.get("unreachable")),
        }

    def rankable(self, u: dict) -> bool:
        """A unit is ranked only when scored on enough pairs (scoring.yaml's min_assessed)."""
        minimum = int((self.doc.get("scoring") or {}).get("min_assessed") or 0)
        assessed = u.get("assessed")
        return u.get("score") is not None and (assessed is None or assessed >= minimum)

    def ranks(self) -> dict[str, int | None]:
        """Competition ranking (1, 1, 3) by score within each kind; a unit without a score, or
        assessed on too few pairs, is not ranked."""
        out: dict[str, int | None] = {}
        for kind in KIND_ORDER:
            rows = [u for u in self.doc["units"] if u.get("kind", "other") == kind]
            scored = sorted((u for u in rows if self.rankable(u)), key=lambda u: -u["score"])
            for u in scored:
                out[u["unit"]] = 1 + sum(1 for v in scored if v["score"] > u["score"])
            out.update({u["unit"]: None for u in rows if not self.rankable(u)})
        return out

    def grade_distribution(self) -> list[dict]:
        """优秀 N 家 … per kind of unit, as the district's own annual appraisal lists them."""
        grades = [g["grade"] for g in (self.doc.get("scoring") or {}).get("grades") or []]
        out = []
        for kind in KIND_ORDER:
            rows = [u for u in self.doc["units"] if u.get("kind", "other") == kind]
            if not rows:
                continue
            counts = Counter(u.get("grade") for u in rows if self.rankable(u))
            order = grades or sorted(g for g in counts if g)
            out.append({"kind": kind, "label": KIND_LABELS.get(kind, kind), "grades": [
                {"grade": g, "count": counts.get(g, 0),
                 "units": [u["unit"] for u in rows if self.rankable(u) and u.get("grade") == g]} for g in order],
                "unranked": [u["unit"] for u in rows if not self.rankable(u)]})
        return out

    # -- pages -----------------------------------------------------------------
    def index(self) -> dict:
        self.prefix = ""
        rank = self.ranks()
        rankings = []
        for kind in KIND_ORDER:
            rows = [self.unit_summary(u["unit"], rank) for u in self.doc["units"] if u.get("kind", "other") == kind]
            rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["unit"]))
            if rows:
                rankings.append({"kind": kind, "label": KIND_LABELS[kind], "rows": rows})
        return {
            **self.common,
            "root": "",
            "page_title": "政务公开第三方评估报告",
            "district_name": (self.doc.get("catalogue") or {}).get("name") or self.run.get("portal") or "",
            "plan_title": (self.doc.get("catalogue") or {}).get("plan") or "",
            "plan_year": (self.doc.get("catalogue") or {}).get("year"),
            "district": self._district(),
            "units_by_kind": [(r["label"], [row["unit"] for row in r["rows"]]) for r in rankings],
            "unit_count": sum(len(r["rows"]) for r in rankings),
            "item_count": len({i["item"] for i in self.items}),
            "rule_count": len(self.rules),
            "rankings": rankings,
            "grade_distribution": self.grade_distribution(),
            "min_assessed": (self.doc.get("scoring") or {}).get("min_assessed"),
            "basis": self.doc.get("basis") or [],
            "chart": section_chart(self.doc.get("sections") or []),
            "spread": status_spread(self.items),
            "evaluator": self.evaluator,
            "objects": objects(self.doc),
            "indicators": indicator_system(self.doc),
            "collection": collection(self.doc),
            "headline_gaps": headline_gaps(self),
            "cases": typical_cases(self),
            "advice": suggestions(self),
            "solo": self.focus is not None,
            "comparison": comparison(self),
            "health": health_summary(self),
            "sections": sections_index(self),
        }

    def _district(self) -> dict:
        d = self.doc.get("district") or {}
        return {"score": fmt_score(d.get("score")), "grade": d.get("grade") or "—",
                "coverage": fmt_pct(d.get("coverage")), "health_deduction": fmt_score(d.get("health_deduction"))}

    def unit_page(self, name: str) -> dict:
        prefix = self.prefix = "../"
        entries = self.unit_entries(name, prefix)
        checks: dict[str, list[dict]] = defaultdict(list)
        for c in self.site_checks:
            if c.get("unit") == name:
                checks[c["check"]].append({"url": c.get("url") or "", "href": safe_url(c.get("url")),
                                           "detail": split_urls(c.get("detail") or "")})
        order = [c for c in SITE_CHECK_ORDER if c in checks] + sorted(set(checks) - set(SITE_CHECK_ORDER))
        return {
            **self.common,
            "root": prefix,
            "page_title": f"{name} 评估结果与问题清单",
            "unit": self.unit_summary(name, self.ranks(), prefix),
            "solo": self.focus is not None,
            "gaps": [e for e in entries if e["status"] in GAP_STATUSES],
            "manual": manual_table(entries),
            "pending": [e for e in entries if e["status"] in ("not_due", "unreachable")],
            "met": [e for e in entries if e["status"] == "met"],
            "health": [{"check": c, "label": site_check_label(c), "problems": checks[c]} for c in order],
            "crawl": coverage_view(self.unit_rows.get(name, {})),
        }

    def item_page(self, number: int) -> dict:
        prefix = self.prefix = "../"
        plan = self.plan.get(number, {})
        rows = [
            self.entry(number, i["unit"], i["status"], self.findings_by_pair[(number, i["unit"])],
                       reviewed=bool(i.get("reviewed")), pending=bool(i.get("review_pending")),
                       computed=i.get("computed_status"), prefix=prefix)
            for i in sorted(self.items, key=lambda i: i["unit"]) if i["item"] == number
        ]
        rules = [r for r in self.rules.values() if r.get("item") == number]
        return {
            **self.common,
            "root": prefix,
            "page_title": f"第{number}项 各责任单位公开情况",
            "item": number,
            "plan": {"section": plan.get("section", ""), "section_title": plan.get("section_title", ""),
                     "subsection": plan.get("subsection", ""), "text": plan.get("text", ""),
                     "units": plan.get("units") or []},
            "rules": rules,
            "rows": rows,
            # a requirement no website shows reads the same for every unit: said once, not per row
            "shared_problem": rows[0]["problem"] if len(rows) > 3 and rows[0]["problem"]
            and all(r["problem"] == rows[0]["problem"] for r in rows) else [],
            "counts": [(s, n) for s in STATUS_LABELS if (n := sum(r["status"] == s for r in rows))],
        }

    def appendix(self) -> dict:
        """附录: the rules with their weights, every unit's crawl coverage, the review record."""
        self.prefix = ""
        return {**self.common, "root": "", "page_title": "附录", "rules_list": rule_list(self.doc),
                "coverage": coverage_table(self.doc, self.scope), "reviews": review_record(self.doc),
                "indicators": indicator_system(self.doc)}
