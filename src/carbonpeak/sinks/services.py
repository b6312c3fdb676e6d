"""Every write of the sinks: land data, the sink factor set's versions (the climate zone chosen, a parameter
entered with its source), and the results recomputed after each. Permission, validation, audit and the
recomputation live here, so pages, API and CLI cannot differ."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, events, limits, quotas, uploads
from carbonpeak.core.errors import DomainError
from carbonpeak.core.text import gettext_noop

from . import engine
from .models import LandRecord, SinkBaseline, SinkFactorRow, SinkFactorSet, SinkResult

BUNDLED_NAME, BUNDLED_VERSION = "sinks", "reference-2026"
# the zones the bundled parameters are indexed by (kept as these names, shown translated)
ZONES = (gettext_noop("温带"), gettext_noop("亚热带湿润"))
NUMBER_FIELDS = {
    "area_ha": gettext_noop("面积"),
    "protected_area_ha": gettext_noop("受保护面积"),
    "growing_stock_m3": gettext_noop("蓄积"),
    "increment_m3": gettext_noop("年净生长量"),
    "harvest_m3": gettext_noop("年采伐消耗"),
    "crown_area_ha": gettext_noop("树冠覆盖面积"),
    "biochar_t": gettext_noop("生物质炭施用量"),
    "relative_error_pct": gettext_noop("活动数据相对误差"),
}
FACTOR_FIELDS = (
    "parameter",
    "zone",
    "group",
    "class_low",
    "class_high",
    "value",
    "low",
    "high",
    "unit",
    "source",
    "status",
)


@transaction.atomic
def ensure_bundled_set() -> SinkFactorSet:
    """The bundled parameters (``data/sink-factors.csv``, each with its source), no climate zone chosen."""
    found = SinkFactorSet.objects.filter(name=BUNDLED_NAME, version=BUNDLED_VERSION).first()
    if found is None:
        found = SinkFactorSet.objects.create(name=BUNDLED_NAME, version=BUNDLED_VERSION)
        SinkFactorRow.objects.bulk_create(
            SinkFactorRow(factor_set=found, **{k: getattr(f, k) for k in FACTOR_FIELDS})
            for f in engine.bundled_factors()
        )
    if not SinkFactorSet.objects.filter(is_default=True).exists():
        SinkFactorSet.objects.filter(pk=found.pk).update(is_default=True)
        found.is_default = True
    return found


def default_set() -> SinkFactorSet:
    return SinkFactorSet.objects.filter(is_default=True).first() or ensure_bundled_set()


def _derive(user, base: SinkFactorSet, *, zone: str, zone_source: str, extra: list[dict]) -> SinkFactorSet:
    version = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
    new = SinkFactorSet.objects.create(
        name=base.name,
        version=version,
        climate_zone=zone,
        climate_zone_source=zone_source,
        based_on=base,
        created_by=user,
    )
    rows = [
        SinkFactorRow(factor_set=new, **{k: getattr(f, k) for k in FACTOR_FIELDS})
        for f in base.factors.order_by("id")
    ]
    rows += [SinkFactorRow(factor_set=new, **row) for row in extra]
    SinkFactorRow.objects.bulk_create(rows)
    SinkFactorSet.objects.filter(is_default=True).update(is_default=False)
    SinkFactorSet.objects.filter(pk=new.pk).update(is_default=True)
    new.is_default = True
    return new


@transaction.atomic
def choose_climate_zone(user, zone: str, source: str) -> SinkFactorSet:
    """A new version of the default set with the zone chosen (and why); results recomputed."""
    permissions.require(user, Action.MANAGE_FACTORS)
    source = (source or "").strip()
    if zone not in ZONES:
        raise DomainError(_("气候带须为：%(names)s") % {"names": "、".join(ZONES)})
    if not source:
        raise DomainError(_("请注明选择该气候带的依据"))
    base = default_set()
    new = _derive(user, base, zone=zone, zone_source=source[:300], extra=[])
    audit.record(
        user,
        audit.Action.CREATE,
        new,
        after={"climate_zone": zone, "source": source[:300], "based_on": base.label},
    )
    recompute()
    return new


def _number(value, label: str, *, negative: bool = False) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        raise DomainError(
            _("%(label)s须为数字（收到“%(value)s”）") % {"label": label, "value": str(value)[:20]}
        ) from None
    if not math.isfinite(number) or (number < 0 and not negative):
        raise DomainError(_("%(label)s须为非负的有限数字") % {"label": label})
    return number


@transaction.atomic
def enter_parameter(
    user,
    *,
    parameter: str,
    value,
    source: str,
    zone: str = engine.ALL,
    group: str = engine.ALL,
    low=None,
    high=None,
    class_low=None,
    class_high=None,
) -> SinkFactorSet:
    """A parameter the reference lacks, entered with its source: a new version of the default set (the
    bundled row stays, the entry wins); results recomputed."""
    permissions.require(user, Action.MANAGE_FACTORS)
    if parameter not in engine.PARAMETER_NAMES:
        raise DomainError(_("未知参数：%(parameter)s") % {"parameter": parameter})
    source = (source or "").strip()
    if not source:
        raise DomainError(_("请注明参数来源（文献、表号或文件）"))
    row = {
        "parameter": parameter,
        "zone": (zone or engine.ALL).strip()[:20],
        "group": (group or engine.ALL).strip()[:30],
        "value": _number(value, "数值"),
        "low": _number(low, "范围下限"),
        "high": _number(high, "范围上限"),
        "class_low": _number(class_low, "分级下限"),
        "class_high": _number(class_high, "分级上限"),
        "source": source[:1000],
        "status": "entered",
    }
    if row["value"] is None:
        raise DomainError(_("请填写数值"))
    if (row["low"] is None) != (row["high"] is None):
        raise DomainError(_("不确定范围须同时填写下限和上限，或都不填"))
    if row["low"] is not None and not row["low"] <= row["value"] <= row["high"]:
        raise DomainError(_("数值须在不确定范围之内"))
    unit = next((f.unit for f in engine.bundled_factors() if f.parameter == parameter), "")
    base = default_set()
    new = _derive(
        user, base, zone=base.climate_zone, zone_source=base.climate_zone_source, extra=[row | {"unit": unit}]
    )
    audit.record(user, audit.Action.CREATE, new, after=row | {"based_on": base.label})
    recompute()
    return new


@transaction.atomic
def save_land_record(
    user, *, district: str, year, land_type: str, source: str, is_sample: bool = False, **values
) -> LandRecord:
    """One district's land of one type in one year (entered or corrected: the same key replaces its figures,
    the audit keeps both); results recomputed."""
    permissions.require(user, Action.REPORT_LAND, district)
    record = _save(user, district, year, land_type, source, is_sample, values)
    recompute()
    return record


def _save(
    user, district: str, year, land_type: str, source: str, is_sample: bool, values: dict
) -> LandRecord:
    from carbonpeak.core.models import Region
    from carbonpeak.core.regions import DISTRICT_LEVEL

    problems = []
    if not Region.objects.filter(name=district, level=DISTRICT_LEVEL).exists():
        problems.append(_("区镇“%(district)s”不在地区树中") % {"district": district})
    try:
        year = int(year)
        if not 1990 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(_("年份须为 1990–2100 之间的整数"))
    if land_type not in engine.LAND_TYPES:
        problems.append(_("地类须为：%(names)s") % {"names": "、".join(engine.LAND_TYPES.values())})
    source = (source or "").strip()
    if not source:
        problems.append(_("请填写数据来源（如 森林资源二类调查、湿地资源调查）"))
    numbers = {}
    for name, label in NUMBER_FIELDS.items():
        try:
            numbers[name] = _number(values.get(name), label)
        except ValidationError as exc:
            problems.extend(exc.messages)
    group = str(values.get("group") or "").strip()[:30]
    leaf_type = str(values.get("leaf_type") or "").strip()
    if land_type == "forest" and leaf_type not in ("阔叶", "针叶"):
        problems.append(_("乔木林须注明针阔（阔叶或针叶）"))
    if numbers.get("protected_area_ha") is not None:
        if numbers.get("area_ha") is None:  # an unreported area is not 0 hectares
            problems.append(_("填写受保护面积时须同时填写面积"))
        elif numbers["area_ha"] < numbers["protected_area_ha"]:
            problems.append(_("受保护面积不能大于面积"))
    if problems:
        raise DomainError(problems)
    previous = LandRecord.objects.filter(
        district=district, year=year, land_type=land_type, group=group
    ).first()
    before = audit.snapshot(previous) if previous else None
    record, created = LandRecord.objects.update_or_create(
        district=district,
        year=year,
        land_type=land_type,
        group=group,
        defaults={
            **numbers,
            "leaf_type": leaf_type if land_type == "forest" else "",
            "source": source[:300],
            "is_sample": is_sample,
            "created_by": user,
        },
    )
    audit.record(
        user,
        audit.Action.CREATE if created else audit.Action.UPDATE,
        record,
        before=before,
        after=audit.snapshot(record),
    )
    return record


@transaction.atomic
def recompute(seed: int = 20260301) -> int:
    """The default set's results for every land record, replacing the set's earlier ones; returns how many."""
    factors = default_set()
    records = list(LandRecord.objects.all())
    sample = {(r.district, r.land_type, r.group) for r in records if r.is_sample}
    results = engine.compute([r.to_pure() for r in records], factors.to_pure(), seed=seed)
    SinkResult.objects.filter(factor_set=factors).delete()
    SinkResult.objects.bulk_create(
        SinkResult(
            factor_set=factors,
            district=r.district,
            land_type=r.land_type,
            group=r.group,
            year=r.year,
            method=r.method,
            stock_tc=r.stock_tc,
            sink_tco2=r.sink_tco2,
            p5=r.band[0] if r.band else None,
            p50=r.band[1] if r.band else None,
            p95=r.band[2] if r.band else None,
            climate_zone=r.climate_zone,
            data=r.to_dict(),
            includes_sample=(r.district, r.land_type, r.group) in sample,
        )
        for r in results
    )
    from carbonpeak.core import versions

    versions.bump()  # bulk writes send no signal
    events.emit("land_data_changed")
    return len(results)


@transaction.atomic
def load_sample(user) -> int:
    """The seven units' sample land data (示例数据) once, through the same checks; returns how many."""
    from . import sample

    permissions.require(user, Action.MANAGE_FACTORS)
    if LandRecord.objects.filter(is_sample=True).exists():
        return 0
    ensure_bundled_set()
    rows = sample.records()
    for row in rows:
        fields = dict(row)
        _save(
            user,
            fields.pop("district"),
            fields.pop("year"),
            fields.pop("land_type"),
            sample.SOURCE,
            True,
            fields,
        )
    recompute()
    return len(rows)


@dataclass
class UploadResult:
    saved: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _may_upload_land(user) -> None:
    from django.core.exceptions import PermissionDenied

    if not permissions.can(user, Action.REPORT_LAND, permissions.own_land_scope(user)):
        raise PermissionDenied(permissions.MESSAGES[Action.REPORT_LAND])  # before the file is read at all


def upload_land(user, data: bytes) -> UploadResult:
    """A land workbook given whole and read now: any error refuses the whole file, naming sheet, row and
    column; a row for a district the user may not report refuses it too (403); nothing is written unless
    every row is good. The page hands its file to the background worker (:func:`upload_land_job`)."""
    _may_upload_land(user)
    if (too_large := limits.refusal(limits.LAND_DATA, len(data))) is not None:
        return UploadResult(errors=[too_large])
    quotas.take(user, "upload")
    return _save_land(user, data)


@uploads.handler(
    "land", title="国土与森林数据表", limit=limits.LAND_DATA, may=_may_upload_land, back="sinks:overview"
)
def upload_land_job(user, path, file_name: str, progress: uploads.Progress) -> tuple[str, str]:
    """The background job's reading of a land workbook sent from the page."""
    _may_upload_land(user)
    progress(10, "读取数据表并逐行校验")
    result = _save_land(user, path.read_bytes())
    if not result.ok:
        raise DomainError(result.errors)
    return f"已接收 {file_name}：{result.saved} 行，碳汇已重算", reverse("sinks:overview")


def _save_land(user, data: bytes) -> UploadResult:
    from django.core.exceptions import PermissionDenied

    from . import workbook

    parsed = workbook.read_land(data)
    if parsed.errors:
        return UploadResult(errors=[str(e) for e in parsed.errors])
    foreign = sorted(
        {r["district"] for r in parsed.rows if not permissions.can(user, Action.REPORT_LAND, r["district"])}
    )
    if foreign:
        raise PermissionDenied(
            _("文件含有您无权填报的区镇：%(names)s；整个文件未写入") % {"names": "、".join(foreign)}
        )
    problems = []
    try:
        with transaction.atomic():
            for row in parsed.rows:
                fields = {
                    k: v
                    for k, v in row.items()
                    if k not in ("row", "district", "year", "land_type", "source")
                }
                try:
                    with transaction.atomic():
                        _save(
                            user, row["district"], row["year"], row["land_type"], row["source"], False, fields
                        )
                except ValidationError as exc:
                    problems += [f"工作表“{workbook.SHEET}” 第{row['row']}行：{m}" for m in exc.messages]
            if problems:
                raise DomainError(problems)
            recompute()
    except ValidationError:
        return UploadResult(errors=problems)
    return UploadResult(saved=len(parsed.rows))


@transaction.atomic
def freeze_baseline(user, year: int) -> SinkBaseline:
    """Freeze the year's land data, parameters and results as the 本底 (once per year: a baseline is not
    rewritten; the live results beside it show what changed since)."""
    from django.forms.models import model_to_dict

    permissions.require(user, Action.MANAGE_FACTORS)
    if SinkBaseline.objects.filter(year=year).exists():
        raise DomainError(_("%(year)s年本底已冻结，不再改写") % {"year": year})
    factors = default_set()
    results = list(SinkResult.objects.filter(factor_set=factors, year=year))
    if not results:
        raise DomainError(_("%(year)s年尚无国土与森林数据，无法冻结本底") % {"year": year})
    land = LandRecord.objects.filter(year=year)
    baseline = SinkBaseline.objects.create(
        year=year,
        factor_set_label=factors.label,
        climate_zone=factors.climate_zone,
        data={
            "results": [r.data for r in results],
            "land": [
                {k: v for k, v in model_to_dict(r).items() if k not in ("id", "created_by")} for r in land
            ],
            "parameters": [{k: getattr(f, k) for k in FACTOR_FIELDS} for f in factors.factors.order_by("id")],
            "climate_zone_source": factors.climate_zone_source,
        },
        frozen_by=user,
    )
    audit.record(user, audit.Action.CREATE, baseline, after={"year": year, "factor_set": factors.label})
    return baseline
