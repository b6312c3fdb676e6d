"""The model's fixed shapes: its sectors and fuel families, boundaries, horizons and the error it raises."""

from __future__ import annotations

from dataclasses import dataclass

from carbonpeak.core.text import SaidError, gettext_noop
from carbonpeak.energy import catalog

END_YEAR = 2035
PEAK_DEADLINE = 2030
# the accounting's three CO2 boundaries (energy.accounting): the model returns a path on each
BOUNDARIES = ("territorial", "assessed", "consumption")
BOUNDARY_NAMES = {
    "territorial": gettext_noop("本地燃烧口径"),
    "assessed": gettext_noop("净调入口径"),
    "consumption": gettext_noop("消费口径"),
}
PEAK_TOLERANCE = 0.01  # the robust peak rule's default band (本平台规则; the setting ``peak.tolerance``)
PLATEAU_WINDOW = 2  # P(plateau): the peak year within the deadline ± this many years
HOLDOUT_YEARS = 2  # validation: calibrate on all but these last accounted years and predict them
UNRESOLVED = "方案中未找到此目标"  # the source of a placeholder input whose plan target is missing
Z90 = 1.2815515655446004  # standard normal quantile at 0.9: P10/P90 = mean ∓ Z90·σ


@dataclass(frozen=True)
class ProjectionSector:
    key: str
    label: str
    accounting_sectors: tuple[str, ...]


SECTORS: tuple[ProjectionSector, ...] = (
    ProjectionSector("power", gettext_noop("电力生产"), ("电力、热力生产和供应业",)),
    ProjectionSector("paper", gettext_noop("造纸"), ("造纸和纸制品业",)),
    ProjectionSector("fibre", gettext_noop("化纤"), ("化学纤维制造业",)),
    ProjectionSector("nonferrous", gettext_noop("有色"), ("有色金属冶炼和压延加工业",)),
    ProjectionSector("other_industry", gettext_noop("其他工业"), ("其他工业",)),
    ProjectionSector(
        "buildings",
        gettext_noop("建筑（商业、公共与居民）"),
        ("批发和零售业、住宿和餐饮业", "其他行业", "城乡居民生活"),
    ),
    ProjectionSector("transport", gettext_noop("交通运输"), ("交通运输、仓储和邮政业",)),
    ProjectionSector("agriculture_other", gettext_noop("农业及建筑施工"), ("农林牧渔业", "建筑业")),
)
SECTOR_INDEX = {s.key: i for i, s in enumerate(SECTORS)}
SECTOR_OF = {name: i for i, s in enumerate(SECTORS) for name in s.accounting_sectors}
POWER = SECTOR_INDEX["power"]
INDUSTRY = tuple(SECTOR_INDEX[k] for k in ("paper", "fibre", "nonferrous", "other_industry"))
BUILDINGS = SECTOR_INDEX["buildings"]
TRANSPORT = SECTOR_INDEX["transport"]

# Direct-fuel families; the last column of the energy array is electricity (kWh).
FAMILIES = ("coal", "refined_oil", "other_oil", "gas", "heat")
FAMILY_LABEL = {
    "coal": gettext_noop("煤炭"),
    "refined_oil": gettext_noop("成品油"),
    "other_oil": gettext_noop("其他油品"),
    "gas": gettext_noop("天然气"),
    "heat": gettext_noop("外购热力"),
    "electricity": gettext_noop("电力"),
}
COAL, REFINED, GAS = FAMILIES.index("coal"), FAMILIES.index("refined_oil"), FAMILIES.index("gas")
HEAT = FAMILIES.index("heat")
F = len(FAMILIES)
ELEC = F
REFINED_OIL_FUELS = ("汽油", "煤油", "柴油")  # as the monitoring indicator 成品油消费量 counts them


def family_of(fuel: str) -> int | None:
    """The projection family of an accounting fuel; None for electricity (handled apart)."""
    known = catalog.FUEL_BY_NAME.get(fuel)
    if known is None or known.family == catalog.ELECTRICITY:
        return None
    if known.family == catalog.OIL:
        return REFINED if fuel in REFINED_OIL_FUELS else FAMILIES.index("other_oil")
    return FAMILIES.index({catalog.COAL: "coal", catalog.GAS: "gas", catalog.HEAT: "heat"}[known.family])


class ProjectionError(SaidError):
    """The history or the scenario cannot support a projection; the message says what is missing."""
