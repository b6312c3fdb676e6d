"""Every create, submit, approve and return leaves an audit entry; nobody can change the log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from carbonpeak.core.models import AuditEvent
from carbonpeak.energy import services as energy

pytestmark = pytest.mark.django_db
CSV = "period,region,sector,fuel,quantity,unit\n2023Q1,太仓市,其他工业,原煤,1,万吨\n"


def test_an_energy_cycle_is_in_the_log(coordinator):
    energy.ensure_bundled_factor_sets()
    sub = energy.upload(CSV.encode(), "q.csv", coordinator).submissions[0]
    energy.submit_submission(sub, user=coordinator)
    energy.return_submission(sub, user=coordinator, comment="请核对")
    energy.submit_submission(sub, user=coordinator)
    energy.approve_submission(sub, user=coordinator)
    events = AuditEvent.objects.filter(object_type="energy.EnergySubmission", object_id=str(sub.pk)).order_by(
        "at", "id"
    )
    assert [e.action for e in events] == ["create", "submit", "return", "submit", "approve"]
    returned = events[2]
    assert returned.username == "coordinator" and returned.comment == "请核对"
    assert returned.before == {"status": "submitted"} and returned.after == {"status": "returned"}
    assert events[0].after["records"] == 1


def test_the_log_cannot_be_changed_or_deleted(coordinator, client):
    energy.ensure_bundled_factor_sets()
    energy.upload(CSV.encode(), "q.csv", coordinator)
    event = AuditEvent.objects.first()
    event.comment = "篡改"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    page = client.get(reverse("accounts:audit") + "?action=create").content.decode()
    assert "能源统计报送" in page and "篡改" not in page
    assert "energy.EnergySubmission #" not in page  # the record's kind by its name, not the program's


def test_the_log_shows_what_changed_with_field_names_and_local_times(coordinator):
    from carbonpeak.core import audit

    event = AuditEvent(
        object_type="energy.EnergySubmission",
        before={"status": "submitted", "reviewed_at": None, "revision": 2, "year": 2023},
        after={
            "status": "approved",
            "reviewed_at": "2026-12-06T01:30:00+00:00",
            "revision": 2,
            "x": 1042351.5,
            "year": 2024,
        },
    )
    changed = {c.field: (c.before, c.after) for c in audit.changes(event)}
    assert changed["状态"] == ("已报送", "已审核")
    assert changed["审核时间"] == ("—", "2026-12-06 09:30")  # Asia/Shanghai, as every time on the pages
    assert changed["其他"] == ("—", "1,042,351.5")  # never 1.04235e+06
    assert "版本" not in changed  # unchanged values are not listed
    assert changed["年份"] == ("2023", "2024")  # a year, not 2,024


def test_admin_edits_are_audited_with_before_and_after(client, imported_plan):
    from django.contrib.auth import get_user_model

    from carbonpeak.demo import ensure_demo_users
    from carbonpeak.plans.models import Target

    ensure_demo_users()
    client.force_login(get_user_model().objects.get(username="admin"))
    target = Target.objects.get(plan=imported_plan, indicator="光伏装机并网容量")
    page = client.get(f"/admin/plans/target/{target.pk}/change/")
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"value": "550", "plan": imported_plan.pk})
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    response = client.post(f"/admin/plans/target/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(object_type="plans.Target", object_id=str(target.pk), action="update")
    assert event.before["value"] == 500.0 and event.after["value"] == 550.0 and event.username == "admin"
