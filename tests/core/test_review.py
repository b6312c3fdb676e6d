"""One review lifecycle for every reviewed record: each kind declares its Lifecycle, and every move goes
through it with the same signature."""

from __future__ import annotations

import inspect

import pytest
from django.apps import apps

from carbonpeak.core.models import ReviewedRecord
from carbonpeak.core.review import Lifecycle


def _lifecycles() -> dict[type, Lifecycle]:
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("carbonpeak."):
            continue
        for writer in ("services", "assessment"):  # the apps' writers
            try:
                module = __import__(f"{config.name}.{writer}", fromlist=["*"])
            except ModuleNotFoundError:
                continue
            for value in vars(module).values():
                if isinstance(value, Lifecycle):
                    found[value.model] = value
    return found


def test_every_reviewed_record_has_its_lifecycle():
    reviewed = {m for m in apps.get_models() if issubclass(m, ReviewedRecord)}
    assert reviewed and reviewed == set(_lifecycles())


@pytest.mark.parametrize(
    "name",
    [
        "energy.services.submit_submission",
        "energy.services.approve_submission",
        "energy.services.return_submission",
        "monitoring.services.submit_observation",
        "monitoring.services.approve_observation",
        "monitoring.services.return_observation",
        "supervision.services.submit_report",
        "supervision.services.approve_report",
        "supervision.services.return_report",
        "enterprises.services.submit_monitoring_plan",
        "enterprises.services.approve_monitoring_plan",
        "enterprises.services.return_monitoring_plan",
        "enterprises.services.submit_report",
        "enterprises.services.approve_report",
        "enterprises.services.return_report",
        "enterprises.services.submit_progress",
        "enterprises.services.approve_progress",
        "enterprises.services.return_progress",
        "budgets.assessment.submit_project",
        "budgets.assessment.return_project",
        "projects.services.submit_progress",
        "projects.services.approve_progress",
        "projects.services.return_progress",
    ],
)
def test_every_move_has_the_one_signature(name):
    module, function = name.rsplit(".", 1)
    params = inspect.signature(
        getattr(__import__(f"carbonpeak.{module}", fromlist=["*"]), function)
    ).parameters
    positional = [p for p in params.values() if p.kind == p.POSITIONAL_OR_KEYWORD]
    keywords = {p.name for p in params.values() if p.kind == p.KEYWORD_ONLY}
    assert len(positional) == 1 and {"user", "comment"} <= keywords


REVIEWED_PATHS = {
    "energy/submissions": "approve",
    "observations": "approve",
    "reports": "approve",
    "monitoring-plans": "approve",
    "enterprise-reports": "approve",
    "reduction-progress": "approve",
    "project-assessments": "decide",
    "releases": "approve",
    "key-project-progress": "approve",
}


def test_every_reviewed_record_has_the_same_api():
    from carbonpeak.api import api

    paths = api.get_openapi_schema()["paths"]
    assert len(REVIEWED_PATHS) == len(_lifecycles())
    for path, approve in REVIEWED_PATHS.items():
        assert "get" in paths[f"/api/{path}"]
        assert "get" in paths[f"/api/{path}/{{record_id}}"]
        for move in ("submit", approve, "return"):
            assert "post" in paths[f"/api/{path}/{{record_id}}/{move}"], (path, move)


@pytest.mark.django_db
def test_an_enterprise_moves_its_annual_report_through_the_shared_api(client, demo_plan):
    """The enterprise reporter sees only its own reports, submits through the same route as anyone else;
    the coordinator returns it with a comment, which is required."""
    from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_users
    from carbonpeak.enterprises.models import EnterpriseReport

    ensure_demo_users()
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    ensure_demo_enterprises(users.get(username="coordinator"))
    client.force_login(users.get(username="jiulong"))
    mine = client.get("/api/enterprise-reports").json()["items"]
    assert mine and {r["enterprise_id"] for r in mine} == {
        users.get(username="jiulong").enterprise_membership.enterprise_id
    }
    other = EnterpriseReport.objects.exclude(enterprise_id=mine[0]["enterprise_id"]).first()
    assert client.get(f"/api/enterprise-reports/{other.pk}").status_code == 404
    approved = EnterpriseReport.objects.filter(status="approved").first()
    coordinator = users.get(username="coordinator")
    client.force_login(coordinator)
    again = client.post(f"/api/enterprise-reports/{approved.pk}/submit")
    assert again.status_code == 409 and again.json()["code"] == "conflict"  # approved is never reopened
    draft = EnterpriseReport.objects.create(enterprise=approved.enterprise, year=approved.year, revision=99)
    EnterpriseReport.objects.filter(pk=draft.pk).update(status="submitted")
    empty = client.post(
        f"/api/enterprise-reports/{draft.pk}/return", {"comment": ""}, content_type="application/json"
    )
    assert empty.status_code == 400 and "退回时须填写意见" in empty.json()["message"]
    returned = client.post(
        f"/api/enterprise-reports/{draft.pk}/return",
        {"comment": "请补充核查报告"},
        content_type="application/json",
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(REVIEWED_PATHS))
def test_every_reviewed_list_filters_by_state(client, coordinator, demo_plan, path):
    """On the demo's data: the sample energy quarters and indicator values are approved, nothing is returned."""
    client.force_login(coordinator)
    approved = client.get(f"/api/{path}?status=approved&limit=500")
    assert approved.status_code == 200
    items = approved.json()["items"]
    assert all(r["status"] == "approved" for r in items)
    if path in ("energy/submissions", "observations"):
        assert items
    assert client.get(f"/api/{path}?status=returned").json()["items"] == []
