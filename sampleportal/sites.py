"""Where each unit of the sample portal publishes: hosts, URL codes, templates.

The sample spans several loopback hosts as the real district does: the portal
上海嘉定, a modern UTF-8 unit sub-site, a legacy GBK unit sub-site, a unit sub-site
that is down, and three 街镇 sites. Every other unit has a column on the portal.
Pages never name a host: cross-host links carry ``http://@<key>@`` and the server
fills in the address it is bound to, so a cached site serves on any port.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Host:
    """One served site."""

    key: str  # placeholder key: pages write http://@key@/…
    ip: str
    name: str  # SiteName shown in the page header
    style: str  # template family: portal | modern | legacy | town
    charset: str = "utf-8"  # encoding of the bytes on disk
    unit: str = ""  # the unit whose own site this is ("" for the portal)
    down: bool = False  # answers 503 everywhere
    header_charset: str | None = "utf-8"  # charset named in Content-Type (None: omitted)


HOSTS: tuple[Host, ...] = (
    Host("www", "127.0.0.2", "上海嘉定", "portal"),
    Host("hb", "127.0.0.3", "嘉定环保", "modern", unit="区环保局"),
    # Legacy CMS: GBK bytes; list pages send no charset, documents claim gb2312 although
    # the text uses characters only GBK has (browsers read both correctly).
    Host("jy", "127.0.0.4", "嘉定教育", "legacy", charset="gbk", unit="区教育局", header_charset=None),
    Host("wx", "127.0.0.5", "嘉定网宣", "modern", unit="区网宣中心", down=True),
    Host("nx", "127.0.0.6", "南翔镇人民政府", "town", unit="南翔镇"),
    Host("at", "127.0.0.7", "安亭镇人民政府", "town", unit="安亭镇"),
    Host("ml", "127.0.0.8", "马陆镇人民政府", "town", unit="马陆镇"),
)
HOST_BY_KEY = {h.key: h for h in HOSTS}
HOST_BY_UNIT = {h.unit: h for h in HOSTS if h.unit}

# URL codes of the units' portal columns (/publicity/bmxxgk/<code>/, /publicity/jzxxgk/<code>/),
# pinyin initials as on the real portal.
CODES: dict[str, str] = {
    "区发改委": "fgw", "区经委": "jw", "区市场监管局": "scjgj", "区府办": "zfb", "区科委": "kw",
    "区审改办": "sgb", "区民政局": "mzj", "区房管局": "fgj", "区文广局": "wgj", "区建管委": "jgw",
    "区国资委": "gzw", "区旅游局": "lyj", "区规土局": "gtj", "区财政局": "czj", "区新闻办": "xwb",
    "区网宣中心": "wxzx", "区卫计委": "wjw", "区环保局": "hbj", "区统计局": "tjj", "区网推办": "wtb",
    "区行政服务中心": "xzfwzx", "区人社局": "rsj", "区教育局": "jyj", "区水务局": "swj",
    "区安监局": "ajj", "区法制办": "fzb", "区绿容局": "lrj", "区农委": "nw", "税务嘉定分局": "swfj",
    "区审计局": "sjj", "区机管局": "jgj",
    "新成路街道": "xclj", "真新街道": "zxjd", "嘉定镇街道": "jdzjd", "南翔镇": "nxz", "安亭镇": "atz",
    "马陆镇": "mlz", "徐行镇": "xxz", "华亭镇": "htz", "外冈镇": "wgz", "江桥镇": "jqz",
    "菊园新区": "jyxq", "嘉定工业区": "gyq", "嘉定新城": "jdxc",
}


def unit_base(unit: str, kind: str) -> tuple[str, str]:
    """(host key, path prefix) of the place a unit's own columns live."""
    host = HOST_BY_UNIT.get(unit)
    if host is not None:
        return host.key, "/"
    section = "jzxxgk" if kind == "town" else "bmxxgk"
    return "www", f"/publicity/{section}/{CODES[unit]}/"


def unit_prefixes(unit: str, kind: str) -> list[tuple[str, str]]:
    """Every (host key, path prefix) the portal config lists for a unit."""
    base = [unit_base(unit, kind)]
    # 区环保局 keeps a portal column besides its own site, as on the real portal; the
    # down unit has only its own site, so nothing of it can be fetched.
    if unit == "区环保局":
        base.append(("www", f"/publicity/bmxxgk/{CODES[unit]}/"))
    return base
