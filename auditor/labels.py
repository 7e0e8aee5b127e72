"""Every Chinese label the auditor shows, in one place: statuses, unit kinds, site checks,
fetch errors, run statuses. Reports, exports, review sheets and command-line summaries
all read them from here, so a status is called the same everywhere."""

from __future__ import annotations

# CONTRACT.md's statuses, best to worst, then those that are no judgement of a unit's
# publishing; this is also the order of the status spread on the index page.
STATUSES: tuple[str, ...] = ("met", "partial", "stale", "missing", "not_due", "unreachable", "manual")
STATUS_LABELS: dict[str, str] = {
    "met": "已公开",
    "partial": "部分公开",
    "stale": "未及时更新",
    "missing": "未公开",
    "not_due": "未到期",
    "unreachable": "无法访问",
    "manual": "需人工核查",
}
# A status code from its label (a reviewer writes 已公开 in the review sheet).
STATUS_BY_LABEL: dict[str, str] = {label: code for code, label in STATUS_LABELS.items()}

# A (plan item, unit) pair in one of these states is a problem the unit must act on.
GAP_STATUSES: frozenset[str] = frozenset({"partial", "stale", "missing"})
# Statuses that earn a share of a rule's weight: the pair was assessed.
ASSESSED_STATUSES: frozenset[str] = frozenset({"met", "partial", "stale", "missing"})

KIND_LABELS: dict[str, str] = {
    "department": "区政府部门",
    "town": "街镇",
    "other": "其他单位",
}

SITE_CHECK_LABELS: dict[str, str] = {
    "unreachable": "网站无法访问",
    "broken_link": "链接失效",
    "stale_homepage": "首页长期未更新",
    "stale_column": "栏目长期未更新",
    "empty_column": "空白栏目",
    "undated_page": "页面无发布日期",
    "blank_page": "空白页面",
    "site_failed": "网站检查单项否决",
}

# Fetch error codes of the crawl (docs/schema.md) as an official reads them.
ERROR_LABELS: dict[str, str] = {
    "timeout": "请求超时", "reset": "连接被重置", "refused": "连接被拒绝", "dns": "域名无法解析",
    "too_many_redirects": "重定向次数过多", "offsite_redirect": "重定向至站外", "too_large": "页面过大",
    "robots": "robots.txt禁止访问",
}

RUN_STATUS_LABELS: dict[str, str] = {"complete": "已完成", "interrupted": "已中断", "failed": "失败", "running": "未结束"}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def site_check_label(check: str) -> str:
    return SITE_CHECK_LABELS.get(check, check)


def error_label(code: str) -> str:
    """The Chinese reading of a fetch error code; unknown codes are shown as they are."""
    return ERROR_LABELS.get(code, code)


def status_counts(counts: dict[str, int]) -> str:
    """``已公开 68，部分公开 50`` in the order of `STATUSES` (for command-line summaries)."""
    return "，".join(f"{STATUS_LABELS[s]} {counts[s]}" for s in STATUSES if counts.get(s))
