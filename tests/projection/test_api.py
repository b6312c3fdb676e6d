"""The projection through the API: the same object as the CLI's, errors as JSON messages."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from carbonpeak.projection import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_projection_endpoint_returns_what_the_service_stored(logged_in, demo_plan):
    body = logged_in.get(f"/api/projections/{quote('规划情景')}?draws=1000&seed=3").json()
    stored = services.run_projection("规划情景", plan=demo_plan, draws=1000, seed=3)
    assert body["accounting_run"] == stored.accounting_run_id
    assert body["p_peak_by_2030"] == stored.result["p_peak_by_2030"]
    assert body["trajectory"] == stored.result["trajectory"]
    listing = logged_in.get("/api/projections").json()
    assert [s["name"] for s in listing] == ["基准情景", "规划情景", "强化情景"]
    assert all(0 <= s["p_peak_by_2030"] <= 1 for s in listing)


def test_projection_endpoint_errors(logged_in, client, imported_plan):
    response = logged_in.get(f"/api/projections/{quote('乐观情景')}")
    assert response.status_code == 404 and "未知情景" in response.json()["message"]
    response = logged_in.get(f"/api/projections/{quote('规划情景')}")
    assert response.status_code == 409 and "尚无核算结果" in response.json()["message"]
    assert logged_in.get(f"/api/projections/{quote('规划情景')}?draws=50000").status_code == 422
    client.logout()
    assert client.get("/api/projections").status_code == 401
