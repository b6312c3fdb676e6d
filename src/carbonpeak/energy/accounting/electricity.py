"""Electricity: physical quantities, the balance of generation, imports and exports, 当量值 and 等价值, the non-fossil share."""

from __future__ import annotations

from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.energy import catalog
from carbonpeak.energy import certificates as register
from carbonpeak.energy.catalog import UnknownName
from carbonpeak.energy.factors import SAMPLE_INPUT, FactorSet, MissingFactor

from .shapes import NON_FOSSIL_ELECTRICITY, FuelAccount, PeriodAccount

#: what a period without the grid's non-fossil share says (an enterprise's own figures do not need it)
GRID_SHARE_MISSING = gettext_noop(
    "缺失：%(year)s年%(key)s电网非化石电量占比（“核算因子”中的“电网非化石电量占比”，地区 %(key)s）未录入，"
    "调入电力中%(label)s的非化石电量无法计算，非化石能源消费比重因此缺失；请录入并注明来源后重算"
)


def _physical(
    quantity: float, unit: catalog.UnitScale, fuel: catalog.Fuel, factors: FactorSet, where: str
) -> float:
    """Quantity in the fuel's base unit; a standard-coal quantity is turned back with the 当量值 coefficient."""
    if unit.dimension == catalog.COAL_EQUIVALENT:
        if not quantity:
            return 0.0
        return quantity * unit.to_base / factors.coal_coefficient(fuel)
    if unit.dimension != fuel.dimension:
        expected = catalog.DIMENSION_LABEL[fuel.dimension]
        raise UnknownName(
            f"{where}：计量单位“{unit.name}”不适用于{fuel.name}（须为{expected}单位或标准煤单位）"
        )
    return quantity * unit.to_base


def _electricity(
    acc: PeriodAccount,
    by_sector_kwh: dict[str, float],
    imported: float | None,
    exported: float | None,
    factors: FactorSet,
    grid_region: str,
    problems: list[str],
) -> None:
    """(Long: the electricity balance step by step as docs/accounting.md writes it.)"""
    bal = acc.electricity
    bal.consumption_kwh = sum(by_sector_kwh.values())
    generation = sum(bal.generation_kwh.values())
    bal.imported_kwh, bal.exported_kwh = imported, exported
    if imported is not None and exported is not None:
        bal.net_imported_kwh = imported - exported
        bal.method = Message(gettext_noop("调入−调出（报送值）"))
    elif imported is not None or exported is not None:
        # one side not reported: the account is marked incomplete (``missing``: 数据不全, never graded as
        # complete) and its method says which side; the figure is shown so the gap can be seen and filled
        bal.net_imported_kwh = (imported or 0.0) - (exported or 0.0)
        bal.method = (
            Message(gettext_noop("调入−调出（调出未报，数据不全）"))
            if exported is None
            else Message(gettext_noop("调入−调出（调入未报，数据不全）"))
        )
    elif by_sector_kwh:
        bal.net_imported_kwh = bal.consumption_kwh - generation
        bal.method = Message(gettext_noop("全社会用电量−本地发电量"))
    non_fossil = bal.non_fossil_generation_kwh
    has_electricity = (
        bool(by_sector_kwh) or bool(bal.generation_kwh) or imported is not None or exported is not None
    )
    fuels_tce = sum(f.tce for f in acc.by_fuel.values())
    acc.energy_tce = fuels_tce
    acc.energy_tce_equivalent = fuels_tce
    acc.co2_t = sum(f.co2_t for f in acc.by_fuel.values())
    if not has_electricity:  # no electricity: the two bases are the same, and no non-fossil energy
        acc.non_fossil_tce = 0.0
        for sector_acc in acc.by_sector.values():
            sector_acc.terminal_tce = sector_acc.tce
        _shares(acc, 0.0, 0.0, 1.0, 1.0)
        return
    try:
        calorific = factors.coal_coefficient(catalog.FUEL_BY_NAME["电力"])
        bal.grid_factor = factors.grid(grid_region, acc.period.year)
    except MissingFactor as exc:
        problems.append(f"{acc.period.key} {acc.region}：{exc}")
        return
    if bal.grid_factor.note:
        acc.notes.append(bal.grid_factor.note)
    rate_row = factors.generation_coal_rate(grid_region, acc.period.year)
    rate = None if rate_row is None else factors.coal_rate_tce_per_kwh(rate_row)
    bal.co2_t = bal.net_imported_kwh * bal.grid_factor.value
    for sector, kwh in by_sector_kwh.items():
        sector_acc = acc.by_sector[sector]
        sector_acc.electricity_kwh += kwh
        sector_acc.electricity_co2_t += kwh * bal.grid_factor.value
    for sector_acc in acc.by_sector.values():
        sector_acc.terminal_tce = sector_acc.tce + sector_acc.electricity_kwh * calorific
    net = bal.net_imported_kwh
    acc.by_fuel["电力"] = FuelAccount(
        quantity=net,
        tce=net * calorific,
        tce_equivalent=None if rate is None else net * rate,
        co2_t=bal.co2_t,
    )
    if non_fossil:
        acc.by_fuel[NON_FOSSIL_ELECTRICITY] = FuelAccount(
            quantity=non_fossil,
            tce=non_fossil * calorific,
            tce_equivalent=None if rate is None else non_fossil * rate,
            co2_t=0.0,
        )
    acc.energy_tce = fuels_tce + (net + non_fossil) * calorific
    acc.co2_t += bal.co2_t
    if rate is None:
        acc.energy_tce_equivalent = None
        acc.missing.append(missing_coal_rate(acc.period.year, grid_region))
    else:
        acc.energy_tce_equivalent = fuels_tce + (net + non_fossil) * rate
        acc.coal_rate = {
            "value_g_per_kwh": round(rate * 1e6, 3),
            "region": rate_row.key,
            "year": rate_row.year,
            "source": rate_row.source,
            "status": rate_row.status,
        }
        if rate_row.key != grid_region:
            acc.notes.append(
                Message(
                    gettext_noop("%(year)s年无%(region)s平均发电煤耗，等价值采用%(used)s值"),
                    year=acc.period.year,
                    region=grid_region,
                    used=rate_row.key,
                )
            )
        if rate_row.status == SAMPLE_INPUT:
            acc.notes.append(
                Message(
                    gettext_noop(
                        "%(sample)s：%(year)s年平均发电标准煤耗（%(source)s），"
                        "等价值及按等价值计算的能耗强度、非化石能源和煤炭消费比重仅供演示"
                    ),
                    sample=Message(SAMPLE_INPUT),
                    year=acc.period.year,
                    source=rate_row.source,
                )
            )
    coal_fired = sum(v for k, v in bal.generation_kwh.items() if catalog.SOURCE_BY_NAME[k].coal_fired)
    coal_generation_share = coal_fired / generation if generation else 0.0
    consumed = _non_fossil_consumed(acc, factors, grid_region)
    acc.non_fossil_tce = None if consumed is None or rate is None else consumed * rate
    if acc.certificates is not None:
        bought = acc.certificates.bought_unbundled_kwh
        acc.certificate_tce = 0.0 if not bought else (None if rate is None else bought * rate)
    _shares(acc, consumed, max(0.0, -net) * coal_generation_share, rate, calorific)


def _non_fossil_consumed(acc: PeriodAccount, factors: FactorSet, grid_region: str) -> float | None:
    """Non-fossil electricity the city consumed: local non-fossil generation, plus the non-fossil part of 调入
    by grid structure, less local green power sold out as such (绿电交易 调出). None (缺失) when a structure's
    non-fossil share for the year is not in the factor set."""
    bal = acc.electricity
    year = acc.period.year
    imported_non_fossil = 0.0
    unsplit_as = next((g for g in catalog.GRID_STRUCTURES if g.share_key == "{grid_region}"), None)
    for part, kwh in bal.imported_by.items():
        structure = catalog.resolve_structure(part) or unsplit_as
        if not kwh or structure is None:
            continue
        if structure.non_fossil == "all":
            imported_non_fossil += kwh
            continue
        key = structure.key_for(grid_region)
        found = factors.grid_non_fossil_share(key, year)
        if found is None:
            label = (
                structure.name
                if part != catalog.UNSPLIT
                else Message(
                    gettext_noop("%(name)s（未分结构的调入按此计，本平台规则）"), name=structure.name
                )
            )
            acc.missing.append(Message(GRID_SHARE_MISSING, year=year, key=key, label=label))
            bal.imported_non_fossil_kwh = None
            return None
        imported_non_fossil += kwh * found[0]
        if found[1].status == SAMPLE_INPUT:
            note = Message(
                gettext_noop(
                    "%(sample)s：%(year)s年%(key)s电网非化石电量占比（%(source)s），非化石能源消费比重仅供演示"
                ),
                sample=Message(SAMPLE_INPUT),
                year=year,
                key=key,
                source=found[1].source,
            )
            if note not in acc.notes:
                acc.notes.append(note)
    bal.imported_non_fossil_kwh = imported_non_fossil
    counted = acc.certificates or register.CertificateCount()
    physical = bal.non_fossil_generation_kwh + imported_non_fossil
    bal.exported_green_kwh = min(
        sum(
            kwh
            for part, kwh in bal.exported_by.items()
            if (g := catalog.resolve_structure(part)) and g.non_fossil == "all"
        ),
        physical,
    )
    sold = min(counted.sold_unbundled_kwh, physical - bal.exported_green_kwh)
    if counted.sold_unbundled_kwh > sold + 1e-6:
        acc.notes.append(
            Message(
                gettext_noop(
                    "登记售出的绿证 %(kwh)s 千瓦时多于本市可计的非化石电量，超出部分不再扣减；请核对登记"
                ),
                kwh=f"{counted.sold_unbundled_kwh:,.0f}",
            )
        )
    traded = counted.bought_by_kind.get(register.GREEN_TRADE, 0.0)
    green_in = sum(
        kwh
        for part, kwh in bal.imported_by.items()
        if (g := catalog.resolve_structure(part)) and g.non_fossil == "all"
    )
    if traded > green_in + 1e-6:
        acc.notes.append(
            Message(
                gettext_noop(
                    "登记购入的绿电交易 %(traded)s 千瓦时多于电力平衡中的调入·绿电交易 %(green_in)s 千瓦时；"
                    "绿电交易按物理电量计入（发改环资〔2024〕113号 二(三)），以电力平衡为准，请核对"
                ),
                traded=f"{traded:,.0f}",
                green_in=f"{green_in:,.0f}",
            )
        )
    return physical - bal.exported_green_kwh - sold + counted.bought_unbundled_kwh


def missing_coal_rate(year: int, region: str) -> str:
    """What a period without the year's 发电 coal rate says, and what fills it."""
    return Message(
        gettext_noop(
            "缺失：%(year)s年平均发电标准煤耗（“核算因子”中的“平均发电标准煤耗”，%(region)s或全国）未录入，"
            "等价值能源消费量及按等价值计算的能耗强度、非化石能源和煤炭消费比重均无法计算；"
            "请在“核算因子”中录入该年数值并注明来源后重算（当量值结果见旁，仅供参考）"
        ),
        year=year,
        region=region,
        brief=Message(
            gettext_noop(
                "%(year)s年平均发电标准煤耗（“核算因子”中的“平均发电标准煤耗”，%(region)s或全国）未录入"
            ),
            year=year,
            region=region,
        ),
    )


def _shares(
    acc: PeriodAccount,
    non_fossil_kwh: float | None,
    exported_coal_kwh: float,
    rate: float | None,
    calorific: float,
) -> None:
    """Non-fossil and coal shares on 等价值 (None without the year's rate) and, labelled, on 当量值; the
    non-fossil share is None too when the non-fossil electricity consumed is not known."""

    def on(total: float | None, per_kwh: float | None) -> tuple[float | None, float | None]:
        if total is None or per_kwh is None or total <= 0:
            return None, None
        non_fossil = None if non_fossil_kwh is None else non_fossil_kwh * per_kwh / total
        return non_fossil, (acc.coal_tce - exported_coal_kwh * per_kwh) / total

    acc.non_fossil_share, acc.coal_share = on(acc.energy_tce_equivalent, rate)
    acc.non_fossil_share_calorific, acc.coal_share_calorific = on(acc.energy_tce, calorific)
