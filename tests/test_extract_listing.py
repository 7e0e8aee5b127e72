"""Column list pages: entries, list dates, pagination, empty lists."""

from datetime import date
from pathlib import Path

from auditor.extract import extract_page
from auditor.extract.document import parse_html
from auditor.extract.listing import read_listing

PAGES = Path(__file__).parent / "fixtures" / "pages"
URL = "http://www.jiading.gov.cn/publicity/jcgk/zdgkwj/gfxwj/index.html"


def listing(html: str, scripts=(), **kw):
    root = parse_html(html)
    return read_listing(root, URL, list(scripts), "", **kw)


def rows(*items: tuple[str, str]) -> str:
    lis = "".join(f'<li><a href="c{i}.html">{t}</a><span>{d}</span></li>' for i, (d, t) in enumerate(items))
    return f"<html><body><ul>{lis}</ul></body></html>"


def test_trs_list_page_gbk_with_year_wrap_and_script_pager():
    p = extract_page(URL, (PAGES / "trs_list_gbk.html").read_bytes(), default_year=2018)
    assert p.is_list and not p.empty_list
    assert p.column == "规范性文件"
    assert [e.date for e in p.entries] == [
        date(2018, 5, 30), date(2018, 4, 16), date(2018, 2, 8), date(2018, 1, 5),
        date(2017, 12, 28), date(2017, 11, 20),  # newest first: December follows January of the next year
    ]
    # Truncated link text: the title attribute carries the full title.
    assert p.entries[2].title == "嘉定区2017年政府信息公开工作年度报告"
    assert p.entries[0].url == "http://www.jiading.gov.cn/publicity/jcgk/zdgkwj/gfxwj/20180530/t20180530_0.html"
    assert p.next_page == "http://www.jiading.gov.cn/publicity/jcgk/zdgkwj/gfxwj/index_1.html"
    assert (p.date, p.date_source) == (date(2018, 5, 30), "list")


def test_table_list_with_full_dates_and_next_link():
    p = extract_page("http://a.gov.cn/sgs/index_1.html", (PAGES / "table_list.html").read_bytes())
    assert p.is_list and len(p.entries) == 4
    assert p.entries[0].title == "行政许可决定书（嘉市监许〔2018〕301号）"
    assert p.entries[3].date == date(2018, 5, 25)
    assert p.next_page == "http://a.gov.cn/sgs/index_3.html"
    assert p.column == "双公示"


def test_empty_list_page():
    p = extract_page(URL, (PAGES / "empty_list.html").read_bytes())
    assert p.is_list and p.empty_list and p.entries == [] and p.next_page == ""
    assert p.column == "建议提案办理结果"
    assert p.date is None


def test_year_from_page_context_beats_default_year():
    html = rows(("2016-06-01", "甲项通知"), ("[05-30]", "乙项通知"), ("[04-02]", "丙项通知"))
    got = listing(html, default_year=2018)
    assert [e.date for e in got.entries] == [date(2016, 6, 1), date(2016, 5, 30), date(2016, 4, 2)]


def test_future_list_date_moves_back_a_year():
    html = rows(("[12-20]", "年终通知"), ("[11-02]", "前一通知"), ("[10-01]", "再前通知"))
    got = listing(html, default_year=2019, today=date(2019, 3, 1))
    assert [e.date for e in got.entries] == [date(2018, 12, 20), date(2018, 11, 2), date(2018, 10, 1)]


def test_list_without_year_anywhere_keeps_entries_undated():
    got = listing(rows(("[05-30]", "甲"), ("[05-29]", "乙"), ("[05-28]", "丙")))
    assert [e.title for e in got.entries] == ["甲", "乙", "丙"] and all(e.date is None for e in got.entries)


def test_pager_script_with_variables_and_leading_id():
    script = "var countPage = 8; var currentPage = 2;\ncreatePageHTML('page_div', countPage, currentPage, 'index', 'shtml');"
    assert listing(rows(("[05-30]", "甲"), ("[05-29]", "乙")), [script]).next_page == URL.replace("index.html", "index_3.shtml")


def test_last_page_has_no_next_page():
    got = listing(rows(("[05-30]", "甲"), ("[05-29]", "乙")), ['createPageHTML(3, 2, "index", "html");'])
    assert got.next_page == "" and got.paginated and got.pager_total == 3


def test_next_article_link_is_not_pagination():
    html = '<html><body><a href="t2.html">下一篇：关于某事的通知</a><p>正文内容正文内容正文内容</p></body></html>'
    got = listing(html)
    assert got.next_page == "" and not got.paginated


def test_detail_page_with_pager_words_in_text_is_not_a_list():
    body = "<p>" + "区政府决定开展政务公开专项检查，" * 20 + "</p>"
    html = f"<html><body><div class='content'>{body}</div><ul>{''.join(f'<li><a href=r{i}.html>相关{i}</a>[05-0{i}]</li>' for i in range(1, 6))}</ul></body></html>"
    p = extract_page(URL, html.encode())
    assert not p.is_list and p.entries == []


def test_hanweb_datastore_records_become_entries():
    p = extract_page("http://www.abc.gov.cn/col/col123/index.html", (PAGES / "hanweb_jpage_list.html").read_bytes())
    assert p.is_list and p.column == "通知公告"
    assert [(e.url, e.date) for e in p.entries] == [
        ("http://www.abc.gov.cn/art/2018/5/30/art_123_1001.html", date(2018, 5, 30)),
        ("http://www.abc.gov.cn/art/2018/5/21/art_123_1000.html", date(2018, 5, 21)),
        ("http://www.abc.gov.cn/art/2018/4/2/art_123_999.html", date(2018, 4, 2)),
    ]
    assert p.entries[2].title == "区政府信息公开指南（2018年修订）"
    assert "http://www.abc.gov.cn/art/2018/5/30/art_123_1001.html" in {link.url for link in p.links}


def test_empty_hanweb_datastore_is_an_empty_list():
    html = ("<html><body><div id='1'><script type='text/xml'><datastore><recordset></recordset></datastore></script></div>"
            "<script>$('#1').jpage({totalRecord: 0, perPage: 15});</script></body></html>")
    p = extract_page(URL, html.encode())
    assert p.is_list and p.empty_list and p.entries == []


def test_list_container_with_nothing_in_it_is_an_empty_list():
    html = ("<html><body><div class='crumb'><a href='/'>首页</a> &gt; <a href='./'>财政预决算</a></div>"
            "<div class='main'><ul class='news_list'>\n</ul></div></body></html>")
    p = extract_page(URL, html.encode())
    assert p.is_list and p.empty_list and p.column == "财政预决算"


def test_detail_page_with_empty_attachment_list_is_not_a_list():
    body = (PAGES / "pingtan_11860.html").read_bytes().replace(b'name="ArticleTitle"', b'name="x"')
    p = extract_page("https://www.pingtan.gov.cn/zwgk/gsgg/201812/t20181213_11860.htm", body)
    assert not p.is_list and not p.empty_list  # its article text decides, not the meta


def test_next_page_link_with_arrow():
    html = rows(("[05-30]", "甲"), ("[05-29]", "乙")).replace("</body>", "<a href='index_2.html'>下一页 &gt;</a></body>")
    assert listing(html).next_page == URL.replace("index.html", "index_2.html")


def test_single_entry_column_is_a_list_despite_its_article_title_meta():
    # the column of a unit's one 公开指南: a heading and one dated link, nothing else;
    # the CMS writes the column's name into ArticleTitle on its list pages too
    p = extract_page("http://hb.example.cn/xxgk/zn/", (PAGES / "single_entry_list_articletitle.html").read_bytes())
    assert p.is_list and [e.title for e in p.entries] == ["某区某局政府信息公开指南"]
    assert p.entries[0].date == date(2018, 1, 26)


def test_two_entry_column_is_a_list():
    p = extract_page("http://www.example.cn/publicity/jytabljg/", (PAGES / "two_entry_list.html").read_bytes())
    assert p.is_list and len(p.entries) == 2
    assert [e.date for e in p.entries] == [date(2018, 8, 10), date(2018, 7, 31)]


def test_short_document_beside_menu_and_breadcrumb_is_an_article():
    # menu, breadcrumb and detail are sibling blocks with links and a date, but the
    # detail is a document: its 发布单位 label and body are no list entry
    p = extract_page("http://nx.example.cn/zwgk/nb/2513.html", (PAGES / "short_document_in_wrapper.html").read_bytes())
    assert not p.is_list and p.entries == []
    assert p.title == "某镇人民政府2017年政府信息公开工作年度报告"
    assert p.date == date(2018, 1, 22) and p.publisher == "某镇"


def test_town_column_with_one_dated_entry_among_menu_and_footer_is_a_list():
    p = extract_page("http://at.example.cn/zwgk/nb/", (PAGES / "town_single_entry_list.html").read_bytes(), default_year=2018)
    assert p.is_list and [e.date for e in p.entries] == [date(2018, 1, 17)]


def test_year_heading_above_a_list_dates_its_entries():
    # archive templates write the year once over [MM-DD] rows; nothing else gives it
    p = extract_page("http://at.example.cn/zwgk/nb/", (PAGES / "town_single_entry_list.html").read_bytes())
    assert [e.date for e in p.entries] == [date(2018, 1, 17)] and p.date == date(2018, 1, 17)
    html = ("<html><body><div class='box'><h3 class='year'>2017年</h3><div><ul>"
            "<li><a href='a.html'>甲项通知</a><span>[12-20]</span></li><li><a href='b.html'>乙项通知</a><span>[03-02]</span></li>"
            "</ul></div></div></body></html>")
    assert [e.date for e in listing(html, default_year=2018).entries] == [date(2017, 12, 20), date(2017, 3, 2)]


def test_heading_other_than_a_year_gives_no_year():
    html = ("<html><body><div class='title'>通知公告</div><ul><li><a href='a.html'>甲项通知</a><span>[12-20]</span></li>"
            "<li><a href='b.html'>乙项通知</a><span>[03-02]</span></li></ul></body></html>")
    assert all(e.date is None for e in listing(html).entries)
    # a year inside a longer heading is a column's name (2018年重点工作), not the rows' year
    html = html.replace("通知公告", "2018年重点工作")
    assert all(e.date is None for e in listing(html).entries)


PAGE = "<html><body><div class='nav'><a href='/'>首页</a><a href='/zwgk/'>政务公开</a></div>{}<div class='footer'>主办单位：某区人民政府办公室</div></body></html>"
TITLES = ["关于公布2019年第一批行政许可事项的公告", "2019年1月区级财政预算执行情况", "关于印发某区2019年政务公开工作要点的通知",
          "区环保局2019年重点排污单位名录", "关于2019年度区级科技项目立项的公示"]
DATES = ["2019-01-10", "2019-01-08", "2019-01-05", "2018-12-28", "2018-12-20"]


def read(rows_html: str):
    return extract_page("http://www.example.gov.cn/zwgk/tzgg/index.html", PAGE.format(rows_html).encode())


def assert_read(page):
    assert page.is_list
    assert [(e.title, e.date.isoformat() if e.date else None) for e in page.entries] == list(zip(TITLES, DATES))
    assert all(e.url.startswith("http://www.example.gov.cn/zwgk/tzgg/") for e in page.entries)


def test_rows_as_definition_lists_with_the_date_in_a_sibling_dd():
    rows_html = "".join(f'<dl><dd><a href="./t{i}.html" title="{t}">{t[:10]}…</a></dd><dd>{d}</dd></dl>'
                        for i, (t, d) in enumerate(zip(TITLES, DATES)))
    assert_read(read(f'<div class="list">{rows_html}</div>'))


def test_rows_as_table_rows_with_a_date_cell():
    rows_html = "".join(f'<tr><td>{i + 1}</td><td><a href="t{i}.html">{t}</a></td><td>{d}</td></tr>'
                        for i, (t, d) in enumerate(zip(TITLES, DATES)))
    assert_read(read(f"<table><tbody><tr><th>序号</th><th>标题</th><th>日期</th></tr>{rows_html}</tbody></table>"))


def test_rows_as_divs_with_the_date_in_its_own_element():
    rows_html = "".join(f'<div class="item"><div class="t"><a href="t{i}.html">{t}</a></div><div class="d">{d}</div></div>'
                        for i, (t, d) in enumerate(zip(TITLES, DATES)))
    assert_read(read(f'<div class="news_list">{rows_html}</div>'))


def test_a_list_split_into_blocks_of_a_few_rows_is_read_whole():
    # TRS renders five rows per <div ms-visible="$showStatic(n)"><ul>…</ul></div>
    items = [f'<li><a href="t{i}.html" title="{t}">{t}</a><em></em><span class="bf-pass">{d}</span></li>'
             for i, (t, d) in enumerate(zip(TITLES, DATES))]
    blocks = f'<div><div class="g"><ul>{"".join(items[:2])}</ul></div><div class="g"><ul>{"".join(items[2:4])}</ul></div>' \
             f'<div class="g"><ul>{items[4]}</ul></div></div>'
    assert_read(read(blocks))


def test_real_list_pages_are_read_whole():
    real = PAGES / "real"
    p = extract_page("https://www.pingtan.gov.cn/zwgk/ghxx/ndjh/", (real / "trs_pingtan_list2.html").read_bytes())
    assert p.is_list and len(p.entries) == 39
    assert (p.entries[0].title, p.entries[0].date) == ("平潭综合实验区海坛片区管理局2024年度工作总结及2025年工作思路", date(2025, 9, 30))
