"""A catalogue is data: another district's plan of another year (tests/fixtures/catalogue-putuo-2019)
lints, crawls, checks and reports with no code change."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from loopback import Resource, Site, html, write_portal

CATALOGUE = Path(__file__).parent / "fixtures" / "catalogue-putuo-2019"
DOC = "<p>" + "根据有关规定，现予公开。" * 12 + "</p><p>发布机构：{who}　发布日期：{day}</p>"


def auditor(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor", *args], cwd=cwd, capture_output=True, text=True)


def page(title: str, who: str, day: str) -> Resource:
    return Resource(html(title, DOC.format(who=who, day=day)))


def test_another_districts_catalogue_runs_end_to_end(tmp_path: Path) -> None:
    lint = auditor("rules", "lint", "--rules", str(CATALOGUE), cwd=tmp_path)
    assert lint.returncode == 0 and "putuo-2019" in lint.stdout and "plan items 1–3" in lint.stdout
    months = [f"/mzj/{m}.html" for m in range(1, 11) if m != 4]  # April is missing
    pages = {p: page(f"2019年{int(p.split('/')[-1][:-5])}月普陀区城乡低保资金发放情况", "普陀区民政局",
                     f"2019-{int(p.split('/')[-1][:-5]) + 1:02d}-06") for p in months}
    pages["/mzj/"] = Resource(html("普陀区民政局", "".join(f'<a href="{p}">{p}</a>' for p in months)
                                   + '<a href="/mzj/gk.html">指南</a>'))
    pages["/mzj/gk.html"] = page("普陀区民政局政府信息公开指南", "普陀区民政局", "2019-03-01")
    pages["/cz/"] = Resource(html("长征镇", '<a href="/cz/ml.html">目录</a>'))
    pages["/cz/ml.html"] = page("长征镇主动公开信息目录", "长征镇人民政府", "2019-05-20")
    pages["/cy/"] = Resource(html("曹杨新村街道", "<p>街道简介</p>"))
    pages["/"] = Resource(html("上海普陀", '<a href="/mzj/">民政</a><a href="/cz/">长征</a><a href="/cy/">曹杨</a>'))
    db, out = tmp_path / "audit.db", tmp_path / "report"
    with Site("127.0.0.2", pages) as site:
        config = write_portal(tmp_path / "putuo.yaml", [site.url("/")], {
            "区民政局": [site.url("/mzj/")], "长征镇": [site.url("/cz/")], "曹杨新村街道": [site.url("/cy/")]},
            name="上海普陀")
        crawled = auditor("crawl", "--portal", config, "--db", str(db), "--rules", str(CATALOGUE), cwd=tmp_path)
        assert crawled.returncode == 0, crawled.stderr
    checked = auditor("check", "--db", str(db), "--rules", str(CATALOGUE), "--as-of", "2019-12-10", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    reported = auditor("report", "--db", str(db), "--out", str(out), cwd=tmp_path)
    assert reported.returncode == 0, reported.stderr
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    items = {(i["item"], i["unit"]): i["status"] for i in doc["items"]}
    # a monthly series with April missing; the 2019 plan's 养老规划 not yet due; one 街镇's 目录
    assert items == {(1, "区民政局"): "partial", (2, "区民政局"): "not_due", (3, "长征镇"): "met",
                     (3, "曹杨新村街道"): "missing"}
    f1 = next(f for f in doc["findings"] if f["rule"] == "pt2019-001")
    assert f1["periods"]["missing"] == ["2019年4月"]
    guide = {f["unit"]: f for f in doc["findings"] if f["rule"] == "base-guide"}
    # judged as of 2019-12-10: the revised 条例 (in force from 2019-05-15) is the text applied
    assert guide["区民政局"]["status"] == "met" and guide["区民政局"]["basis"]["article"] == "第十二条"
    assert {d["unit"] for d in doc["units"]} == {"区府办", "区民政局", "长征镇", "曹杨新村街道"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2019年普陀区政务公开工作要点（测试用）" in index and "site-indicators" not in index
    assert "《政府网站与政务新媒体检查指标》" in index  # the site standard in force in December 2019
