"""Decoding bodies: headers, meta charset, BOMs, lying labels, garbage."""

import os

import pytest

from auditor.extract.encoding import (
    decode,
    header_charset,
    meta_charset,
    normalize_codec,
)

TEXT = "嘉定区人民政府办公室关于印发《实施细则》的通知 〔2021〕"


def page(charset: str) -> str:
    return f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>{TEXT}</body></html>'


@pytest.mark.parametrize("label", ["gb2312", "GBK", "x-gbk", "cp936", "GB18030"])
def test_gb_family_reads_as_gb18030(label):
    assert normalize_codec(label) == "gb18030"


def test_unknown_label_is_none():
    assert normalize_codec("no-such-codec") is None
    assert header_charset("text/html") is None


def test_gbk_page_without_header_uses_meta():
    text, codec = decode(page("gb2312").encode("gbk"))
    assert codec == "gb18030" and TEXT in text


def test_gbk_page_with_lying_utf8_header_falls_back_to_meta():
    text, codec = decode(page("gbk").encode("gbk"), "text/html; charset=UTF-8")
    assert codec == "gb18030" and TEXT in text


def test_utf8_page_with_lying_gbk_header_and_meta_is_read_as_utf8():
    body = page("gb2312").encode("utf-8")
    text, codec = decode(body, "text/html;charset=gbk")
    assert codec == "utf-8" and TEXT in text


def test_gbk_page_with_no_label_at_all_is_guessed():
    text, codec = decode(f"<p>{TEXT}</p>".encode("gbk"))
    assert codec == "gb18030" and TEXT in text


def test_latin1_default_header_is_no_evidence():
    text, codec = decode(page("utf-8").encode("utf-8"), "text/html; charset=ISO-8859-1")
    assert codec == "utf-8" and TEXT in text


def test_bom_wins_over_labels():
    text, codec = decode(b"\xef\xbb\xbf" + page("gbk").encode("utf-8"), "text/html; charset=gbk")
    assert codec == "utf-8-sig" and TEXT in text and not text.startswith("\ufeff")


def test_utf16_bom():
    text, _ = decode("\ufeff<p>中文</p>".encode("utf-16-le"))
    assert "中文" in text


def test_meta_charset_only_read_in_first_4k():
    body = b" " * 5000 + b'<meta charset="gbk">'
    assert meta_charset(body) is None
    assert meta_charset(b'<meta charset="gb2312">') == "gb18030"


def test_rare_character_beyond_gb2312_survives():
    # 镕 is in GBK but not GB2312; pages labelled gb2312 use it anyway.
    text, _ = decode(page("gb2312").replace(TEXT, "朱镕基").encode("gbk"))
    assert "朱镕基" in text


def test_damaged_gbk_keeps_the_readable_part():
    body = page("gbk").encode("gbk")
    damaged = body[:60] + b"\xff" + body[60:]
    text, codec = decode(damaged, "text/html; charset=gbk")
    assert codec == "gb18030" and TEXT in text and text.count("\ufffd") <= 2


@pytest.mark.parametrize("body", [os.urandom(4096), b"\x00" * 100, b"\xff\xfe\xfd", b""])
def test_garbage_never_raises(body):
    text, codec = decode(body, "text/html; charset=utf-8")
    assert isinstance(text, str) and codec


def test_gbk_page_with_lying_utf8_meta_and_no_header():
    text, codec = decode(page("utf-8").encode("gbk"))
    assert codec == "gb18030" and TEXT in text


def test_binary_bodies_are_not_text():
    import random

    rng = random.Random(3)
    noise = bytes(rng.randrange(256) for _ in range(8000))
    assert decode(noise, "text/html; charset=utf-8") == ("", "binary")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    assert decode(png, "text/html")[1] == "binary"
    # a stray NUL in a real page keeps it text
    text, codec = decode("<p>政务公开\x00</p>".encode("utf-8") * 20, "text/html")
    assert codec == "utf-8" and "政务公开" in text
