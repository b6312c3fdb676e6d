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
        try:
            module = __import__(f"{config.name}.services", fromlist=["*"])
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
        "budgets.services.submit_project",
        "budgets.services.return_project",
    ],
)
def test_every_move_has_the_one_signature(name):
    module, function = name.rsplit(".", 1)
    params = inspect.signature(getattr(__import__(f"carbonpeak.{module}", fromlist=["*"]), function)).parameters
    positional = [p for p in params.values() if p.kind == p.POSITIONAL_OR_KEYWORD]
    keywords = {p.name for p in params.values() if p.kind == p.KEYWORD_ONLY}
    assert len(positional) == 1 and {"user", "comment"} <= keywords
