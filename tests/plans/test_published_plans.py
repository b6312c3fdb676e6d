"""The importer on the plans cities publish (``../shared/plans/other`` and its ``pdf``), through the CLI as a
new user runs it: every plan answers, leads wherever the text has a clause, and a dry run writes nothing."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carbonpeak import cli
from carbonpeak.plans import document as doc
from carbonpeak.plans.models import Plan, Task
from carbonpeak.plans.services import import_plan

pytestmark = [pytest.mark.shared, pytest.mark.django_db]

PDFS = [
    "anhui_14fyp_energy_saving_plan.pdf",
    "chengdu_energy_structure_ten_measures.pdf",
    "chongqing_manufacturing_green_action_plan.pdf",
    "guangdong_green_finance_carbon_peak_plan.pdf",
    "hebei_energy_efficiency_constraint_plan.pdf",
    "henan_two_high_projects_action_plan.pdf",
    "shanghai_public_institutions_green_action_plan.pdf",
    "shenzhen_carbon_inclusive_work_plan.pdf",
    "wuhan_low_carbon_industry_work_plan.pdf",
]
_CLAUSE_WORDS = re.compile(r"责任单位|牵头单位|牵头|负责[）)〕]")


def _all_plans(shared_dir):
    other = shared_dir / "plans" / "other"
    return sorted(other.glob("*.txt")) + [other / "pdf" / name for name in PDFS]


def _tasks(data: dict) -> list[dict]:
    return [t for a in data["actions"] for t in a["tasks"]] + [
        t for s in data["sections"] for t in s["items"]
    ]


def test_every_published_plan_answers_with_leads_where_the_text_has_them(shared_dir, capsys):
    for path in _all_plans(shared_dir):
        assert cli.main(["plan", "import", str(path), "--dry-run", "--json"]) == 0, path.name
        data = json.loads(capsys.readouterr().out)
        tasks = _tasks(data)
        source = doc.read_plan_source(str(path))
        clauses = len(_CLAUSE_WORDS.findall(source.text))
        if clauses == 0 or not tasks or any("全文没有部门条款" in w for w in data["warnings"]):
            continue
        with_clause = [t for t in tasks if t["clause"]]
        assert all(t["lead"] for t in with_clause), (
            path.name,
            [t["key"] for t in with_clause if not t["lead"]],
        )
        # nearly every task a clause was written for is found (a few clauses sit in 保障措施 prose)
        assert len(with_clause) >= 0.6 * min(clauses, len(tasks)), (path.name, len(with_clause), clauses)
        assert "通知" not in data["title"] and "附件" not in data["title"], path.name
    assert Plan.objects.count() == 0


def test_pdf_spot_checks(shared_dir):
    pdf = shared_dir / "plans" / "other" / "pdf"
    source = doc.read_plan_source(str(pdf / "chongqing_manufacturing_green_action_plan.pdf"))
    assert "行政规范性文件" not in source.text and "- 3 -" not in source.text
    chongqing = doc.parse_plan(source.text, source.tables)
    assert chongqing.document_number == "渝府发〔2022〕34号" and chongqing.issue_date == "2022-07-09"
    assert "印发给你们" not in chongqing.preamble
    source = doc.read_plan_source(str(pdf / "chengdu_energy_structure_ten_measures.pdf"))
    chengdu = doc.parse_plan(source.text, source.tables)
    assert any(t.key.startswith("2/") for t in chengdu.tasks)  # the second document in the file
    labelled = next(t for t in chengdu.tasks if t.key.startswith("2/") and "牵头单位" in t.clause)
    assert labelled.lead and any(n.startswith("各区") for n in labelled.implement)
    source = doc.read_plan_source(str(pdf / "anhui_14fyp_energy_saving_plan.pdf"))
    anhui = doc.parse_plan(source.text, source.tables)
    assert anhui.title == "安徽省“十四五”节能减排实施方案"
    assert any(t.year == 2025 and t.value == 14.0 and "能耗" in t.indicator for t in anhui.targets)


def test_a_dry_run_writes_nothing_not_even_inside_a_transaction(shared_dir):
    source = doc.read_plan_source(str(shared_dir / "plans" / "other" / "pdf" / PDFS[0]))
    plan = doc.parse_plan(source.text, source.tables)
    with CaptureQueriesContext(connection) as queries:
        report = import_plan(plan, source_name=PDFS[0], dry_run=True)
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE|SAVEPOINT)", q["sql"], re.I)]
    assert writes == []
    assert report.counts()["added"] > 0 and report.plan_id is None
    written = import_plan(plan, source_name=PDFS[0])
    assert Task.objects.filter(plan_id=written.plan_id).count() == len(plan.tasks)
    again = import_plan(plan, source_name=PDFS[0], dry_run=True, force=True)
    assert again.changes == [] and again.plan_id == written.plan_id


def test_round_three_forms_on_the_published_pdfs(shared_dir):
    """Each form issue 35 names, on the published plan that shows it."""
    pdf = shared_dir / "plans" / "other" / "pdf"

    def parsed(name: str) -> doc.PlanDocument:
        source = doc.read_plan_source(str(pdf / name))
        return doc.parse_plan(source.text, source.tables)

    # a stated lead rule and labelled lists on their own lines
    dazhou = parsed("dazhou_dual_carbon_policy_drafting_work_plan.pdf")
    assert len(dazhou.tasks) == 19 and all(t.lead for t in dazhou.tasks)
    names = [n for t in dazhou.tasks for n in t.lead + t.support]
    assert "市商务局" in names and not any("下同" in n or "牵头" in n for n in names)
    # no clause at all: the measures are tasks for the coordinator to lead
    yunnan = parsed("yunnan_green_low_carbon_economy_action_plan.pdf")
    assert len(yunnan.tasks) == 22 and not any(t.lead for t in yunnan.tasks)
    # measures each closed by their own clause; joint responsibility marked
    shanxi = parsed("shanxi_green_consumption_plan.pdf")
    transport = next(a for a in shanxi.actions if a.title == "大力发展绿色交通消费")
    assert len(transport.tasks) >= 5 and transport.tasks[0].lead == ["省公安厅"]
    tianjin = parsed("tianjin_green_low_carbon_economy_plan.pdf")
    assert len(tianjin.tasks) > 80 and sum(t.joint for t in tianjin.tasks) >= 10
    # offset digits stay in their sentence
    anhui = doc.read_plan_source(str(pdf / "anhui_14fyp_energy_saving_plan.pdf")).text
    assert "PM2.5和臭氧协同控制" in anhui
    # a year governing its sentence group
    assert any(t.year == 2025 and t.indicator == "秸秆综合利用率" for t in yunnan.targets)
