"""The API: token login, the same permissions as the pages, a whole report cycle, JSON errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from carbonpeak.core.api import ERROR_CODES
from carbonpeak.core.models import AuditEvent
from carbonpeak.demo import ensure_demo_users
from carbonpeak.supervision import services as supervision

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(imported_plan, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    ensure_demo_users()
    coordinator = get_user_model().objects.get(username="coordinator")
    period = supervision.open_period(imported_plan, "2026Q3", dt.date(2026, 12, 15), coordinator)
    return period


def token(client, username, password="carbonpeak-demo"):
    response = client.post(
        "/api/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_token_login_and_bearer_access(client, setup):
    assert client.get("/api/targets").json() == {
        "code": "unauthenticated",
        "message": "需要登录：请先 POST /api/auth/token 取得令牌",
    }
    wrong = client.post(
        "/api/auth/token", {"username": "leader", "password": "x"}, content_type="application/json"
    )
    assert wrong.status_code == 401 and wrong.json() == {
        "code": "bad_credentials",
        "message": "用户名或密码错误",
    }
    auth = token(client, "leader")
    assert client.get("/api/plan", **auth).json()["actions"][0]["tasks"]
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code in (200, 401)


def test_login_attempts_are_rate_limited(client, setup):
    for _ in range(5):
        client.post(
            "/api/auth/token", {"username": "leader", "password": "bad"}, content_type="application/json"
        )
    locked = client.post(
        "/api/auth/token",
        {"username": "leader", "password": "carbonpeak-demo"},
        content_type="application/json",
    )
    assert locked.status_code == 429
    for _ in range(5):
        client.post("/login/", {"username": "coordinator", "password": "bad"})
    page = client.post("/login/", {"username": "coordinator", "password": "carbonpeak-demo"})
    assert "登录失败次数过多" in page.content.decode()


def test_a_department_cannot_change_another_departments_report_by_api(client, setup):
    mine = setup.reports.filter(department__name="市交运局").first()
    other = setup.reports.exclude(department__name="市交运局").first()
    auth = token(client, "市交运局")
    body = {"progress": "done", "narrative": "改"}
    response = client.put(f"/api/reports/{other.pk}", body, content_type="application/json", **auth)
    assert (
        response.status_code == 403 and response.json()["message"] == "只有牵头部门可以填写本部门的进展报告"
    )
    assert client.post(f"/api/reports/{other.pk}/submit", **auth).status_code == 403
    assert (
        client.put(f"/api/reports/{mine.pk}", body, content_type="application/json", **auth).status_code
        == 200
    )
    leader = token(client, "leader")
    assert (
        client.put(f"/api/reports/{mine.pk}", body, content_type="application/json", **leader).status_code
        == 403
    )


def test_a_whole_cycle_through_the_api_is_audited(client, setup):
    r = setup.reports.filter(department__name="市交运局").first()
    dept, coord = token(client, "市交运局"), token(client, "coordinator")
    put = {"progress": "in_progress", "narrative": "新增新能源公交 40 辆"}
    assert client.put(f"/api/reports/{r.pk}", put, content_type="application/json", **dept).status_code == 200
    assert client.post(f"/api/reports/{r.pk}/submit", **dept).json()["status"] == "submitted"
    returned = client.post(
        f"/api/reports/{r.pk}/return", {"comment": ""}, content_type="application/json", **coord
    )
    assert returned.status_code == 400 and "须填写意见" in returned.json()["message"]
    client.post(
        f"/api/reports/{r.pk}/return", {"comment": "请补充"}, content_type="application/json", **coord
    )
    client.put(f"/api/reports/{r.pk}", put | {"narrative": "已补充"}, content_type="application/json", **dept)
    client.post(f"/api/reports/{r.pk}/submit", **dept)
    done = client.post(
        f"/api/reports/{r.pk}/approve", {"comment": ""}, content_type="application/json", **coord
    )
    assert done.json()["status"] == "approved"
    actions = list(
        AuditEvent.objects.filter(object_type="supervision.ProgressReport", object_id=str(r.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["update", "submit", "return", "update", "submit", "approve"]
    listed = client.get("/api/reports?period=2026Q3&department=市交运局", **coord).json()
    assert any(x["id"] == r.pk and x["status"] == "approved" for x in listed["items"])


def test_malformed_requests_are_4xx_with_a_message(client, setup):
    auth = token(client, "coordinator")
    r = setup.reports.first()
    cases = [
        client.put(f"/api/reports/{r.pk}", {"progress": "飞速"}, content_type="application/json", **auth),
        client.put(f"/api/reports/{r.pk}", "not json", content_type="application/json", **auth),
        client.post(
            "/api/periods", {"key": "明年", "due_date": "2026-12-01"}, content_type="application/json", **auth
        ),
        client.post(
            "/api/periods", {"key": "2026Q4", "due_date": "某天"}, content_type="application/json", **auth
        ),
        client.get("/api/reports/999999", **auth),
        client.get("/api/indicators/abc/observations", **auth),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.content
        assert response.json()["message"] and response.json()["code"] in ERROR_CODES
    codes = [(response.status_code, response.json()["code"]) for response in cases]
    assert codes == [
        (422, "malformed_request"),
        (400, "malformed_request"),
        (400, "invalid"),
        (422, "malformed_request"),
        (404, "not_found"),
        (422, "malformed_request"),
    ]


def test_lists_are_paged_never_cut(client, setup):
    auth = token(client, "coordinator")
    total = setup.reports.count()
    assert total > 10
    seen = []
    for offset in range(0, total, 7):
        page = client.get(f"/api/reports?limit=7&offset={offset}", **auth).json()
        assert page["count"] == total and len(page["items"]) <= 7
        seen += [r["id"] for r in page["items"]]
    assert sorted(seen) == sorted(setup.reports.values_list("pk", flat=True))
    assert len(client.get("/api/reports", **auth).json()["items"]) == min(total, 100)
    too_many = client.get("/api/reports?limit=501", **auth)
    assert too_many.status_code == 422 and too_many.json()["code"] == "malformed_request"


def test_energy_summary_carries_the_factor_set(client, setup, coordinator):
    from carbonpeak.energy import services as energy

    energy.ensure_bundled_factor_sets()
    energy.load_sample_data(coordinator)
    rows = client.get("/api/energy/summary?region=太仓市", **token(client, "leader")).json()["items"]
    assert rows and {r["factor_set"] for r in rows} == {"national@2026.1"}
    # no 发电 coal rate in the sample: 等价值 figures are null (缺失) with the reason, 当量值 beside them
    electric = [r for r in rows if r["energy_tce_equivalent"] is None]
    assert electric and all(not r["complete"] and "发电标准煤耗" in r["missing"][0] for r in electric)
    assert all(r["energy_intensity"] is None and r["energy_tce_assessed"] is None for r in electric)
    assert all(r["co2_t_by_boundary"]["assessed"] == pytest.approx(r["co2_t"], abs=0.01) for r in rows)
    assert all(set(r["co2_t_by_boundary"]) == {"territorial", "assessed", "consumption"} for r in rows)


USERS = ("admin", "coordinator", "leader", "stats", "chengxiang", "市交运局", "市住建局")


def test_permission_matrix_for_progress_reports_through_the_api(client, setup):
    """Every role × action × owner: only the lead department edits and submits, only the coordinator reviews."""
    own = {name: setup.reports.filter(department__name=name).first() for name in ("市交运局", "市住建局")}
    for name in USERS:
        auth = token(client, name, "carbonpeak-admin" if name == "admin" else "carbonpeak-demo")
        for owner, report in own.items():
            may_edit = name in ("admin", "coordinator") or name == owner
            body = {"progress": "in_progress", "narrative": f"{name} 写"}
            status = client.put(
                f"/api/reports/{report.pk}", body, content_type="application/json", **auth
            ).status_code
            assert status == (200 if may_edit else 403), (name, owner, "put", status)
            status = client.post(f"/api/reports/{report.pk}/submit", **auth).status_code
            assert status == (200 if may_edit else 403), (name, owner, "submit", status)
            for action in ("return", "approve"):
                type(report).objects.filter(pk=report.pk).update(status="submitted")
                status = client.post(
                    f"/api/reports/{report.pk}/{action}",
                    {"comment": "意见"},
                    content_type="application/json",
                    **auth,
                ).status_code
                assert status == (200 if name in ("admin", "coordinator") else 403), (
                    name,
                    owner,
                    action,
                    status,
                )
            type(report).objects.filter(pk=report.pk).update(status="draft")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_evidence_through_the_api(client, setup):
    mine = setup.reports.filter(department__name="市交运局").first()
    dept = token(client, "市交运局")
    upload = client.post(
        f"/api/reports/{mine.pk}/evidence", {"file": SimpleUploadedFile("../现场照片.png", PNG)}, **dept
    )
    assert upload.status_code == 201, upload.content
    body = upload.json()
    assert (body["name"], body["kind"], body["size"]) == ("现场照片.png", "png", len(PNG))
    listed = client.get(f"/api/reports/{mine.pk}/evidence", **dept).json()
    assert [e["id"] for e in listed] == [body["id"]]
    coord = token(client, "coordinator")
    download = client.get(body["url"], **coord)
    assert download.status_code == 200 and download.content == PNG and download["Content-Type"] == "image/png"
    # another department sees neither the list entry nor the file
    other = token(client, "市住建局")
    assert client.get(f"/api/reports/{mine.pk}/evidence", **other).json() == []
    assert client.get(body["url"], **other).status_code == 403
    # content that is none of the accepted types is refused with the reason, and nothing is stored
    bad = client.post(
        f"/api/reports/{mine.pk}/evidence",
        {"file": SimpleUploadedFile("说明.png", b"MZ\x90\x00 not a png")},
        **dept,
    )
    assert bad.status_code == 400 and "只接受 PDF、PNG" in bad.json()["message"]
    assert (
        client.post(
            f"/api/reports/{mine.pk}/evidence", {"file": SimpleUploadedFile("a.png", PNG)}, **other
        ).status_code
        == 403
    )
    assert client.get("/api/evidence/999999", **coord).status_code == 404
    assert AuditEvent.objects.filter(object_type="supervision.Evidence").count() == 1


def test_every_error_code_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \| \d", doc, flags=re.M))
    assert documented == set(ERROR_CODES)


def test_a_nul_character_is_refused_before_it_reaches_the_database(client, setup):
    """PostgreSQL cannot store NUL in text: schemathesis found a filter that turned it into a 500."""
    auth = token(client, "coordinator")
    r = setup.reports.first()
    cases = [
        client.get("/api/reports?department=%00", **auth),
        client.put(
            f"/api/reports/{r.pk}",
            '{"progress": "进行中", "narrative": "a\\u0000b"}',
            content_type="application/json",
            **auth,
        ),
    ]
    for response in cases:
        assert response.status_code == 400 and response.json()["code"] == "malformed_request"
    client.force_login(get_user_model().objects.get(username="coordinator"))
    page = client.post("/projection/new/", {"name": "x\x00", "based_on": "规划情景"})
    assert page.status_code == 400 and "空字符" in page.content.decode()
    r.refresh_from_db()
    assert "\x00" not in r.narrative


def test_a_refusal_by_state_answers_409_with_its_code(client, coordinator, demo_plan):
    """The review lifecycle's refusals are DomainErrors with a stable code: approving what was not
    submitted is a conflict, not a bad request."""
    from carbonpeak.monitoring import services as monitoring
    from carbonpeak.monitoring.models import Indicator

    bus = Indicator.objects.get(name="新能源和清洁能源公交车辆占比")
    draft = monitoring.report_observation(bus, 2025, 4, 40.0, coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/api/observations/{draft.pk}/approve", {"comment": ""}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert "只能审核已报送的" in response.json()["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/observations?indicator_id=99999999999999999999",
        "/api/observations/99999999999999999999",
        "/api/enterprise-reports?enterprise_id=99999999999999999999",
        "/api/energy/submissions/99999999999999999999",
    ],
)
def test_a_key_no_column_holds_is_refused_not_a_server_error(client, coordinator, url):
    client.force_login(coordinator)
    assert client.get(url).status_code in (404, 422)


def test_refusals_are_said_in_the_readers_language(client, demo_plan, coordinator):
    """The API's refusals follow the reader's language like the pages (Accept-Language, or the user's choice)."""
    client.force_login(coordinator)
    chinese = client.get("/api/budgets/2099").json()
    english = client.get("/api/budgets/2099", HTTP_ACCEPT_LANGUAGE="en").json()
    assert chinese["code"] == english["code"] == "not_found"
    assert "年碳预算未设定" in chinese["message"]
    assert english["message"] == "The carbon budget of 太仓市 for 2099 is not set"
    missing = client.get("/api/indicators/999999/observations", HTTP_ACCEPT_LANGUAGE="en").json()
    assert missing["message"] == "Indicator 999999 does not exist"
