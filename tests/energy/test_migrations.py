"""Energy's own event log folded into the audit log by a migration, nothing lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("energy", "0005_factor_kind_labels"), ("core", "0006_alter_auditevent_action")]
AFTER = [("energy", "0006_submission_events_into_audit_log")]


def test_the_submission_event_log_is_folded_into_the_audit_log():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    submission = old.get_model("energy", "EnergySubmission").objects.create(
        period="2023Q1", region="太仓市", revision=1, status="approved"
    )
    events = old.get_model("energy", "SubmissionEvent")
    audit = old.get_model("core", "AuditEvent")
    when = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC)
    for action in ("create", "submit", "approve", "supersede"):
        event = events.objects.create(submission=submission, action=action, comment=f"{action}说明")
        events.objects.filter(pk=event.pk).update(at=when)
    # the audit log already held the approval (written beside the event log since it exists)
    audit.objects.create(
        username="coordinator",
        action="approve",
        object_type="energy.EnergySubmission",
        object_id=str(submission.pk),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("core", "AuditEvent")
    rows = new.objects.filter(object_type="energy.EnergySubmission", object_id=str(submission.pk))
    assert sorted(rows.values_list("action", flat=True)) == ["approve", "create", "submit", "supersede"]
    folded = rows.get(action="supersede")
    assert folded.comment == "supersede说明" and folded.at == when and folded.username == "系统"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
