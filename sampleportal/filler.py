"""News filler: the bulk of the sample, mostly irrelevant to the rules, as on a real portal."""

from __future__ import annotations

import random

PLACES = ["嘉定新城", "南翔老街", "安亭汽车城", "马陆葡萄主题公园", "州桥老街", "远香湖", "嘉定工业区",
          "菊园新区", "江桥镇", "徐行镇", "华亭镇", "外冈镇", "真新街道", "新成路街道", "嘉定镇街道"]
SUBJECTS = ["全国文明城区创建", "安全生产大检查", "消防安全隐患排查", "垃圾分类进社区", "志愿者服务",
            "重阳节敬老慰问", "防汛防台演练", "“大调研”走访", "平安嘉定建设", "美丽家园建设",
            "五违四必整治", "河道保洁", "冬季征兵", "全民健身运动会", "非遗文化展示", "书香嘉定读书月",
            "夏令热线", "党建引领基层治理", "双拥共建", "扫黑除恶专项斗争宣传", "交通大整治",
            "无偿献血", "食品安全宣传周", "反诈骗宣传", "科普日活动", "社区运动会", "养老服务体验日"]
ACTIONS = ["开展{s}活动", "召开{s}工作推进会", "举行{s}启动仪式", "部署{s}工作", "推进{s}取得新进展",
           "组织{s}专题培训", "走访调研{s}工作", "召开{s}专题座谈会"]
NEWS_FORMS = ["{a}{b}", "{place}{b}", "区领导赴{place}调研{s}", "{a}召开2018年{s}总结会",
              "嘉定区{s}成效明显", "{place}：{s}让居民得实惠"]
NOTICES = ["关于{year}年元旦放假安排的通知", "关于开展{s}的通知", "关于做好{s}相关工作的通知",
           "关于{place}道路临时封闭施工的公告", "关于公开招聘{s}工作人员的公告", "关于举办{s}的通知",
           "关于{place}停水的通知", "{place}{s}报名公告"]
SCHOOL = ["嘉定区第一中学", "嘉定区迎园中学", "嘉定区实验小学", "嘉定区疁城实验学校", "嘉定区马陆小学"]
# GBK-only characters (not in GB2312): the legacy site must decode as GB18030 to read them
GBK_NAMES = ["王喆", "李堃", "朱镕", "陈珺", "刘昇"]
NON_UNIT_SOURCES = ["嘉定报", "上海嘉定", "新华社", "嘉定区融媒体中心"]
PARAGRAPHS = [
    "近日，{a}围绕{s}，精心组织、周密部署，推动各项工作落到实处。",
    "活动现场，工作人员向居民群众发放宣传资料，耐心解答大家关心的问题，现场气氛热烈。",
    "下一步，{a}将进一步总结经验，完善长效机制，持续提升群众的获得感和满意度。",
    "据悉，此次活动共吸引辖区居民、企业职工等{n}余人次参与。",
    "会议要求，各相关部门要提高思想认识，压实工作责任，确保各项任务按时保质完成。",
]


def news_title(rng: random.Random, actor: str) -> str:
    """A news title: an actor does something unremarkable."""
    form = rng.choice(NEWS_FORMS)
    s = rng.choice(SUBJECTS)
    b = rng.choice(ACTIONS).format(s=s)
    return form.format(a=actor, b=b, s=s, place=rng.choice(PLACES))


def school_title(rng: random.Random) -> str:
    """Education news naming teachers, with characters only GBK encodes."""
    return f"{rng.choice(SCHOOL)}{rng.choice(GBK_NAMES)}老师获评2018年度嘉定区{rng.choice(['优秀教师', '教学能手', '骨干教师'])}"


def notice_title(rng: random.Random, year: int) -> str:
    return rng.choice(NOTICES).format(s=rng.choice(SUBJECTS), place=rng.choice(PLACES), year=year)


def news_body(rng: random.Random, actor: str, title: str) -> list[str]:
    s = rng.choice(SUBJECTS)
    picks = rng.sample(PARAGRAPHS, 3)
    return [title + "。"] + [p.format(a=actor, s=s, n=rng.randint(2, 60) * 10) for p in picks]
