"""The parts of the index that make it read as a third-party evaluation (DOMAIN.md, "Third-party
evaluations"): 评估说明 with its 指标体系, the first screen's headline, 典型问题 and 改进建议,
all computed from the findings document, never written by hand."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..labels import GAP_STATUSES, KIND_LABELS, SITE_CHECK_LABELS, status_label
from .links import KIND_ORDER, district_offset, fmt_datetime, fmt_pct, fmt_score

CASES_MIN, CASES_MAX = 3, 8
HEADLINE_GAPS = 5
SEVERITY = {"missing": 0, "stale": 1, "partial": 2}
CADENCE_WORDS = {"monthly": "按月", "quarterly": "按季度", "yearly": "按年度", "continuous": "及时"}


def indicator_system(doc: dict) -> dict:
    """指标体系: the sections with their items, rules and weights; partial credit; deductions; grades."""
    rules = [r for r in doc.get("rules") or [] if r.get("mode") == "web"]
    titles = {s.get("section"): s.get("title") for s in doc.get("sections") or []}
    by_section: dict[str, list[dict]] = defaultdict(list)
    for r in rules:
        by_section[r.get("section") or ""].append(r)
    total = sum(r.get("weight") or 0 for r in rules) or 1
    sections = [{"section": key or "法定", "title": titles.get(key) or ("法定基本要求" if not key else ""),
                 "items": len({r["item"] for r in rs if r.get("item") is not None}), "rules": len(rs),
                 "weight": sum(r.get("weight") or 0 for r in rs),
                 "share": fmt_pct(sum(r.get("weight") or 0 for r in rs) / total)}
                for key, rs in sorted(by_section.items(), key=lambda kv: (kv[0] == "", kv[0]))]
    scoring = doc.get("scoring") or {}
    credit = [{"status": s, "label": status_label(s), "credit": f"{v:.0%}"} for s, v in (scoring.get("credit") or {}).items()]
    deductions = [{"check": c, "label": SITE_CHECK_LABELS.get(c.removesuffix("_home"), c) + ("（首页）" if c.endswith("_home") else ""),
                   "points": fmt_score(v)} for c, v in (scoring.get("deductions") or {}).items()]
    return {"sections": sections, "credit": credit, "deductions": deductions, "grades": scoring.get("grades") or [],
            "max_deduction": fmt_score(scoring.get("max_deduction")), "min_assessed": scoring.get("min_assessed"),
            "manual_rules": sum(1 for r in doc.get("rules") or [] if r.get("mode") == "manual")}


def objects(doc: dict) -> list[dict]:
    """被评估单位 by kind."""
    out = []
    for kind in KIND_ORDER:
        names = [u["unit"] for u in doc["units"] if u.get("kind", "other") == kind]
        if names:
            out.append({"kind": kind, "label": KIND_LABELS.get(kind, kind), "units": names})
    return out


def collection(doc: dict) -> dict:
    """评估基准日 and the crawl's window, in the district's local time."""
    run = doc["run"]
    offset = district_offset(doc)
    window = [w for w in run.get("window") or [] if w]
    return {"as_of": run.get("as_of") or "—", "started": fmt_datetime(run.get("crawled_at"), offset),
            "finished": fmt_datetime(run.get("crawl_finished_at"), offset), "pages": run.get("pages"),
            "window": "至".join(window) if window else "", "skipped": run.get("skipped") or 0}


def headline_gaps(report, limit: int = HEADLINE_GAPS) -> list[dict]:
    """The biggest gaps: the plan items most units fall short on, heaviest first."""
    weight = defaultdict(float)
    for r in report.rules.values():
        if r.get("item") is not None:
            weight[r["item"]] += r.get("weight") or 0
    short = Counter(i["item"] for i in report.items if i["status"] in GAP_STATUSES and i["item"] is not None)
    ranked = sorted(short, key=lambda n: (-short[n] * weight[n], n))[:limit]
    return [{"item": n, "href": report.scope.item_href(n), "units": short[n],
             "text": _short(report.plan.get(n, {}).get("text", ""), 34)} for n in ranked]


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def typical_cases(report) -> list[dict]:
    """典型问题: per section, three to eight quoted cases, the heaviest duties first, one per rule
    before a second of the same rule, each naming the unit, the page or column and what is wrong."""
    out = []
    for section in _sections(report):
        candidates = [f for f in report.findings if f["status"] in GAP_STATUSES and _section_of(report, f) == section["key"]]
        candidates.sort(key=lambda f: (-(report.rules.get(f["rule"], {}).get("weight") or 0), SEVERITY[f["status"]],
                                       f["rule"], f["unit"]))
        chosen, seen = [], Counter()
        for f in candidates:
            if seen[f["rule"]] == 0:
                chosen.append(f)
                seen[f["rule"]] += 1
        chosen += [f for f in candidates if f not in chosen][: max(0, CASES_MIN - len(chosen))]
        if chosen:
            out.append({**section, "cases": [_case(report, f) for f in chosen[:CASES_MAX]]})
    return out


def _sections(report) -> list[dict]:
    seen = {}
    for number in sorted(report.plan):
        p = report.plan[number]
        seen.setdefault(p.get("section", ""), {"key": p.get("section", ""), "title": p.get("section_title", "")})
    return [*seen.values(), {"key": None, "title": "法定基本要求"}]


def _section_of(report, f: dict) -> str | None:
    return report.plan.get(f["item"], {}).get("section") if f["item"] is not None else None


def _case(report, f: dict) -> dict:
    rule = report.rules.get(f["rule"], {})
    evidence = sorted(f.get("evidence") or [], key=lambda e: e.get("date") or "", reverse=True)
    near = f.get("rejected") or []
    page = report.evidence_view(evidence[0]) if evidence else (report.evidence_view(near[0]) if near else None)
    return {"unit": f["unit"], "unit_href": report.scope.unit_href(f["unit"]), "item": f["item"],
            "item_href": report.scope.item_href(f["item"]), "duty": rule.get("title") or "", "status": f["status"],
            "page": page, "page_note": "" if evidence else (near[0].get("why", "") if near else ""),
            "problem": (f.get("reasons") or [f"{rule.get('seeks', '')}{status_label(f['status'])}"])[0]}


def suggestions(report) -> list[dict]:
    """改进建议 per section, from what its findings show: duties unpublished, not kept up to date,
    published in part, awaiting the units' material."""
    out = []
    for section in _sections(report):
        mine = [f for f in report.findings if _section_of(report, f) == section["key"]]
        lines = [line for line in (_advice_missing(report, mine), _advice_stale(report, mine),
                                   _advice_partial(report, mine), _advice_manual(report, mine)) if line]
        if lines:
            out.append({**section, "lines": lines})
    return out


def _by_rule(report, findings: list[dict], status: str) -> list[tuple[str, int]]:
    counts = Counter(f["rule"] for f in findings if f["status"] == status)
    return [(report.rules.get(r, {}).get("seeks") or report.rules.get(r, {}).get("title") or "", n)
            for r, n in counts.most_common(3)]


def _named(pairs: list[tuple[str, int]]) -> str:
    return "、".join(f"{name}（{n}家）" for name, n in pairs)


def _advice_missing(report, findings: list[dict]) -> str:
    top = _by_rule(report, findings, "missing")
    if not top:
        return ""
    units = len({f["unit"] for f in findings if f["status"] == "missing"})
    return (f"{units}家单位有应公开而未公开的信息，集中在{_named(top)}。建议对照工作要点逐项梳理本单位应公开清单，"
            "明确责任科室和公开时限，在本单位信息公开栏目补充发布，并在发布后自查能否从栏目页找到。")


def _advice_stale(report, findings: list[dict]) -> str:
    stale = [f for f in findings if f["status"] == "stale"]
    if not stale:
        return ""
    cadences = Counter(report.rules.get(f["rule"], {}).get("cadence") for f in stale)
    word = CADENCE_WORDS.get(cadences.most_common(1)[0][0] or "", "定期")
    return (f"{len({f['unit'] for f in stale})}家单位的定期发布信息未及时更新，集中在{_named(_by_rule(report, findings, 'stale'))}。"
            f"建议建立{word}发布的工作机制，将发布时点列入年度工作计划，并指定专人跟踪。")


def _advice_partial(report, findings: list[dict]) -> str:
    partial = [f for f in findings if f["status"] == "partial"]
    if not partial:
        return ""
    parts = Counter(e for f in partial for e in f.get("missing_elements") or [])
    named = "、".join(p for p, _ in parts.most_common(4))
    return (f"{len({f['unit'] for f in partial})}家单位公开内容不完整" + (f"，常见缺项为{named}" if named else "") +
            "。建议对照要求逐项补齐，分期发布的信息补发缺少的期次。")


def _advice_manual(report, findings: list[dict]) -> str:
    waiting = [f for f in findings if f["status"] == "manual"]
    if not waiting:
        return ""
    return (f"{len({f['unit'] for f in waiting})}家单位有{len({f['rule'] for f in waiting})}项工作无法从网站判断，"
            "建议在复核期内按各单位页面“需人工核查事项”所列向评估组提交佐证材料。")
