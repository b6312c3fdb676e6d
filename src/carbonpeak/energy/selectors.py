"""Reads of the energy tables that pages, API, reports and the other apps share.

"The accounts" are defined here once: the newest successful run of the *official* factor set — the one the
coordinator has adopted (``services.adopt_factor_set``, audited). A recomputation with any other set is a
what-if kept beside them; it never grades, projects, budgets or reports by being the newest.
"""

from __future__ import annotations

from carbonpeak.core.models import ReviewStatus
from carbonpeak.energy import factors as pure_factors
from carbonpeak.energy.accounting import ASSESSED, BASE_YEAR, EconomicFigure, IntensityTarget
from carbonpeak.energy.accounting import EnergyRecord as PureRecord
from carbonpeak.energy.certificates import CertificateEntry
from carbonpeak.energy.models import AccountingRun, EnergySubmission, FactorSet, GreenCertificate

# ------------------------------------------------------------------ factor sets and runs


def official_factor_set() -> FactorSet | None:
    """The factor set the coordinator has adopted (None before the bundled sets are stored)."""
    return FactorSet.objects.filter(is_default=True).first()


def official_factors() -> pure_factors.FactorSet:
    """The official set as plain data; before any set is stored, the bundled default it will be."""
    fs = official_factor_set()
    return fs.to_pure() if fs is not None else pure_factors.load_factor_set(pure_factors.DEFAULT_SET)


def current_run() -> AccountingRun | None:
    """The accounts: the newest successful run of the official factor set."""
    official = official_factor_set()
    if official is None:
        return None
    return latest_run_of(official)


def latest_run_of(fs: FactorSet) -> AccountingRun | None:
    """The newest successful run of one factor set (official or a what-if)."""
    return AccountingRun.objects.filter(error="", factor_set=fs).order_by("-created_at", "-id").first()


def is_what_if(run: AccountingRun | None) -> bool:
    """A run on a set other than the official one: shown as 试算, never as the accounts."""
    return run is not None and not FactorSet.objects.filter(pk=run.factor_set_id, is_default=True).exists()


def assessed_boundary_of(run: AccountingRun | None) -> str:
    """The CO2 boundary a run's headline figures are on (the factor set's setting when it ran)."""
    first = run.results.only("data").first() if run is not None else None
    return (first.data.get("co2_boundary") if first is not None else None) or ASSESSED


# ------------------------------------------------------------------ submissions


def current_submission(period: str, region: str) -> EnergySubmission | None:
    """The latest approved revision of a period and region."""
    return (
        EnergySubmission.objects.filter(period=period, region=region, status=ReviewStatus.APPROVED)
        .order_by("-revision")
        .first()
    )


def current_submissions() -> list[EnergySubmission]:
    """The latest approved revision of every period and region: what an accounting run reads."""
    latest: dict[tuple[str, str], EnergySubmission] = {}
    for sub in EnergySubmission.objects.filter(status=ReviewStatus.APPROVED).order_by(
        "period", "region", "revision"
    ):
        latest[(sub.period, sub.region)] = sub
    return list(latest.values())


def pure_records(sub: EnergySubmission) -> list[PureRecord]:
    return [
        PureRecord(sub.period, sub.region, r.sector, r.fuel, float(r.quantity), r.unit, r.use)
        for r in sub.records.all()
    ]


def pure_economy(sub: EnergySubmission) -> EconomicFigure | None:
    eco = getattr(sub, "economy", None)
    if eco is None:
        return None

    def f(v):
        return None if v is None else float(v)

    return EconomicFigure(
        sub.period,
        sub.region,
        f(eco.gdp_current),
        f(eco.real_growth_pct),
        f(eco.gdp_constant),
        f(eco.population),
    )


def accounts_of(submissions: list[EnergySubmission], factor_set: FactorSet, grid_region: str):
    """The accounts of these submissions with this factor set, in memory (nothing stored): what a run
    computes, read again for another combination of data and factors (``recompute`` stores it; the
    projection's 'what moved' splits a change by it). Raises ``AccountingError`` as a run would."""
    from carbonpeak.energy.accounting import account

    records: list[PureRecord] = []
    economy: list[EconomicFigure] = []
    for sub in submissions:
        records.extend(pure_records(sub))
        eco = pure_economy(sub)
        if eco is not None:
            economy.append(eco)
    return account(
        records,
        factor_set.to_pure(),
        economy,
        grid_region=grid_region,
        certificates=register_entries(),
        intensity_target=intensity_target(),
    )


def register_entries() -> list[CertificateEntry]:
    return [c.to_pure() for c in GreenCertificate.objects.all()]


# ------------------------------------------------------------------ the city and its targets


def city_region() -> str:
    """The city the accounts and the register count for: the region of the plan the platform runs."""
    from carbonpeak.plans.selectors import current_plan

    plan = current_plan()
    return plan.region if plan is not None else "太仓市"


def intensity_target() -> IntensityTarget | None:
    """The energy-intensity target handed down to the plan (−14.5 % on 2020 by 2025), for the certificate
    cap; the plan's target is read by the one selector for it (``plans.selectors.energy_intensity_target``)."""
    from carbonpeak.plans.selectors import energy_intensity_target

    target = energy_intensity_target()
    if target is None:
        return None
    return IntensityTarget(
        reduction=target.value / 100,
        base_year=target.base_year or BASE_YEAR,
        target_year=target.year,
        source=target.describe(),
    )
