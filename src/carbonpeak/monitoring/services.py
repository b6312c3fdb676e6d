"""Indicators and their links to targets, observations and their review, assessment, warnings.

``assess_plan`` is the one place a target's grade is worked out; the dashboard, the target page, the API
and the stored evaluations all call it, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from carbonpeak import workflows
from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, review, versions
from carbonpeak.core.models import ReviewStatus
from carbonpeak.departments.models import Department
from carbonpeak.energy import services as energy
from carbonpeak.energy.models import AccountingRun
from carbonpeak.monitoring import grading
from carbonpeak.monitoring import indicators as catalogue
from carbonpeak.monitoring.grading import DataState, Grade, GradingTarget, Point, Rule
from carbonpeak.monitoring.models import Assessment, EarlyWarning, Indicator, Observation, TargetIndicator
from carbonpeak.plans.models import Plan, Role, Target
from carbonpeak.projection import services as projection

log = logging.getLogger(__name__)
REGION = "太仓市"
BASE_YEAR = 2020
COORDINATING_DEPARTMENT = "市发改委"


# ------------------------------------------------------------------ indicators and links


def _lead_department(target: Target) -> Department | None:
    if target.task_id is None:
        return None
    resp = target.task.responsibilities.filter(role=Role.LEAD, suppressed=False).order_by("order").first()
    return resp.department if resp else None


def _code_for(name: str) -> str:
    return "r-" + hashlib.sha1(name.encode()).hexdigest()[:10]


@transaction.atomic
def propose_links(plan: Plan) -> int:
    """Link every target of the plan without a link to an indicator (creating it), unconfirmed."""
    coordinating = Department.objects.filter(name=COORDINATING_DEPARTMENT).first()
    created = 0
    unlinked = plan.targets.select_related("task").filter(monitoring__isnull=True)
    # targets inside a task first: their lead department and unit define a shared indicator
    for target in sorted(unlinked, key=lambda t: (t.task_id is None, t.order)):
        computed = catalogue.COMPUTED_BY_NAME.get(target.indicator)
        if computed is not None:
            indicator, _ = Indicator.objects.get_or_create(
                code=computed.code,
                defaults={
                    "name": computed.name,
                    "unit": computed.unit,
                    "higher_is_better": computed.higher_is_better,
                    "kind": Indicator.Kind.COMPUTED,
                    "computed_field": computed.field,
                    "owner": coordinating,
                    "frequency": Indicator.Frequency.QUARTERLY,
                    "due_days": 45,
                    "baseline_year": BASE_YEAR,
                    "baseline_source": f"核算结果（{BASE_YEAR}年）",
                },
            )
        else:
            indicator, made = Indicator.objects.get_or_create(
                code=_code_for(target.indicator),
                defaults={
                    "name": target.indicator,
                    "unit": target.unit,
                    "higher_is_better": catalogue.higher_is_better(
                        target.comparator, target.indicator, target.value
                    ),
                    "owner": _lead_department(target) or coordinating,
                    "frequency": Indicator.Frequency.ANNUAL,
                    "due_days": 120,
                    "land_field": catalogue.land_field_for(target.indicator),
                },
            )
            if not made and not indicator.unit and target.unit:
                indicator.unit = target.unit
                indicator.save(update_fields=["unit"])
        rule = catalogue.rule_for(target.kind, target.comparator, target.indicator, target.unit)
        TargetIndicator.objects.create(target=target, indicator=indicator, rule=rule.value)
        created += 1
    return created


def set_value_document(plan: Plan, indicator: str, year: int, document: str) -> int:
    """Record the document an externally assigned target value comes from (苏府〔2024〕34号)."""
    changed = TargetIndicator.objects.filter(
        target__plan=plan, target__indicator=indicator, target__year=year
    ).update(value_document=document)
    versions.bump()  # an update() sends no signal
    return changed


# ------------------------------------------------------------------ observations


def _year_to_date_results(region: str, run: AccountingRun | None, results: list | None) -> list:
    """The run's year-to-date results for the region: the ones given (read once for a whole plan), else
    read now from ``run`` or the latest run."""
    if results is not None:
        return results
    run = run or energy.latest_run()
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


def _with_gaps(assessment: grading.Assessment, gaps: dict[int, tuple[str, bool]]) -> grading.Assessment:
    """Say in the reason which years are 缺失 or 数据不全 and why: the years after the value graded whose
    value is missing, and the graded year when its data are incomplete."""
    graded_year = int(assessment.period[:4]) if assessment.period[:4].isdigit() else 0
    later = {
        year: text for year, (text, value_missing) in gaps.items() if year > graded_year and value_missing
    }
    notes = []
    if later:
        years = "、".join(str(y) for y in later)
        first = next(iter(later.values())).removeprefix("缺失：")
        why = first.split("未录入")[0] + "未录入" if "未录入" in first else first.split("；")[0]
        if assessment.value is None:
            return grading.Assessment(
                assessment.grade,
                None,
                assessment.expected,
                assessment.period,
                f"缺失：{years}年无法计算（{why}）；请在“核算因子”中录入后重算",
            )
        notes.append(f"{years}年缺失（{why}）")
    if graded_year in gaps and not gaps[graded_year][1]:
        text = gaps[graded_year][0]
        notes.append(text if text[:4].isdigit() else f"{graded_year}年{text}")
    if not notes:
        return assessment
    reason = "；".join([assessment.reason, *notes])
    return grading.Assessment(
        assessment.grade, assessment.value, assessment.expected, assessment.period, reason
    )


def can_report(user, indicator: Indicator) -> bool:
    return permissions.can(user, Action.REPORT_INDICATOR, indicator)


def can_review(user) -> bool:
    return permissions.can(user, Action.REVIEW)


@transaction.atomic
def report_observation(
    indicator: Indicator,
    year: int,
    quarter: int,
    value: float,
    user,
    *,
    note: str = "",
    region: str = REGION,
    is_sample: bool = False,
) -> Observation:
    """A new draft revision of a reported value."""
    if indicator.kind == Indicator.Kind.COMPUTED:
        raise ValidationError(f"“{indicator.name}”由能源统计核算得出，不能直接填报；请报送能源统计数据")
    permissions.require(user, Action.REPORT_INDICATOR, indicator)
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise ValidationError("报告期无效：年份 2000–2100，季度 1–4")
    today = timezone.localdate()
    refused = catalogue.implausible(
        indicator.unit, value, year, quarter, (today.year, (today.month - 1) // 3 + 1)
    )
    if refused is not None:
        raise ValidationError(f"“{indicator.name}”{refused}")
    previous = (
        Observation.objects.filter(indicator=indicator, region=region, status=ReviewStatus.APPROVED)
        .exclude(year=year, quarter=quarter)
        .filter(Q(year__lt=year) | Q(year=year, quarter__lt=quarter))
        .order_by("-year", "-quarter", "-revision")
        .values_list("value", flat=True)
        .first()
    )
    warning = catalogue.jump(value, previous, settings.CARBONPEAK_QOQ_WARNING)
    last = (
        Observation.objects.filter(indicator=indicator, region=region, year=year, quarter=quarter).aggregate(
            m=Max("revision")
        )["m"]
        or 0
    )
    obs = Observation.objects.create(
        indicator=indicator,
        region=region,
        year=year,
        quarter=quarter,
        value=value,
        revision=last + 1,
        note=note,
        created_by=user,
        is_sample=is_sample,
        warnings=[warning] if warning else [],
    )
    audit.record(
        user,
        audit.Action.CREATE,
        obs,
        after=audit.snapshot(obs, ("year", "quarter", "value", "revision", "note")),
    )
    return obs


@transaction.atomic
def submit_observation(obs: Observation, user) -> Observation:
    permissions.require(user, Action.REPORT_INDICATOR, obs.indicator)
    return review.submit(Observation.objects.select_for_update().get(pk=obs.pk), user)


@transaction.atomic
def approve_observation(obs: Observation, user, *, comment: str = "") -> Observation:
    """Approve a reported value; the grades follow in the background (``workflows.observation_approved``)."""
    permissions.require(user, Action.REVIEW)
    obs = review.approve(Observation.objects.select_for_update().get(pk=obs.pk), user, comment)
    workflows.observation_approved(obs, user)
    return obs


@transaction.atomic
def return_observation(obs: Observation, user, *, comment: str) -> Observation:
    permissions.require(user, Action.REVIEW)
    return review.return_(Observation.objects.select_for_update().get(pk=obs.pk), user, comment)


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
    plan: Plan, today: dt.date | None = None, region: str = REGION, as_of: tuple[int, int] | None = None
) -> list[TargetStatus]:
    """Every target's grade; with ``as_of`` (year, quarter), on the data up to that quarter only (a report
    for a past quarter says what was known of it, not what came later)."""
    today = today or timezone.localdate()
    run = energy.latest_run()
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


# ------------------------------------------------------------------ evaluation and warnings


def evaluate(plan: Plan, today: dt.date | None = None) -> list[EarlyWarning]:
    """Store every target's assessment; a change of grade or newly overdue data raises a warning."""
    warnings: list[EarlyWarning] = []
    from carbonpeak.monitoring.selectors import plan_statuses

    with transaction.atomic():
        for status in plan_statuses(plan, today):  # computed once here and kept for the pages
            target, new = status.target, status.assessment
            previous = Assessment.objects.filter(target=target).first()
            unchanged = previous is not None and (
                previous.grade,
                previous.data_state,
                previous.period,
                previous.value,
            ) == (new.grade.value, status.data_state.value, new.period, new.value)
            if unchanged:
                continue
            Assessment.objects.create(
                target=target,
                grade=new.grade.value,
                data_state=status.data_state.value,
                period=new.period,
                value=new.value,
                expected=new.expected,
                reason=new.reason,
            )
            owner = status.indicator.owner if status.indicator else None
            name = f"{target.year or ''}{'年' if target.year else ''}{target.indicator}"
            # a first grade after 未评估 is not a change of grade (本平台规则): only moves between grades warn
            if previous is not None and previous.grade not in (new.grade.value, Grade.UNGRADED):
                old = Grade(previous.grade).label
                warnings.append(
                    EarlyWarning.objects.create(
                        target=target,
                        department=owner,
                        kind=EarlyWarning.Kind.GRADE,
                        previous_grade=previous.grade,
                        grade=new.grade.value,
                        message=f"{name}：评估由“{old}”变为“{new.grade.label}”。{new.reason}",
                    )
                )
            if status.data_state == DataState.OVERDUE and (
                previous is None or previous.data_state != DataState.OVERDUE
            ):
                warnings.append(
                    EarlyWarning.objects.create(
                        target=target,
                        department=owner,
                        kind=EarlyWarning.Kind.OVERDUE,
                        grade=new.grade.value,
                        message=f"{name}：应报数据逾期未报（{status.indicator.get_frequency_display()}，期末后{status.indicator.due_days}天内报送）",
                    )
                )
    for warning in warnings:
        _email(warning)
    return warnings


def raise_subject_warning(
    subject: str,
    link: str,
    message: str,
    *,
    grade: str,
    previous_grade: str,
    department=None,
    kind: str = EarlyWarning.Kind.BUDGET,
) -> EarlyWarning:
    """A warning about something other than a plan target — a carbon budget's use changed grade
    (``budgets.services`` decides when), an enterprise's monitoring data failed a rule (``meters.services``):
    stored and mailed like a target's warning."""
    warning = EarlyWarning.objects.create(
        target=None,
        subject=subject[:100],
        link=link[:200],
        department=department,
        kind=kind,
        previous_grade=previous_grade,
        grade=grade,
        message=message,
    )
    transaction.on_commit(lambda: _email(warning))
    return warning


def _email(warning: EarlyWarning) -> None:
    """Mail the owner department when it has an address and the mail settings are configured."""
    department = warning.department
    if department is None or not department.email or not getattr(settings, "EMAIL_HOST", ""):
        return
    try:
        mail.send_mail(
            subject=f"【碳达峰预警】{warning.get_kind_display()}：{warning.subject_name}",
            message=warning.message,
            from_email=None,
            recipient_list=[department.email],
        )
    except OSError as exc:  # a mail server that is down must not lose the warning itself
        log.warning("预警邮件发送失败（%s）：%s", department.email, exc)
        return
    EarlyWarning.objects.filter(pk=warning.pk).update(emailed=True)


# ------------------------------------------------------------------ sample data (示例数据)


def load_sample_observations(plan: Plan, user) -> int:
    """Generate, submit and approve sample values for the reported indicators once; returns how many."""
    from carbonpeak.monitoring import sample

    if Observation.objects.filter(is_sample=True).exists():
        return 0
    specs: dict[str, dict] = {}
    links = TargetIndicator.objects.filter(target__plan=plan, indicator__kind=Indicator.Kind.REPORTED)
    for link in links.select_related("target", "indicator").order_by("target__order"):
        t = link.target
        if link.rule in (Rule.LEVEL, Rule.CUMULATIVE) and t.value is not None and t.year:
            specs.setdefault(
                t.indicator,
                {
                    "indicator": t.indicator,
                    "year": t.year,
                    "value": t.value,
                    "unit": t.unit,
                    "higher": link.indicator.higher_is_better,
                },
            )
    count = 0
    with transaction.atomic():
        for series in sample.generate(list(specs.values())):
            indicator = Indicator.objects.get(code=_code_for(series.indicator))
            if indicator.baseline_value is None:
                indicator.baseline_year, indicator.baseline_value = (
                    series.baseline_year,
                    series.baseline_value,
                )
                indicator.baseline_source = series.baseline_source
                indicator.baseline_is_sample = series.baseline_source.startswith("示例数据")
                indicator.save()
            for year, value in sorted(series.values.items()):
                obs = report_observation(indicator, year, 4, value, user, note="示例数据", is_sample=True)
                obs = submit_observation(obs, user)
                permissions.require(user, Action.REVIEW)
                review.approve(obs, user, "示例数据")  # the grades follow once, below, not per value
                count += 1
        if count:
            workflows.observation_approved(None, user)
    return count
