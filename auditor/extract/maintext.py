"""Find the article body: the block that holds the most non-link text.

Scores follow the readability idea: each text piece counts for the block that
holds it, that block's parent block, and half for the grandparent block, so
the container of the article's paragraphs wins over page wrappers. Link text
counts for nothing (menus and lists are links); class/id hints adjust.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from auditor.extract.document import BLOCK_TAGS, class_id, element_text, is_element

# Names CMS templates give the article container (TRS, Hanweb, 大汉, generic).
_GOOD = re.compile(
    r"trs_editor|trs_ueditor|ucap-content|article|content|zoom|detail|zhengwen|zw|"
    r"text|wzy|conter|con_|_con|main"
)
_BAD = re.compile(
    r"nav|menu|footer|foot|header|head|sidebar|side|crumb|share|copyright|banner|"
    r"related|xglj|link|login|search|comment|qrcode|ewm|print|tool"
)


def _hint(el: etree._Element) -> float:
    names = class_id(el)
    if not names.strip():
        return 1.0
    if _BAD.search(names):
        return 0.2
    return 1.3 if _GOOD.search(names) else 1.0


def main_element(body: etree._Element) -> etree._Element | None:
    """The element most likely to hold the article text, or None if no text."""
    scores: dict[etree._Element, float] = defaultdict(float)
    blocks: list[etree._Element] = []
    in_link = 0
    for event, node in etree.iterwalk(body, events=("start", "end")):
        if not is_element(node):
            continue
        if event == "start":
            if node.tag == "a":
                in_link += 1
            if node.tag in BLOCK_TAGS:
                blocks.append(node)
            pieces = [node.text] if not in_link else []
        else:
            if node.tag == "a":
                in_link -= 1
            if node.tag in BLOCK_TAGS and blocks and blocks[-1] is node:
                blocks.pop()
            pieces = [node.tail] if not in_link else []
        size = sum(len(p.strip()) for p in pieces if p)
        if size and blocks:
            for weight, block in zip((1.0, 1.0, 0.5), reversed(blocks[-3:])):
                scores[block] += weight * size
    if not scores:
        return None
    return max(scores, key=lambda el: scores[el] * _hint(el))


def main_text(body: etree._Element) -> tuple[str, etree._Element | None]:
    """(article text, its element); ("", None) when the page has no text."""
    el = main_element(body)
    return (element_text(el), el) if el is not None else ("", None)
