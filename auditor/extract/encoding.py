"""Decode a fetched body to text.

Chinese government sites mix UTF-8 with GBK/GB2312, and their HTTP headers
sometimes disagree with the page's own ``<meta charset>``. GB2312 and GBK are
always decoded as GB18030, their superset, so rare characters survive.
"""

from __future__ import annotations

import codecs
import re

# Codecs a server names by default without knowing the page (Tomcat, nginx):
# such a label on a body with non-ASCII bytes is no evidence at all.
_WEAK = {"latin-1", "iso8859-1", "ascii", "cp1252"}
_GB = {"gb2312", "gbk", "gb18030", "cp936", "hz"}
# WHATWG labels for GBK that Python's codec registry does not know.
_GB_LABELS = {"x-gbk", "x-gb2312", "gb_2312-80", "csgb2312", "chinese", "windows-936", "x-cp936", "iso-ir-58"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,500}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_SCAN = 4096


def normalize_codec(label: str | None) -> str | None:
    """The Python codec for a charset label, GB family as gb18030; None if unknown."""
    label = (label or "").strip().strip("\"'").lower()
    if not label:
        return None
    if label in _GB_LABELS:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    if name in _GB:
        return "gb18030"
    if name == "utf-8-sig":
        return "utf-8"
    return name


def header_charset(content_type: str | None) -> str | None:
    """The codec named by an HTTP Content-Type header."""
    m = _HEADER_CHARSET.search(content_type or "")
    return normalize_codec(m.group(1)) if m else None


def meta_charset(body: bytes) -> str | None:
    """The codec named by ``<meta charset>`` or http-equiv in the first 4 KB."""
    m = _META_CHARSET.search(body[:_META_SCAN])
    return normalize_codec(m.group(1).decode("ascii", "replace")) if m else None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_utf8_multibyte(body: bytes) -> bool:
    """True when the body holds non-ASCII bytes that form valid UTF-8.

    Text in another multibyte codec is practically never valid UTF-8, so this
    is strong evidence that a GBK label is lying.
    """
    return not body.isascii() and _strict(body, "utf-8") is not None


_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))


def _looks_binary(sample: bytes) -> bool:
    """Control bytes (not tab, newline, form feed) in more than 5% of the sample: text
    in any encoding has almost none, a compressed or image file about 10%; a stray NUL
    or two in a broken page keeps it text."""
    return bool(sample) and sum(sample.count(b) for b in _CONTROL) > len(sample) * 0.05


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode ``body``; return (text, codec used). Never raises."""
    if not body:
        return "", header_charset(content_type) or "utf-8"
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec.replace("-sig", ""), "replace"), codec
    if _looks_binary(body[:4096]):
        # An image or archive served as text/html: decoding it would turn binary
        # garbage into thousands of characters of "text".
        return "", "binary"
    declared = []
    for codec in (header_charset(content_type), meta_charset(body)):
        if codec and codec not in declared and not (codec in _WEAK and not body.isascii()):
            declared.append(codec)
    for codec in declared:
        text = _strict(body, codec)
        if text is None:
            continue  # wrong label: try the other declaration
        if codec != "utf-8" and _is_utf8_multibyte(body):
            return body.decode("utf-8"), "utf-8"  # mojibake under the label
        return text, codec
    for codec in ("utf-8", "gb18030"):
        text = _strict(body, codec)
        if text is not None:
            return text, codec
    # Damaged or binary: keep the reading with the fewest replacement characters.
    best = min(
        dict.fromkeys([*declared, "utf-8", "gb18030"]),
        key=lambda c: body.decode(c, "replace").count("\ufffd"),
    )
    return body.decode(best, "replace"), best
