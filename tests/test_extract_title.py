"""choose_title: a site's name (SiteName meta, banner heading, <title> prefix) is never a page's title."""

from pathlib import Path

from auditor.extract import extract_page
from auditor.extract.title import strip_site_suffix

PAGES = Path(__file__).parent / "fixtures" / "pages"
URL = "http://town.example.cn/zwgk/gzdt/1.html"


def test_banner_heading_and_title_prefix_are_the_site_not_the_page():
    # <h1> in the banner agrees with the <title>'s first part; the real title is the
    # detail-title, and the title's second part names a 街道 without being a site
    page = extract_page(URL, (PAGES / "town_banner_article.html").read_bytes())
    assert page.title == "新成路街道组织重阳节敬老慰问活动"


def test_heading_equal_to_sitename_meta_is_not_the_title():
    html = ("<html><head><meta name='SiteName' content='某区人民政府'><title>某区人民政府</title></head><body>"
            "<div class='head'><h1>某区人民政府</h1></div><div class='content'><h2>关于做好2018年防汛工作的通知</h2>"
            "<div class='text'><p>各镇人民政府、各街道办事处：现将有关事项通知如下，请认真贯彻执行。</p></div></div>"
            "</body></html>").encode()
    assert extract_page(URL, html).title == "关于做好2018年防汛工作的通知"


def test_wrapper_named_top_holding_the_article_is_no_banner():
    # back-to-top anchors name the whole page's wrapper "top": its heading is the article's
    html = ("<html><head><title>关于开展垃圾分类宣传周活动的通知_某区绿容局</title></head><body><div id='top'>"
            "<h1>关于开展垃圾分类宣传周活动的通知</h1><div class='article'><p>各街镇：为深入推进生活垃圾分类工作，"
            "现就开展宣传周活动通知如下。</p></div></div></body></html>").encode()
    assert extract_page(URL, html).title == "关于开展垃圾分类宣传周活动的通知"


def test_site_prefix_stripped_only_when_known_to_be_the_site():
    assert strip_site_suffix("某镇人民政府-关于停水的通知", sites=("某镇人民政府",)) == "关于停水的通知"
    assert strip_site_suffix("某镇人民政府 | 关于停水的通知", sites=("某镇人民政府",)) == "关于停水的通知"
    # a breadcrumb's last part is often the document itself: never stripped in front
    assert strip_site_suffix("关于停水的通知_上海嘉定", ("关于停水的通知",)) == "关于停水的通知"


def test_long_part_naming_a_street_office_is_no_site_suffix():
    # 街道 inside a long part does not make it a site's name; one ending like a site's does
    title = "某区人民政府办公室-新成路街道组织重阳节敬老慰问专题培训"
    assert strip_site_suffix(title) == title
    assert strip_site_suffix("关于停水的通知-上海市嘉定区新成路街道办事处") == "关于停水的通知"
