"""A whole rule from its YAML mapping: identity, units, evidence, timing, basis, examples.

The field parsers are in `auditor.rules.parse`; this module assembles them and checks
what only the whole rule can tell (a web rule needs evidence and examples, a plan rule
quotes its item verbatim, a statutory rule's basis sets its deadline).
"""

from __future__ import annotations

import re

from ..yamlfile import LineDict
from . import parse as p
from .model import MODES, Element, Rule


def _identity(spec: LineDict, c: p.Collector, ctx: p.Context) -> tuple[int | None, str, str] | None:
    """(item, title, text), or None when the rule has no usable id."""
    rule_id = spec.get("id")
    c.rule = str(rule_id) if rule_id else ""
    if not isinstance(rule_id, str) or not p.ID_RE.match(rule_id):
        c.add(spec.line_of("id"), "missing or malformed id (lower-case words joined by '-', e.g. jd2018-057)")
        return None
    for key in spec:
        if key not in p.RULE_KEYS:
            c.add(spec.line_of(key), f"unknown key '{key}'")
    item = spec.get("item", "absent")
    if item == "absent":
        c.add(spec.line, "missing key 'item' (a plan item number, or null for rules beyond the plan)")
        item = None
    elif item is not None and (not isinstance(item, int) or isinstance(item, bool) or item not in ctx.plan):
        c.add(spec.line_of("item"), f"item must be a plan item number ({min(ctx.plan)}–{max(ctx.plan)}) or null, "
              f"not '{item}'")
        item = None
    title = p.text(spec, "title", c, required=True)
    if title.upper().startswith("TODO"):
        c.add(spec.line_of("title"), "title is still TODO")
    text = p.text(spec, "text", c, required=item is not None)
    if item is not None:
        plan = ctx.plan[item]
        if text and text != plan.text:
            c.add(spec.line_of("text"), f"text differs from the plan's wording of item {item}")
        for key in ("section", "subsection"):
            if spec.get(key) not in (None, getattr(plan, key)):
                c.add(spec.line_of(key), f"{key} should be {getattr(plan, key)} for item {item}")
    return item, title, text


def _units(spec: LineDict, c: p.Collector, ctx: p.Context, item: int | None) -> list[str]:
    units = spec.get("units")
    if isinstance(units, str):
        units = [units]
    if not isinstance(units, list) or not units or not all(isinstance(u, str) for u in units):
        c.add(spec.line_of("units"), "units must be a non-empty list of unit names")
        return []
    registry = ctx.registry
    for u in units:
        if not registry.is_group(u) and not registry.resolve(u):
            c.add(spec.line_of("units"), f"unknown unit '{u}'")
    if item is not None:
        allowed = set(registry.expand(ctx.plan[item].units))
        extra = [u for u in registry.expand(units) if u not in allowed]
        if extra:
            c.add(spec.line_of("units"), f"units {', '.join(extra)} are not responsible for item {item} in the plan")
    return units


def _evidence(spec: LineDict, c: p.Collector, ctx: p.Context) -> dict:
    evidence = spec.get("evidence")
    out: dict = {"match": (), "exclude": (), "elements": (), "whole": (), "anywhere": False, "when_absent": "missing"}
    if evidence is None:
        return out
    if not isinstance(evidence, LineDict):
        c.add(spec.line_of("evidence"), "evidence must be a mapping of match/exclude/elements")
        return out
    for key in evidence:
        if key not in p.EVIDENCE_KEYS:
            c.add(evidence.line_of(key), f"unknown evidence key '{key}'")
    for key in ("match", "exclude", "whole"):
        if key in evidence:
            out[key] = p.clauses(evidence[key], c, evidence.line_of(key), key, ctx.vocab)
    raw = evidence.get("elements") or []
    if not isinstance(raw, list):
        c.add(evidence.line_of("elements"), "elements must be a list")
        raw = []
    elements = []
    for el in raw:
        if not isinstance(el, LineDict) or not isinstance(el.get("name"), str) or "match" not in el:
            c.add(getattr(el, "line", evidence.line_of("elements")), "an element needs a name and a match")
            continue
        bad = [k for k in el if k not in ("name", "match")]
        if bad:
            c.add(el.line_of(bad[0]), f"unknown element key '{bad[0]}'")
        elements.append(Element(el["name"], p.clauses(el["match"], c, el.line_of("match"), f"element '{el['name']}'",
                                                     ctx.vocab)))
    if len({e.name for e in elements}) != len(elements):
        c.add(evidence.line_of("elements"), "element names must be unique")
    out["elements"] = tuple(elements)
    if out["whole"] and not elements:
        c.add(evidence.line_of("whole"), "whole names the document that covers every element: it needs elements")
    out["anywhere"] = evidence.get("anywhere", False)
    if not isinstance(out["anywhere"], bool):
        c.add(evidence.line_of("anywhere"), "anywhere must be true or false")
        out["anywhere"] = False
    out["when_absent"] = evidence.get("when_absent", "missing")
    if out["when_absent"] not in ("missing", "manual"):
        c.add(evidence.line_of("when_absent"), f"when_absent must be missing or manual, not '{out['when_absent']}'")
        out["when_absent"] = "missing"
    return out


def _weight_and_mode(spec: LineDict, c: p.Collector) -> tuple[float, str]:
    weight = spec.get("weight", 1)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not 0 < weight <= 5:
        c.add(spec.line_of("weight"), "weight must be a number above 0 and at most 5")
        weight = 1
    mode = spec.get("mode", "web")
    if mode not in MODES:
        c.add(spec.line_of("mode"), f"mode must be web or manual, not '{mode}'")
        mode = "web"
    return float(weight), mode


def _examples(spec: LineDict, c: p.Collector) -> tuple[tuple, tuple]:
    ex = spec.get("examples")
    if ex is not None and not isinstance(ex, LineDict):
        c.add(spec.line_of("examples"), "examples must be a mapping of match/no_match")
        ex = None
    ex = ex or LineDict()
    for key in ex:
        if key not in ("match", "no_match"):
            c.add(ex.line_of(key), f"unknown examples key '{key}'")
    line = ex.line_of("match") if ex else spec.line
    return (p.examples(ex.get("match"), c, line, "match"),
            p.examples(ex.get("no_match"), c, ex.line_of("no_match") if ex else spec.line, "no_match"))


def _web_checks(spec: LineDict, c: p.Collector, mode: str, ev: dict, examples: tuple, manual_reason: str) -> None:
    ex_match, ex_no = examples
    if mode == "manual":
        if not manual_reason:
            c.add(spec.line_of("mode"), "a manual rule needs manual_reason")
        return
    if not ev["match"] and not ev["elements"]:
        c.add(spec.line_of("evidence") if "evidence" in spec else spec.line, "a web rule needs evidence (match or elements)")
    if not p.text(spec, "seeks", c):
        c.add(spec.line, "a web rule needs 'seeks' (what is looked for, used in reasons)")
    if not ex_match or not ex_no:
        c.add(spec.line_of("examples") if "examples" in spec else spec.line,
              "a web rule needs examples: at least one match and one no_match")
    names = {e.name for e in ev["elements"]}
    for example in ex_match:
        for name in example.elements:
            if name not in names:
                c.add(example.line, f"example names unknown element '{name}'")


_INTERNAL_ID = re.compile(r"(?<![A-Za-z0-9])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![A-Za-z0-9])")


def _no_internal_ids(spec: LineDict, c: p.Collector) -> None:
    """Reports are for officials: the texts they show never carry a rule's id (由base-guide检查)."""
    for key in ("title", "seeks", "satisfy", "manual_reason"):
        value = spec.get(key)
        m = _INTERNAL_ID.search(value) if isinstance(value, str) else None
        if m and not m.group(0).startswith(("http", "www")):
            c.add(spec.line_of(key), f"{key} names the internal id '{m.group(0)}': name the duty in Chinese instead")


def build_rule(spec: object, c: p.Collector, line: int, ctx: p.Context) -> Rule | None:
    """The rule of one YAML mapping, every problem added to ``c``."""
    if not isinstance(spec, LineDict):
        c.add(line, "a rule must be a mapping")
        return None
    identity = _identity(spec, c, ctx)
    if identity is None:
        return None
    item, title, text = identity
    units = _units(spec, c, ctx, item)
    weight, mode = _weight_and_mode(spec, c)
    manual_reason = p.text(spec, "manual_reason", c)
    ev = _evidence(spec, c, ctx)
    timing = p.timing(spec.get("timing"), c, spec.line_of("timing"))
    basis = p.basis(spec.get("basis"), c, spec.line_of("basis"), ctx.law)
    if basis and item is not None:
        c.add(spec.line_of("basis"), "a plan rule rests on its plan item; basis is for statutory rules (item: null)")
    if item is None and not basis and mode == "web":
        c.add(spec.line, "a statutory rule (item: null) needs its legal basis (basis)")
    examples = _examples(spec, c)
    _web_checks(spec, c, mode, ev, examples, manual_reason)
    _no_internal_ids(spec, c)
    plan = ctx.plan.get(item) if item is not None else None
    return Rule(
        id=spec["id"], item=item, title=title, units=tuple(units), weight=weight, mode=mode,
        section=str(spec.get("section") or (plan.section if plan else "")),
        subsection=str(spec.get("subsection") or (plan.subsection if plan else "")),
        text=text, manual_reason=manual_reason, seeks=p.text(spec, "seeks", c), satisfy=p.text(spec, "satisfy", c),
        match=ev["match"], exclude=ev["exclude"], elements=ev["elements"], whole=ev["whole"], anywhere=ev["anywhere"],
        when_absent=ev["when_absent"], timing=timing, basis=basis,
        examples_match=examples[0], examples_no_match=examples[1], file=c.file, line=spec.line,
    )
