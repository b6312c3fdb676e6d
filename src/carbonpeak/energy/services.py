"""The one writer of the energy tables: factor sets, uploads, the review lifecycle and accounting runs."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, events, limits, quotas, review, uploads
from carbonpeak.core.errors import DomainError
from carbonpeak.core.models import ReviewStatus
from carbonpeak.energy import catalog, selectors, workbook
from carbonpeak.energy import certificates as register
from carbonpeak.energy import factors as pure_factors
from carbonpeak.energy.accounting import (
    BOUNDARY_NAMES,
    AccountingError,
    EconomicFigure,
    absent_rows,
)
from carbonpeak.energy.accounting import EnergyRecord as PureRecord
from carbonpeak.energy.models import (
    FACTOR_FIELDS,
    AccountingResult,
    AccountingRun,
    EconomicRecord,
    EnergyRecord,
    EnergySubmission,
    Factor,
    FactorSet,
    GreenCertificate,
)

# ------------------------------------------------------------------ who may do what (accounts.permissions)


def can_report(user) -> bool:
    """May the user report energy statistics for some region (the city, or their district)?"""
    region = department.name if (department := permissions.department_of(user)) else None
    return permissions.can(user, Action.REPORT_ENERGY, region or "")


def can_review(user) -> bool:
    return permissions.can(user, Action.REVIEW)


def can_manage_certificates(user) -> bool:
    return permissions.can(user, Action.MANAGE_CERTIFICATES)


# ------------------------------------------------------------------ factor sets


@transaction.atomic
def ensure_bundled_factor_sets() -> FactorSet:
    """Store the bundled sets (once per version) and return the default one."""
    default = None
    for name in pure_factors.BUNDLED_SETS:
        pure = pure_factors.load_factor_set(name)
        fs = FactorSet.objects.filter(name=pure.name, version=pure.version).first()
        if fs is None:
            fs = _store_factor_set(pure, None, None)
        if name == pure_factors.DEFAULT_SET:
            default = fs
    if not FactorSet.objects.filter(is_default=True).exists() and default is not None:
        FactorSet.objects.filter(pk=default.pk).update(is_default=True)
        default.refresh_from_db()
    return FactorSet.objects.get(is_default=True)


def _store_factor_set(pure: pure_factors.FactorSet, user, based_on: FactorSet | None) -> FactorSet:
    fs = FactorSet.objects.create(
        name=pure.name, version=pure.version, title=pure.title, created_by=user, based_on=based_on
    )
    Factor.objects.bulk_create(
        Factor(factor_set=fs, **{k: getattr(f, k) for k in FACTOR_FIELDS}) for f in pure.factors
    )
    return fs


def official_factor_set() -> FactorSet:
    """The adopted set, the bundled sets stored first when none is (a new installation's first write)."""
    fs = selectors.official_factor_set()
    return fs if fs is not None else ensure_bundled_factor_sets()


def factor_set_by_label(label: str) -> pure_factors.FactorSet | None:
    name, _at, version = label.partition("@")
    qs = FactorSet.objects.filter(name=name)
    if version:
        qs = qs.filter(version=version)
    fs = qs.order_by("-created_at").first()
    return fs.to_pure() if fs else None


@transaction.atomic
def import_factor_csv(
    text: str, *, name: str, version: str, user, title: str = "", based_on: FactorSet | None = None
) -> FactorSet:
    """A new factor set: the rows of ``based_on`` with the CSV's rows added or replacing same kind/key/year."""
    permissions.require(user, Action.MANAGE_FACTORS)
    if FactorSet.objects.filter(name=name, version=version).exists():
        raise DomainError(
            _("因子集 %(name)s@%(version)s 已存在；新的因子请用新的版本号")
            % {"name": name, "version": version}
        )
    rows = pure_factors.read_factor_rows(text, "因子 CSV")
    pure = pure_factors.overlay(based_on and based_on.to_pure(), rows, name, version, title)
    fs = _store_factor_set(pure, user, based_on)
    audit.record(
        user,
        audit.Action.CREATE,
        fs,
        after={"factors": len(pure.factors), "based_on": based_on and based_on.label},
    )
    return fs


ENTERED_KINDS = ("generation_coal_rate", "grid_non_fossil_share")  # yearly inputs the reference cannot give


@transaction.atomic
def enter_yearly_factor(
    user, *, kind: str, key: str, year: int, value: float, unit: str, source: str, status: str = "录入"
) -> AccountingRun:
    """A coordinator's yearly input with its source (the year's 发电 coal rate, a grid's non-fossil share):
    a new version of the default set with the row added or replaced becomes the default, and the accounts are
    recomputed with it (earlier versions and results stay)."""
    row = YearlyInput(kind, key, year, value, unit, source, status)
    return enter_yearly_factors(user, [row], f"录入{year}年{pure_factors.KINDS[kind]}（{key.strip()}）")


@dataclass(frozen=True)
class YearlyInput:
    """One yearly input the reference cannot give, with its source and standing (录入, or 示例输入 by the demo)."""

    kind: str
    key: str
    year: int
    value: float
    unit: str
    source: str
    status: str = "录入"


@transaction.atomic
def enter_yearly_factors(user, inputs: list[YearlyInput], what: str) -> AccountingRun:
    """Several yearly inputs in one new version of the default set, and one recomputation."""
    permissions.require(user, Action.MANAGE_FACTORS)
    rows = []
    for i in inputs:
        if i.kind not in ENTERED_KINDS:
            raise DomainError(
                _("只能录入：%(names)s") % {"names": "、".join(pure_factors.KINDS[k] for k in ENTERED_KINDS)}
            )
        if not i.source.strip():
            raise DomainError(_("请注明来源（文件名称、文号或网址）"))
        rows.append(
            [
                i.kind,
                i.key.strip(),
                i.year,
                i.value,
                i.unit.strip(),
                i.source.strip()[:500],
                i.status.strip()[:40],
            ]
        )
    return _new_default_version(user, rows, what)


@transaction.atomic
def set_assessed_boundary(user, *, boundary: str, source: str) -> AccountingRun:
    """Which CO2 boundary is assessed (a setting of the factor set, 本平台规则 until a higher level says
    otherwise): a new version of the default set carries it, and the accounts are recomputed on it."""
    permissions.require(user, Action.MANAGE_FACTORS)
    if boundary not in pure_factors.BOUNDARIES:
        raise DomainError(
            _("口径须为：%(names)s")
            % {"names": "、".join(BOUNDARY_NAMES[b] for b in pure_factors.BOUNDARIES)}
        )
    if not source.strip():
        raise DomainError(_("请注明依据（上级文件名称、文号或会议纪要）"))
    row = ["assessed_boundary", boundary, "", "", "", source.strip()[:500], "录入"]
    return _new_default_version(user, [row], f"考核口径改为{BOUNDARY_NAMES[boundary]}")


def _new_default_version(user, rows: list[list], what: str) -> AccountingRun:
    """A new version of the default set with rows added or replaced, made the default, then recomputed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["kind", "key", "year", "value", "unit", "source", "status"])
    writer.writerows(rows)
    base = official_factor_set()
    root = base.version.split(pure_factors.ENTERED)[0]  # 2026.1 → 2026.1-录入1, 2026.1-录入2, …
    taken = set(FactorSet.objects.filter(name=base.name).values_list("version", flat=True))
    version = next(f"{root}-录入{n}" for n in range(1, 10_000) if f"{root}-录入{n}" not in taken)
    fs = import_factor_csv(
        buffer.getvalue(),
        name=base.name,
        version=version,
        user=user,
        title=f"在 {base.label} 上{what}"[:200],
        based_on=base,
    )
    return adopt_factor_set(fs, user=user, reason=what)


@transaction.atomic
def adopt_factor_set(fs: FactorSet, *, user, reason: str = "") -> AccountingRun:
    """The coordinator's choice of the official factor set (audited): the accounts are recomputed with it, and
    grades, projections and budgets follow. Until this choice, a run on another set is only a what-if."""
    permissions.require(user, Action.MANAGE_FACTORS)
    previous = selectors.official_factor_set()
    FactorSet.objects.exclude(pk=fs.pk).update(is_default=False)
    FactorSet.objects.filter(pk=fs.pk).update(is_default=True)
    fs.refresh_from_db()
    audit.record(
        user,
        audit.Action.UPDATE,
        fs,
        before={"official_set": previous.label if previous else None},
        after={"official_set": fs.label},
        comment=reason,
    )
    return recompute_with(fs, user, reason or f"采用因子集 {pure_factors.shown_label(fs.label)} 为正式因子集")


# ------------------------------------------------------------------ submissions


@dataclass
class UploadResult:
    submissions: list[EnergySubmission] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _may_upload(user) -> None:
    if not can_report(user):
        raise PermissionDenied(permissions.MESSAGES[Action.REPORT_ENERGY])


def upload(data: bytes, filename: str, user, *, note: str = "") -> UploadResult:
    """Validate a form or CSV given whole and read now (the CLI, the demo); any error rejects the whole file
    and nothing is written. Pages and the API hand theirs to the background worker (:func:`upload_job`)."""
    _may_upload(user)
    if (too_large := limits.refusal(limits.ENERGY_FORM, len(data))) is not None:
        return UploadResult(errors=[too_large])
    quotas.take(user, "upload")
    return _read_and_write(data, filename, user, note=note)


@uploads.handler(
    "energy", title="能源统计报表", limit=limits.ENERGY_FORM, may=_may_upload, back="energy:submissions"
)
def upload_job(user, path, file_name: str, progress: uploads.Progress, note: str = "") -> tuple[str, str]:
    """The background job's reading of a page's or the API's form: the draft submissions it made, or every
    reason nothing was written."""
    _may_upload(user)
    progress(10, "读取报表并逐行校验")
    result = _read_and_write(path.read_bytes(), file_name, user, note=note, progress=progress)
    if not result.ok:
        raise DomainError(result.errors)
    names = "、".join(f"{s.region} {s.period_label} 第{s.revision}版" for s in result.submissions)
    url = (
        reverse("energy:submission", args=[result.submissions[0].pk])
        if len(result.submissions) == 1
        else reverse("energy:submissions")
    )
    return f"已接收 {file_name}：{names}（草稿，核对后请报送）", url


def _read_and_write(
    data: bytes, filename: str, user, *, note: str, progress: uploads.Progress | None = None
) -> UploadResult:
    factors = selectors.official_factors()
    form = workbook.read_upload(data, filename, factors=factors)
    if form.errors:
        return UploadResult(errors=[str(e) for e in form.errors])
    foreign = sorted(
        {
            region
            for _period, region in form.periods()
            if not permissions.can(user, Action.REPORT_ENERGY, region)
        }
    )
    if foreign:  # a district's reporter reports for its own district only: the whole file is refused
        raise PermissionDenied(
            _("文件含有您无权报送的地区：%(names)s；整个文件未写入") % {"names": "、".join(foreign)}
        )
    if progress is not None:
        progress(70, "写入草稿报表")
    digest = hashlib.sha256(data).hexdigest()
    by_key: dict[tuple[str, str], list[workbook.FormRecord]] = {}
    for fr in form.records:
        by_key.setdefault((fr.record.period, fr.record.region), []).append(fr)
    economy = {(e.period, e.region): e for e in form.economy}
    result = UploadResult()
    with transaction.atomic():
        for key in sorted(set(by_key) | set(economy)):
            period, region = key
            records = by_key.get(key, [])
            warnings = [w for w in form.warnings if _warning_belongs(w, records)]
            warnings += _qoq_warnings(period, region, [r.record for r in records], form)
            warnings += _absent_warnings(period, region, [r.record for r in records], form)
            sub = create_submission(
                period,
                region,
                records,
                economy.get(key),
                user=user,
                source_name=filename,
                source_sha256=digest,
                warnings=warnings,
                note=note,
            )
            result.submissions.append(sub)
            result.warnings.extend(f"{region} {period}：{w}" for w in warnings)
    return result


def _warning_belongs(warning: str, records: list[workbook.FormRecord]) -> bool:
    return any(f"第{r.row}行" in warning and f"“{r.sheet}”" in warning for r in records)


def _absent_warnings(
    period: str, region: str, records: list[PureRecord], form: workbook.ParsedForm
) -> list[str]:
    """Rows reported in any of the four quarters before (in this file or approved) and absent now: the
    reviewer sees them before approving, and the accounting marks the quarter 数据不全."""
    try:
        quarter = catalog.parse_period(period)
    except catalog.UnknownName:
        return []
    if not quarter.is_quarter:
        return []
    earlier, p = [], quarter
    for _attempt in range(4):
        p = p.previous_quarter()
        rows = [r.record for r in form.records if r.record.period == p.key and r.record.region == region]
        if not rows and (sub := selectors.current_submission(p.key, region)) is not None:
            rows = selectors.pure_records(sub)
        if rows:
            earlier.append({(r.sector, r.fuel) for r in rows})
    return absent_rows({(r.sector, r.fuel) for r in records}, earlier)


def _qoq_warnings(
    period: str, region: str, records: list[PureRecord], form: workbook.ParsedForm
) -> list[str]:
    previous_key = workbook.previous_quarter(period)
    if previous_key is None or not records:
        return []
    previous = [
        r.record for r in form.records if r.record.period == previous_key and r.record.region == region
    ]
    if not previous:
        sub = selectors.current_submission(previous_key, region)
        previous = selectors.pure_records(sub) if sub else []
    return workbook.quarter_on_quarter_warnings(records, previous, threshold=settings.CARBONPEAK_QOQ_WARNING)


RECORD_COLUMNS = ("submission", "sector", "fuel", "quantity", "unit", "use", "reported_tce", "sheet", "row")


def _insert_records(rows: list[tuple]) -> None:
    """A submission's lines in one statement run for every row: a long CSV has up to 200,000 of them, and
    making a model instance of each (``bulk_create``) held a worker for 8 of the 11 seconds a 10 MB upload took
    (plain values: text, Decimal and None, which both databases' drivers take as they are)."""
    if not rows:
        return
    fields = [EnergyRecord._meta.get_field(name) for name in RECORD_COLUMNS]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(EnergyRecord._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: PostgreSQL's own bulk load, ten times an INSERT per row
            columns = ", ".join(quote(f.column) for f in fields)
            with cursor.cursor.copy(
                f"COPY {quote(EnergyRecord._meta.db_table)} ({columns}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])


REVISION_ATTEMPTS = 20  # two reporters of one period and region at once: the later takes the next number


def _new_revision(*, period: str, region: str, **fields) -> EnergySubmission:
    """The next revision number of a period and region, taken safely while another reporter may be taking
    one too (PostgreSQL lets both read the same largest number; the unique key refuses the second, which then
    reads again inside a savepoint instead of failing the upload)."""
    for _attempt in range(REVISION_ATTEMPTS):
        last = EnergySubmission.objects.filter(period=period, region=region).aggregate(m=Max("revision"))["m"]
        try:
            with transaction.atomic():
                return EnergySubmission.objects.create(
                    period=period, region=region, revision=(last or 0) + 1, **fields
                )
        except IntegrityError:
            continue
    raise DomainError(_("同一报告期和地区正有多份报表同时写入，请稍后重试"), code="conflict")


@transaction.atomic
def create_submission(
    period: str,
    region: str,
    records: Iterable[workbook.FormRecord | PureRecord],
    economy: EconomicFigure | None = None,
    *,
    user,
    source_name: str = "",
    source_sha256: str = "",
    warnings: list[str] | None = None,
    note: str = "",
    is_sample: bool = False,
) -> EnergySubmission:
    """A new draft revision for the period and region; earlier revisions are left as they are."""
    permissions.require(user, Action.REPORT_ENERGY, region)
    period = catalog.parse_period(period).key
    sub = _new_revision(
        period=period,
        region=region,
        source_name=source_name,
        source_sha256=source_sha256,
        warnings=warnings or [],
        note=note,
        created_by=user,
        is_sample=is_sample,
    )
    rows = []
    for item in records:
        fr = item if isinstance(item, workbook.FormRecord) else workbook.FormRecord(item)
        rec = fr.record
        rows.append(
            (
                sub.pk,
                rec.sector,
                rec.fuel,
                _decimal(rec.quantity),
                rec.unit,
                rec.use,
                None if fr.reported_tce is None else _decimal(fr.reported_tce),
                fr.sheet,
                fr.row,
            )
        )
    _insert_records(rows)
    if economy is not None:
        EconomicRecord.objects.create(
            submission=sub,
            gdp_current=_decimal(economy.gdp_current),
            real_growth_pct=_decimal(economy.real_growth_pct),
            gdp_constant=_decimal(economy.gdp_constant),
            population=_decimal(economy.population),
        )
    summary = audit.snapshot(sub, ("period", "region", "revision", "status", "source_name"))
    audit.record(user, audit.Action.CREATE, sub, after={**summary, "records": len(rows)}, comment=source_name)
    return sub


def _decimal(value):
    from decimal import Decimal

    return None if value is None else Decimal(str(round(float(value), 6)))


def _on_approved(sub: EnergySubmission, user) -> None:
    """The approved revision becomes current: the one it replaces is marked superseded in the audit log, and
    the accounts, budgets, projections and grades follow (the ``energy_changed`` event)."""
    _supersede(sub, user)
    events.emit(
        "energy_changed",
        reason=f"审核通过 {sub.region} {sub.period} 第{sub.revision}版",
        user_id=audit.user_id(user),
    )


def _supersede(sub: EnergySubmission, user) -> None:
    if selectors.current_submission(sub.period, sub.region) != sub:
        return
    replaced = (
        EnergySubmission.objects.filter(
            period=sub.period, region=sub.region, status=ReviewStatus.APPROVED, revision__lt=sub.revision
        )
        .order_by("-revision")
        .first()
    )
    if replaced is not None:
        audit.record(user, audit.Action.SUPERSEDE, replaced, comment=f"被第{sub.revision}版取代")


REVIEW = review.Lifecycle(
    EnergySubmission,
    may_submit=lambda user, sub: permissions.require(user, Action.REPORT_ENERGY, sub.region),
    may_review=lambda user, sub: permissions.require(user, Action.REVIEW),
    on_approved=_on_approved,
)


# an approved revision becomes current, and the accounting, the budgets, the projections and the grades
# follow (after commit, in the background)
submit_submission, approve_submission, return_submission = REVIEW.moves()


# ------------------------------------------------------------------ the register of 绿证 and 绿电交易


@dataclass
class RegisterResult:
    created: list[GreenCertificate] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: the column each error names (its header in ``certificates.COLUMNS``), or None — for a form's fields
    columns: list[str | None] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def upload_certificates(data: bytes, filename: str, user, *, is_sample: bool = False) -> RegisterResult:
    """Register the lines of an uploaded template (or CSV): any error, or a number already registered,
    refuses the whole file and nothing is written; then the accounts are recomputed."""
    permissions.require(user, Action.MANAGE_CERTIFICATES)
    if (too_large := limits.refusal(limits.CERTIFICATES, len(data))) is not None:
        return RegisterResult(errors=[too_large])
    quotas.take(user, "upload")
    parsed = register.read_register(
        data, filename, region=selectors.city_region(), home_province=settings.CARBONPEAK_GRID_REGION
    )
    return _register(parsed, user, source_name=filename[:200], is_sample=is_sample)


def enter_certificate(user, cells: dict[str, object]) -> RegisterResult:
    """One line entered on the page, checked by the same rules as a row of the template."""
    permissions.require(user, Action.MANAGE_CERTIFICATES)
    parsed = register.read_fields(
        cells, region=selectors.city_region(), home_province=settings.CARBONPEAK_GRID_REGION
    )
    return _register(parsed, user, source_name="页面录入")


def _register(
    parsed: register.ParsedRegister, user, *, source_name: str, is_sample: bool = False, notify: bool = True
) -> RegisterResult:
    if parsed.errors:
        return RegisterResult(
            errors=[str(e) for e in parsed.errors], columns=[e.column for e in parsed.errors]
        )
    serials = [entry.serial for _row, entry in parsed.entries]
    taken = {
        c.serial: c
        for chunk in range(0, len(serials), 500)
        for c in GreenCertificate.objects.filter(serial__in=serials[chunk : chunk + 500])
    }
    if taken:
        return RegisterResult(
            errors=[
                (f"第{row}行：" if row else "")
                + f"编号“{entry.serial}”已于{taken[entry.serial].created_at:%Y-%m-%d}登记"
                f"（{taken[entry.serial].used_on:%Y-%m-%d} 计入），同一绿证不能重复计入；整个文件未写入"
                for row, entry in parsed.entries
                if entry.serial in taken
            ]
        )
    try:
        created = _store_register(parsed, user, source_name, is_sample, notify)
    except IntegrityError:  # the same number registered by someone else in the meantime
        return RegisterResult(
            errors=["有编号刚被他人登记，同一绿证不能重复计入；整个文件未写入，请刷新后重试"]
        )
    return RegisterResult(created=created)


def _store_register(parsed, user, source_name: str, is_sample: bool, notify: bool) -> list[GreenCertificate]:
    with transaction.atomic():
        created = GreenCertificate.objects.bulk_create(
            GreenCertificate(
                serial=e.serial,
                region=e.region,
                used_on=e.used_on,
                kind=e.kind,
                direction=e.direction,
                certificates=e.certificates,
                kwh=e.kwh,
                buyer=e.buyer,
                seller=e.seller,
                seller_province=e.seller_province,
                source=e.source,
                is_sample=is_sample,
                source_name=source_name,
                created_by=user if getattr(user, "is_authenticated", False) else None,
            )
            for _row, e in parsed.entries
        )
        audit.record_many(user, audit.Action.CREATE, created, comment=f"绿证登记：{source_name}")
        if notify:
            events.emit(
                "energy_changed",
                reason=f"绿证登记 {len(created)} 条（{source_name}）",
                user_id=audit.user_id(user),
            )
    return created


@transaction.atomic
def withdraw_certificate(entry: GreenCertificate, user, *, reason: str) -> None:
    """Take a line out of the register (entered by mistake): audited with its values, then recomputed."""
    permissions.require(user, Action.MANAGE_CERTIFICATES)
    if not reason.strip():
        raise DomainError(_("请说明撤销登记的原因"))
    before = audit.snapshot(entry)
    audit.record(user, audit.Action.DELETE, entry, before=before, comment=reason.strip()[:500])
    entry.delete()
    events.emit("energy_changed", reason=f"撤销绿证登记 {before['serial']}", user_id=audit.user_id(user))


# ------------------------------------------------------------------ accounting runs


def recompute(fs: FactorSet, *, user=None, reason: str, grid_region: str | None = None) -> AccountingRun:
    """Account all current approved data with ``fs``; the run and its results are kept beside earlier ones."""
    grid_region = grid_region or settings.CARBONPEAK_GRID_REGION
    subs = selectors.current_submissions()
    run = AccountingRun.objects.create(
        factor_set=fs,
        factor_set_label=fs.label,
        grid_region=grid_region,
        reason=reason,
        submissions=[s.pk for s in subs],
        includes_sample=any(s.is_sample for s in subs),
        created_by=user,
    )
    try:
        accounts = selectors.accounts_of(subs, fs, grid_region)
    except AccountingError as exc:
        run.error = "\n".join(exc.problems)
        run.save(update_fields=["error"])
        return run
    AccountingResult.objects.bulk_create(
        AccountingResult(
            run=run,
            region=acc.region,
            period=acc.period.key,
            year=acc.period.year,
            first_quarter=acc.period.first,
            last_quarter=acc.period.last,
            energy_tce=acc.energy_tce,
            energy_tce_equivalent=acc.energy_tce_equivalent,
            co2_t=acc.co2_t,
            data=acc.to_dict(),
        )
        for acc in accounts.ordered()
    )
    return run


def recompute_with(fs: FactorSet, user, reason: str = "") -> AccountingRun:
    """The coordinator's explicit recomputation with a factor set; earlier results stay. With the official
    set it renews the accounts (grades, projections and budgets follow); with any other it is a what-if
    (试算) shown beside them and followed by nothing."""
    permissions.require(user, Action.MANAGE_FACTORS)
    official = fs.is_default
    run = recompute(
        fs,
        user=user,
        reason=reason or f"使用因子集 {pure_factors.shown_label(fs.label)} {'重算' if official else '试算'}",
    )
    audit.record(
        user,
        audit.Action.RECOMPUTE,
        run,
        after={"factor_set": fs.label, "official": official, "error": run.error},
        comment=run.reason,
    )
    if official and not run.error:
        events.emit("accounts_recomputed", run_id=run.pk)
    return run


# ------------------------------------------------------------------ sample data (示例数据)


def load_sample_data(user, *, seed: int | None = None) -> int:
    """Generate, submit and approve the Taicang sample quarters once; returns how many were loaded."""
    from carbonpeak.energy import sample

    permissions.require(user, Action.REVIEW)
    if EnergySubmission.objects.filter(is_sample=True, region=sample.REGION).exists():
        return 0
    ensure_bundled_factor_sets()
    data = sample.generate(seed if seed is not None else sample.DEFAULT_SEED)
    with transaction.atomic():
        _approve_sample(data, user)
        sample_register = register.ParsedRegister(entries=[(0, e) for e in data.certificates])
        _register(sample_register, user, source_name=sample.SAMPLE_LABEL, is_sample=True, notify=False)
        events.emit("energy_changed", reason="载入示例数据", user_id=audit.user_id(user))
    return len(data.records)


def load_sample_districts(user, *, seed: int | None = None) -> int:
    """The seven units' sample quarters (示例数据, split from the city's) once; returns how many were loaded."""
    from carbonpeak.energy import sample

    permissions.require(user, Action.REVIEW)
    if EnergySubmission.objects.filter(is_sample=True).exclude(region=sample.REGION).exists():
        return 0
    ensure_bundled_factor_sets()
    data = sample.district_data(sample.generate(seed if seed is not None else sample.DEFAULT_SEED))
    with transaction.atomic():
        _approve_sample(data, user)
        events.emit("energy_changed", reason="载入示例数据", user_id=audit.user_id(user))
    return len(data.records)


def _approve_sample(data, user) -> None:
    from carbonpeak.energy import sample

    for key in sorted(data.records, key=lambda k: (catalog.parse_period(k.split("/")[0]), k)):
        records = data.records[key]
        sub = create_submission(
            records[0].period,
            records[0].region,
            records,
            data.economy.get(key),
            user=user,
            source_name=f"示例数据生成器（种子 {data.seed}）",
            note=sample.SAMPLE_LABEL,
            is_sample=True,
        )
        submitted = submit_submission(sub, user=user)
        REVIEW.approve(submitted, user=user, comment=sample.SAMPLE_LABEL, follow=False)
        _supersede(submitted, user)
