from pathlib import Path

from auditor.plan import load_plan, parse_plan

SHARED_PLAN = Path(__file__).resolve().parents[2] / "shared" / "plan" / "jiading-2018-zwgk-yaodian.txt"


def test_all_101_items_in_order_with_sections():
    plan = load_plan()
    assert sorted(plan) == list(range(1, 102))
    assert plan[1].section == "一" and plan[1].subsection == "(一)"
    assert plan[21].section == "二" and plan[101].section == "七"
    assert plan[38].subsection_title == "推进科创中心重要承载区建设信息公开"


def test_item_text_and_units_are_split_at_the_responsibility_bracket():
    plan = load_plan()
    assert plan[57].text == "发布2018年嘉定区污染地块名录,推进建设项目环评中后期信息公开。"
    assert plan[57].units == ("区环保局",)
    # item 59 has no full stop before its bracket
    assert plan[59].text.endswith("长效管理信息公开")
    assert plan[50].units == ("民政局",)
    assert plan[73].units == ("区府办", "区建管委", "区发改委", "区规土局", "区房管局", "区网宣中心")
    assert plan[94].units == ("区政府各部门", "各街镇")
    assert all("责任单位" not in item.text for item in plan.values())


def test_bundled_plan_is_the_shared_plan():
    if SHARED_PLAN.exists():  # the shared folder sits beside the clone in CI and sessions
        assert parse_plan(SHARED_PLAN.read_text(encoding="utf-8")) == list(load_plan().values())
    else:
        assert len(load_plan()) == 101


def test_numbers_inside_text_do_not_start_items():
    text = "一、总\n(一)小节。1.做好2.5万户的公开。(责任单位:区民政局)2.另一项。(责任单位:区经委)\n"
    items = parse_plan(text)
    assert [i.number for i in items] == [1, 2]
    assert items[0].text == "做好2.5万户的公开。"
