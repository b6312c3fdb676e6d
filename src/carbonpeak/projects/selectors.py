"""Reads of the key-project register that pages, the API and the report share: a project's money and its
effect by the city's official factors (expected when it runs as designed, achieved as measured)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from carbonpeak.core import clock
from carbonpeak.core.models import ReviewStatus
from carbonpeak.core.periods import parse_period
from carbonpeak.energy import selectors as energy
from carbonpeak.projects import savings
from carbonpeak.projects.models import FullLoadHoursInput, KeyProject, ProjectKind, ProjectProgress

#: the kinds whose capacity generates electricity a year (capacity × the type's full-load hours)
GENERATING = (ProjectKind.PV,)


def projects():
    """Every project with what its pages and the API read, in one query per relation."""
    return KeyProject.objects.select_related("lead", "district", "enterprise").prefetch_related(
        "tasks__action",
        "tasks__section",
        "savings",
        "investments",
        "funding",
        "milestones",
        Prefetch("progress", queryset=ProjectProgress.objects.order_by("period")),
    )


def full_load_hours() -> dict[str, savings.FullLoadHours]:
    return {
        row.kind: savings.FullLoadHours(row.hours, row.source, row.sample)
        for row in FullLoadHoursInput.objects.all()
    }


def effect_year() -> int:
    """The year a project's effect is counted for: the last year the official factors publish a grid factor
    for, at most this year (a figure for a year with no factor would say which year it used)."""
    return clock.today().year - 1


def expected_effect(
    project: KeyProject, *, factors=None, hours=None, year: int | None = None
) -> savings.Effect:
    """A year's effect when the project runs as designed: its capacity's generation and its savings."""
    factors = factors or energy.official_factors()
    hours = full_load_hours() if hours is None else hours
    year = year or effect_year()
    generated, why = None, None
    if project.kind in GENERATING:
        generated, why = savings.generation_kwh(project.capacity_kw, hours.get(project.kind))
    effect = savings.annual_effect(
        quantities=[savings.Quantity(s.fuel, s.quantity, s.unit) for s in project.savings.all()],
        factors=factors,
        grid_region=settings.CARBONPEAK_GRID_REGION,
        year=year,
        generated_kwh=generated,
        missing=[why] if why else [],
    )
    effect.on_sample_input = bool(generated is not None and hours.get(project.kind).sample)
    return effect


def achieved_effect(project: KeyProject, year: int, *, factors=None) -> savings.Effect:
    """The year's effect as measured: the kWh the approved progress reports of its quarters give (a quarter
    not reported is not counted as zero: the figure says how many quarters it rests on)."""
    factors = factors or energy.official_factors()
    reports = [
        p
        for p in project.progress.all()
        if p.status == ReviewStatus.APPROVED
        and parse_period(p.period).year == year
        and p.measured_kwh is not None
    ]
    if not reports:
        return savings.Effect()
    effect = savings.annual_effect(
        quantities=[],
        factors=factors,
        grid_region=settings.CARBONPEAK_GRID_REGION,
        year=year,
        generated_kwh=sum(p.measured_kwh for p in reports),
    )
    return effect


@dataclass
class Money:
    planned: float | None  # 万元, the years' planned investment added up (None: none given)
    actual: float | None  # 万元: approved progress where a year has it, else what was entered
    by_year: dict[int, tuple[float | None, float | None]]


def money(project: KeyProject) -> Money:
    """Planned and actual investment by year: a year's actual is what its approved progress reports made
    (本平台规则: the reviewed figure wins), else the actual entered with the project; None is not 0."""
    reported: dict[int, float] = {}
    for p in project.progress.all():
        if p.status == ReviewStatus.APPROVED and p.investment is not None:
            year = parse_period(p.period).year
            reported[year] = reported.get(year, 0.0) + p.investment
    by_year = {i.year: (i.planned, reported.get(i.year, i.actual)) for i in project.investments.all()}
    for year, amount in reported.items():
        by_year.setdefault(year, (None, amount))
    planned = [p for p, _a in by_year.values() if p is not None]
    actual = [a for _p, a in by_year.values() if a is not None]
    return Money(
        sum(planned) if planned else None, sum(actual) if actual else None, dict(sorted(by_year.items()))
    )


def task_labels(project: KeyProject) -> list[str]:
    return [t.label for t in project.tasks.all()]


def current_quarter() -> str:
    """The quarter a progress report is for by default: the last one that has ended."""
    today = clock.today()
    quarter = (today.month - 1) // 3
    return f"{today.year}Q{quarter}" if quarter else f"{today.year - 1}Q4"
