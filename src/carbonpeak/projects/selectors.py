"""Reads of the key-project register that pages, the API and the report share: a project's money and its
effect by the city's official factors (expected when it runs as designed, achieved as measured)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from carbonpeak.core import clock
from carbonpeak.core.models import ReviewStatus
from carbonpeak.core.periods import parse_period
from carbonpeak.energy import selectors as energy
from carbonpeak.projects import savings
from carbonpeak.projects.models import (
    AwardPayment,
    FullLoadHoursInput,
    KeyProject,
    ProjectKind,
    ProjectProgress,
    ProjectStatus,
)

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
        Prefetch("awards", queryset=AwardPayment.objects.select_related("milestone")),
        Prefetch("progress", queryset=ProjectProgress.objects.order_by("period").prefetch_related("savings")),
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
    """The year's effect as measured: the kWh and the energy saved that the approved progress reports of its
    quarters give, by the official factors (a quarter not reported is not counted as zero)."""
    factors = factors or energy.official_factors()
    reports = [
        p
        for p in project.progress.all()
        if p.status == ReviewStatus.APPROVED and parse_period(p.period).year == year
    ]
    measured = [p.measured_kwh for p in reports if p.measured_kwh is not None]
    quantities = [savings.Quantity(s.fuel, s.quantity, s.unit) for p in reports for s in p.savings.all()]
    if not measured and not quantities:
        return savings.Effect()
    return savings.annual_effect(
        quantities=quantities,
        factors=factors,
        grid_region=settings.CARBONPEAK_GRID_REGION,
        year=year,
        generated_kwh=sum(measured) if measured else None,
    )


@dataclass
class Money:
    planned: float | None  # 万元, the years' planned investment added up (None: none given)
    actual: float | None  # 万元: approved progress where a year has it, else what was entered
    by_year: dict[int, tuple[float | None, float | None]]
    awarded: float | None  # 万元: the fiscal awards paid against its milestones (None: none paid)


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
    paid = [a.amount for a in project.awards.all()]
    return Money(
        sum(planned) if planned else None,
        sum(actual) if actual else None,
        dict(sorted(by_year.items())),
        sum(paid) if paid else None,
    )


def task_labels(project: KeyProject) -> list[str]:
    return [t.label for t in project.tasks.all()]


def owed_quarter() -> tuple[str, dt.date | None]:
    """The quarter a project's progress is owed for, and by when: the open reporting period of the progress
    cycle (the coordinator opens it, with its due date), else the last quarter that has ended (no date)."""
    from carbonpeak.supervision.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(is_open=True).order_by("-due_date").first()
    if period is not None:
        return period.key, period.due_date
    today = clock.today()
    quarter = (today.month - 1) // 3
    return (f"{today.year}Q{quarter}" if quarter else f"{today.year - 1}Q4"), None


def current_quarter() -> str:
    """The quarter a progress report is for by default (see ``owed_quarter``)."""
    return owed_quarter()[0]


#: the statuses of a project counted in hand (谋划 and 暂停 are not)
IN_HAND = (ProjectStatus.BUILDING, ProjectStatus.OPERATING)


def first_full_year(project: KeyProject) -> int | None:
    """The first year the project runs a whole year (本平台规则): the year after its completion date, else
    the year after its first approved progress report; None before either exists."""
    if project.completion_date is not None:
        return project.completion_date.year + 1
    approved = [
        parse_period(p.period).year for p in project.progress.all() if p.status == ReviewStatus.APPROVED
    ]
    return min(approved) + 1 if approved else None


def in_hand(project: KeyProject) -> bool:
    """A project the projection counts: under way or running, with a quarter of progress the coordinator
    approved (本平台规则: registered alone is a plan, not a project in hand)."""
    return project.status in IN_HAND and any(
        p.status == ReviewStatus.APPROVED for p in project.progress.all()
    )


def pipeline(factors=None):
    """The key projects in hand as the projection reads them, sizing photovoltaics and industrial efficiency."""
    from carbonpeak.projection import model

    factors = factors or energy.official_factors()
    found = []
    for project in projects().order_by("pk"):
        year = first_full_year(project)
        if not in_hand(project) or year is None:
            continue
        quantities = [savings.Quantity(s.fuel, s.quantity, s.unit) for s in project.savings.all()]
        found.append(
            model.ProjectInHand(
                name=project.name,
                kind=project.kind,
                first_year=year,
                mw=(project.capacity_kw or 0.0) / 1000 if project.kind in GENERATING else 0.0,
                saved=savings.as_model_quantities(quantities, factors),
            )
        )
    return model.Pipeline(tuple(found), frozenset(model.MEASURES))


def pipeline_state(found) -> str:
    """A short fingerprint of the projects in hand: a stored projection is reused only for the same ones."""
    import hashlib
    import json

    text = json.dumps(
        [[p.name, p.kind, p.first_year, p.mw, list(p.saved)] for p in found.projects], ensure_ascii=False
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Coverage:
    """How much of the reduction the plan needs the projects in hand cover, by year and type (本平台规则:
    the reduction needed is the 基准情景's median emissions less the 规划情景's in that year, both projected on
    the official accounts; a project covers its yearly effect from its first whole year)."""

    years: tuple[int, ...]
    needed: dict[int, float | None]  # tCO2; None until both projections are computed
    by_kind: list[tuple[str, dict[int, float]]]  # (kind label, year → tCO2)
    covered: dict[int, float]
    missing: int  # projects in hand whose effect is 缺失 (not counted as 0)
    p_pipeline: float | None  # P(peak ≤ 2030) in the 项目库情景
    p_planned: float | None

    def share(self, year: int) -> float | None:
        needed = self.needed.get(year)
        return None if not needed or needed <= 0 else self.covered[year] / needed

    @property
    def shares(self) -> dict[int, float | None]:
        return {year: self.share(year) for year in self.years}


def coverage(years: tuple[int, ...] = (2025, 2030), *, effects=None) -> Coverage:
    """The coverage of the needed reduction by the projects in hand; ``effects`` (project, expected effect)
    pairs a page has already computed, so that each is computed once."""
    from carbonpeak.plans.selectors import current_plan
    from carbonpeak.projection import scenarios
    from carbonpeak.projection.selectors import stored_projection

    plan = current_plan()
    runs = {
        name: stored_projection(name, plan) if plan is not None else None
        for name in (scenarios.BASELINE, scenarios.PLANNED, scenarios.PIPELINE)
    }

    def p50(name: str, year: int) -> float | None:
        run = runs[name]
        if run is None:
            return None
        if str(year) in run.result.get("trajectory", {}):
            return run.result["trajectory"][str(year)]["p50"]
        return run.result.get("history", {}).get(str(year))

    needed = {}
    for year in years:
        base, planned = p50(scenarios.BASELINE, year), p50(scenarios.PLANNED, year)
        needed[year] = None if base is None or planned is None else base - planned
    factors = energy.official_factors()
    if effects is None:
        hours = full_load_hours()
        effects = [(p, expected_effect(p, factors=factors, hours=hours)) for p in projects() if in_hand(p)]
    kinds: dict[str, dict[int, float]] = {}
    missing = 0
    for project, effect in effects:
        first = first_full_year(project)
        if not in_hand(project) or first is None:
            continue
        tco2 = effect.tco2.get(factors.assessed_boundary)
        if tco2 is None:
            missing += 1
            continue
        row = kinds.setdefault(project.get_kind_display(), dict.fromkeys(years, 0.0))
        for year in years:
            if first <= year:
                row[year] += tco2
    covered = {year: sum(row[year] for row in kinds.values()) for year in years}

    def p(name: str) -> float | None:
        return runs[name].result["p_peak_by_2030"] if runs[name] is not None else None

    return Coverage(
        years, needed, sorted(kinds.items()), covered, missing, p(scenarios.PIPELINE), p(scenarios.PLANNED)
    )


def money_rows():
    """Every project, funding line and award paid as the money workbook reads them (plain rows)."""
    from carbonpeak.core.language import said
    from carbonpeak.projects import money as money_book

    factors = energy.official_factors()
    hours = full_load_hours()
    projects_out, funding_out, awards_out = [], [], []
    for project in projects():
        m = money(project)
        effect = expected_effect(project, factors=factors, hours=hours)
        projects_out.append(
            money_book.ProjectRow(
                name=project.name,
                kind=project.get_kind_display(),
                status=project.get_status_display(),
                department=project.lead.name,
                district=project.district.name if project.district else "",
                enterprise=project.enterprise.name if project.enterprise else "",
                esco=project.esco,
                tasks=" ".join(task_labels(project)),
                planned=m.planned,
                actual=m.actual,
                tce=effect.tce,
                tco2=effect.tco2.get(factors.assessed_boundary),
                effect_state=said(savings.STATE_WORDS[effect.state]),
                sample=project.sample,
                investment=m.by_year,
                milestones=[(ms.name, ms.reached_in) for ms in project.milestones.all()],
            )
        )
        funding_out += [
            money_book.FundingRow(
                project.name,
                project.lead.name,
                f.year,
                f.source,
                f.get_source_display(),
                f.amount,
                f.institution,
            )
            for f in project.funding.all()
        ]
        awards_out += [
            money_book.AwardRow(
                project.name,
                project.lead.name,
                a.milestone.name,
                a.milestone.reached_in,
                a.get_source_display(),
                a.amount,
                f"{a.paid_on:%Y-%m-%d}",
                a.document,
            )
            for a in project.awards.all()
        ]
    return projects_out, funding_out, awards_out


def ets_compliance(years: tuple[int, ...]) -> list[tuple[object, list[tuple[int, object]]]]:
    """The enterprises in the national carbon market with each year's compliance (履约) as their annual
    report says it (its latest revision; None where the year has no report or the report leaves it blank)."""
    from carbonpeak.enterprises.models import Enterprise, EnterpriseReport

    covered = list(Enterprise.objects.filter(ets_covered=True).order_by("name"))
    latest: dict[tuple[int, int], EnterpriseReport] = {}
    for report in EnterpriseReport.objects.filter(enterprise__in=covered, year__in=years).order_by(
        "revision"
    ):
        latest[(report.enterprise_id, report.year)] = report
    return [(e, [(year, latest.get((e.pk, year))) for year in years]) for e in covered]
