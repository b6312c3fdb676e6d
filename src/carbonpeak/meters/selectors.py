"""Reads of the online-monitoring results that pages, the API, the enterprise reports and the reconciliation
share: the quality table, an enterprise's months, and measured annual figures beside reported ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum

from . import quality
from .models import MonthlyTotal, QualityCheck, ReadingBatch


@dataclass
class QualityRow:
    """An enterprise's verdicts for one month, one per rule (None: not computed)."""

    credit_code: str
    name: str
    enterprise_id: int | None
    region: str
    month: str
    checks: dict[str, QualityCheck] = field(default_factory=dict)

    @property
    def failing(self) -> list[str]:
        return [quality.RULE_LABEL[r] for r, c in self.checks.items() if c.status == quality.FAIL]

    def in_order(self) -> list[QualityCheck | None]:
        return [self.checks.get(r) for r in quality.RULES]


def months() -> list[str]:
    return list(QualityCheck.objects.order_by("-month").values_list("month", flat=True).distinct())


def quality_table(
    month: str | None = None, only_failing: bool = False, credit_code: str | None = None
) -> list[QualityRow]:
    """The enterprises' verdicts (of a month, of one enterprise), by month, failing enterprises first."""
    checks = QualityCheck.objects.select_related("enterprise")
    if month:
        checks = checks.filter(month=month)
    if credit_code:
        checks = checks.filter(credit_code=credit_code)
    rows: dict[tuple[str, str], QualityRow] = {}
    for c in checks.order_by("credit_code", "month", "rule"):
        key = (c.credit_code, c.month)
        if key not in rows:
            rows[key] = QualityRow(
                c.credit_code, c.enterprise.name if c.enterprise else "", c.enterprise_id, c.region, c.month
            )
        rows[key].checks[c.rule] = c
    out = list(rows.values())
    if only_failing:
        out = [r for r in out if r.failing]
    out.sort(key=lambda r: (not r.failing, r.credit_code))
    out.sort(key=lambda r: r.month, reverse=True)  # stable: within a month, failing enterprises first
    return out


def summary(month: str) -> dict:
    """Enterprises judged in a month and how many fail each rule."""
    checks = QualityCheck.objects.filter(month=month)
    by_rule = dict(
        checks.filter(status=QualityCheck.Status.FAIL).values_list("rule").annotate(n=Count("id")).order_by()
    )
    return {
        "month": month,
        "enterprises": checks.values("credit_code").distinct().count(),
        "failing": checks.filter(status=QualityCheck.Status.FAIL).values("credit_code").distinct().count(),
        "by_rule": [(quality.RULE_LABEL[r], by_rule.get(r, 0)) for r in quality.RULES],
    }


def enterprise_months(credit_code: str) -> tuple[list[QualityRow], list[MonthlyTotal]]:
    return (
        quality_table(credit_code=credit_code),
        list(MonthlyTotal.objects.filter(credit_code=credit_code).order_by("-month", "energy_type")),
    )


def batches(limit: int = 50) -> list[ReadingBatch]:
    return list(ReadingBatch.objects.select_related("uploaded_by", "withdrawn_by")[:limit])


def store_figures() -> dict:
    live = ReadingBatch.objects.filter(withdrawn_at__isnull=True)
    return {
        "batches": live.count(),
        "rows": live.aggregate(rows=Sum("rows"))["rows"] or 0,
        "sample": live.filter(sample=True).exists(),
    }


@dataclass(frozen=True)
class MeasuredYear:
    """An enterprise's measured consumption of one energy type over a year: complete only with all twelve
    months (a month without readings is missing, never zero)."""

    energy_type: str
    unit: str
    total: float | None  # None (缺失) unless all twelve months are there
    months: int
    partial_total: float


def measured_year(enterprise_ids: list[int], year: int) -> dict[int, dict[str, MeasuredYear]]:
    """Enterprise id → energy type → the year's measured figure."""
    sums: dict[tuple[int, str], list] = {}
    rows = MonthlyTotal.objects.filter(enterprise_id__in=enterprise_ids, month__startswith=f"{year}-")
    for eid, energy_type, unit, total in rows.values_list("enterprise_id", "energy_type", "unit", "total"):
        entry = sums.setdefault((eid, energy_type), [unit, 0.0, 0])
        entry[1] += total
        entry[2] += 1
    out: dict[int, dict[str, MeasuredYear]] = {}
    for (eid, energy_type), (unit, total, n) in sums.items():
        out.setdefault(eid, {})[energy_type] = MeasuredYear(
            energy_type, unit, total if n == 12 else None, n, total
        )
    return out


def has_failures(credit_code: str) -> bool:
    return QualityCheck.objects.filter(credit_code=credit_code, status=QualityCheck.Status.FAIL).exists()


@dataclass(frozen=True)
class BesideReport:
    """One energy type of an enterprise's year: what it reported and what its meters measured, in the
    energy type's base unit."""

    energy_type: str
    unit: str
    reported: float | None  # None: 未报
    measured: float | None  # None: 缺失 (fewer than twelve months measured)
    months: int
    partial: float | None

    @property
    def difference_pct(self) -> float | None:
        if self.reported is None or self.measured is None or not self.reported:
            return None
        return 100 * (self.measured - self.reported) / self.reported


def beside_report(enterprise_id: int, year: int, report) -> list[BesideReport]:
    """The report's quantities beside the meters' (a report of None: nothing reported); empty when the
    enterprise has no meter data that year."""
    from carbonpeak.energy import catalog

    from .readings import base_unit

    measured = measured_year([enterprise_id], year).get(enterprise_id, {})
    if not measured:
        return []  # no meter data that year: nothing to set beside the report
    reported: dict[str, float] = {}
    if report is not None:
        for line in report.fuels.all():
            reported[line.fuel] = (
                reported.get(line.fuel, 0.0) + line.quantity * catalog.parse_unit(line.unit).to_base
            )
        if report.electricity_kwh is not None:
            reported["电力"] = report.electricity_kwh
    names = sorted(set(reported) | set(measured), key=lambda n: (n != "电力", n))
    out = []
    for name in names:
        m = measured.get(name)
        unit = m.unit if m else base_unit(catalog.resolve_fuel(name))
        out.append(
            BesideReport(
                name,
                unit,
                reported.get(name),
                m.total if m else None,
                m.months if m else 0,
                m.partial_total if m else None,
            )
        )
    return out


def measured_terminal_tce(year: int) -> dict[int, float]:
    """Each register enterprise's terminal energy (当量值, tce) over the year by its meters, through the
    same engine and default factor set as its report — for enterprises whose electricity is metered and whose
    every measured energy type has all twelve months (the others have no measured figure: missing, not zero).
    Electricity measured is taken as consumed."""
    from carbonpeak.energy.accounting import AccountingError
    from carbonpeak.energy.selectors import official_factors
    from carbonpeak.enterprises import mrv
    from carbonpeak.enterprises.models import Enterprise

    ids = list(
        MonthlyTotal.objects.filter(month__startswith=f"{year}-", enterprise__isnull=False)
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    measured = measured_year(ids, year)
    factors = None
    out: dict[int, float] = {}
    for enterprise in Enterprise.objects.filter(pk__in=ids):
        types = measured.get(enterprise.pk, {})
        electricity = types.get("电力")
        if electricity is None or any(t.total is None for t in types.values()):
            continue  # no meter on its electricity, or a month missing: no measured figure
        factors = factors or official_factors()
        try:
            figures = mrv.figures(
                mrv.ReportInput(
                    enterprise.credit_code,
                    enterprise.sector,
                    year,
                    tuple(
                        mrv.FuelLine(t.energy_type, t.unit, t.total)
                        for t in types.values()
                        if t.energy_type != "电力"
                    ),
                    bought_kwh=electricity.total,
                    sold_kwh=0.0,
                ),
                factors,
            )
        except AccountingError:
            continue
        out[enterprise.pk] = figures.terminal_tce
    return out
