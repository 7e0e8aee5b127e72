"""The reference semantics of evidence conditions."""

from __future__ import annotations

import re

from auditor.rules.matcher import fields_from_mapping, judge, normalise, page_fields
from auditor.rules.model import Clause, Element, FieldCondition, Rule


def cond(**kw):
    kw = {k: tuple(normalise(w) for w in v) if k != "regex" else tuple(re.compile(r) for r in v) for k, v in kw.items()}
    return FieldCondition(**kw)


def rule(match=(), exclude=(), elements=()):
    return Rule(id="t-1", item=1, title="t", units=("区民政局",), weight=1, mode="web",
                match=match, exclude=exclude, elements=elements)


LIST = rule(match=(Clause((("name", cond(all=["污染地块"], any=["名录", "名单"])),)),),
            exclude=(Clause((("title", cond(any=["召开", "推进会"])),)),))


def test_all_and_any_words():
    assert judge(LIST, page_fields(title="嘉定区2018年污染地块名录")).evidence
    assert not judge(LIST, page_fields(title="嘉定区2018年污染地块治理情况")).evidence
    assert not judge(LIST, page_fields(title="2018年重点排污单位名录")).evidence


def test_name_field_covers_attachment_text():
    page = page_fields(title="关于公布有关名单的通知", attachments=["附件：2018年污染地块名录.pdf"])
    assert judge(LIST, page).evidence


def test_exclude_rejects_news_about_the_document():
    verdict = judge(LIST, page_fields(title="区环保局召开污染地块名录编制推进会"))
    assert not verdict.evidence and verdict.excluded


def test_normalisation_full_width_case_and_spaces():
    assert normalise("２０１８年 ＧＳＰ 认证") == "2018年gsp认证"
    r = rule(match=(Clause((("title", cond(all=["gsp", "2018"])),)),))
    assert judge(r, page_fields(title="２０１８年ＧＳＰ认证 跟踪检查结果")).evidence


def test_none_and_regex():
    r = rule(match=(Clause((("title", cond(regex=[r"20\d\d年\d{1,2}月"], none=["计划"])),)),))
    assert judge(r, page_fields(title="2018年7月低保资金发放情况")).evidence
    assert not judge(r, page_fields(title="2018年7月工作计划")).evidence
    assert not judge(r, page_fields(title="低保资金发放情况")).evidence


def test_match_list_is_any_of_its_clauses():
    r = rule(match=(Clause((("title", cond(any=["双公示"])),)), Clause((("column", cond(any=["行政许可"])),))))
    assert judge(r, page_fields(title="x", column="行政许可公示")).evidence
    assert judge(r, page_fields(title="双公示信息")).evidence
    assert not judge(r, page_fields(title="x", column="新闻")).evidence


def test_elements_need_the_subject_and_name_what_they_satisfy():
    r = rule(match=(Clause((("name", cond(any=["科技创新券", "创新资金"])),)),),
             elements=(Element("申报指南", (Clause((("name", cond(any=["申报指南"])),)),)),
                       Element("立项", (Clause((("name", cond(any=["立项"])),)),))))
    v = judge(r, page_fields(title="2018年科技创新券申报指南"))
    assert v.evidence and v.elements == ["申报指南"]
    assert not judge(r, page_fields(title="2018年科技创新券使用说明")).evidence  # subject but no element
    assert not judge(r, page_fields(title="人才项目立项公示")).evidence  # element without subject


def test_fields_from_mapping_accepts_a_single_attachment_string():
    f = fields_from_mapping({"title": "通知", "attachments": "污染地块名录.xlsx"})
    assert f["name"] == ("通知", "污染地块名录.xlsx")


def test_name_conditions_hold_within_one_name_never_across_names():
    # subject in the title, document kind only in an unrelated attachment
    page = page_fields(title="污染地块治理工作情况", attachments=["2018年重点排污单位名录.xlsx"])
    assert not judge(LIST, page).evidence
    assert not judge(LIST, page_fields(title="x", attachments=["污染地块", "名录"])).evidence


def test_quotation_marks_never_split_a_word():
    # officials quote terms inconsistently: “双创”活动周, 《…》, 「…」 or none at all
    assert normalise("2018嘉定科技博览会暨“双创”活动周") == normalise("2018嘉定科技博览会暨双创活动周")
    assert normalise("《嘉定区‘上海购物’行动计划》「图解」") == "嘉定区上海购物行动计划图解"
    weekly = rule(match=(Clause((("name", cond(any=["双创活动周"])),)),))
    assert judge(weekly, page_fields(title="“双创”活动周活动安排")).evidence


def test_traditional_characters_read_as_simplified():
    # 繁體 versions and mirrors: the same words, whatever the script
    assert normalise("關於印發聯合懲戒制度實施方案的通知") == normalise("关于印发联合惩戒制度实施方案的通知")
    assert normalise("嘉定区政务公开工作要点") == "嘉定区政务公开工作要点"  # simplified text is left as it is


def test_a_document_naming_itself_the_whole_satisfies_every_element():
    whole = Rule(id="t-1", item=1, title="t", units=("区府办",), weight=1, mode="web",
                 match=(Clause((("name", cond(any=("规范性文件",))),)),),
                 elements=(Element("继续有效", (Clause((("name", cond(any=("继续有效",))),)),)),
                           Element("废止", (Clause((("name", cond(any=("废止",))),)),))),
                 whole=(Clause((("name", cond(any=("清理结果",))),)),))
    result = judge(whole, page_fields(title="关于公布区政府规范性文件清理结果的决定"))
    assert result.evidence and result.elements == ["继续有效", "废止"]
    part = judge(whole, page_fields(title="继续有效的规范性文件目录"))
    assert part.evidence and part.elements == ["继续有效"]
    assert not judge(whole, page_fields(title="规范性文件清理工作推进")).evidence
