"""The report's Chinese vocabulary: status, unit-kind and site-check labels."""

from __future__ import annotations

# Order is the order of the status spread on the index page: best to worst,
# then the statuses that are no judgement of the unit's publishing.
STATUS_LABELS: dict[str, str] = {
    "met": "已公开",
    "partial": "部分公开",
    "stale": "未及时更新",
    "missing": "未公开",
    "not_due": "未到期",
    "unreachable": "无法访问",
    "manual": "需人工核查",
}

# A (plan item, unit) pair in one of these states is a gap the unit must act on.
GAP_STATUSES: frozenset[str] = frozenset({"partial", "stale", "missing"})

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
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def site_check_label(check: str) -> str:
    return SITE_CHECK_LABELS.get(check, check)
