"""Find the column a page belongs to from its breadcrumb trail.

Breadcrumbs read `当前位置：首页 > 政府信息公开 > 规范性文件` or are a list of
links in an element named like "breadcrumb"/"position"/"location".
"""

from __future__ import annotations

import re

from lxml import etree

from auditor.extract.document import all_text, class_id, collapse, short_text

_CONTAINER = re.compile(r"crumb|bread|position|location|weizhi|dqwz|curpos|currentpath|nav_?path|path|lujing|mbx")
_LEAD = re.compile(r"^(?:当前位置|您的位置|您现在的位置|现在位置|所在位置|位置)\s*[:：]?\s*")
_LEAD_WORDS = ("当前位置", "您的位置", "您现在的位置", "所在位置")
_SEPARATORS = re.compile(r"\s*(?:>>|»|›|＞|>|→|/|\\)\s*")
_HOME = {"首页", "主页", "网站首页", "门户首页", "当前位置", "您的位置"}
_TAIL_WORDS = {"正文", "详情", "内容", "详细内容", "正文内容", "文章内容", "阅读正文"}
_MAX_TRAIL = 300


def _trail_elements(root: etree._Element):
    for el in root.iter("div", "span", "p", "td", "nav", "ul", "ol"):
        if _CONTAINER.search(class_id(el)):
            yield el
            continue
        head = collapse(el.text or "")
        if head.startswith(_LEAD_WORDS):
            # `<span>当前位置：</span><a>…` puts the label alone in its own element.
            yield el if len(el) or len(head) > 6 else el.getparent()


def trail(root: etree._Element) -> list[str]:
    """The breadcrumb's items in order (home included), or [] if none."""
    for el in _trail_elements(root):
        if el is None:
            continue
        text = short_text(el, _MAX_TRAIL)
        if not text:
            continue
        items = [all_text(a) for a in el.iter("a")]
        items = [i for i in items if i]
        rest = _LEAD.sub("", text)
        if not items:
            items = [i for i in _SEPARATORS.split(rest) if i]
        elif not rest.rstrip().endswith(items[-1]):
            # A trailing plain-text item (the article title or 正文) follows the links.
            tail = _SEPARATORS.split(rest)[-1].strip()
            if tail:
                items.append(tail)
        if len(items) >= 2 or (items and _LEAD.match(text)):
            return items
    return []


def column_from_trail(items: list[str], title: str = "") -> str:
    """The last column of a breadcrumb, skipping the article itself and 正文."""
    for item in reversed(items):
        if item in _TAIL_WORDS or item in _HOME:
            continue
        # The article itself often closes the trail; a short item equal to the
        # title is a list page naming its own column, which is the answer.
        if title and len(item) > 8 and (item in title or title in item):
            continue
        return item
    return ""
