"""Parse decoded HTML once with lxml and read text from the tree.

Every other extractor works on the tree this module builds. Walks are
iterative (``iterwalk``), never recursive, so deeply nested markup cannot
exhaust the Python stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

# Elements whose text is never page content. Scripts are read (for pagination)
# before they are dropped.
NON_CONTENT = ("script", "style", "noscript", "template")
BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section table tbody td tfoot "
    "th thead tr ul option center".split()
)
# XML forbids these; lxml refuses strings containing them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"[\s\u3000\u2002\u2003\u2009\xa0\ufeff\u200b]+")

# Plain etree elements: lxml.html's element classes cost a Python lookup per
# node visited, which dominates walks over large pages.
_PARSER = etree.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True
)


def parse_html(text: str) -> etree._Element | None:
    """The document's root element, or None when nothing parses."""
    data = _CONTROL.sub("", text).encode("utf-8")
    if not data.strip():
        return None
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root if root is not None and isinstance(root.tag, str) else None


def all_text(el: etree._Element) -> str:
    """All text inside ``el``, collapsed to one line."""
    return collapse("".join(el.itertext()))


def collapse(text: str) -> str:
    """One line: whitespace runs (incl. full-width and nbsp) to one space."""
    return _SPACE.sub(" ", text).strip()


def _spaces(text: str) -> str:
    # A run of two or more blanks marks a field boundary in metadata lines
    # (`信息来源：A  发布时间：B`), so it is kept as two spaces.
    return _SPACE.sub(lambda m: " " if len(m.group()) == 1 else "  ", text)


def is_element(el) -> bool:
    """True for real elements (not comments, PIs or entities)."""
    return isinstance(el.tag, str)


def walk_text(el: etree._Element) -> Iterator[tuple[str, etree._Element | None]]:
    """Yield text pieces of ``el`` in document order, and "\\n" at block edges.

    Each text piece comes with the element that holds it as content.
    """
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if not is_element(node):
            continue
        block = node.tag in BLOCK_TAGS
        if event == "start":
            if block:
                yield "\n", None
            if node.text:
                yield node.text, node
        else:
            if block:
                yield "\n", None
            if node.tail and node is not el:
                yield node.tail, node.getparent()


def text_lines(el: etree._Element) -> list[str]:
    """The text of ``el`` as lines split at block elements, blanks normalised."""
    raw = "".join(piece for piece, _ in walk_text(el))
    lines = (_spaces(line).strip() for line in raw.split("\n"))
    return [line for line in lines if line]


def element_text(el: etree._Element) -> str:
    """Readable text of ``el``: one line per block, single spaces."""
    return "\n".join(collapse(line) for line in text_lines(el))


def class_id(el: etree._Element) -> str:
    """The element's class and id attributes, lower-cased, for hint matching."""
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def short_text(el: etree._Element, limit: int) -> str | None:
    """``el``'s collapsed text if at most ``limit`` characters, else None.

    Stops reading early, so probing big containers for short labels stays cheap.
    """
    pieces, size = [], 0
    for piece in el.itertext():
        pieces.append(piece)
        size += len(piece.strip())
        if size > limit:
            return None
    text = collapse("".join(pieces))
    return text if len(text) <= limit else None
