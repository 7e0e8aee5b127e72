"""Property-based tests (hypothesis) of URL canonicalisation and page attribution:
invariants that must hold for every input, not only for the cases we thought of."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from auditor.check.attribution import Attributor
from auditor.crawl.urls import canonical_url
from auditor.portal import Portal
from auditor.units import default_registry

REG = default_registry()
UNITS = sorted(REG.units)

segment = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd", "Lo"), max_codepoint=0x9FFF),
                  min_size=1, max_size=8)
hosts = st.sampled_from(["www.jiading.gov.cn", "WWW.Jiading.GOV.cn", "127.0.0.2", "huanbao.jiading.cn"])
ports = st.sampled_from(["", ":80", ":8080"])
queries = st.lists(st.tuples(st.sampled_from(["id", "page", "a", "b", "jsessionid"]), st.text("0123456789abc", max_size=4)),
                   max_size=4)


@st.composite
def urls(draw):
    path = "/" + "/".join(draw(st.lists(segment, max_size=4)))
    if draw(st.booleans()):
        path += draw(st.sampled_from([".html", ".htm", "/", ".pdf"]))
    query = "&".join(f"{k}={v}" for k, v in draw(queries))
    fragment = draw(st.sampled_from(["", "#top", "#第二节"]))
    return f"{draw(st.sampled_from(['http', 'HTTP', 'https']))}://{draw(hosts)}{draw(ports)}{path}" \
           f"{'?' + query if query else ''}{fragment}"


@given(urls())
@settings(max_examples=300, deadline=None)
def test_canonical_url_is_idempotent_http_and_fragment_free(url):
    once = canonical_url(url, ("jsessionid",))
    assert once, url
    assert canonical_url(once, ("jsessionid",)) == once
    parts = urlsplit(once)
    assert parts.scheme in ("http", "https") and not parts.fragment
    assert parts.hostname == parts.hostname.lower()
    assert "jsessionid" not in parts.query.lower()
    assert not once.startswith("http://") or ":80/" not in once  # default port dropped


@given(urls(), st.permutations(range(4)))
@settings(max_examples=200, deadline=None)
def test_query_order_does_not_make_two_urls(url, order):
    parts = urlsplit(url)
    params = parts.query.split("&") if parts.query else []
    shuffled = [params[i] for i in order if i < len(params)]
    other = url.replace(parts.query, "&".join(shuffled)) if parts.query else url
    assert canonical_url(url) == canonical_url(other)


@given(st.text(max_size=40))
def test_canonical_url_never_raises_and_rejects_non_http(text):
    result = canonical_url(text)
    assert result == "" or result.startswith(("http://", "https://"))
    for scheme in ("javascript:", "mailto:", "file:///", "tel:"):
        assert canonical_url(scheme + text) == ""


PORTAL = Portal("上海嘉定", ["http://www.test/"], "区府办",
                {"区环保局": ["http://www.test/bm/hbj/", "http://hb.test/"], "区民政局": ["http://www.test/bm/mzj/"]})
ATTR = Attributor(PORTAL, REG)


@given(st.sampled_from(UNITS), st.sampled_from(["", "上海市"]), st.sampled_from(["", "办公室", " "]),
       st.sampled_from(["http://www.test/bm/mzj/1.html", "http://hb.test/a.html", "http://www.test/x.html"]))
def test_a_publisher_naming_a_unit_wins_over_the_url(unit, prefix, suffix, url):
    u = REG.units[unit]
    for name in (u.full_name, *u.aliases):
        if len(name) < 5:  # short forms (民政局) count only as whole names
            continue
        publisher = (prefix + name if not name.startswith("上海市") else name) + suffix
        assert ATTR.unit_of(url, publisher) == unit, publisher


@given(st.text(alphabet="报社新华网日讯社区上海嘉定中国", max_size=8),
       st.sampled_from(["http://www.test/bm/mzj/1.html", "http://www.test/bm/hbj/x/2.html", "http://hb.test/a.html",
                        "http://www.test/news/1.html"]))
def test_a_source_that_names_no_unit_falls_back_to_the_longest_prefix_then_owner(source, url):
    assume(not REG.find_in_text(source))
    expected = {"mzj": "区民政局", "hbj": "区环保局", "hb.test": "区环保局"}
    want = next((v for k, v in expected.items() if k in url), "区府办")
    assert ATTR.unit_of(url, source) == want
