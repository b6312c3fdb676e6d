"""The demo's 示例输入: the two yearly inputs the reference has no sourced value for are entered by the demo
from the reference's national figures, labelled, so its 等价值 and shares are computed — and only there."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_inputs_are_the_references_national_figures_labelled():
    from carbonpeak.demo import demo_yearly_inputs

    rows = demo_yearly_inputs((2020, 2021, 2022, 2025))
    coal = {r.year: r for r in rows if r.kind == "generation_coal_rate"}
    share = {r.year: r for r in rows if r.kind == "grid_non_fossil_share"}
    assert {r.value for r in coal.values()} == {300.7} and coal[2020].unit == "gce/kWh"
    assert share[2020].value == 33.9 and share[2021].value == 33.9 and share[2025].value == 36.2
    assert all(r.status == "示例输入" for r in rows)
    assert all(
        "中电联" in r.source or "中国能源大数据报告" in r.source for r in rows
    )  # publisher and document


def test_with_the_demo_inputs_the_equivalent_figures_compute_and_say_so(demo_plan):
    from carbonpeak.demo import _enter_demo_inputs, ensure_demo_users
    from carbonpeak.energy import selectors
    from carbonpeak.energy.models import AccountingResult

    ensure_demo_users()
    from django.contrib.auth import get_user_model

    coordinator = get_user_model().objects.get(username="coordinator")
    before = AccountingResult.objects.filter(
        run=selectors.current_run(), region="太仓市", year=2025, first_quarter=1, last_quarter=4
    ).first()
    assert before.energy_tce_equivalent is None  # a real installation: 缺失
    _enter_demo_inputs(coordinator)
    after = AccountingResult.objects.get(
        run=selectors.current_run(), region="太仓市", year=2025, first_quarter=1, last_quarter=4
    )
    assert after.energy_tce_equivalent > 0
    assert any("示例输入" in n for n in after.data["notes"])
