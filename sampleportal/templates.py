"""HTML of the sample portal in four template families, so extraction is not tuned to one.

- ``portal``: the district portal's CMS: standard meta tags, breadcrumb, an 索引号
  metadata table on disclosure pages, a ``信息来源：… 发布时间：…`` line on others.
- ``modern``: a UTF-8 HTML5 unit sub-site with a ``信息来源：… 发布时间：…`` line.
- ``legacy``: a table-layout GBK CMS: ``来源：… 日期：2018/05/30``, list dates ``[05-30]``.
- ``town``: a 街镇 site: ``发布单位：… 发布时间:2018-05-30``, list dates ``[05-30]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

CN_DIGITS = "〇一二三四五六七八九"


def chinese_date(d: date) -> str:
    """二〇一八年五月三十日, as official documents sign."""
    def num(n: int) -> str:
        if n < 10:
            return CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    return "".join(CN_DIGITS[int(c)] for c in str(d.year)) + f"年{num(d.month)}月{num(d.day)}日"


def format_date(d: date, form: str) -> str:
    """A date as pages write it: iso, cn (2018年05月30日), slash (2018/05/30)."""
    if form == "cn":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if form == "slash":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    return d.isoformat()


@dataclass
class DocPage:
    """What a document or news page shows; rendering picks the markup."""

    title: str
    column: str
    column_url: str
    date: date | None
    publisher: str = ""
    body: list[str] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (url, link text)
    links: list[tuple[str, str]] = field(default_factory=list)  # related links (url, text)
    meta_form: str = "line"  # table | line | meta (CMS tags only)
    date_form: str = "iso"
    index_no: str = ""
    doc_no: str = ""
    topic: str = ""
    signature: str = ""  # signing body; with a date, the signature block closes the text
    time: str = "09:00"


@dataclass
class ListPage:
    """One page of a column list."""

    column: str
    url: str
    entries: list[tuple[str, str, date | None]]  # (url, title, date)
    page: int
    pages: int
    parent: tuple[str, str] = ("/", "首页")


def _paras(doc: DocPage) -> str:
    out = "".join(f"<p>{escape(p)}</p>" for p in doc.body)
    if doc.signature:
        out += f'<p style="text-align:right">{escape(doc.signature)}</p>'
        if doc.date:
            out += f'<p style="text-align:right">{chinese_date(doc.date)}</p>'
    return out


def _attachments(doc: DocPage, label: str = "附件：") -> str:
    if not doc.attachments:
        return ""
    links = "".join(f'<li><a href="{escape(u)}" target="_blank">{escape(t)}</a></li>' for u, t in doc.attachments)
    return f'<div class="attachments"><span>{label}</span><ul>{links}</ul></div>'


def _links(doc: DocPage) -> str:
    if not doc.links:
        return ""
    items = "".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>' for u, t in doc.links)
    return f'<div class="related"><h4>相关链接</h4><ul>{items}</ul></div>'


def _attrs(doc: DocPage, publisher_label: str, date_label: str) -> list[str]:
    """The publisher and date labels a template prints under the title."""
    out = [f"{publisher_label}{escape(doc.publisher)}"] if doc.publisher else []
    if doc.date:
        out.append(f"{date_label}{format_date(doc.date, doc.date_form)}")
    return out


def _pager(page: ListPage, base: str, fmt: str) -> str:
    """首页 上一页 下一页 尾页 links: index.html, index_1.html …"""
    if page.pages <= 1:
        return ""
    def href(n: int) -> str:
        return base + ("index.html" if n == 0 else f"index_{n}.html")
    parts = [f'<a href="{href(0)}">首页</a>']
    if page.page > 0:
        parts.append(f'<a href="{href(page.page - 1)}">上一页</a>')
    if page.page < page.pages - 1:
        parts.append(f'<a href="{href(page.page + 1)}">下一页</a>')
    parts.append(f'<a href="{href(page.pages - 1)}">尾页</a>')
    return fmt.format(links=" ".join(parts), page=page.page + 1, pages=page.pages)


# ---------------------------------------------------------------- portal

PORTAL_NAV = ('<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/publicity/">政府信息公开</a></li>'
              '<li><a href="/news/jdxw/">嘉定新闻</a></li><li><a href="/news/gzdt/">工作动态</a></li>'
              '<li><a href="/publicity/bmxxgk/">部门信息公开</a></li><li><a href="/publicity/jzxxgk/">街镇信息公开</a></li>'
              '</ul></div>')
PORTAL_FOOT = ('<div class="footer"><p>主办：上海市嘉定区人民政府办公室　承办：上海市嘉定区网络宣传管理中心</p>'
               '<p>网站标识码：3101140001　沪ICP备05007389号</p></div>')


def _portal_head(title: str, meta: dict[str, str]) -> str:
    tags = "".join(f'<meta name="{k}" content="{escape(v)}"/>\n' for k, v in meta.items() if v)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"/>\n{tags}'
            f'<title>{escape(title)}</title><link rel="stylesheet" href="/css/style.css"/></head><body>\n'
            f'<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="上海嘉定"/></a></div>'
            f'{PORTAL_NAV}</div>\n')


def portal_doc(doc: DocPage, site: str) -> str:
    when = format_date(doc.date, doc.date_form) if doc.date else ""
    meta = {"SiteName": site, "SiteDomain": "www.jiading.gov.cn", "SiteIDCode": "3101140001",
            "ColumnName": doc.column, "ColumnType": doc.column, "ArticleTitle": doc.title,
            "PubDate": f"{doc.date.isoformat()} {doc.time}" if doc.date else "",
            "ContentSource": doc.publisher, "Keywords": doc.title[:20]}
    out = [_portal_head(f"{doc.title}_{doc.column}_{site}", meta),
           f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/publicity/">政府信息公开</a> &gt; '
           f'<a href="{escape(doc.column_url)}">{escape(doc.column)}</a></div>\n<div class="main">']
    if doc.meta_form == "table":
        out.append(
            '<table class="xxgk_table"><tbody>'
            f'<tr><th>索引号</th><td>{escape(doc.index_no)}</td><th>主题分类</th><td>{escape(doc.topic)}</td></tr>'
            f'<tr><th>发布机构</th><td>{escape(doc.publisher)}</td><th>发文日期</th><td>{when}</td></tr>'
            f'<tr><th>文号</th><td>{escape(doc.doc_no)}</td><th>公开类型</th><td>主动公开</td></tr>'
            '<tr><th>公开属性</th><td>主动公开</td><th>公开期限</th><td>长期公开</td></tr></tbody></table>')
    out.append(f'<h1 class="article-title">{escape(doc.title)}</h1>')
    if doc.meta_form == "line":
        info = f"信息来源：{escape(doc.publisher)}" if doc.publisher else ""
        if when:
            info += f"　发布时间：{when}"
        out.append(f'<div class="article-info">{info}</div>')
    out.append(f'<div class="article-content" id="zoom">{_paras(doc)}</div>')
    out.append(_attachments(doc) + _links(doc))
    out.append(f"</div>{PORTAL_FOOT}</body></html>\n")
    return "\n".join(out)


def portal_list(page: ListPage, site: str) -> str:
    rows = "".join(f'<li><a href="{escape(u)}" target="_blank" title="{escape(t)}">{escape(t)}</a>'
                   f'<span class="date">{d.isoformat() if d else ""}</span></li>\n' for u, t, d in page.entries)
    body = f'<ul class="list">{rows}</ul>' if page.entries else '<div class="empty">暂无信息</div>'
    pager = _pager(page, page.url, '<div class="page">共{pages}页　当前第{page}页　{links}</div>')
    return (_portal_head(f"{page.column}_{site}", {"SiteName": site, "SiteIDCode": "3101140001",
                                                     "ColumnName": page.column, "ColumnType": "列表"})
            + f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{escape(page.parent[0])}">'
              f'{escape(page.parent[1])}</a> &gt; <span>{escape(page.column)}</span></div>\n'
            + f'<div class="main"><h2 class="column-title">{escape(page.column)}</h2>{body}{pager}</div>'
            + PORTAL_FOOT + "</body></html>\n")


def portal_index(title: str, sections: list[tuple[str, str, list[tuple[str, str, date | None]]]], site: str,
                 links: list[tuple[str, str]] = ()) -> str:
    """A navigation page: boxes of (column name, column URL, latest entries), plus plain links."""
    boxes = []
    for name, url, entries in sections:
        rows = "".join(f'<li><a href="{escape(u)}">{escape(t)}</a><span>{d.isoformat() if d else ""}</span></li>'
                       for u, t, d in entries)
        boxes.append(f'<div class="box"><h3><a href="{escape(url)}">{escape(name)}</a>'
                     f'<a class="more" href="{escape(url)}">更多</a></h3><ul>{rows}</ul></div>')
    extra = "".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>' for u, t in links)
    return (_portal_head(f"{title}_{site}", {"SiteName": site, "SiteIDCode": "3101140001", "ColumnName": title})
            + f'<div class="main"><h2>{escape(title)}</h2>{"".join(boxes)}'
            + (f'<ul class="dir">{extra}</ul>' if extra else "") + "</div>" + PORTAL_FOOT + "</body></html>\n")


# ---------------------------------------------------------------- modern sub-site

def _modern_head(title: str, site: str) -> str:
    return (f'<!doctype html>\n<html lang="zh-cmn-Hans"><head><meta charset="UTF-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="ArticleTitle" content="{escape(title)}"><title>{escape(title)} - {escape(site)}</title></head>'
            f'<body><header class="site-header"><a class="brand" href="/">{escape(site)}</a><nav>'
            f'<a href="/">首页</a><a href="/xxgk/">信息公开</a><a href="/gzdt/">工作动态</a><a href="/tzgg/">通知公告</a>'
            f'<a href="http://@www@/">上海嘉定</a></nav></header>\n<main>')


MODERN_FOOT = '</main><footer><p>版权所有 © 上海市嘉定区</p></footer></body></html>\n'


def modern_doc(doc: DocPage, site: str) -> str:
    info = [f"<span>{a}</span>" for a in _attrs(doc, "信息来源：", "发布时间：")]
    return (_modern_head(doc.title, site)
            + f'<nav class="crumb"><a href="/">首页</a> / <a href="{escape(doc.column_url)}">{escape(doc.column)}</a></nav>'
            + f'<article><h2 class="title">{escape(doc.title)}</h2><p class="info">{"".join(info)}</p>'
            + f'<section class="content">{_paras(doc)}</section>{_attachments(doc, "相关附件")}{_links(doc)}</article>'
            + MODERN_FOOT)


def modern_list(page: ListPage, site: str) -> str:
    rows = "".join(f'<li><a href="{escape(u)}">{escape(t)}</a><time>{d.isoformat() if d else ""}</time></li>'
                   for u, t, d in page.entries)
    body = f'<ul class="news-list">{rows}</ul>' if page.entries else "<p class=\"none\">暂无信息</p>"
    return (_modern_head(page.column, site) + f'<h2>{escape(page.column)}</h2>{body}'
            + _pager(page, page.url, '<nav class="pager">{links} <em>{page}/{pages}</em></nav>') + MODERN_FOOT)


def modern_index(title: str, sections, site: str, links=()) -> str:
    boxes = "".join(
        f'<section><h3><a href="{escape(url)}">{escape(name)}</a></h3><ul>'
        + "".join(f'<li><a href="{escape(u)}">{escape(t)}</a><time>{d.isoformat() if d else ""}</time></li>'
                  for u, t, d in entries) + "</ul></section>" for name, url, entries in sections)
    extra = "".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>' for u, t in links)
    return _modern_head(title, site) + boxes + (f"<ul>{extra}</ul>" if extra else "") + MODERN_FOOT


# ---------------------------------------------------------------- legacy GBK CMS

def _legacy_head(title: str, site: str) -> str:
    return ('<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\n'
            f'<title>{escape(title)}--{escape(site)}</title>\n</head>\n<body topmargin="0">\n'
            '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">'
            f'<tr><td class="top" height="120"><img src="/images/banner.gif" alt="{escape(site)}"></td></tr>'
            '<tr><td class="menu"><a href="/">网站首页</a> | <a href="/xxgk/">信息公开</a> | '
            '<a href="/gzdt/">教育动态</a> | <a href="/tzgg/">通知公告</a></td></tr>\n')


LEGACY_FOOT = ('<tr><td align="center" class="foot">上海市嘉定区教育局 版权所有　'
               '地址：嘉定区博乐路70号</td></tr></table>\n</body>\n</html>\n')


def legacy_doc(doc: DocPage, site: str) -> str:
    attrs = _attrs(doc, "来源：", "日期：")
    return (_legacy_head(doc.title, site)
            + f'<tr><td class="pos">您现在的位置：<a href="/">首页</a> &gt;&gt; '
              f'<a href="{escape(doc.column_url)}">{escape(doc.column)}</a> &gt;&gt; 正文</td></tr>'
            + f'<tr><td align="center"><font size="4" color="#003366"><b>{escape(doc.title)}</b></font></td></tr>'
            + f'<tr><td align="center" class="attr">{"　　".join(attrs)}　　点击数：{len(doc.title) * 7}</td></tr>'
            + f'<tr><td class="content">{_paras(doc)}{_attachments(doc)}{_links(doc)}</td></tr>\n'
            + LEGACY_FOOT)


def _year_grouped(entries, row: str) -> str:
    """Rows with [MM-DD] dates under year headings, as old CMS lists show them."""
    out, year = [], None
    for u, t, d in entries:
        if d and d.year != year:
            year = d.year
            out.append(f'<tr><td colspan="2" class="year"><b>{year}年</b></td></tr>')
        out.append(row.format(u=escape(u), t=escape(t), d=f"[{d.month:02d}-{d.day:02d}]" if d else ""))
    return "".join(out)


def legacy_list(page: ListPage, site: str) -> str:
    rows = _year_grouped(page.entries, '<tr><td width="85%">·<a href="{u}" target="_blank">{t}</a></td>'
                                       '<td class="date">{d}</td></tr>')
    body = f'<table width="100%">{rows}</table>' if page.entries else "暂无信息"
    return (_legacy_head(page.column, site)
            + f'<tr><td class="pos">您现在的位置：<a href="/">首页</a> &gt;&gt; {escape(page.column)}</td></tr>'
            + f'<tr><td>{body}</td></tr>'
            + f'<tr><td align="center">{_pager(page, page.url, "共{pages}页 第{page}页 {links}")}</td></tr>'
            + LEGACY_FOOT)


def legacy_index(title: str, sections, site: str, links=()) -> str:
    cells = "".join(
        f'<tr><td class="lm"><b><a href="{escape(url)}">{escape(name)}</a></b></td></tr><tr><td><table>'
        + _year_grouped(entries, '<tr><td>·<a href="{u}">{t}</a></td><td>{d}</td></tr>') + "</table></td></tr>"
        for name, url, entries in sections)
    extra = "".join(f'<a href="{escape(u)}">{escape(t)}</a> ' for u, t in links)
    return _legacy_head(title, site) + cells + (f"<tr><td>{extra}</td></tr>" if extra else "") + LEGACY_FOOT


# ---------------------------------------------------------------- 街镇 site

def _town_head(title: str, site: str) -> str:
    return (f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            f'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" '
            f'content="text/html; charset=utf-8" /><title>{escape(site)}-{escape(title)}</title></head><body>'
            f'<div id="wrapper"><div id="top"><h1>{escape(site)}</h1></div><div id="menu"><a href="/">首页</a>'
            f'<a href="/zwgk/">政务公开</a><a href="/zwgk/tzgg/">通知公告</a><a href="/zwgk/gzdt/">镇务动态</a>'
            f'<a href="http://@www@/">上海嘉定</a></div>\n')


TOWN_FOOT = '<div id="foot">Copyright 2018 版权所有</div></div></body></html>\n'


def town_doc(doc: DocPage, site: str) -> str:
    attrs = _attrs(doc, "发布单位：", "发布时间:")
    return (_town_head(doc.title, site)
            + f'<div class="crumbs">首页 » <a href="{escape(doc.column_url)}">{escape(doc.column)}</a></div>'
            + f'<div class="detail"><div class="detail-title">{escape(doc.title)}</div>'
            + f'<div class="detail-attr">{" | ".join(attrs)}</div>'
            + f'<div class="detail-body">{_paras(doc)}</div>{_attachments(doc, "附件下载：")}{_links(doc)}</div>'
            + TOWN_FOOT)


def town_list(page: ListPage, site: str) -> str:
    rows = "".join(
        f'<li><span class="date">{"[%02d-%02d]" % (d.month, d.day) if d else ""}</span>'
        f'<a href="{escape(u)}">{escape(t)}</a></li>' for u, t, d in page.entries)
    years = sorted({d.year for _, _, d in page.entries if d}, reverse=True)
    head = f'<div class="year">{"、".join(f"{y}年" for y in years)}</div>' if years else ""
    body = f'{head}<ul class="list">{rows}</ul>' if page.entries else '<div class="nodata">暂无信息</div>'
    return (_town_head(page.column, site) + f'<div class="crumbs">首页 » {escape(page.column)}</div>{body}'
            + _pager(page, page.url, '<div class="pages">{links} 第{page}页/共{pages}页</div>') + TOWN_FOOT)


def town_index(title: str, sections, site: str, links=()) -> str:
    boxes = "".join(
        f'<div class="col"><div class="col-title"><a href="{escape(url)}">{escape(name)}</a></div><ul>'
        + "".join(f'<li><a href="{escape(u)}">{escape(t)}</a><span>{d.isoformat() if d else ""}</span></li>'
                  for u, t, d in entries) + "</ul></div>" for name, url, entries in sections)
    extra = "".join(f'<a href="{escape(u)}">{escape(t)}</a> ' for u, t in links)
    return _town_head(title, site) + boxes + (f"<div>{extra}</div>" if extra else "") + TOWN_FOOT


RENDER = {
    "portal": (portal_doc, portal_list, portal_index),
    "modern": (modern_doc, modern_list, modern_index),
    "legacy": (legacy_doc, legacy_list, legacy_index),
    "town": (town_doc, town_list, town_index),
}
