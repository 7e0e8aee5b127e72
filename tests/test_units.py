import pytest

from auditor.errors import ConfigError
from auditor.units import default_registry, load_registry

PLAN_UNITS = ("区发改委 区经委 区市场监管局 区府办 区科委 区审改办 区民政局 区房管局 区文广局 区建管委 区国资委 "
              "区旅游局 区规土局 区财政局 区新闻办 区网宣中心 区卫计委 区环保局 区统计局 区网推办 区行政服务中心 区人社局 "
              "区教育局 区水务局 区安监局 区法制办 区绿容局 区农委 税务嘉定分局 区审计局 区机管局").split()
TOWNS = "新成路街道 真新街道 嘉定镇街道 南翔镇 安亭镇 马陆镇 徐行镇 华亭镇 外冈镇 江桥镇 菊园新区 嘉定工业区 嘉定新城".split()


def test_every_plan_unit_and_town_is_registered():
    reg = default_registry()
    for name in PLAN_UNITS + TOWNS:
        assert reg.resolve(name) == name


@pytest.mark.parametrize("alias, canonical", [
    ("民政局", "区民政局"),
    ("上海市嘉定区发展和改革委员会", "区发改委"),
    ("嘉定区发展和改革委员会", "区发改委"),
    ("区生态环境局", "区环保局"),
    ("区应急管理局", "区安监局"),
    ("区卫生健康委", "区卫计委"),
    ("区规划资源局", "区规土局"),
    ("区文化旅游局", "区文广局"),
    ("国家税务总局上海市嘉定区税务局", "税务嘉定分局"),
    ("嘉定区 人民政府 办公室", "区府办"),
])
def test_aliases_resolve_to_one_canonical_unit(alias, canonical):
    assert default_registry().resolve(alias) == canonical


def test_groups_expand_to_members_without_repeats():
    reg = default_registry()
    towns = reg.members("各街镇")
    assert sorted(towns) == sorted(TOWNS)
    departments = reg.members("区政府各部门")
    assert "税务嘉定分局" not in departments and "区民政局" in departments
    assert reg.expand(["区民政局", "民政局", "各街镇"]) == ["区民政局", *towns]


@pytest.mark.parametrize("text, unit", [
    ("上海市嘉定区民政局", "区民政局"),
    ("嘉定区住房保障和房屋管理局办公室", "区房管局"),
    ("嘉定区人民政府新闻办公室", "区新闻办"),
    ("嘉定报", None),
    ("上海嘉定", None),
    ("新华社", None),
    ("上海市民政局", None),
    ("", None),
])
def test_find_in_text(text, unit):
    assert default_registry().find_in_text(text) == unit


def test_conflicting_alias_is_an_error(tmp_path):
    f = tmp_path / "units.yaml"
    f.write_text("units:\n  区甲局:\n    kind: department\n    full_name: 甲\n    aliases: [乙]\n"
                 "  区乙局:\n    kind: department\n    full_name: 乙局\n    aliases: [乙]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_registry(f)
    assert "alias '乙' names both 区甲局 and 区乙局" in str(err.value)
    assert str(err.value).startswith(f"{f}:6:")
