"""Find a page's title: ArticleTitle meta, the article heading, or <title>."""

from __future__ import annotations

import re

from lxml import etree

from auditor.extract.document import class_id, collapse, short_text

_HEADING_CLASS = re.compile(r"title|biaoti|bt\b|headline|tit\b")
_NOT_HEADING = re.compile(r"subtitle|title_sec|sub_title|logo|nav|menu|site|header|foot|sidebar|list|hd_title")
# Separators between an article title and the site/column names in <title>.
# A bare hyphen also joins years (2018-2020年规划), so it only counts before a
# name that looks like a site's.
_SUFFIX = re.compile(r"^(.*[^\s-])(\s*(?:_|\||｜|—+|–)\s*|\s+-{1,2}\s+|-{1,2})([^_|｜—–]{2,60})$")
_SITE_WORDS = re.compile(r"政府|人民|网站|门户|政务|公开|[区市县省镇]$|街道|委员会|局$|中心$|网$")
# A long part names a site only when it ends like one: "新成路街道组织…培训" holds
# 街道 but is an article's title.
_SITE_END = re.compile(r"(?:政府|网站|门户|网|政务公开|信息公开|街道|办事处|委员会|办公室|局|中心|[区市县省镇])$")
_NOT_SITE = re.compile(r"\d|[（）()《》〔〕【】]")
# Containers of a site's banner (its name as <h1>, its logo): whatever heading
# they hold names the site, never the page.
_BANNER = re.compile(r"^(?:top|header|banner|logo|masthead|topbar|top[-_]?banner|sitename|site[-_]?(?:name|head|header|top|logo|title|banner))$")
# Containers of a site's footer: its headings (新媒体矩阵, 友情链接) name the site's sections.
_FOOTER = re.compile(r"^(?:footer|foot|bottom|copyright|site[-_]?(?:footer|foot|bottom|info)|ft|foot[-_]?(?:box|wrap|nav))$")
# A byline: the publication date written after its label (时间：2024-09-30, 发布日期：2018年3月2日).
_BYLINE = re.compile(r"(?:发布|成文|发文|公开)?(?:时间|日期)\s*[:：]\s*\d{4}\s*[-年./]")
_PREFIX = re.compile(r"\s*(?:_|\||｜|—+|–|-{1,2})\s*")
_MAX_SITE_NAME = 15
_MIN, _MAX = 4, 150
_MIN_PARAGRAPH = 10
_SITE_ONLY = 10
_HEADING_TAGS = frozenset(("h1", "h2", "h3"))


def strip_site_suffix(title: str, known: tuple[str, ...] = (), sites: tuple[str, ...] = ()) -> str:
    """``<title>`` without site or column names: trailing ones (`_上海嘉定`,
    `-嘉定区人民政府`, or any ``known`` name), and a leading one when it is one of
    the ``sites``' names (`某镇人民政府-关于…的通知`). Only a site's name is stripped
    in front: a breadcrumb's last part is often the document's own title."""
    title = collapse(title)
    for name in sites:
        if name and title.startswith(name):
            separator = _PREFIX.match(title, len(name))
            if separator and separator.end() < len(title):
                title = title[separator.end():]
                break
    while True:
        m = _SUFFIX.match(title)
        if not m:
            return title
        head, separator, tail = m.group(1).strip(), m.group(2), m.group(3).strip()
        # a year, number or bracket belongs to a document's title, never to a site's name
        site_like = tail in known or (
            _SITE_WORDS.search(tail) and not _NOT_SITE.search(tail)
            and (len(tail) <= _MAX_SITE_NAME or _SITE_END.search(tail))
        )
        # After a strong separator (_ | — --) a short tail is the site name even
        # when it names no office (`_上海嘉定`, `--嘉定教育`); a single hyphen is too
        # common inside titles (2018-2020) to count.
        short_name = separator != "-" and len(tail) <= _MAX_SITE_NAME and not _NOT_SITE.search(tail)
        # a separator inside brackets (实施方案（2018—2020年）) is part of the title
        inside_brackets = head.count("（") + head.count("(") > head.count("）") + head.count(")")
        if len(head) < _MIN or inside_brackets or not (site_like or short_name):
            return title
        title = head


def _in_banner(el: etree._Element, article: set) -> bool:
    """``el`` stands in a banner container; one holding the article (a page
    wrapper named "top" for back-to-top links) is no banner. ``article`` holds
    the article text's element and its ancestors."""
    return any(
        a not in article and any(_BANNER.match(token) for token in class_id(a).split())
        for a in el.iterancestors()
    )


def _in_footer(el: etree._Element) -> bool:
    return any(a.tag == "footer" or any(_FOOTER.match(t) for t in class_id(a).split()) for a in el.iterancestors())


def _article_path(main: etree._Element | None) -> set:
    return {main, *main.iterancestors()} if main is not None else set()


def site_headings(body: etree._Element, main: etree._Element | None = None) -> list[str]:
    """Texts of the headings in a site's banner: names of the site."""
    article = _article_path(main)
    return [
        text for el in body.iter(*_HEADING_TAGS)
        if _in_banner(el, article) and (text := short_text(el, _MAX))
    ]


def heading_candidates(
    body: etree._Element, main: etree._Element | None = None
) -> list[tuple[str, bool]]:
    """(text, stands before the article text) of headings that may carry the title.

    "Before" holds until the first paragraph-sized text inside ``main``, so a
    heading inside the article's wrapper still counts as its heading. Headings in
    a banner are the site's, never candidates.
    """
    inside = set(main.iter()) if main is not None else set()
    article = _article_path(main)
    found = []
    before, seen_main = True, False
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        seen_main = seen_main or el is main
        if before and seen_main:
            if el not in inside:
                before = False  # past the article
            elif el.tag not in _HEADING_TAGS and len((el.text or "").strip()) >= _MIN_PARAGRAPH:
                before = False  # the article's first paragraph
        names = class_id(el)
        is_heading = el.tag in _HEADING_TAGS or (
            _HEADING_CLASS.search(names) and el.tag not in ("a", "li", "img", "input", "body")
        )
        if not is_heading or _NOT_HEADING.search(names) or _in_banner(el, article) or _in_footer(el):
            continue
        text = short_text(el, _MAX)
        if text and len(text) >= _MIN:
            found.append((text, before))
    return found


def byline_heading(body: etree._Element, main: etree._Element | None = None) -> str:
    """The heading standing right above the article's byline (时间：…, 发布日期：…), or "".

    CMSs of every make print a document's title, then its date line, then its text: the
    heading before the first dated byline is the title even where the article's container
    cannot be told from the page's (a short page of an image and a few lines).
    """
    article = _article_path(main)
    last = ""
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if _BYLINE.search(el.text or "") and last:
            return last
        names = class_id(el)
        is_heading = el.tag in _HEADING_TAGS or (
            _HEADING_CLASS.search(names) and el.tag not in ("a", "li", "img", "input", "body")
        )
        if is_heading and not _NOT_HEADING.search(names) and not _in_banner(el, article) and not _in_footer(el):
            text = short_text(el, _MAX)
            if text and len(text) >= _MIN:
                last = text
    return ""


def choose_title(
    body: etree._Element | None,
    meta: dict[str, str],
    html_title: str,
    main: etree._Element | None,
    known_suffixes: tuple[str, ...] = (),
) -> str:
    """The page title by evidence order: ArticleTitle meta, a heading agreeing
    with <title>, the last heading before the article text, <title> stripped.

    The site's name (SiteName meta, a banner's heading) is never the title while
    anything else is found.
    """
    if meta.get("ArticleTitle"):
        return meta["ArticleTitle"]
    sites = {meta.get("SiteName", ""), *(site_headings(body, main) if body is not None else ())} - {""}
    stripped = strip_site_suffix(html_title, (*sites, *known_suffixes), tuple(sites))
    # A short <title> with nothing to strip is usually just the site's name.
    site_only = stripped in sites or (stripped == collapse(html_title) and len(stripped) <= _SITE_ONLY)
    candidates = [(t, b) for t, b in (heading_candidates(body, main) if body is not None else []) if t not in sites]
    if stripped and not site_only:
        # the heading that is <title> itself; else one holding it (a <title> cut short), the
        # shortest (a heading holding its byline too, 阅读次数：, is longer); else the longest inside it
        if stripped in (t for t, _ in candidates):
            return stripped
        holding = [t for t, _ in candidates if stripped in t]
        if holding:
            return min(holding, key=len)
        inside = [t for t, _ in candidates if t in stripped]
        if inside:
            return max(inside, key=len)
    byline = byline_heading(body, main) if body is not None else ""
    if byline and byline not in sites:
        return byline
    before = [t for t, is_before in candidates if is_before]
    if main is not None and before:
        return before[-1]
    if stripped and not site_only:
        return stripped
    return candidates[0][0] if candidates else stripped


def site_names(meta: dict[str, str], html_title: str, title: str, body: etree._Element | None,
               main: etree._Element | None) -> set[str]:
    """The names the page gives its website: SiteName meta, the banner's headings, and what
    <title> carries beyond the page's own title (栏目_平潭综合实验区党工委管委会)."""
    names = {meta.get("SiteName", ""), *(site_headings(body, main) if body is not None else ())}
    rest = collapse(html_title).replace(collapse(title), " ") if title else collapse(html_title)
    names.update(part.strip() for part in re.split(r"[_|｜—–]+|\s-\s", rest) if len(part.strip()) >= 4)
    return names - {""}
