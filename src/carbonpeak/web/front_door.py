"""What a user owes and what waits for them, read for the front door (``/``): one row per thing owed, each
with a status tag (未填写 / 草稿 / 已报送 / 已退回 / 已通过 / 逾期), the most urgent first — the GOV.UK task list
pattern, where "not started" is never shown as "started".

Reads only, in a fixed number of queries per section whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.energy import selectors as energy
from carbonpeak.energy.models import EnergySubmission
from carbonpeak.monitoring import grading
from carbonpeak.monitoring.models import Indicator, Observation
from carbonpeak.plans.models import Role
from carbonpeak.supervision import services as supervision
from carbonpeak.supervision.models import Contribution, ProgressReport, ReportingPeriod

#: the order in which owed things are listed: what was sent back and what is late first
URGENCY = {"returned": 0, "overdue": 1, "not_started": 2, "draft": 3, "submitted": 4, "approved": 5}
LABELS = {
    **supervision.STATE_LABELS,
    "unpaid": gettext_lazy("待登记拨付"),
    "approved": gettext_lazy("已通过"),
    "not_reported": gettext_lazy("未报送"),
    "contributed": gettext_lazy("已补充"),
}
TAG = {
    "returned": "text-bg-danger",
    "overdue": "text-bg-danger",
    "not_started": "text-bg-secondary",
    "not_reported": "text-bg-secondary",
    "unpaid": "text-bg-secondary",
    "draft": "text-bg-warning",
    "submitted": "text-bg-info",
    "approved": "text-bg-success",
    "contributed": "text-bg-success",
}


@dataclass
class Owed:
    """One thing owed: what it is, its state, where to do it, and why it is urgent."""

    title: str
    state: str
    url: str
    detail: str = ""
    comment: str = ""  # a reviewer's comment on a returned record

    @property
    def label(self) -> str:
        return str(LABELS.get(self.state, self.state))

    @property
    def tag(self) -> str:
        return TAG.get(self.state, "text-bg-secondary")

    @property
    def done(self) -> bool:
        return self.state in ("submitted", "approved", "contributed")


@dataclass
class Section:
    heading: str
    rows: list[Owed] = field(default_factory=list)
    note: str = ""

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.rows if not r.done)


def _ordered(rows: list[Owed]) -> list[Owed]:
    return sorted(rows, key=lambda r: URGENCY.get(r.state, 2))


def quarter_label(year: int, quarter: int) -> str:
    """A quarter as the reader's language names it (the pure ``Period.label`` is the platform's own)."""
    return _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}


def _action_of(task) -> str:
    return task.action.title if task.action_id else ""


def _open_period() -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(is_open=True).order_by("-due_date").first()


def progress_sections(department, today: dt.date) -> list[Section]:
    """A department's progress reports of the open period: those it leads, and apart those it supports."""
    period = _open_period()
    if period is None:
        return []
    due = _("截止 %(date)s") % {"date": f"{period.due_date:%Y-%m-%d}"}
    leads = ProgressReport.objects.filter(period=period, department=department).select_related(
        "period", "task", "task__action"
    )
    led = Section(_("%(period)s · 牵头任务的进展报告（%(due)s）") % {"period": period, "due": due})
    for report in leads:
        state = supervision.board_state(report, today)
        led.rows.append(
            Owed(
                report.task.title,
                state,
                reverse("supervision:report", args=[report.pk]),
                detail=_action_of(report.task),
                comment=report.review_comment if state == "returned" else "",
            )
        )
    led.rows = _ordered(led.rows)
    supported = ProgressReport.objects.filter(
        period=period,
        task__responsibilities__department=department,
        task__responsibilities__role=Role.SUPPORT,
        task__responsibilities__suppressed=False,
    ).select_related("period", "task", "task__action", "department")
    written = set(
        Contribution.objects.filter(report__period=period, department=department).values_list(
            "report_id", flat=True
        )
    )
    helped = Section(
        _("%(period)s · 配合任务的补充情况（%(due)s）") % {"period": period, "due": due},
        note=_("由牵头部门汇总报送；请在截止前补充本部门的配合工作。"),
    )
    for report in supported.distinct():
        if report.pk in written:
            state = "contributed"
        else:
            state = "overdue" if today > period.due_date else "not_started"
        helped.rows.append(
            Owed(
                report.task.title,
                state,
                reverse("supervision:report", args=[report.pk]),
                detail=_("%(action)s · 牵头：%(lead)s")
                % {"action": _action_of(report.task), "lead": report.department.name},
            )
        )
    helped.rows = _ordered(helped.rows)
    return [s for s in (led, helped) if s.rows]


def indicator_section(department, today: dt.date) -> Section | None:
    """The indicator values a department owes: the latest period whose deadline has passed, for each
    indicator it is responsible for."""
    indicators = list(
        Indicator.objects.filter(owner=department, kind=Indicator.Kind.REPORTED).order_by("name")
    )
    if not indicators:
        return None
    observations = Observation.objects.filter(indicator__in=indicators, region=energy.city_region())
    latest: dict[tuple[int, int, int], Observation] = {}
    for obs in observations.order_by("revision", "pk"):  # the latest revision of each period
        latest[(obs.indicator_id, obs.year, obs.quarter)] = obs
    section = Section(_("应报送的指标数值"))
    for indicator in indicators:
        year, quarter = grading.latest_due_period(
            today.year,
            today.month,
            today.day,
            quarterly=indicator.frequency == Indicator.Frequency.QUARTERLY,
            due_days=indicator.due_days,
        )
        found = latest.get((indicator.pk, year, quarter))
        period = (
            _("%(year)s年") % {"year": year}
            if quarter == 4 and indicator.frequency != Indicator.Frequency.QUARTERLY
            else quarter_label(year, quarter)
        )
        state = found.status if found is not None else "overdue"
        link = indicator.targets.order_by("target__order").first()
        url = (
            reverse("monitoring:target", args=[link.target_id]) + "#report-form"
            if link is not None
            else reverse("plans:targets")
        )
        section.rows.append(
            Owed(
                indicator.name,
                state,
                url,
                detail=_("%(period)s（期末后 %(days)s 天内报送）")
                % {"period": period, "days": indicator.due_days}
                + (_("；示例数据") if found is not None and found.is_sample else ""),
                comment=found.review_comment if found is not None and state == "returned" else "",
            )
        )
    section.rows = _ordered(section.rows)
    return section


def energy_section(user, today: dt.date) -> Section | None:
    """The quarter's energy statistics a reporter owes: the city's (the statistics office) or its district's."""
    # a district's reporter owes its own region's statistics (a department's name is never a region)
    district = permissions.own_region(user)
    regions = [
        region
        for region in ([district.name] if district is not None else []) + [energy.city_region()]
        if permissions.can(user, Action.REPORT_ENERGY, region)
    ]
    regions = list(dict.fromkeys(regions))
    if not regions or permissions.can(user, Action.REVIEW):
        return None
    year, quarter = grading.latest_due_period(today.year, today.month, today.day, quarterly=True, due_days=0)
    key = f"{year}Q{quarter}"
    label = quarter_label(year, quarter)
    latest: dict[str, EnergySubmission] = {}
    for sub in EnergySubmission.objects.filter(period=key, region__in=regions).order_by("revision"):
        latest[sub.region] = sub
    section = Section(_("%(period)s能源统计报表") % {"period": label})
    for region in regions:
        sub = latest.get(region)
        state = sub.status if sub is not None else "not_reported"
        section.rows.append(
            Owed(
                f"{region} {label}",
                state,
                reverse("energy:submission", args=[sub.pk]) if sub else reverse("energy:submissions"),
                detail=_("第%(revision)s版") % {"revision": sub.revision} if sub else _("尚未上传报表"),
                comment=sub.review_comment if sub is not None and state == "returned" else "",
            )
        )
    section.rows = _ordered(section.rows)
    return section


def enterprise_sections(enterprise, today: dt.date) -> list[Section]:
    """What a key enterprise owes: this year's monitoring plan, last year's annual report and its third-party
    verification, the open period's progress on its 一企一策 (three queries, one more with a plan), and the
    quarterly progress of the key projects it carries out (two more)."""
    from carbonpeak.enterprises.models import EnterprisePlan, EnterpriseReport, MonitoringPlan, PlanProgress

    detail = reverse("enterprises:detail", args=[enterprise.pk])
    section = Section(_("%(enterprise)s · 应报送") % {"enterprise": enterprise.name})
    plan = MonitoringPlan.objects.filter(enterprise=enterprise, year=today.year).first()
    section.rows.append(
        Owed(
            _("%(year)s年监测计划") % {"year": today.year},
            plan.status if plan is not None else "not_started",
            detail,
            comment=plan.review_comment if plan is not None and plan.status == "returned" else "",
        )
    )
    year = today.year - 1
    report = EnterpriseReport.objects.filter(enterprise=enterprise, year=year).order_by("-revision").first()
    verified = report is not None and bool(report.verification_result)
    section.rows.append(
        Owed(
            _("%(year)s年度能源与碳排放报告") % {"year": year},
            report.status if report is not None else "not_started",
            reverse("enterprises:report", args=[enterprise.pk, year]),
            detail=(_("第三方核查结论已录入") if verified else _("尚未录入第三方核查结论"))
            if report
            else _("点击开始填写"),
            comment=report.review_comment if report is not None and report.status == "returned" else "",
        )
    )
    reduction = EnterprisePlan.objects.filter(enterprise=enterprise).first()
    period = _open_period()
    if reduction is not None and period is not None:
        progress = PlanProgress.objects.filter(plan=reduction, period=period).first()
        section.rows.append(
            Owed(
                _("%(period)s 一企一策进展") % {"period": period},
                progress.status if progress is not None else "not_started",
                reverse("enterprises:progress", args=[progress.pk]) if progress is not None else detail,
                detail=_("截止 %(date)s") % {"date": f"{period.due_date:%Y-%m-%d}"},
                comment=progress.review_comment
                if progress is not None and progress.status == "returned"
                else "",
            )
        )
    section.rows = _ordered(section.rows)
    projects = project_section(enterprise=enterprise)
    return [section] if projects is None else [section, projects]


def project_section(*, lead=None, enterprise=None) -> Section | None:
    """The quarterly progress owed on the key projects under way or running that a department leads, or that
    an enterprise carries out: the open reporting period's (with its due date), else the last quarter that
    has ended; one row per project."""
    from carbonpeak.projects import selectors as projects
    from carbonpeak.projects.models import KeyProject, ProjectProgress

    owned = {"lead": lead} if lead is not None else {"enterprise": enterprise}
    led = list(KeyProject.objects.filter(**owned, status__in=projects.IN_HAND).order_by("name"))
    if not led:
        return None
    quarter, due = projects.owed_quarter()
    found = {p.project_id: p for p in ProjectProgress.objects.filter(project__in=led, period=quarter)}
    section = Section(_("重点项目季度进展"))
    for project in led:
        progress = found.get(project.pk)
        state = progress.status if progress is not None else "not_started"
        section.rows.append(
            Owed(
                project.name,
                state,
                reverse("projects:detail", args=[project.pk]) + "#progress-form",
                detail=quarter_label(int(quarter[:4]), int(quarter[-1]))
                + (_("，截止 %(date)s") % {"date": f"{due:%Y-%m-%d}"} if due else "")
                + (_("；示例数据") if project.sample else ""),
                comment=progress.review_comment if progress is not None and state == "returned" else "",
            )
        )
    section.rows = _ordered(section.rows)
    return section


def award_section() -> Section | None:
    """For the 财政局: the milestones reached (by approved progress) on key projects that plan the city's
    fiscal support, with no award recorded against them yet (one query)."""
    from carbonpeak.projects.models import Milestone
    from carbonpeak.projects.money import FISCAL

    reached = (
        Milestone.objects.exclude(reached_in="")
        .filter(project__funding__source__in=FISCAL, awards__isnull=True)
        .select_related("project")
        .distinct()
        .order_by("reached_in", "project__name", "id")
    )
    rows = [
        Owed(
            f"{m.project.name} · {m.name}",
            "unpaid",
            reverse("projects:detail", args=[m.project_id]) + "#awards",
            detail=_("%(period)s 完成") % {"period": m.reached_in}
            + (_("；示例数据") if m.project.sample else ""),
        )
        for m in reached
    ]
    return Section(_("重点项目按节点拨付的财政奖补"), rows) if rows else None


def todo(user, today: dt.date) -> list[Section]:
    """Everything the user owes, section by section (empty for a user who reports nothing)."""
    sections: list[Section] = []
    department = permissions.department_of(user)
    if department is not None and not permissions.can(user, Action.REVIEW):
        sections += progress_sections(department, today)
        if (indicators := indicator_section(department, today)) is not None:
            sections.append(indicators)
        if (owed := project_section(lead=department)) is not None:
            sections.append(owed)
        if permissions.can(user, Action.RECORD_AWARD) and (awards := award_section()) is not None:
            sections.append(awards)
    if (energy := energy_section(user, today)) is not None:
        sections.append(energy)
    return sections


@dataclass
class DistrictFigures:
    """A district's own figures on its front door: the latest complete year's accounts and budget use, its
    latest sinks, and the plan's tasks the districts implement."""

    region: str
    year: int | None
    side: dict | None  # budgets.selectors.regions_side_by_side's row
    sink_year: int | None
    sink: dict | None  # sinks.selectors.district_totals's row
    tasks: list
    tasks_url: str
    sample: bool


def district_figures(district, today: dt.date) -> DistrictFigures:
    """What a district reads of itself: energy and CO2 where reported, budget use, sinks, its tasks (a fixed
    number of queries)."""
    from carbonpeak.budgets import selectors as budgets
    from carbonpeak.plans.models import Responsibility
    from carbonpeak.plans.selectors import region_plan
    from carbonpeak.sinks import selectors as sinks

    run = budgets.current_run()
    year = next(iter(budgets.complete_years(run)), None)
    side = None
    if year is not None and district.parent is not None:
        side = next(
            (
                r
                for r in budgets.regions_side_by_side(district.parent, year, run, today, only=district.name)
                if r["region"] == district.name
            ),
            None,
        )
    sink_years = sinks.years()
    sink_year = sink_years[0] if sink_years else None
    sink = None
    if sink_year is not None:
        rows = sinks.results(sink_year).filter(district=district.name)
        sink = next(iter(sinks.district_totals(rows)), None)
    plan, _region = region_plan(district)
    implementing = (
        Responsibility.objects.filter(task__plan=plan, role=Role.IMPLEMENT, suppressed=False)
        .filter(Q(department__name__startswith="各") | Q(department__name=district.name))
        .select_related("task", "task__action", "department")
        .order_by("task__action__order", "task__order")
        if plan is not None
        else Responsibility.objects.none()
    )
    implementing = list(implementing)
    tasks = list(dict.fromkeys(r.task for r in implementing))
    generic = next((r.department for r in implementing if r.department.name.startswith("各")), None)
    return DistrictFigures(
        region=district.name,
        year=year,
        side=side,
        sink_year=sink_year,
        sink=sink,
        tasks=tasks,
        tasks_url=reverse("plans:department", args=[generic.pk]) if generic else reverse("plans:matrix"),
        sample=bool(run and run.includes_sample),
    )
