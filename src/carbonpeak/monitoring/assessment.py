"""How a target's grade is worked out from the data: the one place, read by the background job that stores
the grades (``services.evaluate``), the pages and API (through ``selectors.plan_statuses``) and the report.

Reads only: it gathers the accounts, the approved observations and the stored projection, and grades them
with the pure ``grading`` core.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from carbonpeak.core import clock
from carbonpeak.core.models import ReviewStatus
from carbonpeak.core.numbers import as_int, is_int
from carbonpeak.core.text import Message, decode, encode, gettext_noop
from carbonpeak.energy import selectors as energy
from carbonpeak.energy.models import AccountingRun
from carbonpeak.monitoring import grading
from carbonpeak.monitoring import indicators as catalogue
from carbonpeak.monitoring.grading import DataState, Grade, GradingTarget, Point, Rule
from carbonpeak.monitoring.models import Indicator, Observation, TargetIndicator
from carbonpeak.plans.models import Plan, Target
from carbonpeak.projection import selectors as projection

REGION = "太仓市"
BASE_YEAR = 2020


def _year_to_date_results(region: str, run: AccountingRun | None, results: list | None) -> list:
    """The run's year-to-date results for the region: the ones given (read once for a whole plan), else
    read now from ``run`` or the latest run."""
    if results is not None:
        return results
    run = run or energy.current_run()
    return [] if run is None else list(run.results.filter(region=region, first_quarter=1))


def points_for(
    indicator: Indicator,
    region: str = REGION,
    run: AccountingRun | None = None,
    *,
    results: list | None = None,
    approved: list[Observation] | None = None,
) -> list[Point]:
    """Approved values: computed ones from the latest accounting run, reported ones the latest revision each
    (``approved``: the indicator's approved observations in the region, when read once for a whole plan)."""
    if indicator.kind == Indicator.Kind.COMPUTED:
        points = []
        for result in _year_to_date_results(region, run, results):
            value = catalogue.value_from_account(indicator.computed_field, result.data)
            if value is not None:
                points.append(Point(result.year, result.last_quarter, value))
        return sorted(points)
    if approved is None:
        approved = list(indicator.observations.filter(region=region, status=ReviewStatus.APPROVED))
    latest: dict[tuple[int, int], Observation] = {}
    for obs in sorted(approved, key=lambda o: o.revision):
        latest[(obs.year, obs.quarter)] = obs
    points = {(y, q): o.value for (y, q), o in latest.items()}
    if indicator.land_field and region == REGION:
        from carbonpeak.sinks.selectors import land_points

        for year, value in land_points(indicator.land_field).items():
            points[(year, 4)] = value  # the land data's value grades the year; the reported one stands beside
    return sorted(Point(y, q, v) for (y, q), v in points.items())


def computed_gaps(
    indicator: Indicator,
    region: str = REGION,
    run: AccountingRun | None = None,
    *,
    results: list | None = None,
) -> dict[int, tuple[str, bool]]:
    """Years whose accounting lacks an input a computed indicator needs, with what is missing and whether the
    value itself is missing (e.g. no 发电 coal rate for a figure on 等价值: 缺失, never zero) or only built on
    incomplete data (a row or balance line not reported: 数据不全)."""
    if indicator.kind != Indicator.Kind.COMPUTED:
        return {}
    gaps = {}
    for result in _year_to_date_results(region, run, results):
        missing = result.data.get("missing") or []
        if not missing:
            continue
        value_missing = catalogue.value_from_account(indicator.computed_field, result.data) is None
        absent = [m for m in missing if m.startswith("缺失")]  # an input missing: the value cannot exist
        incomplete = [m for m in missing if "数据不全" in m]
        if value_missing or incomplete:
            gaps[(result.year, result.last_quarter)] = (
                (absent or missing)[0] if value_missing else incomplete[0],
                value_missing,
            )
    by_year: dict[int, tuple[str, bool]] = {}
    for (year, _), gap in sorted(gaps.items()):
        by_year[year] = gap  # the latest year-to-date period of the year speaks for it
    return by_year


def _why(gap: str) -> str:
    """What a missing year lacks, briefly: a gap's own brief form, else its first clause."""
    if isinstance(gap, Message) and gap.brief is not None:
        return gap.brief
    text = gap.removeprefix("缺失：")
    return text.split("未录入")[0] + "未录入" if "未录入" in text else text.split("；")[0]


def _with_gaps(assessment: grading.Assessment, gaps: dict[int, tuple[str, bool]]) -> grading.Assessment:
    """Say in the reason which years are 缺失 or 数据不全 and why: the years after the value graded whose
    value is missing, and the graded year when its data are incomplete."""
    # nothing graded (no period): every missing year counts as later
    graded_year = as_int(assessment.period[:4], low=1000, high=9999) or 0
    later = {
        year: text for year, (text, value_missing) in gaps.items() if year > graded_year and value_missing
    }
    notes = []
    if later:
        years = Message.join([str(y) for y in later], separator="、")
        why = _why(next(iter(later.values())))
        if assessment.value is None:
            return grading.Assessment(
                assessment.grade,
                None,
                assessment.expected,
                assessment.period,
                Message(
                    gettext_noop("缺失：%(years)s年无法计算（%(why)s）；请在“核算因子”中录入后重算"),
                    years=years,
                    why=why,
                ),
            )
        notes.append(Message(gettext_noop("%(years)s年缺失（%(why)s）"), years=years, why=why))
    if graded_year in gaps and not gaps[graded_year][1]:
        text = gaps[graded_year][0]
        notes.append(
            text
            if is_int(text[:4])
            else Message(gettext_noop("%(year)s年%(gap)s"), year=graded_year, gap=text)
        )
    if not notes:
        return assessment
    reason = Message.join([assessment.reason, *notes])
    return grading.Assessment(
        assessment.grade, assessment.value, assessment.expected, assessment.period, reason
    )


# ------------------------------------------------------------------ assessment


@dataclass
class TargetStatus:
    target: Target
    link: TargetIndicator | None
    assessment: grading.Assessment
    data_state: DataState
    points: list[Point] = field(default_factory=list)
    baseline: tuple[int, float] | None = None
    progress: grading.Assessment | None = None  # intensity targets: the cumulative line toward the target

    @property
    def indicator(self) -> Indicator | None:
        return self.link.indicator if self.link else None

    def path(self, years: range) -> list[tuple[int, float | None]]:
        if self.link is None:
            return []
        spec = grading_target(self.link, self.points)
        return [(y, grading.expected_at(spec, y)) for y in years]

    def to_dict(self) -> dict:
        t = self.target
        ind = self.indicator
        return {
            "id": t.pk,
            "indicator": t.indicator,
            "year": t.year,
            "target": t.describe(),
            "target_value": t.value,
            "unit": t.unit,
            "kind": t.kind,
            "action": t.task.action.title
            if t.task_id and t.task.action_id
            else (t.section.title if t.section_id else ""),
            "owner": ind.owner.name if ind and ind.owner else None,
            "rule": self.link.rule if self.link else None,
            "grade": self.assessment.grade.value,
            "grade_label": self.assessment.grade.label,
            "value": self.assessment.value,
            "expected": self.assessment.expected,
            "period": self.assessment.period,
            "data_state": self.data_state.value,
            "data_state_label": self.data_state.label,
            "reason": self.assessment.reason,
            "progress": self.progress.to_dict() if self.progress else None,
        }


def _assessment_data(a: grading.Assessment | None) -> dict | None:
    if a is None:
        return None
    return {
        "grade": a.grade.value,
        "value": a.value,
        "expected": a.expected,
        "period": encode(a.period),
        "reason": encode(a.reason),  # a Message kept with its wording, said in each reader's language
    }


def _assessment_from(data: dict | None) -> grading.Assessment | None:
    if data is None:
        return None
    return grading.Assessment(
        Grade(data["grade"]), data["value"], data["expected"], decode(data["period"]), decode(data["reason"])
    )


def encode_statuses(statuses: list[TargetStatus]) -> list[dict]:
    """The grades as plain JSON data, to be kept for every process (``core.versions.store``)."""
    return [
        {
            "target": s.target.pk,
            "link": s.link.pk if s.link else None,
            "assessment": _assessment_data(s.assessment),
            "data_state": s.data_state.value,
            "points": [[p.year, p.quarter, p.value] for p in s.points],
            "baseline": list(s.baseline) if s.baseline else None,
            "progress": _assessment_data(s.progress),
        }
        for s in statuses
    ]


def decode_statuses(plan: Plan, rows: list[dict]) -> list[TargetStatus]:
    """The grades kept by :func:`encode_statuses`, with the plan's targets and links read again (one query
    each); a target or link gone since raises ``KeyError``, so the grades are worked out afresh."""
    targets = {t.pk: t for t in plan.targets.select_related("task", "task__action", "section")}
    links = {
        link.pk: link
        for link in TargetIndicator.objects.filter(target__plan=plan).select_related(
            "target", "indicator", "indicator__owner"
        )
    }
    return [
        TargetStatus(
            targets[row["target"]],
            links[row["link"]] if row["link"] is not None else None,
            _assessment_from(row["assessment"]),
            DataState(row["data_state"]),
            [Point(int(y), int(q), float(v)) for y, q, v in row["points"]],
            (int(row["baseline"][0]), float(row["baseline"][1])) if row["baseline"] else None,
            _assessment_from(row["progress"]),
        )
        for row in rows
    ]


def _baseline(indicator: Indicator, points: list[Point]) -> tuple[int, float] | None:
    if indicator.baseline_year is not None and indicator.baseline_value is not None:
        return indicator.baseline_year, indicator.baseline_value
    if indicator.baseline_year is not None:
        for p in points:
            if (p.year, p.quarter) == (indicator.baseline_year, 4):
                return p.year, p.value
    return None


def grading_target(
    link: TargetIndicator, points: list[Point], peak_probability: float | None = None
) -> GradingTarget:
    target, indicator = link.target, link.indicator
    baseline = _baseline(indicator, points)
    rule = Rule(link.rule)
    value = target.value
    if rule == Rule.CUMULATIVE and baseline is None:
        baseline = (BASE_YEAR, 0.0)
    if rule == Rule.LEVEL and value is None:
        rule = Rule.NONE  # an external target whose value has not been entered yet
    return GradingTarget(
        rule=rule,
        higher_is_better=indicator.higher_is_better,
        target_year=target.year,
        target_value=value,
        baseline_year=target.base_year or (baseline[0] if baseline else None),
        baseline_value=baseline[1] if baseline else None,
        unit=indicator.unit,
        peak_probability=peak_probability,
    )


def _due(indicator: Indicator, today: dt.date) -> tuple[int, int]:
    return grading.latest_due_period(
        today.year,
        today.month,
        today.day,
        quarterly=indicator.frequency == Indicator.Frequency.QUARTERLY,
        due_days=indicator.due_days,
    )


def assess_plan(
    plan: Plan,
    today: dt.date | None = None,
    region: str = REGION,
    as_of: tuple[int, int] | None = None,
    *,
    run: AccountingRun | None = None,
) -> list[TargetStatus]:
    """Every target's grade on the accounts (the given run, or the current ones); with ``as_of`` (year,
    quarter), on the data up to that quarter only (a report for a past quarter says what was known of it,
    not what came later)."""
    today = today or clock.today()
    run = run or energy.current_run()
    links = {
        link.target_id: link
        for link in TargetIndicator.objects.filter(target__plan=plan).select_related(
            "target", "indicator", "indicator__owner"
        )
    }
    results = _year_to_date_results(region, run, None)  # read once: every computed indicator reads them
    approved: dict[int, list[Observation]] = {}  # and every reported indicator's approved values, at once
    for obs in Observation.objects.filter(
        indicator_id__in={link.indicator_id for link in links.values()},
        region=region,
        status=ReviewStatus.APPROVED,
    ):
        approved.setdefault(obs.indicator_id, []).append(obs)
    cache: dict[int, list[Point]] = {}
    gap_cache: dict[int, dict[int, tuple[str, bool]]] = {}
    peaks: dict | None = None  # the projection's probabilities, computed once and only if a peak target asks
    out = []
    targets = plan.targets.select_related("task", "task__action", "section").order_by("order")
    for target in targets:
        link = links.get(target.pk)
        if link is None:
            out.append(
                TargetStatus(
                    target,
                    None,
                    grading.Assessment(Grade.UNGRADED, None, None, "", "尚未对应指标，请在后台确认"),
                    DataState.MISSING,
                )
            )
            continue
        if link.indicator_id not in cache:
            found = points_for(
                link.indicator, region, run, results=results, approved=approved.get(link.indicator_id, [])
            )
            cache[link.indicator_id] = [p for p in found if as_of is None or (p.year, p.quarter) <= as_of]
        points = cache[link.indicator_id]
        probability = None
        if link.rule == Rule.PEAK:
            if peaks is None:
                peaks = projection.peak_probabilities(plan) or {}
            probability = peaks.get("refined_oil" if link.indicator.code == "refined_oil" else "co2")
        spec = grading_target(link, points, probability)
        # a target is graded on data up to its own year: 2025 targets on 2025 data, not on 2026's
        until = (target.year, 4) if target.year else None
        if as_of is not None and (until is None or as_of < until):
            until = as_of
        assessment = grading.grade(spec, points, as_of=until)
        if link.indicator_id not in gap_cache:
            gap_cache[link.indicator_id] = computed_gaps(link.indicator, region, run, results=results)
        gaps = {y: t for y, t in gap_cache[link.indicator_id].items() if until is None or y <= until[0]}
        assessment = _with_gaps(assessment, gaps)
        state = grading.data_state(points, _due(link.indicator, today))
        baseline = _baseline(link.indicator, points)
        progress = grading.grade_progress(spec, points, as_of=until)
        out.append(TargetStatus(target, link, assessment, state, points, baseline, progress))
    return out
