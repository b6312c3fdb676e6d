"""The assessed basis: the deductions (non-fossil energy, 原料用能, 绿证 up to their cap) and the CO2 boundaries."""

from __future__ import annotations

from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.energy import certificates as register

from .shapes import (
    ASSESSED,
    CONSUMPTION,
    NON_FOSSIL_ELECTRICITY,
    POWER_SECTOR,
    TERRITORIAL,
    IntensityTarget,
    PeriodAccount,
    SectorAccount,
)


def _before_certificates(acc: PeriodAccount) -> float | None:
    """等价值 less the physical non-fossil energy and 原料用能: the assessed total before any certificate."""
    if acc.energy_tce_equivalent is None or acc.non_fossil_tce is None:
        return None
    return acc.energy_tce_equivalent - (acc.non_fossil_tce - (acc.certificate_tce or 0.0)) - acc.feedstock_tce


def _assessed(acc: PeriodAccount, base: PeriodAccount | None, target: IntensityTarget | None) -> None:
    """The total the intensity assessment uses: 等价值 less non-fossil energy (发改环资〔2024〕113号 二(一)) and
    less 原料用能 (发改环资〔2022〕803号); certificates held apart from electricity are deducted up to half the
    saving the intensity target requires by this year (113号 二(三)). None while an input is missing."""
    before = _before_certificates(acc)
    certificates = acc.certificate_tce
    if not certificates:  # none held apart from electricity (0.0), none registered or the rate missing (None)
        acc.energy_tce_assessed = before
        if certificates is not None:
            acc.certificate_deducted_tce = 0.0
        return
    if before is None:
        acc.energy_tce_assessed = None
        return
    if not acc.period.is_cumulative:
        acc.energy_tce_assessed = None
        acc.notes.append(
            Message(gettext_noop("绿证抵扣按1月至本季度末累计计算，单季度的扣除后能源消费总量不单列"))
        )
        return
    why = None
    if target is None:
        why = Message(gettext_noop("上级下达的能耗强度下降目标未录入"))
    elif base is None or not base.gdp_constant or _before_certificates(base) is None:
        why = Message(
            gettext_noop("缺少%(year)s年同期的扣除后能源消费量或可比价地区生产总值"), year=target.base_year
        )
    elif not acc.gdp_constant:
        why = Message(gettext_noop("缺少本期可比价地区生产总值"))
    if why is not None:
        acc.energy_tce_assessed = None
        acc.missing.append(
            Message(
                gettext_noop(
                    "缺失：绿证抵扣上限（完成能耗强度下降目标所需节能量的50%%，发改环资〔2024〕113号 二(三)）无法计算，"
                    "%(why)s；扣除后的能源消费总量和能耗强度因此缺失"
                ),
                why=why,
            )
        )
        return
    base_intensity = _before_certificates(base) / base.gdp_constant
    due = register.required_reduction(target.reduction, target.base_year, target.target_year, acc.period.year)
    acc.certificate_cap_tce = register.CAP_SHARE * base_intensity * acc.gdp_constant * due
    acc.certificate_deducted_tce = min(certificates, acc.certificate_cap_tce)
    acc.energy_tce_assessed = before - acc.certificate_deducted_tce
    if certificates > acc.certificate_cap_tce:
        acc.notes.append(
            Message(
                gettext_noop(
                    "绿证折 %(tce)s 吨标准煤，超过抵扣上限 %(cap)s 吨标准煤"
                    "（到%(year)s年应降 %(due)s 所需节能量的50%%；按年均降幅分摊到各年为%(rule)s），"
                    "按上限抵扣；非化石能源消费比重按全部绿证计"
                ),
                tce=f"{certificates:,.0f}",
                cap=f"{acc.certificate_cap_tce:,.0f}",
                year=acc.period.year,
                due=f"{due:.1%}",
                rule=Message(register.PLATFORM_RULE),
            )
        )


def _boundaries(acc: PeriodAccount, assessed: str = ASSESSED) -> None:
    """CO2 on the three boundaries. Territorial: fuels burned in the city. Assessed (考核口径): that plus
    purchased heat and net imported electricity × grid factor (a net exporter is credited). Consumption:
    end users' fuels and heat plus all electricity consumed × grid factor, the local power sector's fuel out.
    The headline ``co2_t`` is the one the factor set names as assessed (``assessed``)."""
    combustion = sum(
        f.co2_t for name, f in acc.by_fuel.items() if name not in ("电力", "热力", NON_FOSSIL_ELECTRICITY)
    )
    heat = acc.by_fuel["热力"].co2_t if "热力" in acc.by_fuel else 0.0
    power_fuel = sum(
        f.co2_t
        for name, f in acc.by_sector.get(POWER_SECTOR, SectorAccount()).by_fuel.items()
        if name != "热力"
    )
    grid = acc.electricity.grid_factor.value if acc.electricity.grid_factor else 0.0
    acc.co2_by_boundary = {
        TERRITORIAL: combustion,
        ASSESSED: acc.co2_t,
        CONSUMPTION: combustion - power_fuel + heat + acc.electricity.consumption_kwh * grid,
    }
    acc.co2_boundary = assessed
    acc.co2_t = acc.co2_by_boundary[assessed]
