import pytest
from conftest import REPO as REPO_ROOT

from auditor.errors import ConfigError
from auditor.portal import load_portal
from auditor.units import default_registry

GOOD = """name: 上海嘉定
start_urls:
  - http://127.0.0.2:8000/publicity/
owner: 区府办
units:
  区环保局:
    - http://127.0.0.3:8000/
    - http://127.0.0.2:8000/publicity/bmxxgk/hbj/
  民政局:
    - http://127.0.0.2:8000/publicity/bmxxgk/mzj/
"""


def write(tmp_path, text):
    f = tmp_path / "portal.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_load_resolves_aliases_and_scope(tmp_path):
    portal = load_portal(write(tmp_path, GOOD), default_registry())
    assert portal.owner == "区府办"
    assert set(portal.units) == {"区环保局", "区民政局"}
    assert portal.hosts == {"127.0.0.2:8000", "127.0.0.3:8000"}
    assert portal.unit_for_url("http://127.0.0.2:8000/publicity/bmxxgk/hbj/2018/1.html") == "区环保局"
    assert portal.unit_for_url("http://127.0.0.2:8000/publicity/other.html") is None


@pytest.mark.parametrize("text, where, message", [
    (GOOD.replace("民政局:", "区不存在局:"), ":9:", "unknown unit '区不存在局'"),
    (GOOD.replace("owner: 区府办", "owner: 某某办"), ":4:", "unknown unit '某某办'"),
    (GOOD.replace("http://127.0.0.3:8000/", "ftp://127.0.0.3/"), ":7:", "is not an http(s) URL"),
    (GOOD + "colour: red\n", ":11:", "unknown key 'colour'"),
    (GOOD.replace("name: 上海嘉定\n", ""), ":1:", "missing key 'name'"),
    (GOOD.replace("  - http://127.0.0.2:8000/publicity/\n", "  - [oops\n"), ":4:", "YAML syntax error"),
    ("- just\n- a list\n", ":1:", "a portal config is a mapping"),
])
def test_errors_are_one_line_with_file_and_line(tmp_path, text, where, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_portal(path, default_registry())
    line = str(err.value)
    assert "\n" not in line
    assert line.startswith(str(path) + where), line
    assert message in line


def test_bundled_jiading_config_loads():
    portal = load_portal(REPO_ROOT / "rules" / "portals" / "jiading.yaml", default_registry())
    assert "www.jiading.gov.cn" in portal.hosts and "huanbao.jiading.cn" in portal.hosts
    registry = default_registry()
    # every department and 街镇 has a place to look, so none is silently skipped
    for unit in registry.members("区政府各部门") + registry.members("各街镇"):
        assert unit in portal.units, unit
