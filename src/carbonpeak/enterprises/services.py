"""Writing the enterprise register: the only code that writes the enterprises app's tables.

``import_register`` reads an uploaded register and merges it (by 统一社会信用代码; a building by its name within
its enterprise) in one transaction: any error in the file and nothing is written. Every row created or
changed is audited with its values before and after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from carbonpeak.accounts import permissions
from carbonpeak.core import audit, files, limits, quotas, review, uploads
from carbonpeak.core.errors import DomainError
from carbonpeak.core.language import said
from carbonpeak.core.models import ReviewStatus
from carbonpeak.core.upload_errors import FormError

from . import mrv, workbook
from .models import (
    AcceptanceTolerance,
    Building,
    Enterprise,
    EnterprisePlan,
    EnterpriseReport,
    Milestone,
    MonitoringPlan,
    PlanProgress,
    ReportFuel,
    TwoHighProject,
)

_ENTERPRISE_FIELDS = (
    "name",
    "district",
    "industry_code",
    "sector",
    "key_energy_user",
    "ets_covered",
    "two_high",
    "data_centre",
    "pue",
    "state_owned",
    "foreign_origin",
)
_BUILDING_FIELDS = workbook.BUILDING_FIELDS[1:]  # the name identifies the building


class RegisterRejected(ValidationError):
    """The file was refused: every problem, each naming sheet, row and column."""

    def __init__(self, errors: list[FormError]):
        self.form_errors = errors
        super().__init__([str(e) for e in errors])


@dataclass
class RegisterImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    buildings_created: int = 0
    buildings_updated: int = 0

    def summary(self) -> str:
        return _(
            "企业新增 %(created)s 家、更新 %(updated)s 家、未变 %(unchanged)s 家；建筑新增 %(b_created)s 栋、更新 %(b_updated)s 栋"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "b_created": self.buildings_created,
            "b_updated": self.buildings_updated,
        }


def import_register(user, data: bytes, *, sample: bool = False) -> RegisterImport:
    """Merge an uploaded register; refuse it whole (``RegisterRejected``) when any row is wrong."""
    permissions.require(user, permissions.Action.MANAGE_ENTERPRISES)
    if (too_large := limits.refusal(limits.ENTERPRISE_REGISTER, len(data))) is not None:
        raise DomainError(too_large)
    if not sample:
        quotas.take(user, "upload")
    return _merge_register(user, data, sample=sample)


def _may_import_register(user) -> None:
    permissions.require(user, permissions.Action.MANAGE_ENTERPRISES)


@uploads.handler(
    "register",
    title="重点企业名录",
    limit=limits.ENTERPRISE_REGISTER,
    may=_may_import_register,
    back="enterprises:register",
)
def import_register_job(user, path, file_name: str, progress: uploads.Progress) -> tuple[str, str]:
    """The background job's merge of a register sent from the page: what changed, or every reason
    nothing was written."""
    _may_import_register(user)
    progress(10, "读取名录并逐行校验")
    result = _merge_register(user, path.read_bytes(), sample=False)
    return "名录已导入：" + result.summary(), reverse("enterprises:register")


def _merge_register(user, data: bytes, *, sample: bool) -> RegisterImport:
    parsed = workbook.read_register(data)
    known = set(
        Enterprise.objects.filter(credit_code__in={b.credit_code for b in parsed.buildings}).values_list(
            "credit_code", flat=True
        )
    )
    in_file = {e.credit_code for e in parsed.enterprises}
    for b in parsed.buildings:
        if b.credit_code not in in_file and b.credit_code not in known:
            parsed.errors.append(
                FormError(
                    workbook.BUILDINGS_SHEET,
                    b.row,
                    "A列（统一社会信用代码）",
                    f"企业“{b.credit_code}”不在名录中：请先在“{workbook.REGISTER_SHEET}”登记",
                )
            )
    if parsed.errors:
        raise RegisterRejected(parsed.errors)
    result = RegisterImport()
    with transaction.atomic():
        existing = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=in_file)}
        by_code: dict[str, Enterprise] = {}
        for row in parsed.enterprises:
            values = {f: getattr(row, f) for f in _ENTERPRISE_FIELDS}
            enterprise, change = _merge_row(
                user,
                existing.get(row.credit_code),
                lambda row=row, values=values: Enterprise(
                    credit_code=row.credit_code, sample=sample, **values
                ),
                values,
            )
            result.created += change == "created"
            result.updated += change == "updated"
            result.unchanged += change == "unchanged"
            by_code[row.credit_code] = enterprise
        missing = {b.credit_code for b in parsed.buildings} - set(by_code)
        by_code.update({e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=missing)})
        buildings = {
            (b.enterprise_id, b.name): b
            for b in Building.objects.filter(
                enterprise__in=[by_code[b.credit_code] for b in parsed.buildings]
            )
        }
        for row in parsed.buildings:
            enterprise = by_code[row.credit_code]
            values = {f: getattr(row, f) for f in _BUILDING_FIELDS}
            _record, change = _merge_row(
                user,
                buildings.get((enterprise.pk, row.name)),
                lambda enterprise=enterprise, row=row, values=values: Building(
                    enterprise=enterprise, name=row.name, **values
                ),
                values,
            )
            result.buildings_created += change == "created"
            result.buildings_updated += change == "updated"
    return result


def _merge_row(user, existing, make, values: dict):
    """Create the row (``make()``) or update ``existing`` with ``values``, auditing what changed; returns the
    row and 'created', 'updated' or 'unchanged'."""
    if existing is None:
        row = make()
        row.save()
        audit.record(user, audit.Action.CREATE, row, after=audit.snapshot(row))
        return row, "created"
    if all(getattr(existing, f) == v for f, v in values.items()):
        return existing, "unchanged"
    before = audit.snapshot(existing)
    for f, v in values.items():
        setattr(existing, f, v)
    existing.save()
    audit.record(user, audit.Action.UPDATE, existing, before=before, after=audit.snapshot(existing))
    return existing, "updated"


def set_acceptance_tolerance(user, value_pct: float, source: str) -> AcceptanceTolerance:
    """Enter the 验收 tolerance with the document it comes from (no public source gives one)."""
    permissions.require(user, permissions.Action.MANAGE_ENTERPRISES)
    source = (source or "").strip()
    if not source:
        raise DomainError(_("请填写容许偏差的依据文件（文号或名称）"))
    if not 0 <= value_pct <= 100:
        raise DomainError(_("容许偏差须在 0 至 100（%）之间"))
    entry = AcceptanceTolerance.objects.create(value_pct=value_pct, source=source[:300], entered_by=user)
    audit.record(user, audit.Action.CREATE, entry, after=audit.snapshot(entry))
    return entry


def create_project(user, *, enterprise: Enterprise | None, sample: bool = False, **fields) -> TwoHighProject:
    """Put a project on the 两高 list (the admin edits it afterwards, audited the same way)."""
    permissions.require(user, permissions.Action.MANAGE_ENTERPRISES)
    project = TwoHighProject(enterprise=enterprise, sample=sample, **fields)
    project.full_clean()
    project.save()
    audit.record(user, audit.Action.CREATE, project, after=audit.snapshot(project))
    return project


# ------------------------------------------------------------------ annual reports (MRV)

MONITORING_PLAN_FIRST = gettext_lazy("须先有本年度经审核的监测计划（本平台规则：先监测计划、后报告、再核查）")
VERIFIED_FIRST = gettext_lazy("须先录入第三方核查结论“通过”才能审核通过（本平台规则）")


@transaction.atomic
def save_monitoring_plan(user, enterprise: Enterprise, year: int, content: str) -> MonitoringPlan:
    permissions.require(user, permissions.Action.REPORT_ENTERPRISE, enterprise)
    content = (content or "").strip()
    if not content:
        raise DomainError(_("请填写监测计划内容"))
    if len(content) > 20_000:
        raise DomainError(_("监测计划内容不超过 20000 字"))
    plan = MonitoringPlan.objects.filter(enterprise=enterprise, year=year).first()
    if plan is None:
        plan = MonitoringPlan.objects.create(enterprise=enterprise, year=year, content=content)
        audit.record(user, audit.Action.CREATE, plan, after=audit.snapshot(plan))
        return plan
    plan = PLAN_REVIEW.lock(plan)
    PLAN_REVIEW.require_editable(plan)
    before = audit.snapshot(plan)
    plan.content = content
    plan.save()
    audit.record(user, audit.Action.UPDATE, plan, before=before, after=audit.snapshot(plan))
    return plan


PLAN_REVIEW = review.Lifecycle(
    MonitoringPlan,
    may_submit=lambda user, plan: permissions.require(
        user, permissions.Action.REPORT_ENTERPRISE, plan.enterprise
    ),
    may_review=lambda user, plan: permissions.require(user, permissions.Action.REVIEW),
)


submit_monitoring_plan, approve_monitoring_plan, return_monitoring_plan = PLAN_REVIEW.moves()


def _number(value, label: str) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = float(str(value).replace(",", ""))
    except ValueError as exc:
        raise DomainError(_("%(label)s“%(value)s”不是数字") % {"label": label, "value": value}) from exc
    if not number >= 0 or number == float("inf"):
        raise DomainError(_("%(label)s须为不小于0的数字") % {"label": label})
    return number


def clean_fuel_lines(fuels: list[dict]) -> list[dict]:
    """A form's fuel lines checked against the catalogue (name, unit, quantity, use), every problem at once;
    the enterprise reports and the projects' declarations read them the same way."""
    from carbonpeak.energy import catalog
    from carbonpeak.energy.catalog import UnknownName
    from carbonpeak.energy.terms import catalogue_name

    out, problems = [], []
    for i, line in enumerate(fuels, start=1):
        name = catalogue_name(str(line.get("fuel") or ""))
        if not name and not str(line.get("quantity") or "").strip():
            continue  # an empty row of the form
        try:
            fuel = catalog.resolve_fuel(name)
            if fuel.family == catalog.ELECTRICITY:
                raise UnknownName(_("电力请填在外购、外供、自发电量中，不作为能源品种行"))
            unit = catalogue_name(str(line.get("unit") or ""))
            catalog.parse_unit(unit)
            quantity = _number(line.get("quantity"), _("第%(row)s行实物量") % {"row": i})
            if quantity is None:
                raise DomainError(
                    _("第%(row)s行%(fuel)s：实物量为空（确为零请填 0）") % {"row": i, "fuel": fuel.name}
                )
            use = str(line.get("use") or "燃料").strip()
            if use not in ("燃料", "原料"):
                raise DomainError(
                    _("第%(row)s行%(fuel)s：用途须为“燃料”或“原料”") % {"row": i, "fuel": fuel.name}
                )
            out.append(
                {
                    "fuel": fuel.name,
                    "unit": unit,
                    "quantity": quantity,
                    "reported_tce": _number(line.get("reported_tce"), _("第%(row)s行折标准煤") % {"row": i}),
                    "use": use,
                }
            )
        except UnknownName as exc:
            problems.append(_("第%(row)s行：%(problem)s") % {"row": i, "problem": exc})
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise DomainError(problems)
    return out


REPORT_NUMBERS = {
    "output_value": gettext_lazy("工业总产值"),
    "value_added": gettext_lazy("增加值"),
    "electricity_bought_kwh": gettext_lazy("外购电量"),
    "electricity_sold_kwh": gettext_lazy("外供电量"),
    "electricity_generated_kwh": gettext_lazy("自发电量"),
}


@transaction.atomic
def save_report(user, enterprise: Enterprise, year: int, *, fuels: list[dict], **values) -> EnterpriseReport:
    """Save the year's report as a draft: the latest revision while it is a draft or returned, a new revision
    once the latest is approved (the approved one is kept as it was). Nothing is saved on any error."""
    permissions.require(user, permissions.Action.REPORT_ENTERPRISE, enterprise)
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("年份不正确"))
    from carbonpeak.energy import catalog

    problems: list[str] = []  # every problem of the form at once, not the first one only
    numbers: dict[str, float | None] = {}
    for field, label in REPORT_NUMBERS.items():
        try:
            numbers[field] = _number(values.get(field), label)
        except ValidationError as exc:
            problems.extend(exc.messages)
    from carbonpeak.energy.terms import catalogue_name

    compliance = str(values.get("ets_compliance") or "")
    if compliance and compliance not in ("complied", "not_complied"):
        problems.append(_("全国碳市场履约情况须为“已按期履约”或“未按期履约”"))
    elif compliance and not enterprise.ets_covered:
        problems.append(_("该企业未纳入全国碳市场，无需填写履约情况"))
    source = catalogue_name(str(values.get("generation_source") or ""))
    if source:
        try:
            source = catalog.resolve_source(source).name
        except catalog.UnknownName as exc:
            problems.append(str(exc))
    try:
        lines = clean_fuel_lines(fuels)
    except ValidationError as exc:
        problems.extend(exc.messages)
    if problems:
        raise DomainError(problems)
    latest = EnterpriseReport.objects.filter(enterprise=enterprise, year=year).order_by("-revision").first()
    if latest is not None and latest.status != ReviewStatus.APPROVED:  # an approved one gets a new revision
        REPORT_REVIEW.require_editable(latest)
    before = None
    if latest is None or latest.status == ReviewStatus.APPROVED:
        report = EnterpriseReport(
            enterprise=enterprise, year=year, revision=(latest.revision + 1) if latest else 1
        )
    else:
        report = latest
        before = {**audit.snapshot(report), "fuels": [fuel_dict(f) for f in report.fuels.all()]}
    for field, number in numbers.items():
        setattr(report, field, number)
    report.generation_source = source
    report.ets_compliance = compliance
    report.save()
    report.fuels.all().delete()
    ReportFuel.objects.bulk_create(ReportFuel(report=report, **line) for line in lines)
    after = {**audit.snapshot(report), "fuels": lines}
    audit.record(
        user, audit.Action.UPDATE if before else audit.Action.CREATE, report, before=before, after=after
    )
    return report


def fuel_dict(f: ReportFuel) -> dict:
    return {
        "fuel": f.fuel,
        "unit": f.unit,
        "quantity": f.quantity,
        "reported_tce": f.reported_tce,
        "use": f.use,
    }


def report_input(report: EnterpriseReport) -> mrv.ReportInput:
    return mrv.ReportInput(
        code=report.enterprise.credit_code,
        sector=report.enterprise.sector,
        year=report.year,
        fuels=tuple(mrv.FuelLine(f.fuel, f.unit, f.quantity, f.use) for f in report.fuels.all()),
        bought_kwh=report.electricity_bought_kwh,
        sold_kwh=report.electricity_sold_kwh,
        generated_kwh=report.electricity_generated_kwh,
        generation_source=report.generation_source,
    )


def report_figures(report: EnterpriseReport) -> mrv.ReportFigures:
    """The report's energy and CO2 by the city's default factor set (ValidationError listing what cannot
    be accounted)."""
    from carbonpeak.energy.accounting import AccountingError
    from carbonpeak.energy.selectors import official_factors

    try:
        return mrv.figures(report_input(report), official_factors())
    except AccountingError as exc:
        raise DomainError([said(p) for p in exc.problems]) from exc


def _report_ready(report: EnterpriseReport) -> None:
    plan = MonitoringPlan.objects.filter(enterprise=report.enterprise, year=report.year).first()
    if plan is None or plan.status != ReviewStatus.APPROVED:
        raise DomainError(MONITORING_PLAN_FIRST)
    if report.electricity_bought_kwh is None or report.electricity_sold_kwh is None:
        raise DomainError(_("外购电量、外供电量均须填写（没有则填 0）"))
    report_figures(report)  # refuses what the engine cannot account


def _verified(report: EnterpriseReport) -> None:
    if report.verification_result != "通过":
        raise DomainError(VERIFIED_FIRST)


def _keep_figures(report: EnterpriseReport, user) -> None:
    """An approved report keeps its figures as the city's engine gives them today."""
    figures = report_figures(report)
    report.energy_tce, report.energy_tce_equivalent = figures.energy_tce, figures.energy_tce_equivalent
    report.terminal_tce = figures.terminal_tce
    report.electricity_kwh, report.co2_direct_t, report.co2_t = (
        figures.electricity_kwh,
        figures.co2_direct_t,
        figures.co2_t,
    )
    report.factor_set, report.computed_missing = figures.factor_set, figures.missing
    report.save(update_fields=[*FIGURE_FIELDS, "updated_at"])


def follow_official_factors() -> int:
    """When the official factor set is not the one an approved report was computed on, the report's figures
    are computed again on it and kept beside the approved ones (``official_basis``), never over them; a
    report back on its own set has none. Returns how many reports have a computation beside them."""
    from carbonpeak.energy.accounting import AccountingError
    from carbonpeak.energy.selectors import official_factors

    factors = official_factors()
    beside = 0
    approved = EnterpriseReport.objects.filter(status=ReviewStatus.APPROVED).select_related("enterprise")
    for report in approved.prefetch_related("fuels"):
        if report.factor_set == factors.label:
            if report.official_basis:
                report.official_basis = {}
                report.save(update_fields=["official_basis"])
            continue
        try:
            f = mrv.figures(report_input(report), factors)
        except AccountingError as exc:
            basis = {"factor_set": factors.label, "problems": list(exc.problems)[:20]}
        else:
            basis = {
                "factor_set": f.factor_set,
                "energy_tce": f.energy_tce,
                "energy_tce_equivalent": f.energy_tce_equivalent,
                "terminal_tce": f.terminal_tce,
                "electricity_kwh": f.electricity_kwh,
                "co2_direct_t": f.co2_direct_t,
                "co2_t": f.co2_t,
                "missing": f.missing,
            }
        basis["computed_at"] = timezone.now().isoformat()
        report.official_basis = basis
        report.save(update_fields=["official_basis"])
        beside += 1
    return beside


FIGURE_FIELDS = (
    "energy_tce",
    "energy_tce_equivalent",
    "terminal_tce",
    "electricity_kwh",
    "co2_direct_t",
    "co2_t",
    "factor_set",
    "computed_missing",
)

REPORT_REVIEW = review.Lifecycle(
    EnterpriseReport,
    may_submit=lambda user, r: permissions.require(user, permissions.Action.REPORT_ENTERPRISE, r.enterprise),
    may_review=lambda user, r: permissions.require(user, permissions.Action.REVIEW),
    ready=_report_ready,
    approvable=_verified,
    on_approved=_keep_figures,
)


# an approved report is verified and keeps its figures as the city's engine gives them today
submit_report, approve_report, return_report = REPORT_REVIEW.moves()


@transaction.atomic
def record_verification(
    user,
    report: EnterpriseReport,
    *,
    verifier: str,
    result: str,
    reference: str,
    file: tuple[str, bytes] | None = None,
) -> EnterpriseReport:
    """The third-party verification (核查) of a submitted report: who verified, the conclusion, the report no.
    and, when given, the verification report itself (a PDF, checked by its content, ≤ 10 MB)."""
    permissions.require(user, permissions.Action.REVIEW)
    if report.status != ReviewStatus.SUBMITTED:
        raise DomainError(_("只能为已报送的报告录入核查结论"))
    verifier, reference = (verifier or "").strip(), (reference or "").strip()
    if not verifier or result not in ("通过", "不通过"):
        raise DomainError(_("请填写核查机构，并选择核查结论“通过”或“不通过”"))
    fields = ("verifier", "verification_result", "verification_reference", "verification_file_name")
    before = audit.snapshot(report, fields)
    if file is not None:
        name, data = file
        if (too_large := limits.refusal(limits.VERIFICATION, len(data))) is not None:
            raise DomainError(too_large)
        if not data.startswith(b"%PDF-"):
            raise DomainError(_("核查报告须为 PDF 文件（按文件内容判断）"))
        digest = hashlib.sha256(data).hexdigest()
        files.keep(files.VERIFICATION, digest, data, replace=False)
        report.verification_file_name = Path(name).name[:200] or "核查报告.pdf"
        report.verification_file_sha256 = digest
    report.verifier, report.verification_result = verifier[:200], result
    report.verification_reference, report.verified_at = reference[:100], timezone.now()
    report.save(
        update_fields=[
            "verifier",
            "verification_result",
            "verification_reference",
            "verified_at",
            "verification_file_name",
            "verification_file_sha256",
            "updated_at",
        ]
    )
    audit.record(
        user,
        audit.Action.UPDATE,
        report,
        before=before,
        after=audit.snapshot(report, fields),
        comment=gettext_noop("第三方核查"),  # the platform's own words, shown translated
    )
    return report


# ------------------------------------------------------------------ 一企一策


def _parse_milestones(lines: list[tuple[str, str]]) -> list[tuple[str, dt.date]]:
    """The measures with their dates; a refusal names each line's field (``measure-N`` / ``due-N``, N from 0)."""
    out, problems = [], {}
    for i, (measure, due) in enumerate(lines):
        measure = (measure or "").strip()
        if not measure and not (due or "").strip():
            continue
        try:
            date = dt.date.fromisoformat((due or "").strip())
        except ValueError:
            problems[f"due-{i}"] = [
                _("第%(n)s项措施“%(measure)s”：完成时限应为日期，如 2025-12-31")
                % {"n": i + 1, "measure": measure[:20]}
            ]
            continue
        if not measure:
            problems[f"measure-{i}"] = [_("第%(n)s项：措施内容为空") % {"n": i + 1}]
            continue
        out.append((measure[:300], date))
    if problems:
        raise DomainError(problems)
    if not out:
        raise DomainError({"measure-0": _("请至少填写一项措施及其完成时限")})
    return out


@transaction.atomic
def create_reduction_plan(
    user, enterprise: Enterprise, *, title: str, goal: str, milestones: list[tuple[str, str]]
) -> EnterprisePlan:
    """一企一策 for a key enterprise: measures with dates; progress on it is due in every open quarter."""
    from carbonpeak.supervision.models import ReportingPeriod

    permissions.require(user, permissions.Action.MANAGE_ENTERPRISES)
    if hasattr(enterprise, "reduction_plan"):
        raise DomainError(_("%(enterprise)s已有一企一策方案") % {"enterprise": enterprise.name})
    title = (title or "").strip()[:200]
    if not title:
        raise DomainError({"title": _("请填写方案名称")})
    steps = _parse_milestones(milestones)
    plan = EnterprisePlan.objects.create(
        enterprise=enterprise, title=title, goal=(goal or "")[:5000], created_by=user
    )
    Milestone.objects.bulk_create(Milestone(plan=plan, measure=m, due_date=d) for m, d in steps)
    audit.record(
        user,
        audit.Action.CREATE,
        plan,
        after={**audit.snapshot(plan), "milestones": [m for m, _due in steps]},
    )
    for period in ReportingPeriod.objects.filter(is_open=True):
        PlanProgress.objects.get_or_create(plan=plan, period=period)
    return plan


def open_progress(period) -> int:
    """A quarter opened: a draft progress report for every enterprise's plan (called by the period's opening)."""
    plans = EnterprisePlan.objects.exclude(progress__period=period)
    made = PlanProgress.objects.bulk_create(PlanProgress(plan=plan, period=period) for plan in plans)
    return len(made)


@transaction.atomic
def save_progress(
    user,
    progress: PlanProgress,
    *,
    narrative: str,
    milestones_done: list[int],
    pue: str | float | None = None,
) -> PlanProgress:
    permissions.require(user, permissions.Action.REPORT_ENTERPRISE, progress.plan.enterprise)
    progress = PROGRESS_REVIEW.lock(progress)
    PROGRESS_REVIEW.require_editable(progress)
    valid = set(progress.plan.milestones.values_list("id", flat=True))
    if any(m not in valid for m in milestones_done):
        raise DomainError(_("所选措施不属于本方案"))
    try:
        value = _number(pue, "PUE")
    except DomainError as exc:
        raise DomainError({"pue": exc.messages}) from None
    if value is not None and not 1.0 <= value <= 5.0:
        raise DomainError({"pue": _("PUE 须在 1 至 5 之间")})
    before = audit.snapshot(progress, ("narrative", "milestones_done", "pue"))
    progress.narrative, progress.milestones_done, progress.pue = (
        (narrative or "")[:5000],
        sorted(milestones_done),
        value,
    )
    progress.save()
    audit.record(
        user,
        audit.Action.UPDATE,
        progress,
        before=before,
        after=audit.snapshot(progress, ("narrative", "milestones_done", "pue")),
    )
    return progress


def _progress_period_open(progress: PlanProgress) -> None:
    if not progress.period.is_open:
        raise DomainError(
            _("%(period)s已关闭，一企一策进展已冻结，不能再修改") % {"period": progress.period},
            code="period_closed",
        )


def _progress_ready(progress: PlanProgress) -> None:
    if not progress.narrative.strip():
        raise DomainError(_("请填写进展情况"))
    if progress.plan.enterprise.data_centre and progress.pue is None:
        raise DomainError(_("数据中心须填报本期实测 PUE"))


def _mark_milestones_done(progress: PlanProgress, user) -> None:
    """The measures reported done are marked done as of the period's end."""
    end = progress.period.due_date
    Milestone.objects.filter(pk__in=progress.milestones_done, done_on__isnull=True).update(done_on=end)


PROGRESS_REVIEW = review.Lifecycle(
    PlanProgress,
    may_submit=lambda user, p: permissions.require(
        user, permissions.Action.REPORT_ENTERPRISE, p.plan.enterprise
    ),
    may_review=lambda user, p: permissions.require(user, permissions.Action.REVIEW),
    period_open=_progress_period_open,
    ready=_progress_ready,
    on_approved=_mark_milestones_done,
)


submit_progress, approve_progress, return_progress = PROGRESS_REVIEW.moves()


def read_verification_file(user, report: EnterpriseReport) -> bytes:
    """The stored verification report, for those who may see the enterprise."""
    from django.http import Http404

    permissions.require(user, permissions.Action.VIEW_ENTERPRISE, report.enterprise)
    digest = report.verification_file_sha256
    data = files.read(files.VERIFICATION, digest) if digest else None
    if data is None:
        raise Http404(gettext_lazy("核查报告文件不在存储中（可能未随数据库一并恢复），请联系管理员"))
    return data
