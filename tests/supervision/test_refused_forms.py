"""A refused progress-report form comes back as typed: the problem beside its field (Bootstrap is-invalid),
summed up above with a link to the field, required fields checked by the server — nothing written."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from carbonpeak.supervision import services as supervision
from carbonpeak.supervision.models import Contribution, ProgressReport

pytestmark = pytest.mark.django_db


def user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def report(demo_plan, coordinator):
    supervision.open_latest_quarter(demo_plan, coordinator, timezone.localdate())
    return ProgressReport.objects.filter(department__name="市交运局").first()


def test_a_narrative_too_long_comes_back_as_typed_beside_its_field(client, report):
    client.force_login(user("市交运局"))
    typed = "公交车辆更新进展。" * 600  # over the 5,000 characters a narrative may have
    answer = client.post(
        f"/progress/reports/{report.pk}/save/", {"progress": "in_progress", "narrative": typed}
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#error-summary")
    html = client.get(f"/progress/reports/{report.pk}/").content.decode()
    summary = re.search(r'data-testid="error-summary">(.*?)</div>', html, re.S).group(1)
    assert 'href="#narrative"' in summary and "5000" in summary
    assert re.search(r'<textarea id="narrative"[^>]*is-invalid', html)
    assert typed in html  # nothing typed is lost
    report.refresh_from_db()
    assert report.narrative == "" and not report.edited  # and nothing written
    assert 'data-testid="error-summary"' not in client.get(f"/progress/reports/{report.pk}/").content.decode()


def test_required_fields_are_checked_by_the_server(client, report, coordinator):
    from carbonpeak.plans.models import Responsibility

    logins = set(get_user_model().objects.values_list("username", flat=True))
    helped, helper = next(
        (r, s.department.name)
        for r in ProgressReport.objects.filter(period=report.period)
        for s in Responsibility.objects.filter(task=r.task, role="support", suppressed=False).select_related(
            "department"
        )
        if s.department.name in logins
    )
    client.force_login(user(helper))
    answer = client.post(f"/progress/reports/{helped.pk}/contribute/", {"text": "   "})
    assert answer.status_code == 302
    html = client.get(f"/progress/reports/{helped.pk}/").content.decode()
    assert "请填写本部门配合工作情况" in html and 'href="#text"' in html
    assert not Contribution.objects.filter(report=helped).exists()
    department = user("市交运局")
    supervision.save_report(report, department, progress="in_progress", narrative="已完成")
    supervision.submit_report(report, user=department)
    client.force_login(coordinator)
    client.post(f"/progress/reports/{report.pk}/return/", {"comment": ""})
    html = client.get(f"/progress/reports/{report.pk}/").content.decode()
    assert "请填写退回意见" in html and re.search(r'<textarea id="comment"[^>]*is-invalid', html)
    report.refresh_from_db()
    assert report.status == "submitted"  # not returned without a reason
