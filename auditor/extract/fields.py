"""Read labelled metadata: 索引号, 文号, 主题分类, publisher, labelled dates.

Government pages write metadata as ``label：value`` in one line
(`信息来源：区府办  发布时间：2025-01-21`) or as a label cell followed by a
value cell (`<td>索引号</td><td>…</td>`). Both are read from the page's text
lines; a value ends at the next known label or at a wide gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from auditor.extract.dates import parse_date

# Field → labels, most authoritative first.
PUBLISHER_TABLE = ("发布机构", "发文机关", "发文单位", "发布单位", "制发机关", "成文单位", "发布部门", "公开责任部门", "责任部门")
PUBLISHER_SOURCE = ("信息来源", "文章来源", "稿件来源", "来源")
INDEX_NO = ("索引号",)
DOC_NO = ("发文字号", "发文文号", "文号", "文件编号")
TOPIC = ("主题分类", "信息分类", "主题类别", "分类")
DATE_LABELS = ("发布日期", "发布时间", "发文日期", "生成日期", "成文日期", "公开日期", "日期", "时间")
# The labels that name the publication itself: what the page shows the public beats a CMS's
# PubDate meta, which some platforms fill with the page's generation time (开普云).
PUBLICATION_DATE_LABELS = ("发布日期", "发布时间", "发文日期", "生成日期", "公开日期")
# Labels that only end a preceding value.
_OTHER = ("浏览次数", "点击数", "阅读次数", "访问量", "浏览量", "作者", "编辑", "责任编辑",
          "字号", "公开方式", "公开类型", "公开属性", "公开范围", "公开期限", "有效性", "标题",
          "关键词", "效力状态", "体裁分类", "组配分类", "打印", "关闭", "字体", "分享")
ALL_LABELS = tuple(dict.fromkeys(
    PUBLISHER_TABLE + PUBLISHER_SOURCE + INDEX_NO + DOC_NO + TOPIC + DATE_LABELS + _OTHER
))
_COLON = r"\s*[:：]"


def _spaced(label: str) -> str:
    # Templates pad short labels to align columns: 索 引 号, 索&ensp;引&ensp;号.
    return r"\s*".join(map(re.escape, label))


_ANY_LABEL = re.compile(
    "(?:" + "|".join(_spaced(l) for l in sorted(ALL_LABELS, key=len, reverse=True)) + ")" + _COLON
)
_DOC_NO = r"[\u4e00-\u9fff]{1,20}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d*\s*号"
# a line that is nothing but a 文号, perhaps in brackets: 岚政[2012]6号, (闽岚综实管〔2012〕3 号)
_DOC_NO_SHAPE = re.compile(rf"^[(（]?\s*({_DOC_NO})\s*[)）]?$")
# a 文号 inside a title (关于嘉卫公罚〔2018〕9号行政执法决定的公示, 岚社会文体〔2016〕  号关于……的通知)
_DOC_NO_IN_TITLE = re.compile(rf"(?<![\u4e00-\u9fff《“])({_DOC_NO})")
_EMPTY_VALUES = {"", "无", "-", "--", "/", "暂无"}


def _label_pattern(label: str) -> re.Pattern:
    # The label must start the line or follow a blank or punctuation, so 来源
    # does not fire inside 信息来源 (that label is read on its own).
    # The label ends at a colon, a blank (`成文日期 2018/05/30`) or the line's end.
    return re.compile(rf"(?:^|(?<=[\s【\[|｜]))({_spaced(label)})(?:{_COLON}|\s|$)\s*(.*)")


_PATTERNS = {label: _label_pattern(label) for label in ALL_LABELS}


def _cut(value: str) -> str:
    """The value up to the next label or wide gap, trimmed of brackets/punctuation."""
    m = _ANY_LABEL.search(value)
    if m:
        value = value[: m.start()]
    # Wide gaps and bracketed tools (【打印】, [字体：大 中 小]) end a value too.
    value = re.split(r"  |【|\[|［|\||｜", value)[0]
    return value.strip(" \t】]：:，,;；")


_BARE_LABEL = re.compile("|".join(_spaced(l) for l in sorted(ALL_LABELS, key=len, reverse=True)))
_MAX_LABEL_LINE = 200


def label_lines(lines: list[str]) -> list[str]:
    """The lines that may hold a label, each with the line after it (a value cell).

    Non-adjacent runs are separated by "", so a value is never taken from a
    line that did not follow its label. Narrowing once keeps per-label scans
    cheap on long pages.
    """
    wanted = sorted({
        j
        for i, line in enumerate(lines)
        if len(line) <= _MAX_LABEL_LINE and _BARE_LABEL.search(line)
        for j in (i, i + 1)
        if j < len(lines)
    })
    kept: list[str] = []
    for k, j in enumerate(wanted):
        if k and j != wanted[k - 1] + 1:
            kept.append("")
        kept.append(lines[j])
    return kept


def _values(lines: list[str], labels: tuple[str, ...]) -> Iterator[str]:
    """Raw values written after each of ``labels``, in label priority order."""
    for label in labels:
        pattern = _PATTERNS[label]
        for i, line in enumerate(lines):
            m = pattern.search(line)
            if not m:
                continue
            value = m.group(2) or ""
            if not value.strip() and i + 1 < len(lines) and not _ANY_LABEL.match(lines[i + 1]):
                value = lines[i + 1]  # label cell, value in the next cell
            yield value


def labelled(lines: list[str], labels: tuple[str, ...]) -> str:
    """The value of the first of ``labels`` present in ``lines`` ("" if none)."""
    for value in _values(lines, labels):
        value = _cut(value)
        if value not in _EMPTY_VALUES:
            return value
    return ""


def labelled_date(lines: list[str], labels: tuple[str, ...] = DATE_LABELS) -> date | None:
    """The publication date written next to one of ``labels``, or None."""
    for value in _values(lines, labels):
        d = parse_date(value[:40])
        if d:
            return d
    return None


def doc_number(labels: list[str], lines: list[str], title: str = "") -> str:
    """文号: a labelled one, else a line of ``lines`` that is nothing but a document number,
    else one the title carries (many CMSs show no 文号 field)."""
    value = labelled(labels, DOC_NO)
    if value:
        return value
    for line in lines:
        line = line.strip()
        m = _DOC_NO_SHAPE.match(line) if len(line) <= 44 else None
        if m:
            return m.group(1)
    m = _DOC_NO_IN_TITLE.search(title)
    value = re.sub(r"^.*?关于", "", m.group(1)) if m else ""
    # 转发沪府发〔2018〕3号文: the number of the document passed on, not of this one
    return "" if re.match(r"(转发|印发|贯彻|落实|根据|执行)", value) else value
