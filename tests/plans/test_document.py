"""The pure plan parser, against a fixture written by hand from the Taicang plan and on general rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.plans import document as doc
from carbonpeak.plans.document import PlanParseError, extract_targets, parse_clause, parse_plan

from .taicang_expected import ACTIONS, DATED_TARGETS, RULES, TASKS

# ------------------------------------------------------------------ the Taicang plan


@pytest.fixture
def taicang(taicang_text):
    return parse_plan(taicang_text)


def test_taicang_has_ten_actions_with_their_titles_and_task_counts(taicang):
    assert [(a.number, a.title, len(a.tasks)) for a in taicang.actions] == ACTIONS
    assert sum(len(a.tasks) for a in taicang.actions) == 33


def test_taicang_policy_and_organisation_items(taicang):
    sections = {s.title: s for s in taicang.sections}
    assert [t.title for t in sections["政策保障"].items] == [
        "探索建立碳排放统计监测体系",
        "落实财税和价格政策",
        "构建绿色金融体系",
        "推进市场化机制建设",
    ]
    assert len(sections["组织实施"].items) == 3
    assert [s.number for s in taicang.sections] == ["一", "二", "三", "四", "五"]


def test_taicang_every_task_has_its_hand_checked_title_and_leads(taicang):
    got = {t.key: (t.title, t.lead) for t in taicang.tasks}
    assert got == TASKS
    assert all(t.lead for t in taicang.tasks)


def test_taicang_supporting_and_implementing_departments(taicang):
    tasks = {t.key: t for t in taicang.tasks}
    first = tasks["三.（一）.1"]
    assert first.lead == ["市发改委"]
    assert first.support == ["市工信局", "太仓生态环境局", "市数据局"]
    assert first.implement == ["各区镇"]
    # the rule stated once (以下所有任务均需各区镇落实) applies to every later task
    assert all("各区镇" in t.implement for t in taicang.tasks)
    oil = tasks["三.（二）.2"]
    assert oil.support == ["市发改委", "市工信局", "太仓生态环境局", "市供电公司"]


def test_taicang_dated_targets(taicang):
    dated = [t for t in taicang.targets if t.year is not None]
    assert len(dated) >= 28
    for year, indicator, comparator, value, unit in DATED_TARGETS:
        matches = [
            t
            for t in dated
            if t.year == year and indicator in t.indicator and t.comparator == comparator and t.value == value
        ]
        assert matches, f"missing {year} {indicator} {comparator} {value}{unit}"
        assert matches[0].unit == unit
        assert matches[0].sentence and str(value).rstrip("0").rstrip(".") in matches[0].sentence


def test_taicang_peak_external_and_direction_targets(taicang):
    targets = taicang.targets
    peak = [t for t in targets if t.comparator == "peak"]
    assert any(t.year == 2030 and "二氧化碳排放" in t.indicator for t in peak)
    assert any(t.year == 2025 and "成品油消费" in t.indicator and t.commitment == "力争" for t in peak)
    external = [t for t in targets if t.comparator == "external"]
    assert {t.indicator for t in external if t.year == 2025} == {
        "单位地区生产总值能耗",
        "单位地区生产总值二氧化碳排放",
    }
    assert all(t.issuer == "苏州市" for t in external)
    direction = [(t.year, t.indicator, t.comparator) for t in targets if t.kind == "direction"]
    assert (2030, "非化石能源消费比重", "increase") in direction
    assert (2030, "林木覆盖率", "increase") in direction


def test_taicang_standing_rules(taicang):
    rules = [t for t in taicang.targets if t.kind == "rule"]
    for fragment, comparator, value, unit in RULES:
        assert any(
            fragment in t.indicator and t.comparator == comparator and t.value == value and t.unit == unit
            for t in rules
        ), fragment
    assert all(t.year is None for t in rules)
    assert all(t.task for t in rules)


def test_targets_belong_to_their_task(taicang):
    pv = next(t for t in taicang.targets if "光伏装机并网容量" in t.indicator)
    assert pv.task == "三.（二）.1"
    assert pv.commitment == "力争"
    main = next(t for t in taicang.targets if t.indicator == "非化石能源消费比重" and t.year == 2025)
    assert main.task is None  # stated in 主要目标, not in a task


def test_gb18030_text_parses_the_same(taicang_text):
    assert (
        parse_plan(doc.decode_plan_bytes(taicang_text.encode("gb18030"))).to_dict()
        == parse_plan(taicang_text).to_dict()
    )


def test_docx_parses_the_same(taicang_text, tmp_path):
    import docx

    document = docx.Document()
    for line in taicang_text.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "plan.docx"
    document.save(path)
    assert parse_plan(doc.read_plan_file(str(path))).to_dict() == parse_plan(taicang_text).to_dict()


def test_the_parser_names_nothing_from_the_taicang_plan():
    """The importer is for plans in general: no title, department or number of this plan in its code."""
    source = "".join(p.read_text(encoding="utf-8") for p in Path(doc.__file__).parent.glob("*.py"))
    for word in ("太仓", "苏州", "市发改委", "市工信局", "各区镇", "2.66", "18.93", "产业绿色提质"):
        assert word not in source, word


# ------------------------------------------------------------------ other plans


@pytest.mark.parametrize(
    "name",
    [
        "jiangxi_province_carbon_peak_plan.txt",
        "miit_industrial_sector_carbon_peak_plan.txt",
        "shangrao_city_green_lowcarbon_economy_plan.txt",
        "tianjin_14fyp_energy_saving_emission_reduction_plan.txt",
        "wuzhou_city_green_lowcarbon_economy_plan.txt",
        "hangzhou_scitech_carbon_peak_action_plan.txt",
    ],
)
def test_other_plans_give_a_structure_or_say_what_is_missing(shared_dir, name):
    plan = parse_plan(doc.read_plan_file(str(shared_dir / "plans" / "other" / name)))
    assert plan.title and "通知" not in plan.title
    assert len(plan.sections) >= 3
    if any("全文没有部门条款" in w for w in plan.warnings):
        # no clause anywhere: the measures are tasks all the same, each for the coordinator to lead
        assert plan.tasks and not any(t.lead for t in plan.tasks)
    elif plan.tasks:
        missing = [t for t in plan.tasks if not t.lead]
        assert len(missing) <= 1
    else:
        assert any("未识别到带责任分工的任务" in w for w in plan.warnings)
    for t in plan.targets:
        assert t.indicator and t.sentence
        assert t.comparator in doc.COMPARATORS


def test_other_plans_spot_checks(shared_dir):
    other = shared_dir / "plans" / "other"
    jiangxi = parse_plan(doc.read_plan_file(str(other / "jiangxi_province_carbon_peak_plan.txt")))
    assert len(jiangxi.actions) == 10
    assert any(
        t.year == 2025 and t.indicator == "非化石能源消费比重" and t.value == 18.3 for t in jiangxi.targets
    )
    tianjin = parse_plan(
        doc.read_plan_file(str(other / "tianjin_14fyp_energy_saving_emission_reduction_plan.txt"))
    )
    assert tianjin.title == "天津市“十四五”节能减排工作实施方案"
    assert tianjin.issue_date == "2022-05-08"
    # 以下均需各区人民政府落实，不再列出
    assert all("各区人民政府" in t.implement for t in tianjin.tasks)
    decrease = next(t for t in tianjin.targets if t.comparator == "decrease" and t.base_year == 2020)
    assert decrease.value == 14.5 and decrease.unit == "%"
    miit = parse_plan(doc.read_plan_file(str(other / "miit_industrial_sector_carbon_peak_plan.txt")))
    assert [a.number for a in miit.actions][:2] == ["（四）", "（五）"]
    assert all(t.lead == ["国家发展改革委"] or t.lead for t in miit.tasks)


# ------------------------------------------------------------------ general rules, on small texts


def test_clause_with_lead_word():
    c = parse_clause("市交运局牵头，市发改委、市公安局等部门按职责分工负责")
    assert c.lead == ["市交运局"] and c.support == ["市发改委", "市公安局"]


def test_clause_with_two_leads():
    c = parse_clause("（甲局、乙局牵头，丙委等部门按职责分工负责）")
    assert c.lead == ["甲局", "乙局"] and c.support == ["丙委"]


def test_clause_without_lead_word_makes_the_first_the_lead():
    c = parse_clause("甲局、乙局、丙委等部门按职责分工负责")
    assert c.lead == ["甲局"] and c.support == ["乙局", "丙委"]


def test_clause_without_lead_word_when_order_means_nothing():
    c = parse_clause("甲局、乙局等部门按职责分工负责", first_is_lead=False)
    assert c.lead == ["甲局", "乙局"] and c.support == []


def test_clause_with_implementers_and_standing_rule():
    c = parse_clause("甲局、乙局等按职责分工负责，各区人民政府负责落实。以下均需各区人民政府落实，不再列出")
    assert c.lead == ["甲局"] and c.support == ["乙局"]
    assert c.implement == ["各区人民政府"]
    assert c.standing_implement == ["各区人民政府"]


PLAN = """示范市某某方案
一、总体要求
（一）指导思想
以新发展理念为指导。
二、重点任务
（一）第一行动
1.做好第一件事。到2025年，某某覆盖率达到50%以上。（甲局牵头，乙局等部门按职责分工负责，各街道落实。以下所有任务均需各街道落实，不再列出）
2.做好第二件事。加强管理。
（丙委、丁办等部门按职责分工负责）
（二）第二行动
1.做好第三件事。新建项目能耗降低至1.5以下。（乙局牵头，甲局按职责分工负责）
三、保障措施
（一）加强领导
加强组织领导。（甲局牵头，各有关部门按职责分工负责）
"""


def test_small_plan_structure():
    plan = parse_plan(PLAN)
    assert plan.title == "示范市某某方案"
    assert [a.title for a in plan.actions] == ["第一行动", "第二行动"]
    tasks = {t.key: t for t in plan.tasks}
    assert tasks["二.（一）.1"].implement == ["各街道"]
    # a clause on its own line belongs to the task above it
    assert tasks["二.（一）.2"].lead == ["丙委"] and tasks["二.（一）.2"].support == ["丁办"]
    assert tasks["二.（一）.2"].implement == ["各街道"]
    assert tasks["三.（一）"].lead == ["甲局"]
    assert tasks["二.（一）.1"].text.endswith("达到50%以上。")
    assert [(t.year, t.comparator, t.value) for t in tasks["二.（一）.1"].targets] == [(2025, ">=", 50.0)]
    assert [(t.kind, t.comparator, t.value) for t in tasks["二.（二）.1"].targets] == [("rule", "<=", 1.5)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2025年，甲指标达到13%。", [(2025, "甲指标", "=", 13.0, "%", "达到")]),
        ("到2025年底，力争乙容量超500兆瓦。", [(2025, "乙容量", ">", 500.0, "兆瓦", "力争")]),
        ("到2025年，丙利用率保持99%以上。", [(2025, "丙利用率", ">=", 99.0, "%", "保持")]),
        ("到2030年，丁规模突破1000亿元。", [(2030, "丁规模", ">", 1000.0, "亿元", "突破")]),
        ("到2025年，新增戊项目2个。", [(2025, "新增戊项目", "=", 2.0, "个", "达到")]),
        ("“十四五”期间，己强度比2020年下降14.5%。", [(2025, "己强度", "decrease", 14.5, "%", "下降")]),
        ("到2025年，庚能耗不高于1.2吨标准煤。", [(2025, "庚能耗", "<=", 1.2, "吨标准煤", "不高于")]),
    ],
)
def test_dated_target_forms(text, expected):
    got = [(t.year, t.indicator, t.comparator, t.value, t.unit, t.commitment) for t in extract_targets(text)]
    assert got == expected


def test_numbers_that_qualify_a_noun_are_not_targets():
    assert extract_targets("鼓励新建屋顶面积3000平方米以上的工业建筑同步建设光伏。") == []
    assert extract_targets("鼓励淘汰使用20年以上的内河航运船舶。") == []
    assert extract_targets("根据《某方案》（某府〔2024〕34号）部署，制定本方案。") == []


def test_peak_direction_external_and_zero_targets():
    [peak] = extract_targets("实现2030年前二氧化碳排放量达到峰值目标。")
    assert (peak.year, peak.indicator, peak.comparator, peak.kind) == (2030, "二氧化碳排放量", "peak", "peak")
    assert extract_targets("为实现碳达峰奠定坚实基础。") == []
    direction = extract_targets("到2030年，甲比重、乙覆盖率持续提升。")
    assert [(t.indicator, t.comparator) for t in direction] == [
        ("甲比重", "increase"),
        ("乙覆盖率", "increase"),
    ]
    [external] = extract_targets("到2025年，单位产值能耗确保完成上级下达的指标要求。")
    assert (external.comparator, external.issuer, external.indicator) == ("external", "上级", "单位产值能耗")
    [zero] = extract_targets("到2025年，原生垃圾零填埋。")
    assert (zero.value, zero.comparator) == (0.0, "=")


def test_respectively_lists_become_one_target_each():
    targets = extract_targets("到2025年，甲物质、乙物质等减排量分别达到1.6万吨、0.04万吨。")
    assert [(t.indicator, t.value, t.unit) for t in targets] == [
        ("甲物质减排量", 1.6, "万吨"),
        ("乙物质减排量", 0.04, "万吨"),
    ]


def test_text_without_headings_is_rejected_with_a_message():
    with pytest.raises(PlanParseError, match="一级标题"):
        parse_plan("这是一份会议纪要。没有编号。")
    with pytest.raises(PlanParseError, match="为空"):
        parse_plan("\n\n")


def test_binary_or_unknown_encoding_is_rejected():
    with pytest.raises(PlanParseError, match="docx"):
        doc.decode_plan_bytes(b"PK\x03\x04rest")


def test_round_trip_through_structured_data(bundled_plan):
    again = doc.plan_from_dict(bundled_plan.to_dict())
    assert again.to_dict() == bundled_plan.to_dict()
    assert len(bundled_plan.actions) == 10 and len(bundled_plan.tasks) == 40


def test_bundled_data_is_what_the_parser_makes_of_the_document(taicang, bundled_plan):
    """The committed JSON must be regenerated (make plan-data) whenever the parser changes."""
    assert bundled_plan.to_dict() == taicang.to_dict()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="一二三四五、（）1.。，到2025年达以上%甲乙丙牵头负责落实\n ", max_size=300))
def test_parser_never_fails_with_anything_but_a_parse_error(text):
    try:
        plan = parse_plan(text)
    except PlanParseError:
        return
    plan.to_dict()


names = st.lists(
    st.sampled_from(["甲局", "乙委", "丙办", "丁中心", "戊公司"]), min_size=1, max_size=5, unique=True
)


@given(names, names)
def test_clause_roles_partition_the_listed_bodies(leads, others):
    others = [o for o in others if o not in leads]
    text = "、".join(leads) + "牵头" + ("，" + "、".join(others) + "等部门按职责分工负责" if others else "")
    c = parse_clause(text)
    assert c.lead == leads and c.support == others


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a commitment word before the year
        ("力争到2027年，甲示范园区达到5个。", [(2027, "甲示范园区", "=", 5.0, "个")]),
        ("争取到“十四五”末，乙比重达到20%。", [(2025, "乙比重", "=", 20.0, "%")]),
        ("确保到2030年，丙利用率不低于95%。", [(2030, "丙利用率", ">=", 95.0, "%")]),
        ("2028年之前，丁覆盖率达到50%。", [(2028, "丁覆盖率", "=", 50.0, "%")]),
        # a share of another quantity
        (
            "到2025年，新建公共建筑中装配式建筑面积达到新建建筑面积的30%。",
            [(2025, "新建公共建筑中装配式建筑面积占新建建筑面积比例", "=", 30.0, "%")],
        ),
        ("到2025年，戊装机增长至300万千瓦。", [(2025, "戊装机", "=", 300.0, "万千瓦")]),
        # counts with their measure words, listed
        (
            "到2025年，建成充电站50座、新能源公交车1000辆、新能源汽车5万辆。",
            [
                (2025, "建成充电站", "=", 50.0, "座"),
                (2025, "新能源公交车", "=", 1000.0, "辆"),
                (2025, "新能源汽车", "=", 5.0, "万辆"),
            ],
        ),
        ("到2025年，培育绿色工厂20家。", [(2025, "培育绿色工厂", "=", 20.0, "家")]),
    ],
)
def test_dated_target_forms_round_three(text, expected):
    got = [(t.year, t.indicator, t.comparator, t.value, t.unit) for t in extract_targets(text)]
    assert got == expected


def test_a_year_governs_its_sentence_group_up_to_the_paragraph_end():
    """'到2026年，A…；B…。C…' dates all three; a new 到…年 takes over; a new paragraph starts undated."""
    text = (
        "到2026年，甲覆盖率达到90%；乙利用率达到95%。丙强度控制在0.5吨标准煤以内。到2030年，丁比重达到30%。"
    )
    got = [(t.year, t.indicator) for t in extract_targets(text + "\n戊能耗不高于1.2吨标准煤。")]
    assert got == [
        (2026, "甲覆盖率"),
        (2026, "乙利用率"),
        (2026, "丙强度"),
        (2030, "丁比重"),
        (None, "戊能耗"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "到2025年，对符合条件的项目，单个项目最高补助300万元。",
        "到2025年，按设备投资额给予20%的后补助。",
        "到2025年，对示范项目给予最高50万元奖励。",
        "到2025年，对认定的绿色工厂奖励30万元。",
    ],
)
def test_subsidies_awards_and_their_caps_are_not_targets(text):
    assert extract_targets(text) == []
