"""URL canonicalisation, host scope and trap detection (spiders.urls)."""

from __future__ import annotations

import pytest

from auditor.crawl.urls import canonical_url, host_of, trap_reason

SESSION = ["jsessionid", "sid", "phpsessid"]


@pytest.mark.parametrize("url, expected", [
    ("HTTP://Example.COM:80/a/../b/?b=2&a=1#frag", "http://example.com/b/?a=1&b=2"),
    ("https://x.gov.cn:443/p", "https://x.gov.cn/p"),
    ("http://127.0.0.2:8000/a;jsessionid=ABC?x=1&sid=3", "http://127.0.0.2:8000/a?x=1"),
    ("http://x.cn/list?PHPSESSID=1", "http://x.cn/list"),
    ("http://x.cn", "http://x.cn/"),
    ("http://x.cn/政务/页面.html", "http://x.cn/%E6%94%BF%E5%8A%A1/%E9%A1%B5%E9%9D%A2.html"),
    ("mailto:a@x.cn", ""),
    ("javascript:void(0)", ""),
    ("http://[broken/", ""),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url, SESSION) == expected


def test_canonical_url_keeps_content_parameters() -> None:
    assert canonical_url("http://x.cn/list?page=2&id=7", SESSION) == "http://x.cn/list?id=7&page=2"


@pytest.mark.parametrize("url, expected", [
    ("http://WWW.Jiading.gov.cn/x", "www.jiading.gov.cn"),
    ("http://127.0.0.2:8000/", "127.0.0.2:8000"),
    ("https://a.cn:443/", "a.cn"),
    ("http://a.cn:8080/", "a.cn:8080"),
])
def test_host_of(url: str, expected: str) -> None:
    assert host_of(url) == expected


LIMITS = {"max_params": 6, "max_query": 200, "max_repeats": 3}


@pytest.mark.parametrize("url, reason", [
    ("http://x.cn/cal?year=2018&month=5", "calendar"),
    ("http://x.cn/cal?date=2018-05-30", "calendar"),
    ("http://x.cn/list?a=1&b=2&c=3&d=4&e=5&f=6&g=7", "many_params"),
    ("http://x.cn/list?q=" + "x" * 300, "long_query"),
    ("http://x.cn/list?p=1&p=2", "repeated_param"),
    ("http://x.cn/a/b/a/b/a/b/", "repeated_segment"),
])
def test_traps_are_recognised(url: str, reason: str) -> None:
    assert trap_reason(url, **LIMITS) == reason


@pytest.mark.parametrize("url", [
    "http://x.cn/publicity/zfxxgk/zfxgknb/2018/content_12.html",
    "http://x.cn/list?page=3",
    "http://x.cn/search?year=2018",
    "http://x.cn/2018/05/30/a.html",
])
def test_published_urls_are_no_traps(url: str) -> None:
    assert trap_reason(url, **LIMITS) == ""
