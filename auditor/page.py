"""What the auditor reads from one fetched page.

Extraction (`auditor.extract`) produces a `Page`; the crawl stores it; the check
matches rules against it; `auditor inspect` prints it. Keeping one model for all
four means a field the crawl learns to read is at once usable by rules.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date


@dataclass
class Link:
    """A hyperlink as written on the page (absolute URL, anchor text)."""

    url: str
    text: str = ""


@dataclass
class Attachment:
    """A linked document file (pdf, doc, docx, xls, xlsx, wps, ofd, zip…)."""

    url: str
    text: str = ""  # link text, usually the document's name
    ext: str = ""  # lower-case extension without the dot


@dataclass
class ListEntry:
    """One entry of a column list page: where it points, its title and list date."""

    url: str
    title: str = ""
    date: date | None = None


@dataclass
class Page:
    """The auditor's reading of one HTML page."""

    url: str
    status: int = 200
    encoding: str = ""  # the codec the body was decoded with
    title: str = ""
    date: date | None = None  # publication date
    date_source: str = ""  # meta | label | text | list | "" (none found)
    publisher: str = ""  # 发布机构/发文机关/信息来源/来源/发布单位/ContentSource, as written
    index_no: str = ""  # 索引号
    doc_no: str = ""  # 文号
    topic: str = ""  # 主题分类
    column: str = ""  # ColumnName meta or breadcrumb's last column
    text: str = ""  # main text
    meta: dict[str, str] = field(default_factory=dict)  # CMS meta tags (SiteName, PubDate…)
    links: list[Link] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    is_list: bool = False  # a column list page
    entries: list[ListEntry] = field(default_factory=list)  # list entries, if is_list
    empty_list: bool = False  # a list page saying 暂无信息 or listing nothing
    next_page: str = ""  # URL of the list's next page (下一页), if any

    def to_dict(self) -> dict:
        """A JSON-ready dict (dates as ISO strings)."""
        d = asdict(self)
        d["date"] = self.date.isoformat() if self.date else None
        for e in d["entries"]:
            e["date"] = e["date"].isoformat() if e["date"] else None
        return d
