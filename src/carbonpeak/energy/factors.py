"""Factor sets: conversion coefficients and emission factors as data with their sources (pure, no Django).

No factor lives in code. A set is read from a CSV (the bundled one in ``data/factor-sets/`` is copied from
the reference table with its source and status columns) or from the database, and every result names
the set and version that produced it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from carbonpeak.core.numbers import NumberError, parse_int
from carbonpeak.core.text import Message, gettext_noop
from carbonpeak.energy import catalog

DATA_DIR = Path(__file__).resolve().parent / "data"
#: the reference's further figures (national coal rates, non-fossil shares …) with their sources, kept as read
REFERENCE_ADDENDUM = DATA_DIR / "reference-factors-addendum.csv"
BUNDLED_SETS = {
    "national": (
        DATA_DIR / "factor-sets" / "national.csv",
        "2026.1",
        "国家方法默认因子：GB/T 2589 折标系数、省级清单排放因子、MEE/NBS 电网因子",
    ),
}
DEFAULT_SET = "national"
#: what a person reads for a bundled set's name (its ``name`` is the key the CLI and the API use)
SET_NAMES = {"national": gettext_noop("国家方法默认因子集")}
#: a set the coordinator derived by entering yearly factors on the page (``services.enter_yearly_factors``)
ENTERED = "-录入"


def shown_label(label: str) -> str:
    """A factor set as a person reads it: ``national@2026.1-录入2`` → 国家方法默认因子集 2026.1 版（录入 2）.
    The ``name@version`` label stays the key in the API, the CLI and the stored runs."""
    name, _, version = (label or "").partition("@")
    if not version:
        return label or ""
    root, entered, n = version.partition(ENTERED)
    shown = f"{SET_NAMES.get(name, name)} {root} 版"
    return f"{shown}（录入 {n}）" if entered else shown


KINDS = {
    "standard_coal": gettext_noop("标准煤定义"),
    "coal_coefficient": gettext_noop("折标准煤系数（当量值）"),
    "ncv": gettext_noop("平均低位发热量"),
    "carbon_content": gettext_noop("单位热值含碳量"),
    "oxidation": gettext_noop("碳氧化率"),
    "co2_per_unit": gettext_noop("单位实物量二氧化碳排放"),
    "grid_co2": gettext_noop("电网平均排放因子"),
    "heat_co2": gettext_noop("热力排放因子"),
    "generation_coal_rate": gettext_noop("平均发电标准煤耗（等价值，能源平衡表口径）"),
    "supply_coal_rate": gettext_noop("供电标准煤耗（中电联口径，仅供参考，不用于等价值）"),
    "grid_non_fossil_share": gettext_noop("电网非化石电量占比（调入电力中的非化石电量，分电网结构）"),
    "assessed_boundary": gettext_noop(
        "考核采用的二氧化碳核算口径（设置：key 为 territorial / assessed / consumption）"
    ),
}
# settings, not numbers: one row per set (a new row replaces the old), the choice in ``key``, no value
SETTING_KINDS = ("assessed_boundary",)
BOUNDARIES = ("territorial", "assessed", "consumption")
DEFAULT_BOUNDARY = "assessed"
# kinds that hold one value per year: a row without a year is refused
YEARLY_KINDS = ("grid_co2", "generation_coal_rate", "supply_coal_rate", "grid_non_fossil_share")
NATIONAL = "全国"
#: the standing of an input the demo entered itself where the reference has no sourced value
SAMPLE_INPUT = gettext_noop("示例输入")
# the unit each kind is converted to before use; the engine's base units are t, m³, kWh and tce
_TARGET_UNITS = {
    "grid_co2": "tCO2/kWh",
    "heat_co2": "tCO2/kWh",
    "generation_coal_rate": "tce/kWh",
    "supply_coal_rate": "tce/kWh",
    "carbon_content": "tC/TJ",
    "oxidation": "",
    "standard_coal": "kJ/kgce",
}
CO2_PER_C = 44.0 / 12.0  # molar masses of CO2 and C: stoichiometry, not a reference factor

CSV_COLUMNS = ("kind", "key", "year", "value", "unit", "source", "status", "reference_item", "note")


class FactorError(ValueError):
    """A factor file that cannot be read; the message names the row and column."""


class MissingFactor(LookupError):
    """The set lacks a factor the records need; the message names the fuel and the set."""


@dataclass(frozen=True)
class Factor:
    kind: str
    key: str
    year: int | None
    value: float | None
    unit: str
    source: str
    status: str
    reference_item: str = ""
    note: str = ""


@dataclass(frozen=True)
class GridFactor:
    """A grid factor as used, with the year and region it was actually taken from."""

    value: float  # tCO2/kWh
    region: str
    year: int
    requested_year: int
    source: str
    status: str

    @property
    def note(self) -> str:
        if self.year == self.requested_year:
            return ""
        return Message(
            gettext_noop(
                "%(requested)s年无%(region)s电网因子，采用%(year)s年值（本平台规则：沿用最近一年的公布值）"
            ),
            requested=self.requested_year,
            region=self.region,
            year=self.year,
        )

    def to_dict(self) -> dict:
        return {
            "value_kg_per_kwh": round(self.value * 1000, 6),
            "region": self.region,
            "year": self.year,
            "requested_year": self.requested_year,
            "source": self.source,
            "status": self.status,
            "note": self.note,
        }


@dataclass
class FactorSet:
    name: str
    version: str
    factors: tuple[Factor, ...]
    title: str = ""
    _by_key: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _converted: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for f in self.factors:
            self._by_key[(f.kind, f.key, f.year)] = f

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def _boundary_row(self) -> Factor | None:
        return next((f for f in reversed(self.factors) if f.kind == "assessed_boundary"), None)

    @property
    def assessed_boundary(self) -> str:
        """The CO2 boundary the set names as assessed (every headline CO2 figure is on it)."""
        row = self._boundary_row()
        return row.key if row is not None else DEFAULT_BOUNDARY

    def assessed_boundary_source(self) -> str:
        row = self._boundary_row()
        return row.source if row is not None else "本平台规则（因子集未设置，默认考核口径）"

    def _get(self, kind: str, key: str, year: int | None = None) -> Factor | None:
        return self._by_key.get((kind, key, year))

    def _missing(self, kind: str, fuel: str) -> MissingFactor:
        row = self._get(kind, fuel)
        hint = f"（{row.note}）" if row is not None and row.note else ""
        return MissingFactor(f"因子集 {self.label} 缺少“{fuel}”的{KINDS[kind]}{hint}，请在后台补充后重算")

    def coal_coefficient(self, fuel: catalog.Fuel) -> float:
        """tce per base physical unit (t, m³ or kWh): the 当量值."""
        key = ("coal_coefficient", fuel.name)
        if key not in self._converted:  # pint conversions are slow; a set never changes once built
            self._converted[key] = self._coal_coefficient(fuel)
        return self._converted[key]

    def _coal_coefficient(self, fuel: catalog.Fuel) -> float:
        row = self._get("coal_coefficient", fuel.name)
        if row is None or row.value is None:
            raise self._missing("coal_coefficient", fuel.name)
        return catalog.factor_in(row.value, row.unit, f"tce/{catalog.BASE_UNIT[fuel.dimension]}")

    def co2_per_unit(self, fuel: catalog.Fuel) -> float:
        """tCO2 per base physical unit: a direct factor if the set has one, else NCV × C × OF × 44/12."""
        key = ("co2_per_unit", fuel.name)
        if key not in self._converted:
            self._converted[key] = self._co2_per_unit(fuel)
        return self._converted[key]

    def _co2_per_unit(self, fuel: catalog.Fuel) -> float:
        base = catalog.BASE_UNIT[fuel.dimension]
        if fuel.family == catalog.HEAT:
            row = self._get("heat_co2", fuel.name)
            if row is None or row.value is None:
                raise self._missing("heat_co2", fuel.name)
            return catalog.factor_in(row.value, row.unit, f"tCO2/{base}")
        direct = self._get("co2_per_unit", fuel.name)
        if direct is not None and direct.value is not None:
            return catalog.factor_in(direct.value, direct.unit, f"tCO2/{base}")
        parts = {}
        for kind in ("ncv", "carbon_content", "oxidation"):
            row = self._get(kind, fuel.name)
            if row is None or row.value is None:
                raise self._missing(kind, fuel.name)
            parts[kind] = row
        ureg = catalog.unit_registry()
        ncv = ureg.Quantity(parts["ncv"].value, parts["ncv"].unit.replace("m3", "m**3"))
        carbon = ureg.Quantity(parts["carbon_content"].value, parts["carbon_content"].unit)
        per_unit = (ncv * carbon).to(f"tC/{base}").magnitude
        return float(per_unit) * parts["oxidation"].value * CO2_PER_C

    def grid(self, region: str, year: int) -> GridFactor:
        """The year's factor, else the latest earlier year, else the earliest later one (with a note)."""
        rows = [f for f in self.factors if f.kind == "grid_co2" and f.key == region and f.value is not None]
        if not rows:
            regions = sorted({f.key for f in self.factors if f.kind == "grid_co2"})
            raise MissingFactor(
                f"因子集 {self.label} 没有“{region}”的电网排放因子；已有地区：{'、'.join(regions) or '无'}"
            )
        earlier = [f for f in rows if f.year is not None and f.year <= year]
        chosen = max(earlier, key=lambda f: f.year) if earlier else min(rows, key=lambda f: f.year or 0)
        value = catalog.factor_in(chosen.value, chosen.unit, "tCO2/kWh")
        return GridFactor(value, region, chosen.year or year, year, chosen.source, chosen.status)

    def generation_coal_rate(self, region: str, year: int) -> Factor | None:
        """The year's average 发电 coal rate that converts electricity to 等价值 (NBS: 电力折算标准煤系数按平均
        发电煤耗计算): the region's row for exactly that year, else the national row for that year (the
        result names which); never another year's, and never the 供电 rate."""
        for key in (region, NATIONAL):
            row = self._get("generation_coal_rate", key, year)
            if row is not None and row.value is not None:
                return row
        return None

    def grid_non_fossil_share(self, key: str, year: int) -> tuple[float, Factor] | None:
        """The non-fossil share of a grid's supply in that exact year (a fraction) and its row; None until a
        coordinator enters it with its source (the reference has no sourced Jiangsu share)."""
        row = self._get("grid_non_fossil_share", key, year)
        if row is None or row.value is None:
            return None
        return (row.value / 100 if row.unit.strip() == "%" else row.value), row

    def coal_rate_tce_per_kwh(self, row: Factor) -> float:
        return catalog.factor_in(row.value, row.unit, "tce/kWh")

    def grid_regions(self) -> list[str]:
        return sorted({f.key for f in self.factors if f.kind == "grid_co2"})


def _parse_number(text: str, where: str) -> float | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise FactorError(f"{where}：“{text}”不是数字") from exc


def read_factor_rows(text: str, source_name: str = "CSV") -> tuple[Factor, ...]:
    """Parse a factor CSV (columns as in the bundled file); every error names the row and column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [
        c for c in ("kind", "key", "value", "unit", "source", "status") if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise FactorError(f"{source_name}：缺少列 {', '.join(missing)}；须有列：{', '.join(CSV_COLUMNS)}")
    rows = []
    for number, raw in enumerate(reader, start=2):
        where = f"{source_name} 第{number}行"
        kind = (raw.get("kind") or "").strip()
        if kind not in KINDS:
            raise FactorError(f"{where} kind 列：未知类别“{kind}”；可用：{', '.join(KINDS)}")
        key = (raw.get("key") or "").strip()
        if not key:
            raise FactorError(f"{where} key 列：为空")
        try:
            year = parse_int(raw.get("year"), what=f"{where} year 列：年份", low=1900, high=2100)
        except NumberError as exc:
            raise FactorError(str(exc)) from None
        if kind in YEARLY_KINDS and year is None:
            raise FactorError(f"{where} year 列：{KINDS[kind]}须注明年份")
        value = _parse_number(raw.get("value", ""), f"{where} value 列")
        unit = (raw.get("unit") or "").strip()
        factor = Factor(
            kind=kind,
            key=key,
            year=year,
            value=value,
            unit=unit,
            source=(raw.get("source") or "").strip(),
            status=(raw.get("status") or "").strip(),
            reference_item=(raw.get("reference_item") or "").strip(),
            note=(raw.get("note") or "").strip(),
        )
        if kind in SETTING_KINDS:
            if factor.key not in BOUNDARIES:
                raise FactorError(
                    f"{where} key 列：口径须为 {' / '.join(BOUNDARIES)}（填的是“{factor.key}”）"
                )
            if not factor.source:
                raise FactorError(f"{where} source 列：设置须注明依据")
        if value is not None:
            if not factor.source:
                raise FactorError(f"{where} source 列：每个因子都须注明来源")
            _check_unit(factor, where)
        rows.append(factor)
    return tuple(rows)


def _check_unit(factor: Factor, where: str) -> None:
    if factor.kind == "grid_non_fossil_share":
        share = factor.value / 100 if factor.unit.strip() == "%" else factor.value
        # a share without a value is 参考资料未找到 (checked as missing where it is used), not 0
        if factor.unit.strip() not in ("%", "1", "") or (share is not None and not 0 <= share <= 1):
            raise FactorError(f"{where}：{KINDS[factor.kind]}须为 0–100 %（单位 %）或 0–1（单位 1）")
        return
    target = _TARGET_UNITS.get(factor.kind)
    try:
        if target:
            catalog.factor_in(1.0, factor.unit or "", target)  # the unit alone is checked here
        elif factor.unit and factor.unit != "1":
            catalog.unit_registry().Quantity(1, factor.unit.replace("m3", "m**3"))
    except Exception as exc:  # pint raises several types for a bad unit
        raise FactorError(f"{where} unit 列：单位“{factor.unit}”不适用于{KINDS[factor.kind]}") from exc


def overlay(
    base: FactorSet | None, rows: tuple[Factor, ...], name: str, version: str, title: str = ""
) -> FactorSet:
    """A new set: ``base``'s rows with ``rows`` added, a row of the same kind, key and year replacing."""
    merged: dict[tuple, Factor] = {}
    for f in (*(base.factors if base is not None else ()), *rows):
        merged[(f.kind, None, None) if f.kind in SETTING_KINDS else (f.kind, f.key, f.year)] = f
    return FactorSet(name, version, tuple(merged.values()), title)


def load_factor_set(name: str = DEFAULT_SET) -> FactorSet:
    """A bundled set by name, or a CSV file by path: its rows added to (or replacing rows of) the default
    set, so a file can carry just the year's 发电 coal rate (its name is the file stem, version 'file')."""
    if name in BUNDLED_SETS:
        path, version, title = BUNDLED_SETS[name]
        return FactorSet(name, version, read_factor_rows(path.read_text("utf-8"), path.name), title)
    path = Path(name)
    if path.suffix.lower() == ".csv" and path.exists():
        rows = read_factor_rows(path.read_text("utf-8-sig"), path.name)
        return overlay(load_factor_set(DEFAULT_SET), rows, path.stem, "file", f"{DEFAULT_SET} + {path}")
    raise FactorError(f"未知因子集“{name}”；内置：{', '.join(BUNDLED_SETS)}，或给出因子 CSV 文件路径")
