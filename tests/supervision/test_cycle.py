"""The quarterly progress cycle through the services and pages: permissions, evidence, close, reminders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carbonpeak.core import files
from carbonpeak.core.models import AuditEvent
from carbonpeak.demo import ensure_demo_users
from carbonpeak.supervision import services
from carbonpeak.supervision.models import ProgressReport, Reminder

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def cycle(imported_plan, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    ensure_demo_users()
    users = {u.username: u for u in get_user_model().objects.all()}
    period = services.open_period(imported_plan, "2025Q3", dt.date(2025, 10, 20), users["coordinator"])
    return period, users


def test_opening_creates_one_report_per_task_and_lead_department(cycle, imported_plan):
    period, users = cycle
    assert period.reports.count() == period.reports.values("task", "department").distinct().count()
    assert period.reports.filter(department__name="市交运局").exists()
    assert not period.reports.filter(department__name__startswith="各").exists()
    with pytest.raises(ValidationError, match="已开启"):
        services.open_period(imported_plan, "2025Q3", dt.date(2025, 10, 20), users["coordinator"])
    with pytest.raises(PermissionDenied):
        services.open_period(imported_plan, "2025Q4", dt.date(2026, 1, 20), users["市交运局"])


def test_submit_return_resubmit_approve_with_audit(cycle):
    period, users = cycle
    r = period.reports.filter(department__name="市交运局").first()
    dept, coordinator = users["市交运局"], users["coordinator"]
    with pytest.raises(ValidationError, match="请填写进展情况"):
        services.submit_report(r, user=dept)
    services.save_report(r, dept, progress="in_progress", narrative="新增新能源公交 40 辆")
    services.submit_report(r, user=dept)
    with pytest.raises(ValidationError):
        services.save_report(r, dept, progress="done", narrative="改")  # submitted: locked
    services.return_report(r, user=coordinator, comment="请补充充电设施进度")
    services.save_report(r, dept, progress="in_progress", narrative="新增新能源公交 40 辆；新建充电桩 120 个")
    services.submit_report(r, user=dept)
    services.approve_report(r, user=coordinator)
    r.refresh_from_db()
    assert r.status == "approved"
    actions = list(
        AuditEvent.objects.filter(object_type="supervision.ProgressReport", object_id=str(r.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["update", "submit", "return", "update", "submit", "approve"]


def test_a_department_cannot_touch_another_departments_report(cycle, client):
    period, users = cycle
    other = period.reports.exclude(department__name="市交运局").first()
    with pytest.raises(PermissionDenied):
        services.save_report(other, users["市交运局"], progress="done", narrative="x")
    client.force_login(users["市交运局"])
    response = client.post(
        reverse("supervision:report_action", args=[other.pk, "save"]), {"progress": "done", "narrative": "x"}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.narrative == ""
    client.force_login(users["leader"])
    assert client.post(reverse("supervision:report_action", args=[other.pk, "submit"])).status_code == 403


def test_supporting_departments_contribute_to_the_same_report(cycle):
    period, users = cycle
    r = next(
        r
        for r in period.reports.all()
        if r.task.responsibilities.filter(role="support", department__name="市住建局").exists()
    )
    services.contribute(r, users["市住建局"], "配合推进公共建筑光伏")
    assert r.contributions.get().department.name == "市住建局"
    with pytest.raises(PermissionDenied):
        services.contribute(r, users["leader"], "x")


def test_evidence_is_checked_by_content_and_served_only_to_those_allowed(cycle, client):
    period, users = cycle
    r = period.reports.filter(department__name="市交运局").first()
    with pytest.raises(ValidationError, match="文件内容与这些类型均不符"):
        services.attach_evidence(r, users["市交运局"], "report.pdf", b"MZ\x90\x00 not a pdf")
    e = services.attach_evidence(r, users["市交运局"], "../../照片.png", PNG)
    assert e.kind == "png" and e.original_name == "照片.png"
    client.force_login(users["市交运局"])
    response = client.get(reverse("supervision:evidence", args=[e.pk]))
    assert response.status_code == 200 and response.content == PNG and response["Content-Type"] == "image/png"
    unrelated = next(
        u
        for n, u in users.items()
        if n.startswith("市") and not r.task.responsibilities.filter(department__name=n).exists()
    )
    client.force_login(unrelated)
    assert client.get(reverse("supervision:evidence", args=[e.pk])).status_code == 403
    client.force_login(users["市交运局"])
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    client.post(reverse("supervision:report_action", args=[r.pk, "evidence"]), {"file": big})
    assert r.evidence.count() == 1
    # the file gone from storage (a database restored without its files): a 404 that says so, page and API
    files.delete(files.EVIDENCE, e.sha256)
    page = client.get(reverse("supervision:evidence", args=[e.pk]))
    assert page.status_code == 404 and "不在存储中" in page.content.decode()
    api = client.get(f"/api/evidence/{e.pk}")
    assert api.status_code == 404 and "不在存储中" in api.json()["message"]


def test_docx_is_recognised_and_an_exe_renamed_docx_is_not(cycle):
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    assert services.detect_kind(buf.getvalue()) == "docx"
    assert services.detect_kind(b"MZ\x90\x00" + b"\x00" * 100) is None


def test_closing_freezes_a_snapshot_that_later_edits_cannot_change(cycle):
    period, users = cycle
    r = period.reports.filter(department__name="市交运局").first()
    services.save_report(r, users["市交运局"], progress="done", narrative="已完成")
    services.close_period(period, users["coordinator"])
    with pytest.raises(ValidationError, match="已关闭"):
        services.save_report(r, users["市交运局"], progress="behind", narrative="改")
    period.refresh_from_db()
    frozen = next(
        s for s in period.snapshot["reports"] if s["task"] == r.task.label and s["department"] == "市交运局"
    )
    assert frozen["narrative"] == "已完成"
    ProgressReport.objects.filter(pk=r.pk).update(
        narrative="事后改动"
    )  # even a change behind the platform's back
    period.refresh_from_db()
    assert next(s for s in period.snapshot["reports"] if s["task"] == r.task.label)["narrative"] == "已完成"


def test_board_states_and_reminders(cycle, settings):
    period, users = cycle
    r = period.reports.filter(department__name="市交运局").first()
    services.save_report(r, users["市交运局"], progress="in_progress", narrative="推进中")
    services.submit_report(r, user=users["市交运局"])
    board = services.completeness(period, dt.date(2025, 10, 1))
    assert board.cells[(r.department_id, r.task_id)][0] == "submitted"
    assert board.counts["not_started"] > 0 and board.counts["overdue"] == 0
    late = services.completeness(period, dt.date(2025, 10, 21))
    assert late.counts["overdue"] == period.reports.count() - 1 and late.counts["not_started"] == 0
    assert services.remind(period, users["coordinator"], dt.date(2025, 10, 1)) == []  # too early
    settings.EMAIL_HOST = "mail.example.gov.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from carbonpeak.departments.models import Department

    Department.objects.filter(name="市住建局").update(email="zjj@example.gov.cn")
    before = services.remind(period, users["coordinator"], dt.date(2025, 10, 18))
    assert before and all(m.kind == "before" for m in before)
    assert not any(
        m.department.name == "市交运局" and "2025Q3" in m.message for m in before if len(m.message) < 0
    )
    assert (
        services.remind(period, users["coordinator"], dt.date(2025, 10, 19)) == []
    )  # once per department and kind
    after = services.remind(period, users["coordinator"], dt.date(2025, 10, 25))
    assert after and all("已逾期" in m.message for m in after)
    assert any(m.to == ["zjj@example.gov.cn"] for m in mail.outbox)
    assert Reminder.objects.filter(emailed=True).exists()


def test_pages(cycle, client):
    period, users = cycle
    client.force_login(users["coordinator"])
    html = client.get(reverse("supervision:board", args=[period.pk])).content.decode()
    assert 'data-testid="board"' in html and "未填写" in html
    client.force_login(users["市交运局"])
    html = client.get(reverse("supervision:periods")).content.decode()
    assert 'data-testid="my-reports"' in html


def test_remind_command(cycle, capsys):
    from carbonpeak.cli import main

    assert main(["remind"]) == 0
    assert "已发出提醒" in capsys.readouterr().out


def test_permission_matrix_for_progress_reports_through_the_pages(cycle, client):
    period, users = cycle
    own = {name: period.reports.filter(department__name=name).first() for name in ("市交运局", "市住建局")}
    for name in ("admin", "coordinator", "leader", "stats", "chengxiang", "市交运局", "市住建局"):
        client.force_login(users[name])
        for owner, report in own.items():
            may_edit = name in ("admin", "coordinator") or name == owner
            url = reverse("supervision:report_action", args=[report.pk, "save"])
            status = client.post(url, {"progress": "in_progress", "narrative": name}).status_code
            assert status == (302 if may_edit else 403), (name, owner, "save")
            for action in ("return", "approve"):
                ProgressReport.objects.filter(pk=report.pk).update(status="submitted")
                url = reverse("supervision:report_action", args=[report.pk, action])
                status = client.post(url, {"comment": "意见"}).status_code
                assert status == (302 if name in ("admin", "coordinator") else 403), (name, owner, action)
                report.refresh_from_db()
                assert (report.status == "submitted") == (name not in ("admin", "coordinator"))
            ProgressReport.objects.filter(pk=report.pk).update(status="draft")


def test_reminders_name_a_task_deadline_that_has_passed_or_is_near(cycle):
    period, users = cycle
    from carbonpeak.plans.models import Task

    report = period.reports.filter(department__name="市交运局").first()
    Task.objects.filter(pk=report.task_id).update(due_date=dt.date(2025, 6, 30), deadline="2025年6月底前")
    made = services.remind(period, users["coordinator"], dt.date(2025, 10, 25))
    message = next(m.message for m in made if m.department.name == "市交运局")
    assert "完成时限 2025-06-30 已过" in message


def test_a_reminder_is_mailed_in_the_languages_the_departments_users_read(cycle, settings):
    """The 市住建局's user chose English: its reminder comes in English, from the same sentence the platform
    keeps in Chinese; once a colleague who has not chosen joins, in Chinese first and then in English."""
    import re

    from carbonpeak.accounts import services as accounts
    from carbonpeak.accounts.models import Membership
    from carbonpeak.departments.models import Department

    period, users = cycle
    settings.EMAIL_HOST = "mail.example.gov.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    housing = Department.objects.get(name="市住建局")
    Department.objects.filter(pk=housing.pk).update(email="zjj@example.gov.cn")
    accounts.set_language(users["市住建局"], "en")
    made = services.remind(period, users["coordinator"], dt.date(2025, 10, 18))
    sent = next(m for m in mail.outbox if m.to == ["zjj@example.gov.cn"])
    assert "progress report" in sent.body and "due on 2025-10-20" in sent.body
    plan_numbers = re.compile(r"[一二三四五六七八九十]+")  # the tasks are cited by the plan's numbering
    assert (
        re.findall(
            r"[\u3400-\u9fff]+", plan_numbers.sub("", sent.subject + sent.body.replace("市住建局", ""))
        )
        == []
    )
    stored = next(r for r in made if r.department.name == "市住建局")
    assert "进展报告将于 2025-10-20 截止" in stored.message  # the record stays in the platform's language
    colleague = get_user_model().objects.create_user("zjj-2", password="x-Unused-1")
    Membership.objects.create(user=colleague, department=housing)
    mail.outbox.clear()
    services.remind(period, users["coordinator"], dt.date(2025, 10, 25))
    sent = next(m for m in mail.outbox if m.to == ["zjj@example.gov.cn"])
    chinese, english = sent.body.split("—" * 20)
    assert "进展报告已逾期" in chinese and "overdue" in english
    assert sent.subject.startswith("【碳达峰进展报送】") and " / " in sent.subject
