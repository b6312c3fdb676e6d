"""A new city from its plan: the review helpers, the onboarding service and its pages, and the city's plans
side by side (the dashboard runs the city's own)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carbonpeak.plans import onboarding
from carbonpeak.plans.document import parse_plan
from carbonpeak.plans.document.review import CorrectionError, apply_corrections, locate, segments
from carbonpeak.plans.models import Plan, PlanDraft, PlanRole, Responsibility
from carbonpeak.plans.selectors import current_plan
from carbonpeak.plans.services import import_plan

PLAN = """某某市人民政府关于印发某某市碳达峰实施方案的通知
某政发〔2025〕3号
各区人民政府，市各委办局：
现将《某某市碳达峰实施方案》印发给你们，请认真贯彻执行。
某某市人民政府
2025年3月1日
某某市碳达峰实施方案
为推进碳达峰工作，制定本方案。
一、主要目标
到2025年，非化石能源消费比重达到15%；到2030年，力争达到25%。
二、重点任务
（一）能源绿色低碳转型行动
1.发展光伏。推进屋顶光伏建设，到2025年光伏装机达到300兆瓦。（牵头单位：市发展和改革委员会；配合单位：市住建局，各区人民政府）
2.控制煤炭。严控新增耗煤项目。（市发改委牵头，市生态环境局配合）
（二）交通运输绿色低碳行动
1.推广新能源车。推广新能源公交车。（市交运局牵头，市公安局配合）
"""


def test_corrections_rename_merge_set_leads_and_drop_or_amend_targets():
    data = parse_plan(PLAN).to_dict()
    assert data["aliases"] == {"市发改委": "市发展和改革委员会"}
    fixed = apply_corrections(
        data,
        {
            "departments": {"市交运局": "市交通运输局", "市住建局": "市住房和城乡建设局"},
            "leads": {"二.（二）.1": ["市交通运输局", "市公安局"]},
            "targets": {"一#1": {"drop": True}, "一#2": {"value": 26.0}},
        },
    )
    tasks = {t["key"]: t for a in fixed["actions"] for t in a["tasks"]}
    assert (
        tasks["二.（二）.1"]["lead"] == ["市交通运输局", "市公安局"] and tasks["二.（二）.1"]["support"] == []
    )
    assert tasks["二.（一）.1"]["support"] == ["市住房和城乡建设局"]
    goals = next(s for s in fixed["sections"] if s["key"] == "一")["targets"]
    assert [(t["year"], t["value"]) for t in goals] == [(2030, 26.0)]
    assert data["sections"][0]["targets"][0]["value"] == 15.0  # the original is left as it was
    with pytest.raises(CorrectionError, match="没有编号"):
        apply_corrections(data, {"leads": {"九.（九）": ["甲"]}})
    with pytest.raises(CorrectionError, match="不能为空"):
        apply_corrections(data, {"departments": {"市交运局": " "}})


def test_every_clause_and_target_is_found_where_it_stands_in_the_text():
    from carbonpeak.plans.document.numbering import normalise_text

    text = normalise_text(PLAN)
    data = parse_plan(text).to_dict()
    spans = locate(text, data)
    clauses = [s for s in spans if s.kind == "clause"]
    assert [text[s.start : s.end] for s in clauses][0].startswith("牵头单位：市发展和改革委员会")
    assert {r for s in clauses for r in s.refs} == {"二.（一）.1", "二.（一）.2", "二.（二）.1"}
    targets = [s for s in spans if s.kind == "target"]
    assert any("非化石能源消费比重" in text[s.start : s.end] for s in targets)
    assert "".join(seg["text"] for seg in segments(text, spans)) == text


def test_onboarding_imports_the_plan_makes_logins_and_opens_the_first_quarter(coordinator):
    draft = onboarding.stage(coordinator, "plan.txt", PLAN.encode("gb18030"))
    assert draft.region == "某某市" and draft.structure["title"] == "某某市碳达峰实施方案"
    onboarding.correct(draft, coordinator, {"departments": {"市交运局": "市交通运输局"}})
    done = onboarding.confirm(draft, coordinator, dt.date(2026, 11, 30))
    plan = done.plan
    assert (plan.role, plan.document_number) == (PlanRole.OWN, "某政发〔2025〕3号")
    assert current_plan() == plan
    leads = set(
        Responsibility.objects.filter(task__plan=plan, role="lead").values_list("department__name", flat=True)
    )
    assert leads == {"市发展和改革委员会", "市交通运输局"}
    logins = {login.username: login for login in done.logins}
    assert "市交通运输局" in logins and "各区人民政府" not in logins
    user = get_user_model().objects.get(username="市交通运输局")
    assert user.check_password(logins["市交通运输局"].password) and len(logins["市交通运输局"].password) == 12
    assert user.membership.department.name == "市交通运输局"
    assert done.period.key == "2026Q3" and done.period.due_date == dt.date(2026, 12, 21)
    assert done.period.reports.count() == 3
    draft.refresh_from_db()
    assert draft.status == PlanDraft.Status.CONFIRMED and draft.plan == plan
    with pytest.raises(ValidationError, match="已确认导入"):
        onboarding.confirm(draft, coordinator, dt.date(2026, 11, 30))


def test_a_file_that_is_no_plan_is_refused_and_nothing_is_written(coordinator):
    for raw in (b"%PDF-1.4 broken", b"PK\x03\x04 broken", "只有一句话，没有编号。".encode()):
        with pytest.raises(ValidationError, match="无法识别方案"):
            onboarding.stage(coordinator, "x.pdf", raw)
    assert PlanDraft.objects.count() == 0 and Plan.objects.count() == 0


def test_only_a_coordinator_onboards(coordinator, client):
    department = get_user_model().objects.create_user("某部门填报员")
    with pytest.raises(PermissionDenied):
        onboarding.stage(department, "plan.txt", PLAN.encode())
    client.force_login(department)
    assert client.get(reverse("plans:onboard")).status_code == 403
    assert (
        client.post(
            reverse("plans:onboard"), {"file": SimpleUploadedFile("p.txt", PLAN.encode())}
        ).status_code
        == 403
    )
    assert PlanDraft.objects.count() == 0


def test_pages_upload_review_correct_confirm(coordinator, client):
    client.force_login(coordinator)
    assert "导入方案" in client.get(reverse("plans:onboard")).content.decode()
    response = client.post(
        reverse("plans:onboard"),
        {"file": SimpleUploadedFile("plan.txt", PLAN.encode()), "region": "", "role": "own"},
    )
    draft = PlanDraft.objects.get()
    assert response.url == reverse("plans:onboard_review", args=[draft.pk])
    html = client.get(response.url).content.decode()
    assert 'class="cp-src-clause"' in html and 'class="cp-src-target"' in html
    assert 'data-testid="draft-task"' in html and "市发展和改革委员会" in html
    index = draft.structure["departments"].index("市交运局")
    form = {f"dept-{index}": "市交通运输局", "region": "某某市", "shown-一#1": "1", "value-一#1": "16"}
    form["keep-一#1"] = "on"
    client.post(response.url, form)
    draft.refresh_from_db()
    assert draft.corrections["departments"] == {"市交运局": "市交通运输局"}
    assert draft.corrections["targets"] == {"一#1": {"value": 16.0}}
    bad = client.post(response.url, {"shown-一#1": "1", "keep-一#1": "on", "value-一#1": "十五"}, follow=True)
    page = bad.content.decode()  # refused: the page again, the typed value beside its problem
    assert bad.status_code == 400 and "不是数字" in page and 'data-testid="error-summary"' in page
    assert 'id="value-一#1" name="value-一#1" value="十五"' in page and 'href="#value-一#1"' in page
    done = client.post(reverse("plans:onboard_confirm", args=[draft.pk])).content.decode()
    assert 'data-testid="logins"' in done and "市交通运输局" in done and "只显示这一次" in done
    plans = client.get(reverse("plans:plans")).content.decode()
    assert "某某市碳达峰实施方案" in plans


def test_sector_and_reference_plans_sit_beside_the_citys_own(coordinator):
    own = import_plan(parse_plan(PLAN), source_name="own.txt")
    sector_text = PLAN.replace("某某市碳达峰实施方案", "某某市交通领域碳达峰实施方案")
    sector = import_plan(parse_plan(sector_text), source_name="sector.txt")
    reference = import_plan(
        parse_plan(PLAN.replace("某某市碳达峰实施方案", "某某省碳达峰实施方案")),
        source_name="ref.txt",
        role=PlanRole.REFERENCE,
    )
    roles = {
        Plan.objects.get(pk=r.plan_id).title: Plan.objects.get(pk=r.plan_id).role
        for r in (own, sector, reference)
    }
    assert roles == {
        "某某市碳达峰实施方案": "own",
        "某某市交通领域碳达峰实施方案": "sector",
        "某某省碳达峰实施方案": "reference",
    }
    assert current_plan().pk == own.plan_id
