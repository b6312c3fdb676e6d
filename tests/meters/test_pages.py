"""The online-monitoring pages and API: the quality table with its rules and sources, uploads refused with
every bad row listed (page 400, API 400 JSON), permissions, and reads that create nothing."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carbonpeak.meters import services
from carbonpeak.meters.models import ReadingBatch

from .conftest import code, csv_bytes, quarter_hours

A = code("P0001")


def _june(skip=()) -> bytes:
    return csv_bytes(
        quarter_hours(A, "E1", datetime(2025, 6, 1), 30 * 96, skip=skip)
        + quarter_hours(A, "E1", datetime(2025, 7, 1), 2)
    )


def test_the_page_shows_each_enterprise_month_with_the_rules_and_their_source(client, coordinator):
    services.ingest_bytes(coordinator, "june.csv", _june(skip=set(range(96, 96 * 8))))
    client.force_login(coordinator)
    page = client.get(reverse("meters:overview") + "?month=2025-06")
    text = page.content.decode()
    assert page.status_code == 200
    assert "数据完整率" in text and "不合格" in text and "76.7%" in text
    assert "sanyawang" in text and "本平台规则" in text  # the thresholds' source and the platform's own rules
    assert "不在本市重点企业名录" in text
    only = client.get(reverse("meters:overview") + "?month=2025-06&failing=1").content.decode()
    assert A in only
    detail = client.get(reverse("meters:enterprise", args=[A])).content.decode()
    assert "2025-06" in detail and "月度实测用量" in detail and "22,080" in detail  # 2,208 readings × 10 kWh


def test_a_bad_upload_on_the_page_lists_the_rows_and_keeps_nothing(client, coordinator):
    client.force_login(coordinator)
    bad = csv_bytes(
        [
            [A, "E1", "电力", "2025-06-01 00:00:00", -5, "千瓦时", "15分钟"],
            [A, "E1", "电力", "昨天", 1, "千瓦时", "15分钟"],
        ]
    )
    page = client.post(reverse("meters:upload"), {"file": SimpleUploadedFile("bad.csv", bad)}, follow=True)
    text = page.content.decode()
    # handed to the background job (here run at once), whose page lists the refusal row by row
    assert page.redirect_chain[-1][0].startswith("/jobs/uploads/")
    assert (
        'data-status="refused"' in text and "第2行" in text and "第3行" in text and "整个文件均未写入" in text
    )
    assert not ReadingBatch.objects.exists()
    good = client.post(
        reverse("meters:upload"), {"file": SimpleUploadedFile("june.csv", _june())}, follow=True
    )
    assert 'data-status="done"' in good.content.decode() and "条读数" in good.content.decode()
    batch = ReadingBatch.objects.get()
    withdrawn = client.post(reverse("meters:withdraw", args=[batch.pk]), follow=True)
    assert "已撤回" in withdrawn.content.decode()


def test_the_api_lists_checks_and_totals_and_refuses_bad_files_as_json(
    client, coordinator, django_user_model
):
    client.force_login(coordinator)
    created = client.post(
        "/api/meters/batches", {"file": SimpleUploadedFile("june.csv", _june(skip=set(range(96, 96 * 8))))}
    )
    assert created.status_code == 202, created.content
    job = client.get(f"/api/uploads/{created.json()['id']}").json()
    assert job["status"] == "done" and job["progress"] == 100 and "条读数" in job["messages"][0]
    assert client.get("/api/meters/batches").json()["items"][0]["withdrawn"] is False
    failing = client.get("/api/meters/quality?month=2025-06&status=fail").json()
    assert {c["rule"] for c in failing["items"]} == {"completeness", "repair"}
    assert all(c["region"] == "320585" and c["enterprise"] is None for c in failing["items"])
    totals = client.get(f"/api/meters/totals?credit_code={A}").json()["items"]
    assert [(t["month"], t["unit"]) for t in totals] == [("2025-06", "kWh"), ("2025-07", "kWh")]
    assert (
        client.get("/api/meters/quality?month=2025-13").status_code == 422
        or client.get("/api/meters/quality?month=2025-13").status_code == 400
    )

    refused = client.post("/api/meters/batches", {"file": SimpleUploadedFile("bad.csv", b"a,b\n1,2\n")})
    assert refused.status_code == 202 and refused.json()["status"] == "refused"
    assert "缺少列" in "".join(refused.json()["messages"])

    stats = django_user_model.objects.get(username="stats")
    client.force_login(stats)
    forbidden = client.post("/api/meters/batches", {"file": SimpleUploadedFile("june2.csv", _june())})
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    assert ReadingBatch.objects.count() == 1
    assert client.get(f"/api/uploads/{created.json()['id']}").status_code == 403  # not its upload


def test_an_enterprise_user_is_refused_the_city_table(client, coordinator, django_user_model):
    from carbonpeak.demo import ensure_demo_enterprises

    _, login = ensure_demo_enterprises(coordinator, reports=False)
    client.force_login(django_user_model.objects.get(username=login.username))
    assert client.get(reverse("meters:overview")).status_code == 403
    assert client.get("/api/meters/quality").status_code == 403
    assert client.get(reverse("meters:enterprise", args=[A])).status_code == 403


def test_a_province_month_comes_in_pages_of_two_hundred(client, coordinator):
    from carbonpeak.meters.models import QualityCheck

    QualityCheck.objects.bulk_create(
        QualityCheck(
            credit_code=code(f"N{i:04d}"),
            region="320585",
            month="2025-06",
            rule="completeness",
            status="pass",
            detail="-",
        )
        for i in range(201)
    )
    client.force_login(coordinator)
    first = client.get(reverse("meters:overview"), {"month": "2025-06"}).content.decode()
    assert first.count('href="/meters/enterprises/') == 200 and "第 1 / 2 页" in first
    second = client.get(reverse("meters:overview"), {"month": "2025-06", "page": "2"}).content.decode()
    assert second.count('href="/meters/enterprises/') == 1
