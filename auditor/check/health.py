"""Site health from the crawl tables, per the national inspection standard in force.

Thresholds come from `site_health.yaml` (the edition of the standard in force on the
as-of date: the 2015 census sheet for 2018, 《政府网站与政务新媒体检查指标》 from 2019)
and deductions from `scoring.yaml`; nothing here hard-codes a number of the standard.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlite_utils import Database

from ..labels import error_label
from ..rules.config import SiteHealth
from .crawldata import Crawl

# Fetch errors that do not make a link broken: the target exists but is not ours to read.
BENIGN_ERRORS = {"offsite_redirect", "too_large", "robots", "disallowed", "filtered", "not_html"}


@dataclass(frozen=True)
class SiteCheck:
    check: str
    unit: str
    url: str
    detail: str
    deduction: float = 0.0


# A page with neither title nor text (and no list) shows a reader nothing at all.
_BLANK = "(COALESCE(title, '') = '' AND COALESCE(text, '') = '' AND is_list = 0)"

class HealthCheck:
    """The site checks of one crawl at an as-of date."""

    def __init__(self, db: Database, crawl: Crawl, unit_of: Callable[[str], str], settings: SiteHealth,
                 deductions: dict, as_of: date) -> None:
        self.db, self.crawl, self.unit_of = db, crawl, unit_of
        self.settings, self.limits, self.deductions, self.as_of = settings, settings.thresholds, deductions, as_of
        self.homes = crawl.homes

    def run(self) -> list[SiteCheck]:
        checks = [*self.unreachable(), *self.broken_links(), *self.stale_homepages(), *self.columns(),
                  *self.undated_pages(), *self.blank_pages()]
        return checks + self.failed_sites(checks)

    def failed_sites(self, checks: list[SiteCheck]) -> list[SiteCheck]:
        """The standard's single vetoes: a unit's site is failed by an unreachable site, a
        stale home page, or as many stale or empty columns as the standard tolerates no more."""
        by_unit: dict[str, list[SiteCheck]] = defaultdict(list)
        for c in checks:
            by_unit[c.unit].append(c)
        out = []
        for unit, found in sorted(by_unit.items()):
            count = lambda kind: sum(c.check == kind for c in found)  # noqa: E731
            why = []
            if count("unreachable"):
                why.append("网站无法访问")
            if count("stale_homepage"):
                why.append("首页长期未更新")
            for kind, key, label in (("stale_column", "stale_columns_fail", "栏目长期未更新"),
                                     ("empty_column", "empty_columns_fail", "空白栏目")):
                limit = int(self.limits.get(key, 0) or 0)
                if limit and count(kind) >= limit:
                    why.append(f"{label}{count(kind)}个（达到{limit}个即单项否决）")
            if why:
                home = next((u for u, owner in self.homes.items() if owner == unit), found[0].url)
                out.append(SiteCheck("site_failed", unit, home, "；".join(why)))
        return out

    def _check(self, check: str, unit: str, url: str, detail: str, deduction_key: str | None = None) -> SiteCheck:
        return SiteCheck(check, unit, url, detail, float(self.deductions.get(deduction_key or check, 0)))

    def unreachable(self) -> list[SiteCheck]:
        out = []
        for unit, fails in sorted(self.crawl.unreachable.items()):
            for f in fails:
                why = error_label(f["error"]) if f["error"] else (f"HTTP {f['status']}" if f["status"] else "无响应")
                out.append(self._check("unreachable", unit, f["url"], f"{unit}的网站无法访问（{why}）"))
        return out

    def broken_links(self) -> list[SiteCheck]:
        rows = self.db.execute(
            "SELECT l.from_url, l.to_url, f.status, f.error FROM links l JOIN fetches f ON f.run = l.run AND f.url = l.to_url "
            "WHERE l.run = ? AND (f.status >= 400 OR (f.error IS NOT NULL AND f.error != '')) ORDER BY l.to_url, l.from_url",
            [self.crawl.run],
        ).fetchall()
        sources: dict[tuple[str, str], list[str]] = defaultdict(list)
        why: dict[str, str] = {}
        for from_url, to_url, status, error in rows:
            if error in BENIGN_ERRORS and not (status and status >= 400):
                continue
            why[to_url] = f"HTTP {status}" if status and status >= 400 else f"无法访问（{error_label(error)}）"
            sources[(self.unit_of(from_url), to_url)].append(from_url)
        out = []
        for (unit, to_url), froms in sorted(sources.items()):
            home = next((u for u in froms if u in self.homes), None)
            first = home or froms[0]
            more = f"等{len(froms)}个页面" if len(froms) > 1 else ""
            where = "（首页）" if home else ""
            out.append(self._check("broken_link", unit, to_url, f"{why[to_url]}，链接所在页面：{first}{where}{more}",
                                   "broken_link_home" if home else "broken_link"))
        return out

    def _newest(self, sql: str, params: list) -> date | None:
        row = self.db.execute(sql, params).fetchone()
        return date.fromisoformat(row[0][:10]) if row and row[0] else None

    def stale_homepages(self) -> list[SiteCheck]:
        """Home pages (start URLs, units' configured URLs) with nothing new for too long.

        A home page that is only navigation is judged by its second-level pages: the
        dates of the pages it links to and the entries of the lists it links to.
        """
        limit = int(self.limits["homepage_max_age_days"])
        run, as_of = self.crawl.run, self.as_of.isoformat()
        out = []
        for url, unit in self.homes.items():
            if unit in self.crawl.unreachable or not self._fetched(url):
                continue
            dates = [
                self._newest("SELECT MAX(date) FROM list_entries WHERE run = ? AND list_url = ? AND date <= ?", [run, url, as_of]),
                self._newest("SELECT MAX(p.date) FROM links l JOIN pages p ON p.run = l.run AND p.url = l.to_url "
                             "WHERE l.run = ? AND l.from_url = ? AND p.date <= ?", [run, url, as_of]),
                self._newest("SELECT MAX(e.date) FROM links l JOIN list_entries e ON e.run = l.run AND e.list_url = l.to_url "
                             "WHERE l.run = ? AND l.from_url = ? AND e.date <= ?", [run, url, as_of]),
            ]
            newest = max((d for d in dates if d), default=None)
            if newest is None:
                out.append(self._check("stale_homepage", unit, url, "首页及其二级页面均未找到带发布日期的信息，无法确认更新"))
            elif (self.as_of - newest).days > limit:
                out.append(self._check("stale_homepage", unit, url,
                                       f"首页最近更新为{newest.isoformat()}，已{(self.as_of - newest).days}天未更新（要求{limit}天内）"))
        return out

    def _fetched(self, url: str) -> bool:
        return bool(self.db.execute("SELECT 1 FROM pages WHERE run = ? AND url = ? AND status < 400", [self.crawl.run, url]).fetchone())

    def _column_limit(self, name: str) -> int | None:
        """Days a column may go without news: news columns 2 weeks, notice/policy columns 6 months."""
        if any(w in name for w in self.settings.news_column_words):
            return int(self.limits["news_column_max_age_days"])
        if any(w in name for w in self.settings.notice_column_words):
            return int(self.limits["notice_column_max_age_days"])
        return None

    def columns(self) -> list[SiteCheck]:
        """Stale and empty columns. A column is its list pages (a list and its next pages)
        sharing unit, host and column name; it is judged by its newest entry."""
        newest_sql = "(SELECT MAX(e.date) FROM list_entries e WHERE e.run = p.run AND e.list_url = p.url AND e.date <= ?)"
        rows = self.db.execute(
            f"SELECT p.url, p.host, COALESCE(NULLIF(p.column_name, ''), p.title, ''), p.empty_list, p.entries, {newest_sql} "
            "FROM pages p WHERE p.run = ? AND p.is_list = 1 AND p.status < 400 ORDER BY length(p.url), p.url",
            [self.as_of.isoformat(), self.crawl.run],
        ).fetchall()
        columns: dict[tuple, dict] = {}
        for url, host, name, empty, entries, newest in rows:
            if url in self.homes:
                continue
            key = (self.unit_of(url), host, name or url)
            col = columns.setdefault(key, {"url": url, "name": name, "empty": True, "newest": None})
            col["empty"] = col["empty"] and (bool(empty) or not entries)
            if newest and (col["newest"] is None or newest > col["newest"]):
                col["newest"] = newest
        out = []
        for (unit, _, _), col in columns.items():
            label = f"栏目“{col['name']}”" if col["name"] else "栏目"
            if col["empty"]:
                out.append(self._check("empty_column", unit, col["url"], f"{label}无任何信息"))
                continue
            limit = self._column_limit(col["name"])
            if limit is None:
                continue
            if col["newest"] is None:
                out.append(self._check("stale_column", unit, col["url"], f"{label}的信息均未标注发布日期，无法确认更新"))
                continue
            age = (self.as_of - date.fromisoformat(col["newest"][:10])).days
            if age > limit:
                out.append(self._check("stale_column", unit, col["url"],
                                       f"{label}最近更新为{col['newest'][:10]}，已{age}天未更新（要求{limit}天内）"))
        return out

    def undated_pages(self) -> list[SiteCheck]:
        """Document pages without a publication date (the standard counts them as not updated)."""
        rows = self.db.execute(
            f"SELECT url, title FROM pages WHERE run = ? AND is_list = 0 AND status < 400 AND (date IS NULL OR date = '') "
            f"AND NOT {_BLANK}",
            [self.crawl.run],
        )
        return [self._check("undated_page", self.unit_of(url), url, f"页面未标注发布日期：{title or url}")
                for url, title in rows if url not in self.homes]

    def blank_pages(self) -> list[SiteCheck]:
        """Pages that answer but show nothing readable: empty bodies, binary files served as HTML."""
        rows = self.db.execute(f"SELECT url, encoding FROM pages WHERE run = ? AND status < 400 AND {_BLANK}",
                               [self.crawl.run])
        return [self._check("blank_page", self.unit_of(url), url,
                            "页面内容不是可读文本（以网页形式返回的二进制文件）" if encoding == "binary" else "页面内容为空")
                for url, encoding in rows if url not in self.homes]
