"""The importer service and the CLI: idempotent re-import, revisions with history, hand corrections kept."""

from __future__ import annotations

import copy
import json

import pytest

from carbonpeak import cli
from carbonpeak.departments.models import Department, DepartmentAlias
from carbonpeak.plans.document import parse_plan, plan_from_dict
from carbonpeak.plans.models import Plan, PlanVersion, Responsibility, Target, Task
from carbonpeak.plans.services import import_plan, merge_departments

pytestmark = pytest.mark.django_db


def _revised(plan, mutate):
    data = copy.deepcopy(plan.to_dict())
    mutate(data)
    return plan_from_dict(data)


def test_import_builds_the_registry(imported_plan):
    plan = imported_plan
    assert plan.region == "太仓市"
    assert plan.actions.count() == 10
    assert Task.objects.filter(plan=plan, action__isnull=False).count() == 33
    assert Task.objects.filter(plan=plan).count() == 40
    for task in Task.objects.filter(plan=plan):
        assert task.responsibilities.filter(role="lead").exists(), task.key
    assert Target.objects.filter(plan=plan, year__isnull=False).count() >= 28
    pv = Target.objects.get(plan=plan, indicator="光伏装机并网容量")
    assert (pv.year, pv.comparator, pv.value, pv.unit, pv.task.key) == (
        2025,
        ">",
        500.0,
        "兆瓦",
        "三.（二）.1",
    )
    assert pv.describe() == "超过 500 兆瓦"
    assert plan.versions.count() == 1
    assert Department.objects.get(name="各区镇").kind == "区镇"
    assert Department.objects.get(name="市发改委").kind == "市级部门"
    assert Department.objects.get(name="市供电公司").kind == "企业"


def test_reimporting_the_same_document_changes_nothing(imported_plan, bundled_plan):
    before = (
        Task.objects.count(),
        Target.objects.count(),
        Responsibility.objects.count(),
        Department.objects.count(),
    )
    report = import_plan(bundled_plan, source_name="again.json", region="太仓市")
    assert report.unchanged and report.changes == []
    forced = import_plan(bundled_plan, source_name="again.json", region="太仓市", force=True)
    assert forced.unchanged and forced.changes == []
    after = (
        Task.objects.count(),
        Target.objects.count(),
        Responsibility.objects.count(),
        Department.objects.count(),
    )
    assert before == after
    assert PlanVersion.objects.count() == 1


def test_hand_corrections_survive_a_reimport(imported_plan, bundled_plan):
    task = Task.objects.get(plan=imported_plan, key="三.（二）.1")
    task.title = "大力发展可再生能源（光伏、风电）"
    task.save()
    target = Target.objects.get(plan=imported_plan, indicator="全市天然气供应能力")
    target.indicator = "天然气供应能力"
    target.save()
    resp = Responsibility.objects.get(task=task, department__name="市工信局")
    resp.suppressed = True
    resp.save()

    report = import_plan(bundled_plan, source_name="again.json", region="太仓市", force=True)
    task.refresh_from_db()
    target.refresh_from_db()
    resp.refresh_from_db()
    assert task.title == "大力发展可再生能源（光伏、风电）"
    assert target.indicator == "天然气供应能力"
    assert resp.suppressed
    assert Task.objects.filter(plan=imported_plan).count() == 40
    assert report.changes == []  # the document did not change, so there is nothing to report


def test_a_revised_document_records_its_changes_and_keeps_history(imported_plan, bundled_plan):
    target = Target.objects.get(plan=imported_plan, indicator="全市湿地保护率")
    target.value = 65.0  # a hand correction the revision also touches
    target.save()

    def mutate(d):
        sec = next(s for s in d["sections"] if s["title"] == "主要目标")
        t = next(t for t in sec["targets"] if t["indicator"] == "非化石能源消费比重" and t["year"] == 2025)
        t["value"] = 14.0
        action = d["actions"][0]
        action["tasks"] = action["tasks"][:-1]  # 三.（一）.5 removed
        for a in d["actions"]:
            for task in a["tasks"]:
                for tg in task["targets"]:
                    if tg["indicator"] == "全市湿地保护率":
                        tg["value"] = 66.0
        a2 = d["actions"][1]["tasks"][0]
        a2["support"] = [*a2["support"], "市数据局"]

    revised = _revised(bundled_plan, mutate)
    report = import_plan(revised, source_name="revised.json", region="太仓市")
    assert not report.unchanged and report.version == 2
    kinds = {(c["entity"], c["change"]) for c in report.changes}
    assert ("target", "changed") in kinds
    assert ("task", "removed") in kinds
    assert ("responsibility", "added") in kinds
    assert ("target", "kept_manual") in kinds

    share = Target.objects.get(plan=imported_plan, indicator="非化石能源消费比重", year=2025, comparator=">=")
    assert share.value == 14.0
    target.refresh_from_db()
    assert target.value == 65.0  # the coordinator's value is kept, the conflict is reported
    assert not Task.objects.filter(plan=imported_plan, key="三.（一）.5").exists()
    assert Task.objects.filter(plan=imported_plan).count() == 39
    assert Plan.objects.count() == 1
    versions = list(imported_plan.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].changes == report.changes
    assert versions[0].structure["counts"]["all_tasks"] == 40


def test_dry_run_writes_nothing(db, bundled_plan):
    report = import_plan(bundled_plan, source_name="x.json", region="太仓市", dry_run=True)
    assert report.dry_run and report.counts()["added"] > 40
    assert Plan.objects.count() == 0 and Department.objects.count() == 0 and PlanVersion.objects.count() == 0


def test_aliases_route_document_names_to_the_merged_department(imported_plan, bundled_plan, coordinator):
    keep = Department.objects.get(name="太仓生态环境局")
    other = Department.objects.create(name="市生态环境局")
    task = Task.objects.get(plan=imported_plan, key="四.（四）")
    Responsibility.objects.create(task=task, department=other, role="support")
    merge_departments(keep, [other], coordinator)
    assert not Department.objects.filter(name="市生态环境局").exists()
    assert DepartmentAlias.objects.get(name="市生态环境局").department == keep

    def mutate(d):
        for s in d["sections"]:
            for item in s["items"]:
                item["lead"] = ["市生态环境局" if n == "太仓生态环境局" else n for n in item["lead"]]

    import_plan(_revised(bundled_plan, mutate), source_name="renamed.json", region="太仓市")
    assert not Department.objects.filter(name="市生态环境局").exists()
    assert Responsibility.objects.filter(task=task, department=keep, role="lead").exists()


def test_cli_dry_run_json_prints_the_structure(taicang_text, capsys, db, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(taicang_text, encoding="utf-8")
    assert cli.main(["plan", "import", str(path), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["title"] == "太仓市碳达峰实施方案"
    assert [len(a["tasks"]) for a in out["actions"]] == [5, 3, 3, 3, 3, 3, 4, 3, 4, 2]
    first = out["actions"][0]["tasks"][0]
    assert set(first) >= {"number", "title", "lead", "support", "implement", "targets"}
    assert len([t for t in out["targets"] if t["year"]]) >= 28
    assert Plan.objects.count() == 0


def test_cli_imports_and_reports(bundled_plan, capsys, db):
    from tests.conftest import BUNDLED_PLAN

    assert cli.main(["plan", "import", str(BUNDLED_PLAN), "--region", "太仓市"]) == 0
    assert "已写入" in capsys.readouterr().out
    assert cli.main(["plan", "import", str(BUNDLED_PLAN), "--region", "太仓市"]) == 0
    assert "没有变化" in capsys.readouterr().out
    assert Plan.objects.count() == 1 and PlanVersion.objects.count() == 1


def test_cli_rejects_what_is_not_a_plan(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了很多事情。", encoding="utf-8")
    assert cli.main(["plan", "import", str(path), "--dry-run"]) == 2
    assert "一级标题" in capsys.readouterr().err
    assert cli.main(["plan", "import", str(tmp_path / "missing.txt")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_parser_output_imports_for_a_plan_without_actions(db):
    text = "示范市方案\n一、主要任务\n（一）做好一件事。加强管理。（甲局、乙局等按职责分工负责）\n"
    report = import_plan(parse_plan(text), source_name="x.txt")
    plan = Plan.objects.get(pk=report.plan_id)
    assert plan.region == "示范市"
    assert plan.tasks.get().responsibilities.get(role="lead").department.name == "甲局"


def test_cli_refusal_is_json_when_json_was_asked(tmp_path, capsys):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really")
    assert cli.main(["plan", "import", str(path), "--dry-run", "--json"]) == 2
    out = capsys.readouterr()
    assert "损坏" in json.loads(out.out)["error"] and "错误" in out.err


def test_an_import_links_the_targets_whichever_door_it_came_through(db):
    """The plan_imported event: the monitoring app links targets to indicators for the CLI, the onboarding
    page and any other caller of import_plan alike."""
    from carbonpeak.core import events
    from carbonpeak.monitoring.models import TargetIndicator
    from carbonpeak.plans import document as doc
    from carbonpeak.plans.services import import_plan

    text = "太仓市碳达峰实施方案\n一、主要目标\n到2025年，单位地区生产总值能耗比2020年下降14.5%。\n"
    report = import_plan(doc.parse_plan(text), source_name="t.txt", region="太仓市")
    assert TargetIndicator.objects.filter(target__plan_id=report.plan_id).exists()
    assert events.chain()["方案导入或更新"] == ["将方案目标对应到监测指标"]
