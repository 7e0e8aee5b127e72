"""Find the article body: the block that holds the most non-link text.

Scores follow the readability idea: each text piece counts for the block that
holds it, that block's parent block, and a little for the grandparent block,
so the container of the article's paragraphs wins over page wrappers. Link
text, headings and short pieces (dates, labels, bylines) count for nothing:
they surround articles rather than make them. Class/id hints adjust.
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
_MIN_PIECE = 10
_WEIGHTS = (1.0, 1.0, 0.3)  # holding block, its parent, its grandparent
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_BAD = re.compile(
    r"nav|menu|footer|foot|header|head|sidebar|side|crumb|share|copyright|banner|"
    r"related|xglj|link|login|search|comment|qrcode|ewm|print|tool"
)


# The page's footer, however deep: its 主办单位 and browser notes are never an article's text.
_FOOTER_TOKEN = re.compile(r"^(?:footer|foot|bottom|copyright)")


def _in_footer(el: etree._Element) -> bool:
    return any(a.tag == "footer" or any(_FOOTER_TOKEN.match(t) for t in class_id(a).split())
               for a in (el, *el.iterancestors()))


def _hint(el: etree._Element) -> float:
    names = class_id(el)
    if not names.strip():
        return 1.0
    if _BAD.search(names):
        return 0.2
    return 1.3 if _GOOD.search(names) else 1.0


def main_element(body: etree._Element) -> etree._Element:
    """The element most likely to hold the article text."""
    scores: dict[etree._Element, float] = defaultdict(float)
    blocks: list[list] = []  # [block element, own text size] from body down
    muted = 0  # depth inside links and headings
    for event, node in etree.iterwalk(body, events=("start", "end")):
        if not is_element(node):
            continue
        mutes = node.tag == "a" or node.tag in _HEADINGS
        if event == "start":
            muted += mutes
            if node.tag in BLOCK_TAGS:
                blocks.append([node, 0])
            piece = node.text
        else:
            muted -= mutes
            if node.tag in BLOCK_TAGS and blocks and blocks[-1][0] is node:
                # Word-exported text is split into tiny <font>/<span> runs, so
                # the size threshold applies to the whole block, not a piece.
                _, size = blocks.pop()
                if size >= _MIN_PIECE:
                    holders = [node] + [b[0] for b in reversed(blocks[-2:])]
                    for weight, holder in zip(_WEIGHTS, holders):
                        scores[holder] += weight * size
            piece = node.tail
        if piece and not muted and blocks:
            blocks[-1][1] += len(piece.strip())
    if not scores:
        return body  # only snippets: the whole page is the text
    ranked = sorted(scores, key=lambda el: scores[el] * _hint(el), reverse=True)
    return next((el for el in ranked[:8] if not _in_footer(el)), ranked[0])


def main_text(body: etree._Element) -> tuple[str, etree._Element]:
    """(article text, its element)."""
    el = main_element(body)
    return element_text(el), el
