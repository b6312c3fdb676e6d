"""The quarterly report: the .docx read back against the database, the .xlsx round trip, the CLI, the page."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from carbonpeak.cli import main
from carbonpeak.core.models import AuditEvent
from carbonpeak.energy import selectors as energy
from carbonpeak.energy.accounting import BOUNDARY_LABELS
from carbonpeak.energy.models import AccountingResult
from carbonpeak.monitoring import assessment
from carbonpeak.projection.models import ProjectionRun
from carbonpeak.reports import services, writers
from carbonpeak.reports.models import QuarterlyReport

pytestmark = pytest.mark.django_db
PERIOD = "2025Q3"
SECTIONS = [
    "一、总体情况",
    "二、能源消费与碳排放",
    "三、碳汇（单列，不抵扣能源活动排放）",
    "四、目标晴雨表",
    "五、任务推进情况",
    "六、预警情况",
    "七、重点项目",
    "八、碳达峰预测",
    "九、附件：数据质量",
    "数据版本",
]


@pytest.fixture
def report_job(demo_plan, coordinator, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    job = services.request_report(demo_plan, PERIOD, coordinator, background=False)
    assert job.status == QuarterlyReport.State.DONE, job.message
    return job


def _docx(job) -> Document:
    return Document(io.BytesIO(services.read_file(job, "docx")))


def _result(period: str) -> dict:
    return AccountingResult.objects.get(run=energy.current_run(), region="太仓市", period=period).data


def test_the_report_has_every_section_table_and_figure(report_job, demo_plan):
    doc = _docx(report_job)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS
    report, _ = services.collect(demo_plan, PERIOD)
    assert len(doc.tables) == len(report.tables())
    assert len(doc.inline_shapes) == len(report.figures()) == 4
    assert [f.kind for f in report.figures()] == ["grades", "trend", "bars", "fan"]
    # 示例数据 on every page: the page header carries it
    assert "示例数据" in doc.sections[0].header.paragraphs[0].text
    assert any("本报告含示例数据" in p.text for p in doc.paragraphs)


def test_the_reports_figures_are_the_databases(report_job, demo_plan):
    doc = _docx(report_job)
    headline = doc.tables[0]
    ytd, last = _result("2025Q1-Q3"), _result("2024Q1-Q3")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in headline.rows[1:]}
    energy_row = rows["能源消费总量（当量值，仅供参考）"]
    assert energy_row[3] == writers.format_cell(ytd["energy_tce"] / 1e4, 2)
    assert energy_row[4] == writers.format_cell(last["energy_tce"] / 1e4, 2)
    # no sourced 发电 coal rate in the demo: the figures on 等价值 say 缺失, never a 当量值 in their place
    assert rows["能源消费总量（等价值）"][2:5] == ["缺失", "缺失", "缺失"]
    assert rows["考核用能源消费量（扣除非化石能源和原料用能）"][3] == "缺失"
    assert rows["单位地区生产总值能耗"][3] == "缺失" and rows["非化石能源消费比重"][3] == "缺失"
    assert rows["能源活动二氧化碳排放量（净调入口径）"][2] == writers.format_cell(
        _result(PERIOD)["co2_t"] / 1e4, 2
    )
    assert rows["非化石能源消费比重"][6].startswith("2025年不低于 13 %：")  # against the plan's target
    # the three CO2 boundaries, the assessed one being the report's
    boundaries = next(t for t in doc.tables if t.rows[0].cells[0].text == "口径")
    by_label = {r.cells[0].text: r.cells[1].text for r in boundaries.rows[1:]}
    assert by_label[BOUNDARY_LABELS["assessed"] + "（考核采用）"] == writers.format_cell(
        _result(PERIOD)["co2_t"], 1
    )
    assert len(by_label) == 3
    # the register of 绿证 (示例数据) in the year to date: 60,000 + 10,000 certificates bought apart from
    # electricity; without a 发电 coal rate in the demo their standard coal and the deduction are 缺失
    register = next(t for t in doc.tables if t.rows[0].cells[0].text == "项目" and len(t.rows) == 7)
    cells = {r.cells[0].text: r.cells[2].text for r in register.rows[1:]}
    assert cells["购入·单独绿证与省内绿证（计入非化石能源消费）"] == writers.format_cell(7000.0, 1)
    assert cells["计入的绿证折标准煤（等价值）"] == "缺失" and cells["考核实际抵扣"] == "缺失"
    # the barometer lists every target with the grade the platform gives on data up to the quarter
    barometer = next(
        t for t in doc.tables if t.rows[0].cells[0].text == "指标" and t.rows[0].cells[-1].text == "理由"
    )
    statuses = assessment.assess_plan(demo_plan, as_of=(2025, 3))
    assert len(barometer.rows) - 1 == demo_plan.targets.count() == len(statuses)
    assert [r.cells[6].text for r in barometer.rows[1:]] == [s.assessment.grade.label for s in statuses]
    # the peak projection section names the stored projection it used
    run = ProjectionRun.objects.get(pk=report_job.projection_run_id)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{run.result['p_peak_by_2030']:.1%}" in text
    assert report_job.accounting_run == energy.current_run()
    assert report_job.data_version["核算记录"].startswith(str(energy.current_run().pk))


def test_the_excel_export_round_trips_every_number(report_job, demo_plan):
    wb = load_workbook(io.BytesIO(services.read_file(report_job, "xlsx")))
    report, _ = services.collect(demo_plan, PERIOD)
    assert wb.sheetnames[0] == "说明"
    assert len(wb.sheetnames) == len(report.tables()) + 1
    for name, table in zip(wb.sheetnames[1:], report.tables(), strict=True):
        ws = wb[name]
        assert ws["A1"].value.startswith(table.title) and "示例数据" in ws["A1"].value
        assert [c.value for c in ws[4]] == [c.header for c in table.columns]  # units in the headers
        values = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
        assert len(values) == len(table.rows)
        for got, expected in zip(values, table.rows, strict=True):
            for g, e in zip(got, expected, strict=True):
                if isinstance(e, float):
                    assert g == pytest.approx(e, rel=1e-12)
                else:
                    assert g == (None if e in ("", None) else e)
        if table.source:
            assert ws["A2"].value == f"来源：{table.source}"
    co2 = next(ws for ws in wb.worksheets if ws["A1"].value.startswith("主要指标"))
    row = next(
        r
        for r in co2.iter_rows(min_row=5, values_only=True)
        if r[0] == "能源活动二氧化碳排放量（净调入口径）"
    )
    assert row[2] == pytest.approx(_result(PERIOD)["co2_t"] / 1e4)
    # 缺失 stays 缺失 in the export: never an empty cell a formula would read as 0
    missing = next(r for r in co2.iter_rows(min_row=5, values_only=True) if r[0] == "能源消费总量（等价值）")
    assert missing[2:5] == ("缺失", "缺失", "缺失")


def test_generation_is_audited_and_coordinator_only(demo_plan, coordinator, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    department = get_user_model().objects.get(username="市发改委")
    with pytest.raises(PermissionDenied, match="只有协调员"):
        services.request_report(demo_plan, PERIOD, department, background=False)
    job = services.request_report(demo_plan, PERIOD, coordinator, background=False)
    assert AuditEvent.objects.filter(object_type="reports.QuarterlyReport", object_id=str(job.pk)).exists()


def test_bad_periods_and_missing_data_fail_with_a_reason(demo_plan, coordinator, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with pytest.raises(services.ReportError, match="须选择一个季度"):
        services.request_report(demo_plan, "2025", coordinator, background=False)
    with pytest.raises(services.ReportError, match="无法识别的报告期"):
        services.request_report(demo_plan, "下季度", coordinator, background=False)
    job = services.request_report(demo_plan, "2019Q2", coordinator, background=False)
    assert job.status == QuarterlyReport.State.FAILED
    assert "2019年第2季度尚无已审核的能源统计数据" in job.message
    with pytest.raises(services.ReportError, match="尚未生成完成"):
        services.read_file(job, "docx")


def test_cli_writes_both_files(demo_plan, coordinator, settings, tmp_path, capsys):
    settings.DATA_DIR = tmp_path / "data"
    out = tmp_path / "out"
    assert main(["report", "--period", PERIOD, "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        f"太仓市碳达峰季度报告-{PERIOD}-征求意见稿-示例数据.docx",
        f"太仓市碳达峰季度报告-{PERIOD}-征求意见稿-示例数据.xlsx",
    ]
    assert "核算记录" in capsys.readouterr().out
    assert main(["report", "--period", "2025", "--out", str(out)]) == 2
    assert "须选择一个季度" in capsys.readouterr().err


def test_the_page_generates_and_serves_the_files(client, demo_plan, coordinator, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    # the page enqueues a background job; the suite's immediate backend runs it within the request
    client.force_login(coordinator)
    html = client.get(reverse("reports:index")).content.decode()
    assert f'<option value="{PERIOD}">' in html
    response = client.post(reverse("reports:generate"), {"period": PERIOD})
    job = QuarterlyReport.objects.get()
    assert response.url == reverse("reports:job", args=[job.pk])
    html = client.get(response.url).content.decode()
    assert 'data-status="done"' in html and "下载 Word 报告" in html and "核算记录" in html
    download = client.get(reverse("reports:download", args=[job.pk, "xlsx"]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a zip container (.xlsx)
    assert client.get(reverse("reports:download", args=[job.pk, "pdf"])).status_code == 404
    failed = client.post(reverse("reports:generate"), {"period": "2025"}, follow=True)
    assert "未能生成：季度报告须选择一个季度" in failed.content.decode()


def test_non_coordinators_are_told_they_may_not(client, demo_plan):
    client.force_login(get_user_model().objects.get(username="市住建局"))
    response = client.get(reverse("reports:index"))
    assert response.status_code == 403
    assert "只有协调员可以生成和下载季度报告" in response.content.decode()


@pytest.mark.slow
@pytest.mark.skipif(
    not shutil.which("soffice") or not shutil.which("pdftoppm"), reason="未安装 LibreOffice 或 poppler-utils"
)
def test_the_report_renders_to_pdf_with_sample_marking_on_every_page(
    demo_plan, coordinator, settings, artifacts, tmp_path
):
    """The report job makes the PDF beside the .docx (LibreOffice), marked 征求意见稿 until final."""
    settings.DATA_DIR, settings.CARBONPEAK_REPORT_PDF = tmp_path, True
    job = services.request_report(demo_plan, PERIOD, coordinator, background=False)
    assert job.status == QuarterlyReport.State.DONE and job.pdf_name, job.message
    pdf = tmp_path / job.pdf_name
    pdf.write_bytes(services.read_file(job, "pdf"))
    assert pdf.read_bytes().startswith(b"%PDF-")
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 5
    assert all("示例数据" in p and "征求意见稿" in p for p in pages)  # the header on every page
    assert "一、总体情况" in pages[0] and "数据版本" in pages[-1] and "印发" in pages[-1]
    assert all(re.search(rf"—\s*{n}\s*—", page) for n, page in enumerate(pages, start=1))  # '— N —'
    assert "太仓市发展和改革委员会" in pages[0]
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(artifacts / "report-page")], check=True, timeout=120
    )
    assert Path(artifacts / "report-page-01.png").exists() or Path(artifacts / "report-page-1.png").exists()


def test_a_job_left_running_by_a_stopped_process_ends_as_failed(demo_plan, coordinator):
    job = QuarterlyReport.objects.create(plan=demo_plan, period=PERIOD, created_by=coordinator)
    QuarterlyReport.objects.filter(pk=job.pk).update(status=QuarterlyReport.State.RUNNING)
    assert services.expire_stale() == 0  # a fresh job is left alone
    later = timezone.now() + services.STALE_AFTER + dt.timedelta(minutes=1)
    assert services.expire_stale(later) == 1
    job.refresh_from_db()
    assert job.status == QuarterlyReport.State.FAILED and "请重新生成" in job.message


def test_the_report_carries_no_program_words(report_job):
    """The .docx and the .xlsx go upward: the walk for internals reads every paragraph, cell, header and
    footer of the one and every cell of the other."""
    from tests.web.test_no_internals import PATTERNS, export_text

    doc = _docx(report_job)
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    parts += [p.text for s in doc.sections for part in (s.header, s.footer) for p in part.paragraphs]
    workbook = services.read_file(report_job, "xlsx")

    class Download:  # the workbook as the page serves it
        content, streaming = workbook, False

        def get(self, name, default=""):
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    texts = {"docx": " ".join(parts), "xlsx": export_text(Download())}
    found = [
        (kind, what, hit)
        for kind, text in texts.items()
        for what, pattern in PATTERNS.items()
        for hit in set(pattern.findall(text))
    ]
    assert not found, found


def test_the_report_is_a_gongwen_after_gb_t_9704(demo_plan, coordinator, settings, tmp_path):
    """The final report: A4 with the standard's margins, the red 发文机关标志, 发文字号 and red rule, title,
    主送, 仿宋 三号 body with 黑体 and 楷体 headings, page numbers '— N —' outside, the barometer on a landscape
    page with numbers that do not wrap, signature and date, 版记 with 抄送 and 印发; no 征求意见稿 mark."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    settings.DATA_DIR = tmp_path
    draft = services.request_report(
        demo_plan,
        PERIOD,
        coordinator,
        background=False,
        recipients="市委、市政府",
        copy_to="苏州市发展和改革委员会",
    )
    final = services.finalise(draft, coordinator, doc_number="太发改〔2025〕18号", background=False)
    doc = _docx(final)
    first = doc.sections[0]

    def near(length, cm: float) -> bool:  # stored in twentieths of a point
        return abs(length - Cm(cm)) < Cm(0.01)

    assert near(first.page_width, 21) and near(first.page_height, 29.7)
    assert near(first.top_margin, 3.7) and near(first.left_margin, 2.8)
    texts = [p.text for p in doc.paragraphs]
    assert "征求意见稿" not in texts and "征求意见稿" not in first.header.paragraphs[0].text
    organ = next(p for p in doc.paragraphs if p.text == "太仓市发展和改革委员会")
    assert organ.runs[0].font.color.rgb == writers.RED
    number = next(p for p in doc.paragraphs if p.text == "太发改〔2025〕18号")
    assert 'w:color="E60012"' in number._p.xml  # the red rule under the 发文字号
    assert (
        texts.index("太仓市碳达峰工作季度报告") < texts.index("市委、市政府：") < texts.index("一、总体情况")
    )
    assert doc.styles["Normal"].font.size == Pt(16)
    assert 'w:eastAsia="仿宋_GB2312"' in doc.styles["Normal"].element.xml
    assert 'w:eastAsia="黑体"' in doc.styles["Heading 1"].element.xml
    assert 'w:eastAsia="楷体_GB2312"' in doc.styles["Heading 2"].element.xml
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = first.footer.paragraphs[0], first.even_page_footer.paragraphs[0]
    assert (
        odd.alignment == writers.WD_ALIGN_PARAGRAPH.RIGHT
        and even.alignment == writers.WD_ALIGN_PARAGRAPH.LEFT
    )
    assert "— " in odd.text and " —" in odd.text and "PAGE" in odd._p.xml
    # the barometer is on a landscape page, its numbers on one line
    report, _ = services.collect(demo_plan, PERIOD)
    barometer = next(t for t in report.tables() if t.key == "目标晴雨表")
    landscape = [s for s in doc.sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert landscape and all(near(s.page_width, 29.7) for s in landscape)
    grid = next(t for t in doc.tables if t.rows[0].cells[-1].text == "理由")
    assert len(grid.rows) == len(barometer.rows) + 1
    assert "<w:noWrap/>" in grid.rows[1].cells[3]._tc.xml  # 实际值
    assert "<w:tblHeader" in grid.rows[0]._tr.xml  # the header again on each page
    # signature, date and the 版记 at the end
    assert "太仓市发展和改革委员会\t" in texts[-1] and texts[-1].endswith("印发")
    assert texts[-2] == "抄送：苏州市发展和改革委员会。"
    assert final.doc_number == "太发改〔2025〕18号" and final.recipients == "市委、市政府"


def test_column_widths_keep_numbers_on_one_line_and_names_on_two():
    from carbonpeak.reports.content import Column, Table

    table = Table(
        "t",
        "t",
        [Column("指标"), Column("数值", "万吨", 2), Column("理由")],
        [["单位地区生产总值二氧化碳排放降低率", 1234567.891, "理" * 60], ["煤炭", None, "短"]],
    )
    widths, wide = writers.column_widths(table, writers.TEXT_WIDTH_CM)
    char = writers.TABLE_PT * 0.03528
    assert not wide and abs(sum(widths) - writers.TEXT_WIDTH_CM) < 1e-6
    assert widths[0] >= 9 * char  # 17 characters: two lines
    assert widths[1] >= writers.display_width("1,234,567.89") * char  # one line
    assert widths[2] == max(widths)  # the prose takes the room that is left
    crowded = Table("w", "w", [Column(f"名称{i}") for i in range(9)], [["很长的名称" * 3] * 9])
    assert writers.column_widths(crowded, writers.TEXT_WIDTH_CM)[1]  # a landscape page


def test_the_report_in_english_says_the_same_figures(demo_plan, coordinator, settings, tmp_path):
    """The report made in English (issue 37): its headings, tables' titles and headers, figures' captions and
    the platform's sentences in English, the same figures as the Chinese one cell by cell. Names and the plan's
    own words (the region, a target's indicator, a task) stay as written."""
    settings.DATA_DIR = tmp_path
    chinese = services.request_report(demo_plan, PERIOD, coordinator, background=False)
    english = services.request_report(demo_plan, PERIOD, coordinator, background=False, language="en")
    assert english.status == QuarterlyReport.State.DONE, english.message
    assert english.language == "en" and "征求意见稿" not in english.docx_name
    document = _docx(english)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["1. Overall picture", "2. Energy consumption and carbon emissions", headings[2]]
    assert "Data version" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Quarterly report on carbon peaking, 太仓市" in text and "Draft for comment" in text

    headers = [c.text for t in document.tables for c in t.rows[0].cells]
    assert headers and not [h for h in headers if re.search(r"[\u3400-\u9fff]", h)], headers
    captions = [p.text for p in document.paragraphs if p.style.name in ("Heading 2", "Caption")]
    assert captions and not [c for c in captions if re.search(r"[\u3400-\u9fff]", c)], captions

    figures = {}
    for job in (chinese, english):
        book = load_workbook(io.BytesIO(services.read_file(job, "xlsx")))
        figures[job.language] = [
            [v for v in row if isinstance(v, int | float)]
            for ws in book.worksheets[1:]
            for row in ws.iter_rows(min_row=5, values_only=True)
        ]
    assert figures["en"] == figures["zh-hans"]  # the same figures, cell by cell
