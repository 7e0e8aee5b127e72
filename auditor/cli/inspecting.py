"""`auditor inspect URL`: what the auditor reads from one page and which rules it satisfies."""

from __future__ import annotations

import json

import click

from . import cli
from .options import (
    as_of_option,
    day,
    one_line_errors,
    rules_dir_of,
    rules_option,
    settings,
)


@cli.command()
@click.argument("url")
@click.option("--portal", "portal_path", type=click.Path(dir_okay=False), default=None,
              help="Portal configuration, to attribute the page by URL as the check does")
@rules_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON")
@as_of_option
@one_line_errors
def inspect(url: str, portal_path: str | None, rules_dir: str | None, as_json: bool, as_of) -> None:
    """Fetch one page and show what the auditor reads from it and which rules it satisfies.

    Example: auditor inspect https://www.jiading.gov.cn/publicity/jcgk/zdgkwj/gfxwj --json
    """
    from ..inspect import inspect_url
    from ..rules import load_catalogue

    result = inspect_url(url, load_catalogue(rules_dir_of(rules_dir)), portal_path,
                         timeout=int(settings()["page_timeout"]), as_of=day(as_of))
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return
    page = result.page
    for label, value in (("地址", page.url), ("标题", page.title), ("发布日期", page.date or "未识别"),
                         ("发布机构", page.publisher or "未识别"), ("栏目", page.column_name or "未识别"),
                         ("归属单位", result.unit or "未知"), ("索引号", page.index_no), ("文号", page.doc_no),
                         ("编码", page.encoding)):
        if value:
            click.echo(f"{label}：{value}")
    if page.is_list:
        click.echo(f"列表页：{len(page.entries)} 条{'（暂无信息）' if page.empty_list else ''}")
    for att in page.attachments:
        click.echo(f"附件：{att.text or att.url}（{att.ext}）{att.url}")
    click.echo(f"评估基准日：{result.as_of.isoformat()}")
    if not result.hits:
        click.echo("没有规则与本页相关")
    for hit in result.hits:
        mark = "满足" if hit.satisfied else "接近"
        parts = f"（要素：{'、'.join(hit.elements)}）" if hit.elements else ""
        click.echo(f"[{mark}] {hit.rule} 第{hit.item or '-'}项 {hit.title}{parts}{'：' + hit.why if hit.why else ''}")
