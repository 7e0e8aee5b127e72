"""Who published a page: its 发布机构, its 来源, or the body the document itself names.

A 来源 line often names the website, not the author (来源：本站, 来源：中国平潭, the site
owner's name on every page of the site): such a value is no publisher. The document then
names its author itself, as a reader finds it: the issuer before 关于 in its title
(平潭县人民政府关于……的通告), the actor of a news title (黄埔区图书馆成功举行……), or
the body signing its last lines (平潭综合实验区公安局 / 2024年3月18日).
"""

from __future__ import annotations

import re

from auditor.extract.dates import find_dates
from auditor.extract.document import collapse

# The endings of a body's name, as a publisher is written.
_BODY_END = r"(?:人民政府|政府|管委会|管理委员会|委员会|办公室|办公厅|局|委|厅|署|部|中心|院|馆|所|站|队|街道办事处|办事处|街道|镇|乡)"
_ISSUER = re.compile(rf"^([\u4e00-\u9fff]{{2,30}}?{_BODY_END})\s*(?:关于|印发|转发)")
_ACTOR = re.compile(rf"^([\u4e00-\u9fff]{{2,20}}?{_BODY_END})(?:成功)?(?:举行|举办|开展|召开|组织|启动|发布)")
# a title opening with its year and then its author (2024年平潭综合实验区公安局“双随机”抽查工作计划)
_YEAR_AUTHOR = re.compile(r"^\d{4}年度?([\u4e00-\u9fff]{2,20}?(?:局|委员会|办公室|管委会|人民政府|中心))(?=[\u4e00-\u9fff“\"《])")
# what a source written as the press or a site's brand ends with: the press is an author
_PRESS = re.compile(r"(报|报社|社|网|台|客户端|公众号|新闻|日报|晚报|杂志)$")
_SIGNER = re.compile(rf"^[\u4e00-\u9fff]{{2,30}}{_BODY_END}$")
_SELF = {"本站", "本网", "本网站", "网站", "本平台", "门户网站"}
_SIGNATURE_LINES = 8


def site_publisher(value: str, site_names: set[str]) -> bool:
    """Whether a 来源 value names the website (or its owner as the site), not an author."""
    v = collapse(value).strip()
    return v in _SELF or v in site_names or f"{v}网站" in site_names or any(v and v in s and "网" in s for s in site_names)


def named_by_document(title: str, article: list[str]) -> str:
    """The author the document names: its title's issuer or actor, else its signature."""
    compact = "".join(collapse(title).split())
    m = _ISSUER.match(compact) or _ACTOR.match(compact) or _YEAR_AUTHOR.match(compact)
    if m:
        return m.group(1)
    tail = [line.strip() for line in article[-_SIGNATURE_LINES:] if line.strip()]
    for i, line in enumerate(tail):
        if len(line) <= 30 and _SIGNER.match(line) and any(find_dates(x) for x in tail[i + 1:i + 3]):
            return line
    return ""


def choose_publisher(labelled_table: str, meta_source: str, labelled_source: str, title: str,
                     article: list[str], site_names: set[str]) -> str:
    """The page's publisher by evidence order; a value naming the site itself is passed over."""
    for value in (labelled_table, meta_source, labelled_source):
        if value and not site_publisher(value, site_names):
            # a brand that is neither a body nor the press (中国平潭, the site's old name) yields
            # to the author the document names, if it names one
            if not re.search(f"{_BODY_END}$", value) and not _PRESS.search(value):
                return named_by_document(title, article) or value
            return value
    return named_by_document(title, article)
