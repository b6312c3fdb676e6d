"""Upload limits: one table, each below the bound every request body has (a limit above it could never be
reached), checked in the service so that the page and the API refuse alike, with nothing written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from carbonpeak.core import limits

pytestmark = pytest.mark.django_db


def test_every_limit_can_be_reached_within_a_request():
    for kind, limit in limits.LIMITS.items():
        assert limit.max_bytes < limits.request_bound(), kind


def test_a_file_over_the_limit_is_refused_by_the_service_with_nothing_written(coordinator):
    from carbonpeak.energy import services as energy
    from carbonpeak.energy.models import EnergySubmission, GreenCertificate
    from carbonpeak.enterprises import services as enterprises
    from carbonpeak.enterprises.models import Enterprise

    big = b"x" * (limits.max_bytes(limits.ENERGY_FORM) + 1)
    result = energy.upload(big, "q.csv", coordinator)
    assert result.errors == [limits.refusal(limits.ENERGY_FORM, len(big))]
    assert "上限 10 MB，本平台规则" in result.errors[0] and "命令行" in result.errors[0]
    assert not energy.upload_certificates(big, "r.xlsx", coordinator).ok
    with pytest.raises(ValidationError, match="重点企业名录文件过大"):
        enterprises.import_register(coordinator, big)
    assert not EnergySubmission.objects.exists() and not GreenCertificate.objects.exists()
    assert not Enterprise.objects.exists()


def test_the_page_and_the_api_give_the_services_refusal(client, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    big = b"x" * (limits.max_bytes(limits.ENERGY_FORM) + 10)
    page = client.post("/energy/submissions/upload/", {"file": SimpleUploadedFile("q.csv", big)})
    assert page.status_code == 400 and "能源统计报表文件过大" in page.content.decode()
    api = client.post("/api/energy/submissions", {"file": SimpleUploadedFile("q.csv", big)})
    assert api.status_code == 400 and "能源统计报表文件过大" in api.json()["message"]
