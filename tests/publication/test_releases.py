"""Releases: the leader's step on the shared review lifecycle, the release boundary (nothing unreleased reaches
the public), corrections kept in the archive, the public pages, feed, open data and API."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from carbonpeak.core.models import AuditEvent
from carbonpeak.publication import selectors, services
from carbonpeak.publication.models import Release
from carbonpeak.reports import services as reports
from carbonpeak.supervision import services as supervision

pytestmark = pytest.mark.django_db
PERIOD = "2025Q3"
SECRET_NARRATIVE = "部门内部说明：仅供审核，切勿公开 7f3a"


@pytest.fixture
def leader(coordinator):
    return get_user_model().objects.get(username="leader")


def _released(plan, coordinator, leader, period=PERIOD, **kwargs) -> Release:
    release = services.prepare_release(plan, period, coordinator, note="本季度数据发布", **kwargs)
    services.submit_release(release, user=coordinator)
    return services.approve_release(release, user=leader)


def _every_public_text(client, release_id: int, language: str = "zh-hans") -> str:
    """Everything the public can read about a release: its pages, the feed, the API, the open data files."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    texts = []
    for url in (
        "/public/",
        f"/public/releases/{release_id}/",
        "/public/feed.atom",
        "/api/public/releases",
        f"/api/public/releases/{release_id}",
        f"/public/releases/{release_id}/data.json",
        f"/public/releases/{release_id}/figures.csv",
        f"/public/releases/{release_id}/targets.csv",
        f"/public/releases/{release_id}/actions.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode("utf-8"))
    book = load_workbook(io.BytesIO(client.get(f"/public/releases/{release_id}/data.xlsx").content))
    for sheet in book.worksheets:
        texts += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    return "\n".join(texts)


def test_a_release_needs_a_leader_and_then_shows_to_anyone(demo_plan, coordinator, leader, client):
    release = services.prepare_release(demo_plan, PERIOD, coordinator, note="2025年三季度数据")
    assert release.status == "draft" and release.snapshot["figures"] and release.snapshot["targets"]
    assert client.get("/api/public/releases").json()["count"] == 0
    assert client.get("/public/").status_code == 200 and "尚无发布" in client.get("/public/").content.decode()
    services.submit_release(release, user=coordinator)
    with pytest.raises(PermissionDenied):  # the coordinator who prepared it may not release it
        services.approve_release(release, user=coordinator)
    with pytest.raises(ValidationError):  # a return says why
        services.return_release(release, user=leader, comment=" ")
    services.approve_release(release, user=leader)
    assert (
        AuditEvent.objects.filter(object_type="发布", action="approve").exists()
        or AuditEvent.objects.filter(action="approve", object_id=str(release.pk)).exists()
    )

    listed = client.get("/api/public/releases").json()["items"]
    assert [(r["id"], r["period"], r["corrects"]) for r in listed] == [(release.pk, PERIOD, None)]
    assert listed[0]["released_at"] and listed[0]["title"] == release.title
    detail = client.get(f"/api/public/releases/{release.pk}").json()
    for figure in detail["figures"]:
        assert {"name", "value", "unit", "period", "state", "source"} <= set(figure)
        assert figure["state"] in ("已审核", "缺失")
        assert (figure["value"] is None) == (figure["state"] == "缺失")  # missing is never 0
    assert any(
        f["state"] == "缺失" for f in detail["figures"]
    )  # 等价值 needs the 发电 rate: not entered here
    assert all({"name", "grade", "reason"} <= set(t) for t in detail["targets"])
    page = client.get("/public/").content.decode()
    assert release.title in page and "示例数据" in page and "缺失" in page
    assert "sessionid" not in client.cookies


def test_everything_else_under_the_api_still_needs_a_login(client, demo_plan):
    assert client.get("/api/energy/summary").status_code == 401
    assert client.get("/api/public/releases/999").status_code == 404


def test_nothing_unreleased_reaches_a_public_page_feed_or_file(demo_plan, coordinator, leader, client):
    # a department's narrative, approved, in the released quarter
    rp = supervision.open_period(demo_plan, PERIOD, dt.date(2025, 10, 20), coordinator)
    report = rp.reports.select_related("task").first()
    supervision.save_report(report, coordinator, progress="in_progress", narrative=SECRET_NARRATIVE)
    supervision.submit_report(report, user=coordinator)
    supervision.approve_report(report, user=coordinator)
    # a draft report of the quarter (never final)
    draft = reports.request_report(demo_plan, PERIOD, coordinator, background=False)
    assert draft.status == "done" and not draft.final
    released = _released(demo_plan, coordinator, leader)
    assert released.report is None  # a 征求意见稿 never goes with a release
    # a later quarter prepared and submitted, not approved
    pending = services.prepare_release(demo_plan, "2025Q2", coordinator, note="待审批的季度")
    services.submit_release(pending, user=coordinator)

    text = _every_public_text(client, released.pk)
    assert SECRET_NARRATIVE not in text
    assert "按职责分工" not in text  # no department clause text either
    action = next(a for a in released.snapshot["actions"] if "已审核1份" in a["progress"])
    assert action["progress"] == "本季度应报进展" + action["progress"].split("本季度应报进展")[1]
    assert "待审批的季度" not in text and "2025年第二季度" not in text
    for url in (f"/public/releases/{pending.pk}/", f"/api/public/releases/{pending.pk}"):
        assert client.get(url).status_code == 404
    assert client.get(f"/public/releases/{released.pk}/report.pdf").status_code == 404
    assert client.get(f"/public/releases/{pending.pk}/data.json").status_code == 404


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_release_carries_the_public_edition_of_the_final_report(
    demo_plan, coordinator, leader, settings, tmp_path
):
    """The full final report goes upward with the departments' narratives; the 公开版 a release carries keeps
    the counts only, and leaves out the warnings' table and the data-quality annex."""
    settings.DATA_DIR = tmp_path
    rp = supervision.open_period(demo_plan, PERIOD, dt.date(2025, 10, 20), coordinator)
    report = rp.reports.first()
    supervision.save_report(report, coordinator, progress="in_progress", narrative=SECRET_NARRATIVE)
    supervision.submit_report(report, user=coordinator)
    supervision.approve_report(report, user=coordinator)
    draft = reports.request_report(demo_plan, PERIOD, coordinator, background=False)
    final = reports.finalise(draft, coordinator, background=False)
    full, public = reports.read_file(final, "docx"), reports.read_file(final, "public_docx")
    assert SECRET_NARRATIVE in _docx_text(full)
    text = _docx_text(public)
    assert SECRET_NARRATIVE not in text and "附件：数据质量" not in text and "公开版" in text
    assert "本期应报" in text  # the counts stay
    assert "征求意见稿" not in text
    assert _released(demo_plan, coordinator, leader).report == final


def test_enterprise_figures_never_reach_the_public(demo_plan, coordinator, leader, client):
    from carbonpeak.demo import ensure_demo_enterprises
    from carbonpeak.enterprises.models import Enterprise

    ensure_demo_enterprises(coordinator)
    found = Enterprise.objects.values_list("name", "credit_code")
    assert found
    released = _released(demo_plan, coordinator, leader)
    for language in ("zh-hans", "en"):
        text = _every_public_text(client, released.pk, language)
        assert not [n for pair in found for n in pair if n in text]
    keys = set(released.snapshot)
    assert set(released.snapshot["editions"]["en"]) == keys - {"report", "editions"} | {"title"}
    assert keys == {
        "region",
        "period",
        "period_label",
        "sample",
        "summary",
        "notes",
        "figures",
        "targets",
        "actions",
        "as_of",
        "report",
        "editions",
    }


def test_a_correction_keeps_the_earlier_release_marked_as_corrected(demo_plan, coordinator, leader, client):
    first = _released(demo_plan, coordinator, leader)
    with pytest.raises(ValidationError, match="已有发布"):
        services.prepare_release(demo_plan, PERIOD, coordinator, note="再发一次")
    with pytest.raises(ValidationError, match="更正说明"):
        services.prepare_release(demo_plan, PERIOD, coordinator, note="更正", corrects=first)
    second = _released(
        demo_plan, coordinator, leader, corrects=first, correction_note="更正二季度能耗口径说明"
    )
    assert selectors.latest() == second
    listed = client.get("/api/public/releases").json()["items"]
    assert [(r["id"], r["corrects"]) for r in listed] == [(second.pk, first.pk), (first.pk, None)]
    old = client.get(f"/public/releases/{first.pk}/").content.decode()
    assert "本次发布已被更正" in old
    new = client.get("/public/").content.decode()
    assert "更正二季度能耗口径说明" in new and f'data-release="{second.pk}"' in new
    feed = client.get("/public/feed.atom").content.decode()
    assert feed.count("<entry>") == 2 and "更正二季度能耗口径说明" in feed
    # a released release is never removed, and a corrected one cannot be corrected twice
    with pytest.raises(ValidationError):
        services.discard_release(first, coordinator)
    third = services.prepare_release(
        demo_plan, PERIOD, coordinator, note="又一次", corrects=first, correction_note="重复更正"
    )
    services.submit_release(third, user=coordinator)
    with pytest.raises(ValidationError, match="已被更正"):
        services.approve_release(third, user=leader)


def test_the_final_report_of_the_same_data_goes_with_the_release(
    demo_plan, coordinator, leader, client, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    draft = reports.request_report(demo_plan, PERIOD, coordinator, background=False)
    final = reports.finalise(draft, coordinator, background=False)
    assert final.status == "done", final.message
    assert final.final and "征求意见稿" not in final.docx_name and "征求意见稿" in draft.docx_name
    release = _released(demo_plan, coordinator, leader)
    assert release.report == final
    assert selectors.as_public(release)["report_pdf"] is False  # PDFs are off in this suite


def test_open_data_keeps_missing_blank_and_no_formula(demo_plan, coordinator, leader, client):
    release = services.prepare_release(demo_plan, PERIOD, coordinator, note='=HYPERLINK("http://x","y")')
    services.submit_release(release, user=coordinator)
    services.approve_release(release, user=leader)
    csv_text = client.get(f"/public/releases/{release.pk}/figures.csv").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("示例数据") and lines[1].startswith("指标,数值,单位")
    missing = [line for line in lines if ",缺失," in line]
    assert missing and all(line.split(",")[1] == "" for line in missing)
    book = load_workbook(io.BytesIO(client.get(f"/public/releases/{release.pk}/data.xlsx").content))
    assert book.sheetnames == ["说明", "主要指标", "目标晴雨表", "重点行动进展", "数据字典"]
    note = next(row[1] for row in book["说明"].iter_rows(values_only=True) if row[0] == "发布说明")
    assert note.startswith("'=")
    data = json.loads(client.get(f"/public/releases/{release.pk}/data.json").content)
    assert data["notice"].startswith("示例数据") and "figures" in data["dictionary"]


def test_the_public_pages_are_rate_limited_per_address(demo_plan, client, settings):
    settings.CARBONPEAK_PUBLIC_RATE = "3/m"
    codes = [client.get("/public/", REMOTE_ADDR="10.9.8.7").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/public/", REMOTE_ADDR="10.9.8.6").status_code == 200
    assert client.post("/public/").status_code == 405  # no forms
    refused = client.get("/api/public/releases", REMOTE_ADDR="10.9.8.7")  # the API shares the limit
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_requests"


def test_release_pages_for_the_coordinator_and_the_leader(demo_plan, coordinator, leader, client):
    client.force_login(coordinator)
    response = client.post("/releases/prepare/", {"period": PERIOD, "note": "页面拟定"}, follow=True)
    release = Release.objects.get()
    assert "请核对内容后报送领导审批" in response.content.decode()
    client.post(f"/releases/{release.pk}/submit/")
    response = client.post(f"/releases/{release.pk}/approve/", follow=True)
    assert "数据发布须经领导审批" in response.content.decode()
    client.force_login(leader)
    assert "批准发布" in client.get(f"/releases/{release.pk}/").content.decode()
    client.post(f"/releases/{release.pk}/approve/")
    release.refresh_from_db()
    assert release.released
    refused = client.post("/releases/prepare/", {"period": PERIOD, "note": "x"})
    assert refused.status_code == 403


def test_the_snapshot_keeps_missing_says_what_rests_on_a_sample_input_and_gives_no_instructions():
    """Pure: a figure without a value is 缺失 (None, never 0); a figure on 等价值 rests on the demo's 示例输入
    and says so; the accounts' notes reach the public without the platform's instructions."""
    from carbonpeak.publication import snapshot
    from carbonpeak.reports.content import Column, Report, Section, Table

    columns = [Column(c) for c in ("指标", "单位", "本季度", "累计", "上年同期累计", "同比变化", "方案目标")]
    table = Table(
        "主要指标",
        "主要指标",
        columns,
        [
            ["能源消费总量（等价值）", "万吨标准煤", 100.0, 300.0, 290.0, 3.4, "—"],
            ["能源活动二氧化碳排放量（净调入口径）", "万吨", 200.0, "缺失", None, None, "—"],
        ],
        source="能源统计核算",
        row_keys=["energy_tce_equivalent", "co2_t"],
    )
    notes = [
        "核算说明：示例输入：2025年平均发电标准煤耗（中电联报告），等价值仅供演示",
        "数据缺失或不全：缺失：2025年平均发电标准煤耗（“核算因子”中的“平均发电标准煤耗”，江苏或全国）未录入，"
        "等价值无法计算；请在“核算因子”中录入该年数值并注明来源后重算",
    ]
    report = Report(
        "太仓市碳达峰工作季度报告",
        "2025Q3",
        "2025年第3季度",
        "太仓市",
        "2025-10-20 09:00",
        True,
        {},
        [
            Section("总体情况", ["概述。"], [table], key="overview"),
            Section("能源消费与碳排放", ["正文。", *notes], key="energy", notes=notes),
        ],
    )
    frozen = snapshot.build(report, "2025年1–9月", [snapshot.ActionProgress("（一）甲行动", ["推进中"], 2)])
    energy, co2 = frozen["figures"]
    assert energy["value"] == 300.0 and energy["state"] == "已审核" and "示例输入" in energy["note"]
    assert co2["value"] is None and co2["state"] == "缺失" and co2["note"] == ""
    assert frozen["notes"][1] == "数据缺失或不全：缺失：2025年平均发电标准煤耗未录入，等价值无法计算。"
    assert frozen["actions"] == [
        {"name": "（一）甲行动", "progress": "本季度应报进展2份，已审核1份：推进中1项。"}
    ]


def test_a_note_in_english_reaches_the_public_without_the_instructions_too():
    """Pure: the English notes lose the place in the platform and what to do there, as the Chinese ones do."""
    from carbonpeak.publication import snapshot
    from carbonpeak.reports.content import Report, Section

    note = (
        "Missing: the average coal use per kWh generated in 2025 (“Average coal rate of generation” under "
        "“Accounting factors”, Jiangsu or national) has not been entered, so energy use on the primary-energy "
        "equivalent basis cannot be computed; enter the year's value with its source and recompute"
    )
    report = Report("Report", "2025Q3", "Q3 2025", "Taicang", "", False, {}, [])
    report.words["full_stop"] = "."
    report.sections = [Section("Energy", [note], key="energy", notes=[note])]
    assert snapshot.accounting_notes(report) == [
        "Missing: the average coal use per kWh generated in 2025 has not been entered, so energy use on the "
        "primary-energy equivalent basis cannot be computed."
    ]


def test_a_release_reads_in_english_with_the_same_figures(demo_plan, coordinator, leader, client):
    """The public page, the API and the open data in English: the platform's words translated, the figures the
    Chinese edition's; what stays Chinese is the plan's own text (the actions, the targets) and names."""
    from tests.web.test_english_pages import chinese_left, english_text, written_words

    release = _released(demo_plan, coordinator, leader)
    english = release.snapshot["editions"]["en"]
    assert [f["value"] for f in english["figures"]] == [f["value"] for f in release.snapshot["figures"]]
    assert [t["value"] for t in english["targets"]] == [t["value"] for t in release.snapshot["targets"]]
    assert [t["level"] for t in english["targets"]] == [t["level"] for t in release.snapshot["targets"]]
    assert english["title"] == "太仓市: carbon peaking data, Q3 2025"  # the region is a name

    page = client.get(f"/public/releases/{release.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    plan_words = [w for w in written_words() if w != release.title]
    left = chinese_left(english_text(page), plan_words)
    assert left == [], left
    assert "Missing" in page and english["figures"][0]["name"] in page

    api = client.get(f"/api/public/releases/{release.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["title"] == english["title"] and api["figures"][0]["state"] in ("Reviewed", "Missing")
    csv_text = client.get(
        f"/public/releases/{release.pk}/figures.csv", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("Indicator,Value,Unit")
    book = load_workbook(
        io.BytesIO(client.get(f"/public/releases/{release.pk}/data.xlsx", HTTP_ACCEPT_LANGUAGE="en").content)
    )
    assert book.sheetnames == [
        "Note",
        "Main figures",
        "Target barometer",
        "Progress of the key actions",
        "Data dictionary",
    ]
    chinese = client.get(f"/public/releases/{release.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert release.title in chinese and "缺失" in chinese


def test_a_correction_of_nothing_is_refused_with_the_reason(demo_plan, coordinator, client):
    client.force_login(coordinator)
    for junk in ("²", "٣", "99999999999", "x", "0"):
        response = client.post(
            "/releases/prepare/", {"period": PERIOD, "note": "x", "corrects": junk}, follow=True
        )
        assert response.status_code == 200 and "要更正的发布不存在或未发布" in response.content.decode()
    assert not Release.objects.exists()
