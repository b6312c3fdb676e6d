"""Every write to the key-project register: a project registered, a type's full-load hours entered, a
quarter's progress saved and moved through the shared review lifecycle. Each checks permission, validates
(a clear message per field, nothing written when refused), writes and audits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, events, limits, quotas, review, upload_errors, uploads
from carbonpeak.core.errors import DomainError
from carbonpeak.core.http import MAX_ID
from carbonpeak.core.numbers import NumberError, as_int, parse_float, parse_int
from carbonpeak.core.periods import InvalidPeriod, parse_period
from carbonpeak.energy import catalog
from carbonpeak.projects import money, workbook
from carbonpeak.projects.models import (
    AwardPayment,
    FullLoadHoursInput,
    Funding,
    FundingSource,
    Investment,
    KeyProject,
    Milestone,
    ProgressSaving,
    ProjectKind,
    ProjectProgress,
    ProjectSaving,
    ProjectStatus,
)

YEARS = (2020, 2035)  # the plan's horizon and the projection's: a project's years fall within it


@dataclass
class ProjectForm:
    """What a page, the API or an import gives to register a project (text as typed)."""

    name: str
    kind: str
    lead: object  # departments.Department
    tasks: list = None  # plans.Task
    district: object = None  # core.Region
    enterprise: object = None  # enterprises.Enterprise
    esco: str = ""
    start_date: dt.date | None = None
    completion_date: dt.date | None = None
    status: str = ProjectStatus.PLANNED
    capacity_kw: object = None
    description: str = ""
    savings: list[tuple[str, object, str]] = None  # (fuel, quantity as typed, unit)
    investments: list[tuple[object, object, object]] = None  # (year, planned, actual) as typed, 万元
    funding: list[tuple[object, str, object, str]] = None  # (year, source, amount, institution)
    milestones: list[tuple[str, dt.date | None]] = None
    sample: bool = False


def _text(value, limit: int) -> str:
    """Free text as typed, trimmed and bounded (exports make it inert where they write it)."""
    return str(value or "").strip()[:limit]


def _number(problems: dict, field: str, text, what: str, low: float | None = 0) -> float | None:
    try:
        return parse_float(text, what=what, low=low)
    except NumberError as exc:
        problems.setdefault(field, []).append(str(exc))
        return None


def _year(problems: dict, field: str, text) -> int | None:
    try:
        year = parse_int(text, what=_("年份"), low=YEARS[0], high=YEARS[1])
    except NumberError as exc:
        problems.setdefault(field, []).append(str(exc))
        return None
    if year is None:
        problems.setdefault(field, []).append(_("请填写年份"))
    return year


def _quantities(
    problems: dict, rows, prefix: str, what: str, *, required: bool = False
) -> list[tuple[str, float | None, str]]:
    """Rows of (fuel, quantity, unit) as typed, read against the energy catalogue: each problem under
    ``{prefix}-{i}``; a row left wholly empty is skipped, a quantity left empty is 未填 (refused when
    ``required``). ``what`` names the quantity (with %(fuel)s)."""
    found = []
    for i, (fuel, quantity, unit) in enumerate(rows or []):
        if not str(fuel or "").strip() and not str(quantity or "").strip():
            continue
        field = f"{prefix}-{i}"
        try:
            resolved = catalog.resolve_fuel(str(fuel))
            scale = catalog.parse_unit(str(unit))
        except catalog.UnknownName as exc:
            problems.setdefault(field, []).append(str(exc))
            continue
        if scale.dimension != resolved.dimension:
            problems.setdefault(field, []).append(
                _("%(fuel)s不能以“%(unit)s”计量") % {"fuel": _(resolved.name), "unit": unit}
            )
            continue
        value = _number(problems, field, quantity, what % {"fuel": _(resolved.name)})
        if required and value is None and field not in problems:
            problems[field] = [
                _("请填写%(what)s，或删去这一行") % {"what": what % {"fuel": _(resolved.name)}}
            ]
        found.append((resolved.name, value, scale.name))
    return found


def _checked(form: ProjectForm) -> tuple[dict, dict]:
    """The form's values read and checked: (values, problems by field)."""
    problems: dict[str, list[str]] = {}
    name = " ".join(str(form.name or "").split())
    if not name:
        problems["name"] = [_("请填写项目名称")]
    elif len(name) > 200:
        problems["name"] = [_("项目名称不超过200字")]
    if form.kind not in ProjectKind.values:
        problems["kind"] = [_("请选择项目类型")]
    if form.status not in ProjectStatus.values:
        problems["status"] = [_("请选择项目状态")]
    if form.kind == ProjectKind.EMC and not str(form.esco or "").strip():
        problems["esco"] = [_("合同能源管理项目须写明节能服务公司")]
    if form.start_date and form.completion_date and form.completion_date < form.start_date:
        problems["completion_date"] = [_("建成日期不能早于开工日期")]
    capacity = _number(problems, "capacity_kw", form.capacity_kw, _("装机容量"))
    savings = _quantities(problems, form.savings, "saving", _("%(fuel)s的年节约量"))
    investments = {}
    for i, (year, planned, actual) in enumerate(form.investments or []):
        if not any(str(v or "").strip() for v in (year, planned, actual)):
            continue
        field = f"investment-{i}"
        y = _year(problems, field, year)
        if y is not None and y in investments:
            problems.setdefault(field, []).append(_("%(year)s年的投资已填写过一行") % {"year": y})
        investments[y] = (
            _number(problems, field, planned, _("计划投资")),
            _number(problems, field, actual, _("完成投资")),
        )
    funding = []
    for i, (year, source, amount, institution) in enumerate(form.funding or []):
        if not any(str(v or "").strip() for v in (year, amount, institution)):
            continue
        field = f"funding-{i}"
        y = _year(problems, field, year)
        if source not in FundingSource.values:
            problems.setdefault(field, []).append(_("请选择资金来源"))
        funding.append((y, source, _number(problems, field, amount, _("金额")), _text(institution, 200)))
    milestones = [(_text(n, 200), d) for n, d in (form.milestones or []) if str(n or "").strip()]
    values = {
        "name": name,
        "capacity_kw": capacity,
        "savings": savings,
        "investments": investments,
        "funding": funding,
        "milestones": milestones,
    }
    return values, problems


@transaction.atomic
def register_project(user, form: ProjectForm) -> KeyProject:
    """A project in the register, with its physical size, money and milestones; its lead department (or
    the coordinator) registers it. Refused whole, naming each field, when anything is wrong."""
    permissions.require(user, Action.REPORT_KEY_PROJECT, form.lead)
    values, problems = _checked(form)
    if problems:
        raise DomainError(problems)
    project = _create(user, form, values)
    events.emit("key_projects_changed")
    return project


def _facts(form: ProjectForm, values: dict) -> dict:
    """The project's own fields as checked."""
    return {
        "name": values["name"],
        "kind": form.kind,
        "lead": form.lead,
        "district": form.district,
        "enterprise": form.enterprise,
        "esco": _text(form.esco, 200),
        "start_date": form.start_date,
        "completion_date": form.completion_date,
        "status": form.status,
        "capacity_kw": values["capacity_kw"],
        "description": _text(form.description, 4000),
    }


def _write_rows(project: KeyProject, form: ProjectForm, values: dict) -> None:
    """Its tasks and its rows of savings, investment and funding as the form gives them; its milestones added
    (one already there by that name is kept as it is, with the quarter it was reached in)."""
    project.tasks.set(form.tasks or [])
    ProjectSaving.objects.bulk_create(
        ProjectSaving(project=project, fuel=f, quantity=q, unit=u) for f, q, u in values["savings"]
    )
    Investment.objects.bulk_create(
        Investment(project=project, year=y, planned=p, actual=a)
        for y, (p, a) in values["investments"].items()
    )
    Funding.objects.bulk_create(
        Funding(project=project, year=y, source=s, amount=a, institution=i)
        for y, s, a, i in values["funding"]
    )
    have = set(project.milestones.values_list("name", flat=True))
    Milestone.objects.bulk_create(
        Milestone(project=project, name=n, due_date=d) for n, d in values["milestones"] if n not in have
    )


def _create(user, form: ProjectForm, values: dict) -> KeyProject:
    """The project and its rows written, as checked, and audited (the caller holds the transaction)."""
    project = KeyProject.objects.create(
        **_facts(form, values),
        sample=form.sample,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _write_rows(project, form, values)
    audit.record(user, audit.Action.CREATE, project, after=audit.snapshot(project))
    return project


@transaction.atomic
def update_project(user, project: KeyProject, form: ProjectForm) -> KeyProject:
    """A project's facts corrected or moved on — its status (谋划 → 在建 → 投运), dates, size, money — by its
    lead department or the coordinator (handing it to another lead takes both). Its rows of savings,
    investment and funding become the form's; milestones given are added. Refused whole, naming each field;
    the audit log keeps what it was."""
    permissions.require(user, Action.REPORT_KEY_PROJECT, project.lead)
    permissions.require(user, Action.REPORT_KEY_PROJECT, form.lead)
    values, problems = _checked(form)
    if problems:
        raise DomainError(problems)
    project = KeyProject.objects.select_for_update().get(pk=project.pk)
    before = audit.snapshot(project)
    for name, value in _facts(form, values).items():
        setattr(project, name, value)
    project.save()
    project.savings.all().delete()
    project.investments.all().delete()
    project.funding.all().delete()
    _write_rows(project, form, values)
    audit.record(user, audit.Action.UPDATE, project, before=before, after=audit.snapshot(project))
    events.emit("key_projects_changed")
    return project


# ------------------------------------------------------------------ the register from Excel


@dataclass
class ImportResult:
    saved: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def may_import(user) -> None:
    """Who may send a register file: the coordinator, or a department that may register its own projects
    (each row's lead is checked again once the file is read)."""
    if not (
        permissions.can(user, Action.REVIEW)
        or permissions.can(user, Action.REPORT_KEY_PROJECT, permissions.department_of(user))
    ):
        raise PermissionDenied(permissions.MESSAGES[Action.REPORT_KEY_PROJECT])


def template(*, say=str) -> bytes:
    """The register's Excel form, its choices in the words the importer reads (Chinese, as the sheet is)."""
    kinds, statuses, sources = (list(_choices(c)) for c in (ProjectKind, ProjectStatus, FundingSource))
    return workbook.template_bytes(kinds, statuses, sources, say=say)


def import_projects(user, data: bytes) -> ImportResult:
    """A register file given whole and read now: any error refuses the whole file, naming sheet, row and
    column; a row led by a department the user may not register for refuses it too (403); nothing is
    written unless every project is good. The page hands its file to the background worker."""
    may_import(user)
    if (too_large := limits.refusal(limits.KEY_PROJECTS, len(data))) is not None:
        return ImportResult(errors=[too_large])
    quotas.take(user, "upload")
    return _import(user, data)


@uploads.handler(
    "key_projects", title="重点项目表", limit=limits.KEY_PROJECTS, may=may_import, back="projects:index"
)
def import_projects_job(user, path, file_name: str, progress: uploads.Progress) -> tuple[str, str]:
    """The background job's reading of a register file sent from the page."""
    may_import(user)
    progress(10, "读取项目表并逐行校验")
    result = _import(user, path.read_bytes())
    if not result.ok:
        raise DomainError(result.errors)
    return f"已接收 {file_name}：登记重点项目 {result.saved} 个", reverse("projects:index")


def _choices(choices) -> dict[str, str]:
    """A choice's words as the sheet holds them (Chinese), each to the register's value: what the template
    offers and the importer reads."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices.choices}


def _import(user, data: bytes) -> ImportResult:
    """(Long: one pass resolves every name the file gives against the register, each refusal naming its
    cell, before anything is written; splitting it would pass the lookups around.)"""
    from carbonpeak.core.models import Region
    from carbonpeak.departments.models import Department
    from carbonpeak.enterprises.models import Enterprise
    from carbonpeak.plans.selectors import current_plan

    parsed = workbook.read_projects(
        data,
        kinds=_choices(ProjectKind),
        statuses=_choices(ProjectStatus),
        sources=_choices(FundingSource),
        years=YEARS,
    )
    if parsed.errors:
        return ImportResult(errors=[str(e) for e in parsed.errors])
    errors: list[workbook.FormError] = []
    P = workbook.PROJECTS

    def wrong(sheet: str, row: int, header: str | None, message: str) -> None:
        errors.append(workbook.FormError(sheet, row, header and workbook.column(sheet, header), message))

    departments = {}
    for department in Department.objects.all():
        departments[department.name] = department
        if department.short_name:
            departments.setdefault(department.short_name, department)
    plan = current_plan()
    tasks = {t.label: t for t in plan.tasks.select_related("action", "section")} if plan else {}
    districts = {r.name: r for r in Region.objects.filter(level="区镇")}
    codes = {p["实施企业统一社会信用代码"] for p in (x.values for x in parsed.projects)} - {""}
    enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    taken = set(
        KeyProject.objects.filter(name__in=[p.values["项目名称"] for p in parsed.projects]).values_list(
            "name", flat=True
        )
    )
    forms: list[tuple[workbook.ProjectRows, ProjectForm, dict]] = []
    foreign: set[str] = set()
    for project in parsed.projects:
        v, row = project.values, project.row
        if v["项目名称"] in taken:
            wrong(P, row, "项目名称", "项目库中已有同名项目；修改请在该项目的页面进行")
        lead = departments.get(v["牵头部门"])
        if lead is None:
            wrong(P, row, "牵头部门", f"“{v['牵头部门'][:50]}”不是平台中的部门或单位")
        elif not permissions.can(user, Action.REPORT_KEY_PROJECT, lead):
            foreign.add(lead.name)
        chosen = []
        for label in filter(None, (t.strip() for t in _split(v["方案任务"]))):
            if label in tasks:
                chosen.append(tasks[label])
            else:
                wrong(P, row, "方案任务", f"方案中没有编号为“{label[:20]}”的任务")
        district = districts.get(v["所在区镇"]) if v["所在区镇"] else None
        if v["所在区镇"] and district is None:
            wrong(P, row, "所在区镇", f"“{v['所在区镇'][:50]}”不是平台中的区镇")
        code = v["实施企业统一社会信用代码"]
        enterprise = enterprises.get(code) if code else None
        if code and enterprise is None:
            wrong(P, row, "实施企业统一社会信用代码", f"重点企业名录中没有代码为“{code[:20]}”的企业")
        items = project.items
        form = ProjectForm(
            name=v["项目名称"],
            kind=v["类型"],
            lead=lead,
            tasks=chosen,
            district=district,
            enterprise=enterprise,
            esco=v["节能服务公司"],
            start_date=v["开工日期"],
            completion_date=v["建成日期"],
            status=v["状态"],
            capacity_kw=v["装机容量（千瓦）"],
            description=v["建设内容"],
            savings=[
                (i.values["能源品种"], i.values["年节约量"], i.values["计量单位"])
                for i in items[workbook.SAVINGS]
            ],
            investments=[
                (i.values["年份"], i.values["计划投资（万元）"], i.values["完成投资（万元）"])
                for i in items[workbook.INVESTMENTS]
            ],
            funding=[
                (i.values["年份"], i.values["资金来源"], i.values["金额（万元）"], i.values["机构"])
                for i in items[workbook.FUNDING]
            ],
            milestones=[(i.values["节点"], i.values["计划日期"]) for i in items[workbook.MILESTONES]],
        )
        values, problems = _checked(form)
        places = {
            "name": (P, row, "项目名称"),
            "kind": (P, row, "类型"),
            "status": (P, row, "状态"),
            "esco": (P, row, "节能服务公司"),
            "completion_date": (P, row, "建成日期"),
            "capacity_kw": (P, row, "装机容量（千瓦）"),
        }
        for sheet, prefix, header in (
            (workbook.SAVINGS, "saving", None),
            (workbook.INVESTMENTS, "investment", "年份"),
            (workbook.FUNDING, "funding", None),
        ):
            for i, item in enumerate(items[sheet]):
                places[f"{prefix}-{i}"] = (sheet, item.row, header)
        for name, messages in problems.items():
            sheet, row_number, header = places.get(name, (P, row, None))
            for message in messages:
                wrong(sheet, row_number, header, str(message))
        forms.append((project, form, values))
    if foreign:
        raise PermissionDenied(
            _("文件含有您无权登记的牵头部门：%(names)s；整个文件未写入")
            % {"names": "、".join(sorted(foreign))}
        )
    if errors:
        errors.sort(key=lambda e: (list(workbook.COLUMNS).index(e.sheet), e.row or 0))
        return ImportResult(errors=[str(e) for e in errors[: upload_errors.MAX_ERRORS]])
    with transaction.atomic():
        for _project, form, values in forms:
            _create(user, form, values)
        events.emit("key_projects_changed")
    return ImportResult(saved=len(forms))


def _split(text: str) -> list[str]:
    """A cell's list of task numbers: separated by 、，, ; or spaces."""
    for separator in ("，", ",", "；", ";", " "):
        text = text.replace(separator, "、")
    return text.split("、")


@transaction.atomic
def set_full_load_hours(user, kind: str, hours, source: str, *, sample: bool = False) -> FullLoadHoursInput:
    """A project type's equivalent full-load hours a year, with its source (the reference gives none)."""
    permissions.require(user, Action.MANAGE_FACTORS)
    problems: dict[str, list[str]] = {}
    if kind not in ProjectKind.values:
        problems["kind"] = [_("请选择项目类型")]
    value = _number(problems, "hours", hours, _("年等效满负荷小时数"), low=1)
    if value is None and "hours" not in problems:
        problems["hours"] = [_("请填写年等效满负荷小时数")]
    elif value is not None and value > 8760:
        problems["hours"] = [_("年等效满负荷小时数不能超过一年的8760小时")]
    source = _text(source, 300)
    if not source:
        problems["source"] = [_("请填写来源（发布单位与文件）")]
    if problems:
        raise DomainError(problems)
    before = FullLoadHoursInput.objects.filter(kind=kind).first()
    snapshot = audit.snapshot(before) if before else None
    row, _created = FullLoadHoursInput.objects.update_or_create(
        kind=kind,
        defaults={"hours": value, "source": source[:300], "sample": sample, "entered_by": user},
    )
    action = audit.Action.UPDATE if before else audit.Action.CREATE
    audit.record(user, action, row, before=snapshot, after=audit.snapshot(row))
    events.emit("key_projects_changed")
    return row


# ------------------------------------------------------------------ quarterly progress


def _may_report(user, progress: ProjectProgress) -> None:
    permissions.require(user, Action.REPORT_PROJECT_PROGRESS, progress.project)


def _approved(progress: ProjectProgress, user) -> None:
    """The milestones a progress report says were reached are marked with its quarter."""
    progress.milestones.filter(reached_in="").update(reached_in=progress.period)
    events.emit("key_projects_changed")


REVIEW = review.Lifecycle(
    ProjectProgress,
    may_submit=_may_report,
    may_review=lambda user, progress: permissions.require(user, Action.REVIEW),
    on_approved=_approved,
)
submit_progress, approve_progress, return_progress = REVIEW.moves()


@transaction.atomic
def save_progress(
    user,
    project: KeyProject,
    period: str,
    *,
    milestones=(),
    investment=None,
    measured_kwh=None,
    savings=(),
    narrative="",
) -> ProjectProgress:
    """A quarter's progress as a draft (or a returned one corrected): milestones reached, investment made
    (万元), the kWh the project generated or saved and the energy it measurably saved, physical (``savings``:
    rows of fuel, quantity, unit); None where not reported (not 0). Its lead department reports it, or the
    enterprise that carries the project out."""
    permissions.require(user, Action.REPORT_PROJECT_PROGRESS, project)
    problems: dict[str, list[str]] = {}
    key = ""
    try:
        parsed = parse_period(str(period or ""))
    except InvalidPeriod as exc:
        problems["period"] = [str(exc)]
    else:
        if parsed.first != parsed.last:  # a quarter (2025Q3), not a year or a range
            problems["period"] = [_("报告期须为一个季度，如 2025Q3")]
        key = parsed.key
    invested = _number(problems, "investment", investment, _("本期完成投资"))
    kwh = _number(problems, "measured_kwh", measured_kwh, _("本期实测电量"))
    saved = _quantities(problems, savings, "measured", _("%(fuel)s的本期实测节约量"), required=True)
    keys = [as_int(m, low=1, high=MAX_ID) for m in milestones]
    chosen = list(project.milestones.filter(pk__in=[k for k in keys if k is not None]))
    if problems:
        raise DomainError(problems)
    progress = ProjectProgress.objects.select_for_update().filter(project=project, period=key).first()
    if progress is not None:
        REVIEW.require_editable(progress)
        before = audit.snapshot(progress)
    else:
        progress, before = ProjectProgress(project=project, period=key, created_by=user), None
    progress.investment, progress.measured_kwh = invested, kwh
    progress.narrative = _text(narrative, 4000)
    progress.save()
    progress.milestones.set(chosen)
    progress.savings.all().delete()
    ProgressSaving.objects.bulk_create(
        ProgressSaving(progress=progress, fuel=f, quantity=q, unit=u) for f, q, u in saved
    )
    audit.record(
        user,
        audit.Action.UPDATE if before else audit.Action.CREATE,
        progress,
        before=before,
        after=audit.snapshot(progress),
    )
    return progress


# ------------------------------------------------------------------ fiscal awards paid against milestones


@transaction.atomic
def record_award(
    user,
    project: KeyProject,
    *,
    milestone,
    source: str,
    amount,
    paid_on: dt.date | None,
    document: str,
    sample: bool = False,
) -> AwardPayment:
    """A fiscal award paid to a project, against a milestone its approved progress says was reached (本平台
    规则: paid by milestone, so the milestone comes first), with the document that paid it."""
    permissions.require(user, Action.RECORD_AWARD)
    problems: dict[str, list[str]] = {}
    key = as_int(milestone, low=1, high=MAX_ID) if milestone not in (None, "") else None
    reached = project.milestones.filter(pk=key).first() if key is not None else None
    if reached is None:
        problems["milestone"] = [_("请选择本项目的节点")]
    elif not reached.reached_in:
        problems["milestone"] = [
            _("节点“%(name)s”尚无审核通过的进展表明已完成：按节点拨付，节点完成后再登记（本平台规则）")
            % {"name": reached.name}
        ]
    if source not in money.FISCAL:  # the city's fiscal support, 方案 四（二）
        problems["source"] = [_("请选择财政奖补的方式")]
    value = _number(problems, "amount", amount, _("拨付金额"))
    if value is None and "amount" not in problems:
        problems["amount"] = [_("请填写拨付金额")]
    elif value == 0:
        problems["amount"] = [_("拨付金额须大于0")]
    if paid_on is None:
        problems.setdefault("paid_on", []).append(_("请填写拨付日期"))
    document = _text(document, 200)
    if not document:
        problems["document"] = [_("请填写拨付文件（发文单位与文号）")]
    if problems:
        raise DomainError(problems)
    award = AwardPayment.objects.create(
        project=project,
        milestone=reached,
        source=source,
        amount=value,
        paid_on=paid_on,
        document=document,
        sample=sample,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(user, audit.Action.CREATE, award, after=audit.snapshot(award))
    return award
