"""Schemathesis against /api/openapi.json with an authenticated user: no request makes a 5xx."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(imported_plan, settings, tmp_path):
    from django.contrib.auth import get_user_model
    from django.core.wsgi import get_wsgi_application

    from carbonpeak.demo import ensure_demo_users
    from carbonpeak.supervision import services as supervision

    settings.DATA_DIR = tmp_path
    ensure_demo_users()
    coordinator = get_user_model().objects.get(username="coordinator")
    supervision.open_period(imported_plan, "2026Q3", dt.date(2026, 12, 15), coordinator)
    # Requests go straight to the WSGI application, not through Django's test client, so the end of each
    # request would close the test's database connection (PostgreSQL); keep it open as the test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db):
    from django.contrib.auth import get_user_model

    from carbonpeak.accounts import tokens

    raw, _ = tokens.issue(get_user_model().objects.get(username="coordinator"))
    return {"Authorization": f"Bearer {raw}"}


def test_no_request_makes_a_server_error(api_schema, bearer):
    """Every operation, positive and negative cases generated from the schema, as the coordinator."""
    checked, statuses = [], Counter()
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            response = case.call(headers=bearer)
            statuses[response.status_code // 100] += 1
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
            )

        call()
        checked.append(operation.label)
    assert len(checked) >= 15
    assert statuses[2] > 0 and statuses[4] > 0  # requests got through, and malformed ones were refused
