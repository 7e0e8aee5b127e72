"""The meaning of a rule's evidence conditions, page by page.

This is the reference semantics: `auditor rules test` and `auditor inspect` use it
directly, and the check's one-pass matcher must agree with it (its tests compare
the two). Text is normalised once per page by `page_fields`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import opencc

from .model import Clause, FieldCondition, Rule

# Traditional characters read as simplified: the 繁體 versions of government sites and
# the mirrors that convert titles (關於印發……聯合懲戒制度實施方案) say what the rules say.
_T2S = opencc.OpenCC("t2s")

# Quotation and book-title marks: officials quote the same term inconsistently
# (双创活动周, “双创”活动周, 《…》 or none), and no matching word depends on them.
_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』《》〈〉")


def normalise(text: str) -> str:
    """NFKC (full-width → ASCII), simplified characters, lower case, white space and
    quotation marks removed.

    Chinese titles break lines and insert spaces at random ("污染 地块"); removing
    all white space makes word conditions robust to that and costs nothing in a
    language written without spaces. Quotation marks go for the same reason.
    """
    return "".join(_T2S.convert(unicodedata.normalize("NFKC", text)).lower().translate(_QUOTES).split())


def page_fields(title: str = "", text: str = "", attachments: Iterable[str] = (), url: str = "", column: str = "") -> dict[str, str | tuple[str, ...]]:
    """Normalised text of each field a condition can test.

    `attachments` and `name` are several texts (one per attachment; the title and
    each attachment): a condition holds for them when it holds for one text alone,
    so a subject in the title and a document kind in an unrelated attachment never
    combine into a match.
    """
    atts = tuple(normalise(a) for a in attachments if a)
    t = normalise(title)
    return {
        "title": t,
        "text": normalise(text),
        "attachments": atts,
        "name": (t, *atts),
        "url": url.lower(),
        "column": normalise(column),
    }


def fields_from_mapping(page: Mapping) -> dict[str, str]:
    """`page_fields` for an example or a stored page given as a mapping."""
    atts = page.get("attachments") or ()
    if isinstance(atts, str):
        atts = (atts,)
    return page_fields(
        title=page.get("title") or "",
        text=page.get("text") or "",
        attachments=atts,
        url=page.get("url") or "",
        column=page.get("column") or "",
    )


def condition_holds(cond: FieldCondition, value: str) -> bool:
    """Whether one field's conditions hold for its normalised value."""
    if cond.all and not all(w in value for w in cond.all):
        return False
    if cond.any and not any(w in value for w in cond.any):
        return False
    if cond.regex and not any(r.search(value) for r in cond.regex):
        return False
    if cond.none and any(w in value for w in cond.none):
        return False
    return True


def field_holds(cond: FieldCondition, value: str | tuple[str, ...]) -> bool:
    """`condition_holds` for a field of one text or of several (any one suffices)."""
    if isinstance(value, tuple):
        return any(condition_holds(cond, v) for v in value)
    return condition_holds(cond, value)


def clause_holds(clause: Clause, fields: Mapping[str, str | tuple[str, ...]]) -> bool:
    return all(field_holds(cond, fields[name]) for name, cond in clause.fields)


def any_clause(clauses: tuple[Clause, ...], fields: Mapping[str, str | tuple[str, ...]]) -> bool:
    return any(clause_holds(c, fields) for c in clauses)


@dataclass
class Verdict:
    """How a page stands against one rule."""

    evidence: bool  # the page counts as evidence
    elements: list[str] = field(default_factory=list)  # elements it satisfies
    excluded: bool = False  # the subject matched but an exclude clause rejected it
    subject: bool = False  # the rule's base clause held


def judge(rule: Rule, fields: Mapping[str, str | tuple[str, ...]]) -> Verdict:
    """Judge one page (as `page_fields`) against one rule."""
    subject = any_clause(rule.match, fields) if rule.match else bool(rule.elements)
    if subject and rule.whole and any_clause(rule.whole, fields):
        elements = [e.name for e in rule.elements]
    else:
        elements = [e.name for e in rule.elements if any_clause(e.match, fields)] if subject else []
    if not subject or (rule.elements and not elements):
        return Verdict(False, elements, subject=subject)
    if rule.exclude and any_clause(rule.exclude, fields):
        return Verdict(False, elements, excluded=True, subject=True)
    return Verdict(True, elements, subject=True)


def _describe(cond: FieldCondition, value: str | tuple[str, ...]) -> str:
    """Why one field's conditions fail for its value (the first condition that fails)."""
    texts = value if isinstance(value, tuple) else (value,)
    if cond.all and not any(all(w in v for w in cond.all) for v in texts):
        return f"lacks all of {'/'.join(cond.all)}"
    if cond.any and not any(any(w in v for w in cond.any) for v in texts):
        return f"lacks any of {'/'.join(cond.any[:8])}{'…' if len(cond.any) > 8 else ''}"
    if cond.regex and not any(r.search(v) for r in cond.regex for v in texts):
        return f"matches no regex {' | '.join(r.pattern[:40] for r in cond.regex[:3])}"
    if cond.none:
        hit = next((w for w in cond.none for v in texts if w in v), "")
        return f"has excluded word {hit}"
    return "fails"


def _failing(clauses: tuple[Clause, ...], fields: Mapping[str, str | tuple[str, ...]]) -> str:
    reasons = []
    for clause in clauses:
        for name, cond in clause.fields:
            if not field_holds(cond, fields[name]):
                reasons.append(f"{name} {_describe(cond, fields[name])}")
                break
    return "; ".join(dict.fromkeys(reasons))


def explain(rule: Rule, fields: Mapping[str, str | tuple[str, ...]], wanted: tuple[str, ...] = ()) -> str:
    """Which condition decides a page's verdict against ``rule`` (for corpus reports and lint)."""
    verdict = judge(rule, fields)
    if rule.match and not any_clause(rule.match, fields):
        return f"match: {_failing(rule.match, fields)}"
    if rule.elements and not verdict.elements:
        return "no element: " + "; ".join(f"{e.name}: {_failing(e.match, fields)}" for e in rule.elements)
    if verdict.excluded:
        holding = next(c for c in rule.exclude if clause_holds(c, fields))
        return "excluded by " + ", ".join(f"{n} {'/'.join((c.any or c.all or tuple(r.pattern for r in c.regex))[:4])}"
                                          for n, c in holding.fields)
    missing = [e for e in wanted if e not in verdict.elements]
    if missing:
        return "element " + "; ".join(f"{e}: {_failing(next(x.match for x in rule.elements if x.name == e), fields)}"
                                      for e in missing)
    return "accepted" if verdict.evidence else "rejected"
