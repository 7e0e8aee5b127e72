"""Labelled metadata, titles, breadcrumbs and links read from small pages."""

from auditor.extract import extract_page
from auditor.extract.fields import (
    DOC_NO,
    PUBLISHER_SOURCE,
    label_lines,
    labelled,
    labelled_date,
)
from auditor.extract.links import attachment_of
from auditor.extract.title import strip_site_suffix

URL = "http://www.jiading.gov.cn/publicity/a/b/content_9.html"


def page(body: str, head: str = ""):
    return extract_page(URL, f"<html><head>{head}</head><body>{body}</body></html>".encode())


def test_source_line_values_end_at_next_label():
    lines = ["信息来源：嘉定区财政局 发布时间：2025-01-21 10:21 浏览次数：12"]
    assert labelled(label_lines(lines), PUBLISHER_SOURCE) == "嘉定区财政局"
    assert labelled_date(label_lines(lines)).isoformat() == "2025-01-21"


def test_label_cell_then_value_cell():
    lines = ["索 引 号", "JD-2018-001", "文 号", "嘉府发〔2018〕5号"]
    assert labelled(label_lines(lines), DOC_NO) == "嘉府发〔2018〕5号"


def test_value_is_not_taken_from_a_distant_line():
    lines = ["来源："] + ["正文"] * 3 + ["嘉定区农委"]
    assert labelled(label_lines(lines), PUBLISHER_SOURCE) == "正文"
    assert labelled(label_lines(["来源：", "发布时间：2018-01-01"]), PUBLISHER_SOURCE) == ""


def test_publisher_label_forms():
    for label in ("发布机构", "发文机关", "发布单位", "信息来源", "来源"):
        p = page(f"<div class='info'><span>{label}：</span><span>嘉定区教育局</span></div><div id='zoom'><p>{'教育信息公开内容。' * 20}</p></div>")
        assert p.publisher == "嘉定区教育局", label


def test_table_publisher_beats_source_line():
    p = page("<table><tr><td>发布机构</td><td>嘉定区人民政府</td></tr></table><p>来源：嘉定报</p>")
    assert p.publisher == "嘉定区人民政府"


def test_placeholder_values_are_empty():
    p = page("<ul><li>主题分类：<font>无</font></li><li>索引号：</li><li>成文日期：2018-01-01</li></ul>")
    assert p.topic == "" and p.index_no == ""


def test_standalone_doc_number_line_and_cited_numbers_ignored():
    p = page("<div class='content'><p>嘉府办发〔2021〕18号</p><p>根据《通知》（国办发〔2018〕23号）要求……</p></div>")
    assert p.doc_no == "嘉府办发〔2021〕18号"
    q = page("<div class='content'><p>根据《通知》（国办发〔2018〕23号）要求……</p></div>")
    assert q.doc_no == ""


def test_labelled_date_forms():
    for text in ("发布日期：2018年05月30日", "发文日期:2018-05-30", "成文日期 2018/05/30", "生成日期：2018.05.30", "日期：2018-5-30"):
        p = page(f"<div>{text}</div>")
        assert (p.date.isoformat(), p.date_source) == ("2018-05-30", "label"), text


def test_site_suffixes_stripped_from_html_title():
    assert strip_site_suffix("关于印发通知的通知_上海嘉定") == "关于印发通知的通知"
    assert strip_site_suffix("关于印发通知的通知-嘉定区人民政府") == "关于印发通知的通知"
    assert strip_site_suffix("关于印发通知的通知 | 嘉定区教育局") == "关于印发通知的通知"
    assert strip_site_suffix("2018-2020年发展规划") == "2018-2020年发展规划"
    assert strip_site_suffix("关于开展检查的通知_其他文件（党政机关会议定点名单）_上海嘉定", ("其他文件（党政机关会议定点名单）",)) == "关于开展检查的通知"
    assert strip_site_suffix("关于开展检查的通知_规范性文件_上海嘉定") == "关于开展检查的通知"
    assert strip_site_suffix("关于X的通知 - 嘉定区人民政府 - 上海嘉定") == "关于X的通知"
    assert strip_site_suffix("关于2018-2019年度评优-结果") == "关于2018-2019年度评优-结果"
    assert strip_site_suffix("2017年政府信息公开工作年度报告--嘉定教育") == "2017年政府信息公开工作年度报告"
    assert strip_site_suffix("综合改革实施方案（2018—2020年）") == "综合改革实施方案（2018—2020年）"
    assert strip_site_suffix("综合改革实施方案（2018—2020年）_嘉定教育") == "综合改革实施方案（2018—2020年）"


def test_title_prefers_heading_over_logo():
    p = page("<h1 class='logo'>上海嘉定</h1><h1>区政府召开常务会议</h1><div class='content'><p>" + "会议内容。" * 30 + "</p></div>",
             "<title>区政府召开常务会议_上海嘉定</title>")
    assert p.title == "区政府召开常务会议"


def test_breadcrumb_as_plain_text():
    p = page("<div>当前位置：首页 &gt; 政府信息公开 &gt; 规范性文件 &gt; 正文</div>")
    assert p.column == "规范性文件"


def test_breadcrumb_ending_with_article_title():
    p = page("<div class='breadcrumb'><a href='/'>首页</a> &gt; <a href='/zcjd/'>政策解读</a> &gt; "
             "<a href=''>关于2018年政务公开工作要点的解读</a></div><h1>关于2018年政务公开工作要点的解读</h1>")
    assert p.column == "政策解读"


def test_links_absolute_no_fragments_no_scripts():
    p = page("<a href='../x.html#s'>X</a><a href='javascript:go()'>J</a><a href='mailto:a@b.cn'>M</a>"
             "<a href='tel:1'>T</a><a href='file:///c:/a.doc'>F</a><a href='//cdn.gov.cn/y'>Y</a><a href='#top'>Top</a>"
             "<a href='../x.html'></a><a href='/img' title='图片链接'><img src='a.png'></a>",
             "<base href='http://www.jiading.gov.cn/publicity/a/'>")
    assert [(l.url, l.text) for l in p.links] == [
        ("http://www.jiading.gov.cn/publicity/x.html", "X"),
        ("http://cdn.gov.cn/y", "Y"),
        ("http://www.jiading.gov.cn/img", "图片链接"),
    ]


def test_attachment_detection():
    assert attachment_of("http://a.cn/f/REPORT.PDF") == ("REPORT.PDF", "pdf")
    assert attachment_of("http://a.cn/download.jsp?file=%E9%99%84%E4%BB%B6.wps&id=1") == ("附件.wps", "wps")
    assert attachment_of("http://a.cn/down?path=/up/2018/x.ofd") == ("x.ofd", "ofd")
    assert attachment_of("http://a.cn/a.et")[1] == "et"
    assert attachment_of("http://a.cn/index.html") == ("", "")
    assert attachment_of("http://a.cn/pdf/") == ("", "")
    assert attachment_of("http://a.cn/file.docx.html") == ("", "")


def test_embedded_document_viewer_is_an_attachment():
    p = page("<iframe src='/pdfjs/viewer.html?file=/upload/2018/%E5%B9%B4%E6%8A%A5.pdf'></iframe><embed src='b.OFD'>"
             "<a href='/upload/c.xlsx'>统计表</a>")
    assert [(a.text, a.ext) for a in p.attachments] == [("统计表", "xlsx"), ("年报.pdf", "pdf"), ("b.OFD", "ofd")]
    assert p.attachments[2].url == "http://www.jiading.gov.cn/publicity/a/b/b.OFD"


def test_site_only_html_title_does_not_win_over_article_heading():
    p = page("<div class='top'><h1>上海嘉定</h1></div><div class='wrap'><div class='article-title'>关于做好2018年防汛工作的通知</div>"
             "<div class='article-content'><p>" + "各单位要落实防汛责任。" * 10 + "</p></div></div>",
             "<title>上海嘉定</title>")
    assert p.title == "关于做好2018年防汛工作的通知"


def test_heading_inside_article_wrapper_counts():
    p = page("<h1>网站导航标题栏目</h1><div class='detail'><h2>区政府召开第十次常务会议</h2>"
             "<p>" + "会议研究了政务公开工作。" * 10 + "</p><p>" + "会议要求抓好落实。" * 10 + "</p></div>",
             "<title>嘉定区人民政府</title>")
    assert p.title == "区政府召开第十次常务会议"


def test_a_doc_number_standing_only_in_the_title():
    from auditor.extract.fields import doc_number

    assert doc_number([], [], "关于嘉卫公罚〔2018〕9号行政执法决定的公示") == "嘉卫公罚〔2018〕9号"
    assert doc_number([], [], "闽岚环罚〔2019〕21号") == "闽岚环罚〔2019〕21号"
    assert doc_number([], [], "行政处罚决定书（岚环罚〔2016〕5号）") == "岚环罚〔2016〕5号"
    assert doc_number([], [], "关于印发《嘉定区2018年政务公开工作要点》的通知") == ""
    assert doc_number([], [], "区政府关于转发沪府发〔2018〕3号文的通知") == ""  # another document's number
    # a labelled number and a line of its own come first; brackets around a line are no part of it
    assert doc_number([], ["(闽岚综实管〔2012〕3 号)"], "关于嘉卫公罚〔2018〕9号") == "闽岚综实管〔2012〕3 号"
