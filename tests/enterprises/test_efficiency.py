"""能耗产出效益评价: the ratios, the quartile grading within a sector (本平台规则, labelled), 缺失 for a missing
figure, the page, the API and the .xlsx list."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from carbonpeak.demo import ensure_demo_enterprises, ensure_demo_users
from carbonpeak.enterprises.efficiency import RULE, Figures, grade


def test_quartiles_within_a_sector_ties_and_missing_figures():
    values = [(100, 10), (90, 10), (80, 10), (70, 10), (60, 10), (60, 10), (50, 10), (40, 10)]
    rows = [Figures(i, f"甲{i}", "造纸", va, e, 2.0 * va) for i, (va, e) in enumerate(values)]
    rows += [
        Figures(90, "乙", "化纤", 10, 1, 5),
        Figures(91, "丙", "造纸", None, 5, 1),
        Figures(92, "丁", "造纸", 5, 0, 1),
    ]
    got = {g.figures.name: g for g in grade(rows)}
    assert [got[f"甲{i}"].grade for i in range(8)] == ["A", "A", "B", "B", "C", "C", "D", "D"]
    assert got["甲5"].rank == got["甲4"].rank == 5 and got["甲0"].peers == 8
    assert got["甲0"].value_added_per_tce == 10.0 and got["甲0"].co2_per_value_added == 2.0
    assert got["乙"].grade == "未分级" and "不足3家" in got["乙"].note
    assert got["丙"].grade == got["丁"].grade == "缺失" and got["丙"].value_added_per_tce is None
    assert RULE.startswith("本平台规则")


@pytest.mark.django_db
def test_page_api_and_list(client):
    ensure_demo_users()
    coordinator = get_user_model().objects.get(username="coordinator")
    ensure_demo_enterprises(coordinator)
    client.force_login(coordinator)
    answer = client.get("/api/enterprises/efficiency?year=2025").json()
    assert answer["rule"].startswith("本平台规则") and len(answer["items"]) == 10
    power = [i for i in answer["items"] if i["sector"] == "电力、热力生产和供应业"]
    assert sorted(i["grade"] for i in power) == ["A", "B", "C", "D"]
    html = client.get("/enterprises/efficiency/?year=2025&grade=D").content.decode()
    assert 'data-testid="efficiency-rule"' in html and "本平台规则" in html
    sheet = load_workbook(
        io.BytesIO(client.get("/enterprises/efficiency/?year=2025&format=xlsx").content)
    ).active
    assert sheet["A2"].value.startswith("本平台规则") and sheet.max_row == 13
    client.force_login(get_user_model().objects.get(username="jiulong"))
    assert client.get("/api/enterprises/efficiency?year=2025").status_code == 403
    assert client.get("/enterprises/efficiency/").status_code == 403
