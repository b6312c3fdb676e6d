"""The sample-data generator: seeded, consistent with Taicang's public figures, accountable."""

from __future__ import annotations

from carbonpeak.energy import sample
from carbonpeak.energy.accounting import account
from carbonpeak.energy.factors import load_factor_set


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = sample.generate(7), sample.generate(7), sample.generate(8)
    assert a.records == b.records and a.economy == b.economy
    assert a.records != c.records


def test_every_quarter_2020_to_2025():
    data = sample.generate()
    assert sorted(data.records) == sorted(f"{y}Q{q}" for y in range(2020, 2026) for q in range(1, 5))


def test_public_figures_are_used_as_published():
    data = sample.generate()
    accounts = account(
        [r for v in data.records.values() for r in v], load_factor_set(), list(data.economy.values())
    )
    assert accounts.get("太仓市", "2020").gdp_current == 1386.09
    assert accounts.get("太仓市", "2022").gdp_current == 1653.57
    assert accounts.get("太仓市", "2023").gdp_current == 1734.94
    assert accounts.get("太仓市", "2021").population == 83.9
    assert accounts.get("太仓市", "2023").population == 84.8
    # Taicang exports electricity: net imports are negative in every quarter
    assert all(a.electricity.net_imported_kwh < 0 for a in accounts.ordered())


def test_pv_reaches_the_plans_500_mw_order_by_2025():
    mw = sample.ASSUMPTIONS["pv_mw"]
    plan_target = next(float(r["value"]) for r in sample.public_figures() if r["item"] == "solar_target_mw")
    assert mw[2025] > plan_target > mw[2020]
