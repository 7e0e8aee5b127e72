"""extract_page on byte fixtures mirroring CMS templates, real pages, hostile input."""

import logging
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.extract import extract_page

PAGES = Path(__file__).parent / "fixtures" / "pages"
GBK_HTML = {"Content-Type": "text/html; charset=GBK"}


def load(name: str, url: str = "http://www.jiading.gov.cn/publicity/jcgk/zdgkwj/gfxwj/content_1.html", headers=None, **kw):
    return extract_page(url, (PAGES / name).read_bytes(), headers, **kw)


# --- real pages (www.pingtan.gov.cn, 2018), values read from the files by eye ---

def test_real_page_with_attachment():
    p = load("pingtan_11669.html", "https://www.pingtan.gov.cn/zwgk/gsgg/201812/t20181203_11669.htm")
    assert p.title == "平潭综合实验区市场监督管理局药械行政许可信息公示 （2018年第11期）"
    assert (p.date, p.date_source) == (date(2018, 12, 3), "meta")
    assert p.publisher == "平潭综合实验区市场监督管理局"
    assert p.column == "公示公告"
    assert [(a.text, a.ext) for a in p.attachments] == [("附表1.第一类医疗器械备案信息表.doc", "doc")]
    assert p.attachments[0].url.startswith("https://www.pingtan.gov.cn/attachFiles/myfile/DATE_20181203/")
    assert p.meta["SiteIDCode"] == "3590000001" and p.meta["Url"].endswith("t20181203_11669.htm")
    assert p.text.startswith("2018年11月24日至11月28日，我局依法办理第一类医疗器械产品备案1件")
    assert "扫一扫" not in p.text and "浏览量" not in p.text
    assert not p.is_list
    urls = {link.url for link in p.links}
    assert "https://www.pingtan.gov.cn/zwgk/gsgg/" in urls  # breadcrumb ../ resolved
    assert not any(u.startswith("javascript") for u in urls)


def test_real_page_without_attachment():
    p = load("pingtan_11860.html", "https://www.pingtan.gov.cn/zwgk/gsgg/201812/t20181213_11860.htm")
    assert p.title == "平潭综合实验区2018年集中式供水末梢水监测结果"
    assert p.date == date(2018, 12, 5)
    assert p.publisher == "平潭综合实验区卫生与计划生育局"
    assert p.column == "公示公告"
    assert p.attachments == []
    assert "合格率100%" in p.text


def test_real_page_with_index_block():
    p = load("pingtan_65675.html",
             "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/10qtwjdzjg/201806/t20180630_65675.htm")
    assert p.title == "关于印发2018年政务公开工作任务实施方案的通知"
    assert (p.date, p.date_source) == (date(2018, 6, 30), "label")  # the date the page shows, which its PubDate meta confirms
    assert p.publisher == "平潭综合实验区财政金融局"
    assert p.index_no == "PZ00108-3000-2018-00078"
    assert p.doc_no == "岚财金〔2018〕170号"
    assert p.column == "其他文件（党政机关会议定点名单；其他应主动公开的政府信息"
    assert "特制定如下实施方案" in p.text and p.text.rstrip().endswith("2018年6月29日印发")


# --- fixtures mirroring CMS templates ---

def test_trs_gbk_index_table_page():
    p = load("trs_gbk_table.html")
    assert p.encoding == "gb18030"
    assert p.title == "嘉定区人民政府办公室关于印发《嘉定区公共数据开放实施细则》的通知"
    assert (p.date, p.date_source) == (date(2021, 4, 16), "label")
    assert p.publisher == "嘉定区人民政府办公室"
    assert p.index_no == "JD0000-0101-2021-00018"
    assert p.doc_no == "嘉府办发〔2021〕18号"
    assert p.topic == "综合政务\\其他"
    assert p.column == "规范性文件"
    assert p.text.startswith("各镇人民政府、街道办事处") and p.text.endswith("二〇二一年四月十六日")
    assert [(a.text, a.ext) for a in p.attachments] == [
        ("嘉定区公共数据开放实施细则", "pdf"), ("开放清单模板", "docx"), ("table.xls", "xls"),
    ]
    assert p.attachments[2].url == "http://www.jiading.gov.cn/publicity/jcgk/files/table.xls"
    assert all(link.url.startswith("http") and "#" not in link.url for link in p.links)
    assert not p.is_list


@pytest.mark.parametrize("headers", [None, GBK_HTML, {"content-type": "text/html; charset=utf-8"},
                                     {"Content-Type": "text/html; charset=ISO-8859-1"}])
def test_gbk_page_read_alike_under_any_header(headers):
    p = load("trs_gbk_table.html", headers=headers)
    assert p.encoding == "gb18030" and p.doc_no == "嘉府办发〔2021〕18号"


def test_bom_page_with_source_line_and_related_links():
    p = load("hanweb_bom_source_line.html", headers={"Content-Type": "text/html; charset=gbk"})
    assert p.encoding == "utf-8-sig"
    assert p.title == "嘉定区民政局关于2025年第一季度社会救助资金发放情况的公示"
    assert (p.date, p.date_source) == (date(2025, 1, 21), "label")
    assert p.publisher == "嘉定区民政局"
    assert p.column == "社会救助"
    assert p.text.startswith("根据《社会救助暂行办法》") and "信息来源" not in p.text
    assert not p.is_list  # the related-links list does not make it a list page


def test_cms_meta_wins_over_labels():
    p = load("dahan_cms_meta.html")
    assert (p.date, p.date_source) == (date(2018, 5, 30), "meta")
    assert p.publisher == "嘉定区人民政府办公室"  # ContentSource before the 来源 line
    assert p.column == "政策解读"
    assert p.meta["Keywords"] == "政务公开,工作要点,解读"
    assert p.meta["SiteName"] == "上海嘉定"


def test_signature_block_chinese_date():
    p = load("signature_date_only.html")
    assert p.encoding == "gb18030"
    assert p.title == "关于开展2018年度政府信息公开工作考核的通知"
    assert (p.date, p.date_source) == (date(2018, 12, 3), "text")


def test_byline_date_near_heading():
    p = load("byline_date.html")
    assert p.title == "嘉定召开政务公开工作推进会"
    assert (p.date, p.date_source) == (date(2018, 5, 30), "text")


def test_page_without_any_date_has_none():
    p = extract_page("http://a.gov.cn/x.html", "<html><body><h1>机构职能</h1><p>负责全区政务公开工作的组织协调和监督指导。</p></body></html>".encode())
    assert p.date is None and p.date_source == ""


# --- hostile input ---

HOSTILE = {
    "binary": bytes(range(256)) * 400,
    "empty": b"",
    "nested": b"<html><body>" + b'<div class="title content">' * 100_000 + b"x" + b"</div>" * 100_000,
    "wide": b"<html><body>" + "<div><a href='/a'>标题</a> 05-30</div>".encode() * 20_000,
    "broken": b"<html><head><title>t</ti<body><table><tr><td>\xe7\xb4\xa2<td>1<a href='http://[::1'>x</a><a href=\"http://a]/\">y",
    "xml_decl": '<?xml version="1.0" encoding="gbk"?><html><body>你好\x00\x01</body></html>'.encode(),
    "nul": b"\x00" * 1000,
    "only_text": "纯文本内容".encode(),
}


class FailureLog(logging.Handler):
    """Collects what extract_page logs when it had to stop early."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def __enter__(self):
        logging.getLogger("auditor.extract").addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger("auditor.extract").removeHandler(self)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_read_without_failure(name):
    with FailureLog() as log:
        p = extract_page("http://a.gov.cn/b.html", HOSTILE[name], {"Content-Type": "text/html"})
    assert p.url == "http://a.gov.cn/b.html" and isinstance(p.text, str)
    p.to_dict()
    assert log.records == []  # handled, not swallowed by the safety net


def test_internal_failure_is_logged_and_partial_page_returned(monkeypatch):
    import auditor.extract as extract

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(extract, "read_listing", broken)
    with FailureLog() as log:
        p = extract_page("http://a.gov.cn/", (PAGES / "trs_gbk_table.html").read_bytes())
    assert p.doc_no == "嘉府办发〔2021〕18号" and len(log.records) == 1


def test_hostile_text_still_read():
    assert extract_page("http://a.gov.cn/", HOSTILE["xml_decl"]).text == "你好"
    assert extract_page("http://a.gov.cn/", HOSTILE["only_text"]).text == "纯文本内容"
    assert extract_page("http://a.gov.cn/", HOSTILE["wide"], default_year=2018).is_list


@pytest.mark.parametrize("headers", [None, {"Content-Type": "text/html; charset=utf-8"}])
def test_old_table_layout_gbk_without_meta(headers):
    p = load("old_table_gbk_nometa.html", headers=headers)
    assert p.encoding == "gb18030"
    assert p.title == "区绿化市容局关于2018年度行道树修剪的公告"
    assert (p.date, p.date_source) == (date(2018, 5, 30), "label")
    assert p.publisher == "嘉定区绿化和市容管理局"  # trimmed of 【打印】【关闭】
    assert p.column == "通知公告"
    assert p.text.split("\n")[0].startswith("为保障汛期道路通行") and p.text.endswith("2018年5月30日")
    assert "版权所有" not in p.text


@pytest.mark.parametrize("headers", [
    {b"Content-Type": [b"text/html; charset=Big5"]},
    {b"content-type": b"text/html; charset=Big5"},
    {"CONTENT-TYPE": "text/html; charset=big5"},
])
def test_header_shapes_of_scrapy_and_plain_dicts(headers):
    # Big5 bytes also decode (wrongly) as GB18030, so only the header gets them right.
    body = "<html><body><p>政府資訊公開</p></body></html>".encode("big5")
    assert extract_page("http://a.gov.cn/", body).text != "政府資訊公開"
    p = extract_page("http://a.gov.cn/", body, headers)
    assert p.encoding == "big5" and p.text == "政府資訊公開"


_PIECES = st.sampled_from([
    "<div>", "</div>", "<p>", "<li>", "<ul>", "</ul>", "<table><tr><td>", "</td>", "<a href='", "'>", "</a>",
    "<script>", "</script>", "<title>", "索引号：", "发布时间：", "2018-05-30", "[05-30]", "二〇一八年五月三十日",
    "javascript:", "x.pdf", "http://[::1", "下一页", "暂无信息", "createPageHTML(3,0,'index','html')", "嘉定区",
    "<meta charset='gbk'>", "<meta name='PubDate' content='", "&nbsp;", "\x00", "\ufffd", "<!--", "-->", "<",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=60), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_random_markup_read_without_failure(pieces, codec):
    with FailureLog() as log:
        p = extract_page("http://a.gov.cn/x/", "".join(pieces).encode(codec, "replace"), default_year=2018)
    assert log.records == []
    assert isinstance(p.to_dict(), dict)
    assert p.date is None or 1990 <= p.date.year <= 2100


def test_site_name_before_the_title_is_not_the_title():
    # <title>site-document</title>: a document title with a year or brackets is no site name
    html = ("<html><head><title>某镇人民政府-某镇主动公开信息目录（2017年版）</title></head><body>"
            "<div id='top'><h1>某镇人民政府</h1></div><div class='detail'><div class='detail-title'>"
            "某镇主动公开信息目录（2017年版）</div><div class='detail-body'><p>现将某镇主动公开信息目录予以公开。"
            "</p></div></div></body></html>").encode()
    assert extract_page("http://at.example.cn/zwgk/gkml/1.html", html).title == "某镇主动公开信息目录（2017年版）"
