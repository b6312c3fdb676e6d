"""The permission matrix: every role × action × owner, through the services and through the pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.models import UploadJob
from carbonpeak.demo import ensure_demo_users
from carbonpeak.energy import services as energy
from carbonpeak.energy.models import EnergySubmission
from carbonpeak.monitoring import services as monitoring
from carbonpeak.monitoring.models import Indicator, Observation

pytestmark = pytest.mark.django_db
USERS = ("admin", "coordinator", "leader", "stats", "chengxiang", "市交运局", "市住建局")


@pytest.fixture
def users(imported_plan):
    ensure_demo_users()
    energy.ensure_bundled_factor_sets()
    monitoring.propose_links(imported_plan)
    return {name: get_user_model().objects.get(username=name) for name in USERS}


def test_demo_creates_a_user_per_lead_department_with_membership(users):
    assert permissions.department_of(users["市交运局"]).name == "市交运局"
    assert permissions.department_of(users["chengxiang"]).kind == "区镇"
    assert permissions.roles(users["stats"]) == {permissions.DEPARTMENT}


BUS = "新能源和清洁能源公交车辆占比"  # owned by 市交运局
GREEN = "城镇新建建筑执行绿色建筑标准比例"  # owned by 市住建局

MATRIX = [
    # (action, obj, allowed users)
    (Action.REPORT_ENERGY, "太仓市", {"admin", "coordinator", "stats"}),
    (Action.REPORT_ENERGY, "城厢镇", {"admin", "coordinator", "stats", "chengxiang"}),
    (Action.REPORT_ENERGY, "沙溪镇", {"admin", "coordinator", "stats"}),
    (Action.REPORT_INDICATOR, BUS, {"admin", "coordinator", "市交运局"}),
    (Action.REPORT_INDICATOR, GREEN, {"admin", "coordinator", "市住建局"}),
    (Action.REVIEW, None, {"admin", "coordinator"}),
    (Action.MANAGE_FACTORS, None, {"admin", "coordinator"}),
    (Action.VIEW_AUDIT, None, {"admin", "coordinator"}),
    (Action.VIEW, None, set(USERS)),
]


@pytest.mark.parametrize(("action", "obj", "allowed"), MATRIX, ids=[f"{a}-{o}" for a, o, _ in MATRIX])
def test_permission_matrix(users, action, obj, allowed):
    if action == Action.REPORT_INDICATOR:
        obj = Indicator.objects.get(name=obj)
    for name, user in users.items():
        assert permissions.can(user, action, obj) == (name in allowed), (name, action, obj)


CSV = "period,region,sector,fuel,quantity,unit\n2023Q1,{region},其他工业,原煤,1,万吨\n"


def test_energy_upload_through_the_page(client, users):
    for name, user in users.items():
        client.force_login(user)
        for region in ("太仓市", "城厢镇", "沙溪镇"):
            data = SimpleUploadedFile("q.csv", CSV.format(region=region).encode())
            response = client.post(reverse("energy:upload"), {"file": data})
            allowed = permissions.can(user, Action.REPORT_ENERGY, region)
            written = EnergySubmission.objects.filter(region=region).exists()
            assert written == allowed, (name, region, response.status_code)
            # who may report no region is refused at the door; another region's file by its job
            assert response.status_code in ((302,) if allowed else (302, 403)), (name, region)
            if not allowed and response.status_code == 302:
                assert UploadJob.objects.latest("pk").status == UploadJob.Status.REFUSED
            EnergySubmission.objects.all().delete()


def test_energy_review_through_the_services(users):
    sub = energy.upload(CSV.format(region="城厢镇").encode(), "q.csv", users["chengxiang"]).submissions[0]
    energy.submit_submission(sub, user=users["chengxiang"])
    for name, user in users.items():
        if name in ("admin", "coordinator"):
            continue
        with pytest.raises(PermissionDenied):
            energy.approve_submission(sub, user=user)
        with pytest.raises(PermissionDenied):
            energy.return_submission(sub, user=user, comment="x")
    energy.approve_submission(sub, user=users["coordinator"])
    with pytest.raises(PermissionDenied):
        energy.submit_submission(sub, user=users["市交运局"])  # not its region


def test_observation_report_and_review_through_the_services(users):
    bus, green = Indicator.objects.get(name=BUS), Indicator.objects.get(name=GREEN)
    for name, user in users.items():
        for indicator in (bus, green):
            if permissions.can(user, Action.REPORT_INDICATOR, indicator):
                obs = monitoring.report_observation(indicator, 2025, 4, 50, user)
                monitoring.submit_observation(obs, user=user)
            else:
                with pytest.raises(PermissionDenied):
                    monitoring.report_observation(indicator, 2025, 4, 50, user)
        pending = monitoring.report_observation(bus, 2024, 4, 60, users["市交运局"])
        monitoring.submit_observation(pending, user=users["市交运局"])
        if name in ("admin", "coordinator"):
            monitoring.approve_observation(pending, user=user)
        else:
            with pytest.raises(PermissionDenied):
                monitoring.approve_observation(pending, user=user)
            assert Observation.objects.get(pk=pending.pk).status == "submitted"


def test_report_on_another_departments_target_page_is_refused(client, users, imported_plan):
    target = imported_plan.targets.get(indicator=BUS, year=2025)
    for value, (name, user) in enumerate(users.items(), start=70):
        client.force_login(user)
        response = client.post(
            reverse("monitoring:report", args=[target.pk]),
            {"year": "2025", "quarter": "4", "value": str(value)},
        )
        allowed = name in ("admin", "coordinator", "市交运局")
        assert response.status_code == (302 if allowed else 403), name
        assert Observation.objects.filter(value=value).exists() == allowed


def test_audit_page(client, users):
    for name, user in users.items():
        client.force_login(user)
        status = client.get(reverse("accounts:audit")).status_code
        assert status == (200 if name in ("admin", "coordinator") else 403), name
