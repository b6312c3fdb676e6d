"""The register through its service and pages: each number once, a bad file writes nothing, the accounts follow."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carbonpeak.core.models import AuditEvent
from carbonpeak.energy import selectors, services
from carbonpeak.energy.models import GreenCertificate

HEADER = "证书编号或交易编号,核销（使用）日期,类型,方向,绿证数量（张）,电量（千瓦时）,出售方所在省份,凭证\n"


def csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


@pytest.fixture
def reporter(db):
    from django.contrib.auth import get_user_model

    from carbonpeak.demo import ensure_demo_users

    ensure_demo_users()
    return get_user_model().objects.get(username="stats")


def test_an_upload_registers_every_line_with_its_audit(coordinator):
    result = services.upload_certificates(
        csv(
            "GEC-1,2025-03-01,单独绿证,购入,100,,内蒙古,绿证交易平台",
            "GEC-2,2025-04-01,省内,购入,,50000,,平台",
        ),
        "r.csv",
        coordinator,
    )
    assert result.ok, result.errors
    assert GreenCertificate.objects.count() == 2
    assert GreenCertificate.objects.get(serial="GEC-1").kwh == 100_000
    assert AuditEvent.objects.filter(object_type="energy.GreenCertificate", action="create").count() == 2


def test_a_number_already_registered_refuses_the_whole_file(coordinator):
    services.upload_certificates(csv("GEC-1,2025-03-01,单独绿证,购入,100,,内蒙古,平台"), "a.csv", coordinator)
    again = services.upload_certificates(
        csv("GEC-3,2025-03-01,单独绿证,购入,5,,四川,平台", "GEC-1,2025-06-01,单独绿证,购入,100,,内蒙古,平台"),
        "b.csv",
        coordinator,
    )
    assert not again.ok
    assert "第3行：编号“GEC-1”已于" in again.errors[0] and "同一绿证不能重复计入" in again.errors[0]
    assert set(GreenCertificate.objects.values_list("serial", flat=True)) == {"GEC-1"}


def test_a_bad_row_writes_nothing(coordinator):
    result = services.upload_certificates(
        csv("GEC-1,2025-03-01,单独绿证,购入,100,,内蒙古,平台", "GEC-2,明天,单独绿证,购入,1,,四川,平台"),
        "r.csv",
        coordinator,
    )
    assert not result.ok and "第3行 B列" in result.errors[0]
    assert not GreenCertificate.objects.exists()


def test_only_the_coordinator_registers(reporter):
    with pytest.raises(PermissionDenied, match="只有协调员可以登记或撤销绿证"):
        services.upload_certificates(csv("GEC-1,2025-03-01,单独绿证,购入,1,,四川,平台"), "r.csv", reporter)


def test_a_withdrawal_needs_a_reason_and_is_audited(coordinator):
    services.upload_certificates(csv("GEC-1,2025-03-01,单独绿证,购入,1,,四川,平台"), "r.csv", coordinator)
    entry = GreenCertificate.objects.get()
    with pytest.raises(ValidationError):
        services.withdraw_certificate(entry, coordinator, reason=" ")
    services.withdraw_certificate(entry, coordinator, reason="编号录错")
    assert not GreenCertificate.objects.exists()
    event = AuditEvent.objects.get(object_type="energy.GreenCertificate", action="delete")
    assert event.before["serial"] == "GEC-1" and event.comment == "编号录错"


def test_the_sample_register_counts_in_the_demo_accounts(rates_entered):
    """示例数据: the register is labelled, and 2025's certificates reach the accounts with the cap applied."""
    assert GreenCertificate.objects.filter(is_sample=True).count() == GreenCertificate.objects.count() > 0
    assert all(s.startswith("示例-") for s in GreenCertificate.objects.values_list("serial", flat=True))
    run = selectors.current_run()
    year = run.results.get(period="2025").data
    counted = year["certificates"]
    assert counted["counted_kwh"] == (60_000 + 10_000) * 1000
    assert counted["sold_out_kwh"] == 5_000 * 1000
    assert counted["cap_tce"] > 0 and counted["deducted_tce"] == min(
        counted["counted_tce"], counted["cap_tce"]
    )


def test_the_register_page_shows_the_effect_and_refuses_a_duplicate(client, rates_entered, coordinator):
    client.force_login(coordinator)
    page = client.get("/energy/certificates/").content.decode()
    assert "示例数据" in page and "抵扣上限" in page and "2025年" in page
    response = client.post(
        "/energy/certificates/enter/",
        {
            "serial": "示例-绿证-2025-01",
            "used_on": "2025-06-30",
            "kind": "单独绿证",
            "direction": "购入",
            "certificates": "1",
            "seller_province": "四川",
            "source": "平台",
        },
        follow=True,
    )
    assert "同一绿证不能重复计入" in response.content.decode()
    template = client.get("/energy/certificates/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_the_api_lists_the_register_and_the_summary_names_boundary_and_certificates(
    client, rates_entered, coordinator
):
    client.force_login(coordinator)
    listed = client.get("/api/energy/certificates?year=2025&limit=500").json()
    assert listed["count"] == GreenCertificate.objects.filter(used_on__year=2025).count()
    assert {"serial", "kind", "direction", "kwh", "is_sample"} <= set(listed["items"][0])
    summary = client.get("/api/energy/summary?limit=500").json()["items"]
    year = next(i for i in summary if i["period"] == "2025")
    assert year["co2_boundary"] == "assessed" and year["co2_boundary_label"].startswith(
        "考核口径：净调入口径"
    )
    assert year["certificates"]["counted_kwh"] == 70_000_000
