"""Reads of the sinks that the page, the API and the dashboard share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from carbonpeak.core.text import gettext_noop

from .models import SinkFactorSet, SinkResult


def current_set() -> SinkFactorSet | None:
    """The default sink factor set, or None before any exists (a read never creates it)."""
    return SinkFactorSet.objects.filter(is_default=True).first()


def years() -> list[int]:
    return sorted(
        set(SinkResult.objects.filter(factor_set=current_set()).values_list("year", flat=True)), reverse=True
    )


def results(year: int | None = None):
    qs = SinkResult.objects.filter(factor_set=current_set())
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("district", "land_type", "group", "method")


def district_totals(rows) -> list[dict]:
    """Per district, the computed sinks added up (one method per land record: stock difference where it
    exists, else gain–loss) and how many entries are 缺失: a total over what could be computed, said so."""

    chosen = _chosen(rows, getattr)
    out: dict[str, dict] = {}
    for (district, _land, _group), r in chosen.items():
        total = out.setdefault(
            district,
            {"district": district, "sink_tco2": 0.0, "p5": 0.0, "p95": 0.0, "computed": 0, "missing": 0},
        )
        if r.sink_tco2 is None:
            total["missing"] += 1
            continue
        total["computed"] += 1
        total["sink_tco2"] += r.sink_tco2
        total["p5"] += r.p5  # bands added end to end: wider than the joint band (本平台规则, conservative)
        total["p95"] += r.p95
    return list(out.values())


def city_summary() -> dict | None:
    """The latest year's sinks over all districts (computed parts, their intervals end to end, and how many
    are 缺失): what the dashboard shows beside the energy CO2, never netted into it."""
    found = years()
    if not found:
        return None
    year = found[0]
    totals = district_totals(results(year))
    return {
        "year": year,
        "sink_tco2": sum(t["sink_tco2"] for t in totals),
        "p5": sum(t["p5"] for t in totals),
        "p95": sum(t["p95"] for t in totals),
        "computed": sum(t["computed"] for t in totals),
        "missing": sum(t["missing"] for t in totals),
        "climate_zone": current_set().climate_zone,
    }


def _chosen(rows, read=dict.get) -> dict[tuple, object]:
    """One row per land record (stock difference where it has a value, else the other); ``read`` gets a
    field from a row (``dict.get`` for stored dicts, ``getattr`` for results)."""

    def rank(r) -> tuple:
        return (read(r, "sink_tco2") is not None, read(r, "method") == "stock_difference")

    out: dict[tuple, object] = {}
    for r in rows:
        key = (read(r, "district"), read(r, "land_type"), read(r, "group"))
        if key not in out or rank(r) > rank(out[key]):
            out[key] = r
    return out


def against_baseline(baseline, year: int) -> list[dict]:
    """Per district: the baseline's computed sink and stock as frozen, the year's as now computed, the
    change; a part 缺失 on either side is counted, not taken as 0."""
    then = _chosen(baseline.data.get("results", []))
    now = _chosen([r.data for r in results(year)])
    districts = sorted({k[0] for k in then} | {k[0] for k in now})
    out = []
    for district in districts:
        row = {"district": district}
        for label, chosen in (("baseline", then), ("current", now)):
            parts = [r for k, r in chosen.items() if k[0] == district]
            computed = [r for r in parts if r.get("sink_tco2") is not None]
            row[label] = {
                "sink_tco2": sum(r["sink_tco2"] for r in computed) if computed else None,
                "stock_tc": sum(r["stock_tc"] for r in parts if r.get("stock_tc") is not None) or None,
                "missing": len(parts) - len(computed),
            }
        b, c = row["baseline"]["sink_tco2"], row["current"]["sink_tco2"]
        row["change_tco2"] = None if b is None or c is None else c - b
        out.append(row)
    return out


def chart_series() -> dict:
    """Stocks (t C) and computed sinks (t CO2) over the years, by land type, over the computed parts only:
    for the page's chart (which says so)."""
    years_list = sorted(years())
    stock: dict[str, list] = {}
    sink: dict[str, list] = {}
    for i, year in enumerate(years_list):
        for key, r in _chosen([r.data for r in results(year)]).items():
            label = r.get("land_type_label", key[1])
            for series, value in ((stock, r.get("stock_tc")), (sink, r.get("sink_tco2"))):
                if value is None:  # 缺失 is left out (a gap in the line), never drawn as 0
                    continue
                line = series.setdefault(label, [None] * len(years_list))
                line[i] = (line[i] or 0.0) + value
    return {"years": years_list, "stock": stock, "sink": sink}


INDICATOR_INPUTS = {  # the indicators' names as the plan names them (shown translated)
    gettext_noop("林木覆盖率"): gettext_noop("全市国土面积（及四旁树木覆盖面积）"),
    gettext_noop("建成区绿化覆盖率"): gettext_noop("建成区面积与建成区绿化覆盖面积"),
    gettext_noop("秸秆综合利用率"): gettext_noop("秸秆产生量与综合利用量"),
}


def _wetlands() -> dict[int, list[float]]:
    from .models import LandRecord

    out: dict[int, list[float]] = {}
    for r in LandRecord.objects.filter(land_type="wetland"):
        if r.area_ha and r.protected_area_ha is not None:
            pair = out.setdefault(r.year, [0.0, 0.0])
            pair[0] += r.protected_area_ha
            pair[1] += r.area_ha
    return out


def land_points(field: str) -> dict[int, float]:
    """A plan indicator computed from the land data, by year (what ``Indicator.land_field`` names)."""
    if field == "wetland_protection":
        return {year: protected / area * 100 for year, (protected, area) in _wetlands().items()}
    return {}


def land_indicators() -> list[dict]:
    """The plan's indicators the land data can give, by year: 湿地保护率 = Σ protected / Σ wetland area (over
    the districts that reported both), beside the value the responsible department reported; the others say
    which input they still need (an input to enter with its source, never assumed)."""
    from carbonpeak.core.models import ReviewStatus
    from carbonpeak.monitoring.models import Observation

    reported: dict[str, dict[int, float]] = {}
    for name in ("湿地保护率", *INDICATOR_INPUTS):
        rows = Observation.objects.filter(
            indicator__name__contains=name, quarter=4, status=ReviewStatus.APPROVED
        ).order_by("year", "revision")
        reported[name] = {o.year: o.value for o in rows}  # the department's own, latest revision per year
    wetlands = _wetlands()
    out = []
    for year in sorted(wetlands, reverse=True):
        protected, area = wetlands[year]
        out.append(
            {
                "indicator": gettext_noop("湿地保护率"),
                "year": year,
                "computed": protected / area * 100,
                "basis": _("受保护湿地 %(protected)s 公顷 ÷ 湿地 %(area)s 公顷（已填报的区镇）")
                % {"protected": f"{protected:,.1f}", "area": f"{area:,.1f}"},
                "reported": reported.get("湿地保护率", {}).get(year),
            }
        )
    for name, needed in INDICATOR_INPUTS.items():
        out.append(
            {
                "indicator": name,
                "year": None,
                "computed": None,
                "basis": _("缺失：须录入%(needed)s") % {"needed": _(needed)},
                "reported": None,
            }
        )
    return out
