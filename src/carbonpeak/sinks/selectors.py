"""Reads of the sinks that the page, the API and the dashboard share."""

from __future__ import annotations

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

    def preference(r: SinkResult) -> tuple:
        return (r.sink_tco2 is not None, r.method == "stock_difference")

    chosen: dict[tuple, SinkResult] = {}
    for r in rows:
        key = (r.district, r.land_type, r.group)
        if key not in chosen or preference(r) > preference(chosen[key]):
            chosen[key] = r
    out: dict[str, dict] = {}
    for (district, _, _), r in chosen.items():
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
