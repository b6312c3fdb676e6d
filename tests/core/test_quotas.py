"""Per-user limits on costly work (core.quotas): counted in the database, refused with 429 and when to try
again, on the pages and the API; requests answered from what is stored are not counted; requested
projections are not kept without bound."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carbonpeak.core.models import ComputeRequest
from carbonpeak.energy.models import EnergySubmission
from carbonpeak.projection import services as projection
from carbonpeak.projection.models import ProjectionRun
from carbonpeak.reports.models import QuarterlyReport

pytestmark = pytest.mark.django_db
PLANNED = quote("规划情景")


def ask(client, seed: int):
    return client.post(
        f"/api/projections/{PLANNED}/runs", {"draws": 200, "seed": seed}, content_type="application/json"
    )


def test_projections_on_request_are_limited_per_user_and_hour(client, demo_plan, coordinator, settings):
    settings.CARBONPEAK_QUOTAS_PER_HOUR = {"projection": 3}
    client.force_login(coordinator)
    for seed in (11, 12, 13):
        assert ask(client, seed).status_code == 200
    refused = ask(client, 14)
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "too_many_requests" and "每人每小时最多 3 次" in body["message"]
    assert "本平台规则" in body["message"] and 0 < int(refused["Retry-After"]) <= 3600
    assert not ProjectionRun.objects.filter(seed=14).exists()
    # what is already computed is answered from storage, not counted
    assert ask(client, 12).status_code == 200
    # another user has a quota of their own
    client.force_login(get_user_model().objects.get(username="leader"))
    assert ask(client, 15).status_code == 200


def test_an_upload_beyond_the_limit_is_a_chinese_429_page_and_nothing_is_read(client, coordinator, settings):
    settings.CARBONPEAK_QUOTAS_PER_HOUR = {"upload": 1}
    client.force_login(coordinator)
    csv = "period,region,sector,fuel,quantity,unit\n2023Q1,太仓市,其他工业,原煤,1,万吨\n".encode()
    from carbonpeak.energy.services import ensure_bundled_factor_sets

    ensure_bundled_factor_sets()
    first = client.post(reverse("energy:upload"), {"file": SimpleUploadedFile("q.csv", csv)})
    assert first.status_code in (200, 302)
    drafts = EnergySubmission.objects.count()
    refused = client.post(reverse("energy:upload"), {"file": SimpleUploadedFile("q2.csv", csv)})
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "请求过于频繁" in html and "上传并校验文件" in html and "每人每小时最多 1 次" in html
    assert EnergySubmission.objects.count() == drafts
    assert ComputeRequest.objects.filter(user=coordinator, kind="upload").count() == 1


def test_requested_projections_are_kept_up_to_a_bound_and_a_reports_own_is_kept(
    client, demo_plan, coordinator, monkeypatch
):
    monkeypatch.setattr(projection, "MAX_REQUESTED_RUNS", 2)
    defaults = ProjectionRun.objects.filter(draws=projection.default_draws()).count()
    assert defaults  # the jobs' own projections
    client.force_login(coordinator)
    for seed in (21, 22):
        assert ask(client, seed).status_code == 200
    in_a_report = ProjectionRun.objects.get(draws=200, seed=21)
    QuarterlyReport.objects.create(
        plan=demo_plan, period="2025Q4", created_by=coordinator, projection_run=in_a_report
    )
    for seed in (23, 24):
        assert ask(client, seed).status_code == 200
    kept = sorted(ProjectionRun.objects.filter(draws=200).values_list("seed", flat=True))
    assert kept == [21, 23, 24]  # the newest two, and the one a report was built on
    assert ProjectionRun.objects.filter(draws=projection.default_draws()).count() == defaults


def test_an_operator_overrides_the_limits_from_the_environment(settings):
    """``CARBONPEAK_QUOTAS_PER_HOUR`` (documented in docs/operations.md) is read at start: a malformed value or an
    unknown kind stops the start with a Chinese message, never silently ignored."""
    import os
    import subprocess
    import sys

    from django.core.exceptions import ImproperlyConfigured

    from carbonpeak import settings as project_settings
    from carbonpeak.core import quotas

    assert project_settings._hourly_quotas("projection=40，report = 20") == {"projection": 40, "report": 20}
    with pytest.raises(ImproperlyConfigured, match="无法识别"):
        project_settings._hourly_quotas("projection=很多")
    settings.CARBONPEAK_QUOTAS_PER_HOUR = {"projections": 5}
    with pytest.raises(ImproperlyConfigured, match="不是可限制的工作"):
        quotas.check_overrides()
    env = {
        **os.environ,
        "CARBONPEAK_QUOTAS_PER_HOUR": "projection=2",
        "DJANGO_SETTINGS_MODULE": "carbonpeak.settings",
    }
    read = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from carbonpeak.core import quotas; print(quotas.limit('projection'))",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert read.stdout.strip().splitlines()[-1] == "2", read.stderr
