"""The projection through the API: reads what the jobs stored (no GET computes), other inputs by a POST
that a job answers, errors as JSON with stable codes."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from carbonpeak.projection import selectors
from carbonpeak.projection.models import ProjectionRun

pytestmark = pytest.mark.django_db

PLANNED = quote("规划情景")


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_reads_what_the_jobs_stored_and_never_computes_on_a_get(logged_in, demo_plan):
    listing = logged_in.get("/api/projections").json()
    assert [s["name"] for s in listing] == ["基准情景", "规划情景", "强化情景"]
    assert all(s["computed"] and 0 <= s["p_peak_by_2030"] <= 1 for s in listing)
    body = logged_in.get(f"/api/projections/{PLANNED}").json()
    stored = selectors.stored_projection("规划情景", demo_plan)
    assert body["accounting_run"] == stored.accounting_run_id
    assert body["p_peak_by_2030"] == stored.result["p_peak_by_2030"]
    assert body["trajectory"] == stored.result["trajectory"]

    runs = ProjectionRun.objects.count()
    other = logged_in.get(f"/api/projections/{PLANNED}?draws=1000&seed=3")
    assert other.status_code == 409 and other.json()["code"] == "not_computed"
    assert ProjectionRun.objects.count() == runs  # the GET stored nothing


def test_other_inputs_are_asked_for_with_a_post_and_a_job_computes_them(logged_in, demo_plan):
    asked = logged_in.post(
        f"/api/projections/{PLANNED}/runs", {"draws": 1000, "seed": 3}, content_type="application/json"
    )
    # the suite runs jobs at once, so the job has run by the time the POST answers
    assert asked.status_code == 200 and asked.json()["status"] == "done"
    body = logged_in.get(asked.json()["url"]).json()
    stored = selectors.stored_projection("规划情景", demo_plan, draws=1000, seed=3)
    assert body["p_peak_by_2030"] == stored.result["p_peak_by_2030"] and stored.draws == 1000
    again = logged_in.post(
        f"/api/projections/{PLANNED}/runs", {"draws": 1000, "seed": 3}, content_type="application/json"
    )
    assert again.json()["status"] == "done" and ProjectionRun.objects.filter(draws=1000).count() == 1


def test_projection_endpoint_errors(logged_in, client, imported_plan):
    response = logged_in.get(f"/api/projections/{quote('乐观情景')}")
    assert response.status_code == 404 and "未知情景" in response.json()["message"]
    assert response.json()["code"] == "not_found"
    response = logged_in.get(f"/api/projections/{PLANNED}")
    assert response.status_code == 409 and "尚无核算结果" in response.json()["message"]
    assert response.json()["code"] == "no_accounts"
    asked = logged_in.post(f"/api/projections/{PLANNED}/runs", {}, content_type="application/json")
    assert asked.status_code == 409 and asked.json()["code"] == "no_accounts"
    assert logged_in.get(f"/api/projections/{PLANNED}?draws=50000").status_code == 422
    assert logged_in.get("/api/projections").json()[0]["computed"] is False
    client.logout()
    assert client.get("/api/projections").status_code == 401
