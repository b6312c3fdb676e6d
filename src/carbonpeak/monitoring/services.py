"""Indicators and their links to targets, observations and their review, the stored grades, warnings.

A target's grade is worked out in one place (``assessment.assess_plan``); this module stores it and warns
on a change."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, clock, events, review, versions
from carbonpeak.core.errors import DomainError
from carbonpeak.core.language import keeps_platform_language
from carbonpeak.core.models import ReviewStatus
from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.departments.models import Department
from carbonpeak.energy.models import AccountingRun
from carbonpeak.monitoring import assessment, grading, selectors
from carbonpeak.monitoring import indicators as catalogue
from carbonpeak.monitoring.assessment import BASE_YEAR, REGION
from carbonpeak.monitoring.grading import DataState, Grade, Rule
from carbonpeak.monitoring.models import Assessment, EarlyWarning, Indicator, Observation, TargetIndicator
from carbonpeak.plans.models import Plan, Role, Target

log = logging.getLogger(__name__)
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
            indicator, _created = Indicator.objects.get_or_create(
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
        raise DomainError(
            _("“%(name)s”由能源统计核算得出，不能直接填报；请报送能源统计数据") % {"name": indicator.name}
        )
    permissions.require(user, Action.REPORT_INDICATOR, indicator)
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise DomainError(_("报告期无效：年份 2000–2100，季度 1–4"))
    today = clock.today()
    refused = catalogue.implausible(
        indicator.unit, value, year, quarter, (today.year, (today.month - 1) // 3 + 1)
    )
    if refused is not None:
        raise DomainError(f"“{indicator.name}”{refused}")
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
        or 0  # the first value of the quarter: revision 1 follows (a counter, not a figure)
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


REVIEW = review.Lifecycle(
    Observation,
    may_submit=lambda user, obs: permissions.require(user, Action.REPORT_INDICATOR, obs.indicator),
    may_review=lambda user, obs: permissions.require(user, Action.REVIEW),
    # the grades follow in the background
    on_approved=lambda obs, user: events.emit("observation_approved", observation_id=obs.pk),
)


submit_observation, approve_observation, return_observation = REVIEW.moves()


# ------------------------------------------------------------------ assessment


# ------------------------------------------------------------------ evaluation and warnings

#: an indicator's reporting frequency, as a warning's sentence names it
FREQUENCY_WORDS = {
    Indicator.Frequency.QUARTERLY: gettext_noop("按季度"),
    Indicator.Frequency.ANNUAL: gettext_noop("按年度"),
}


@keeps_platform_language  # the warnings' stored messages
def evaluate(
    plan: Plan, today: dt.date | None = None, *, run: AccountingRun | None = None
) -> list[EarlyWarning]:
    """Grade every target on the accounts (the run the job chain just made, or the current ones), keep the
    grades for the pages, store each target's assessment; a change of grade or newly overdue data raises a
    warning."""
    today = today or clock.today()
    warnings: list[tuple[EarlyWarning, Message]] = []
    statuses = assessment.assess_plan(plan, today, run=run)
    with transaction.atomic():
        versions.store(
            selectors.statuses_key(plan, today), statuses, assessment.encode_statuses
        )  # computed once here, read by pages
        for status in statuses:
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
            warnings += _raised(status, previous)
    for warning, sentence in warnings:
        _email(warning, sentence)
    return [warning for warning, _sentence in warnings]


def _raised(status, previous: Assessment | None) -> list[tuple[EarlyWarning, Message]]:
    """The warnings a target's new assessment raises (a change of grade, data newly overdue), each with its
    sentence as a Message so that its mail can be said in each reader's language."""
    target, new = status.target, status.assessment
    raised: list[tuple[EarlyWarning, Message]] = []
    owner = status.indicator.owner if status.indicator else None
    name = (
        Message(gettext_noop("%(year)s年%(indicator)s"), year=target.year, indicator=target.indicator)
        if target.year
        else target.indicator
    )
    if grading.grade_changed(previous and previous.grade, new.grade.value):
        sentence = Message(
            gettext_noop("%(target)s：评估由“%(old)s”变为“%(new)s”。%(reason)s"),
            target=name,
            old=Message(Grade(previous.grade).label),
            new=Message(new.grade.label),
            reason=new.reason,
        )
        raised.append(
            (
                EarlyWarning.objects.create(
                    target=target,
                    department=owner,
                    kind=EarlyWarning.Kind.GRADE,
                    previous_grade=previous.grade,
                    grade=new.grade.value,
                    message=sentence,
                ),
                sentence,
            )
        )
    if status.data_state == DataState.OVERDUE and (
        previous is None or previous.data_state != DataState.OVERDUE
    ):
        indicator = status.indicator
        sentence = Message(
            gettext_noop("%(target)s：应报数据逾期未报（%(frequency)s，期末后%(days)s天内报送）"),
            target=name,
            frequency=Message(FREQUENCY_WORDS.get(indicator.frequency, indicator.frequency)),
            days=indicator.due_days,
        )
        raised.append(
            (
                EarlyWarning.objects.create(
                    target=target,
                    department=owner,
                    kind=EarlyWarning.Kind.OVERDUE,
                    grade=new.grade.value,
                    message=sentence,
                ),
                sentence,
            )
        )
    return raised


#: events whose job grades the plan: while one waits, the day's re-grade is not queued again
GRADING_EVENTS = (
    "new_day",
    "accounts_recomputed",
    "energy_changed",
    "observation_approved",
    "scenario_changed",
    "target_value_set",
    "land_data_changed",
)


def regrade_if_new_day() -> bool:
    """The daily re-grade (the worker's schedule calls this): a grade depends on the day too (data fall
    overdue), so once a day the job grades the plan and keeps the grades for the pages, which never do.
    Returns whether the ``new_day`` event was emitted (not when today's grades are stored, or a job that
    grades is waiting)."""
    from carbonpeak.core import jobs
    from carbonpeak.plans.selectors import current_plan

    plan = current_plan()
    if plan is None or versions.is_stored(selectors.statuses_key(plan, clock.today())):
        return False
    if jobs.queued(*GRADING_EVENTS):
        return False
    events.emit("new_day")
    return True


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


def _email(warning: EarlyWarning, message: object = None) -> None:
    """Mail the owner department when it has an address and the mail settings are configured, said in the
    languages its users read (``message``: the warning's sentence as a Message, where there is one)."""
    from carbonpeak.accounts.selectors import languages_of
    from carbonpeak.core.mail import mail_configured, send_said

    department = warning.department
    if department is None or not department.email or not mail_configured():
        return
    subject = Message(
        gettext_noop("【碳达峰预警】%(kind)s：%(subject)s"),
        kind=Message(EarlyWarning.Kind(warning.kind).label),
        subject=warning.subject_name,
    )
    if send_said(subject, message or warning.message, [department.email], languages_of(department)):
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
                obs = submit_observation(obs, user=user)
                # the grades follow once, below, not per value
                REVIEW.approve(obs, user=user, comment="示例数据", follow=False)
                count += 1
        if count:
            events.emit("observation_approved", observation_id=None)
    return count
