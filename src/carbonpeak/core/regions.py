"""The regions a platform serves, as a tree: province → city → county-level city → districts and towns
(issue 19). The bundled tree (``data/regions.csv``, each row with its source) is Taicang's; the accounts of a
region's children roll up to it, and what the children do not account for is 未分解, never hidden."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction

REGIONS_FILE = Path(__file__).resolve().parent / "data" / "regions.csv"
DISTRICT_LEVEL = "区镇"


@dataclass(frozen=True)
class RegionRow:
    name: str
    parent: str
    level: str
    note: str
    source: str


def bundled_rows() -> list[RegionRow]:
    with open(REGIONS_FILE, encoding="utf-8") as fh:
        return [RegionRow(**row) for row in csv.DictReader(fh)]


@transaction.atomic
def ensure_regions() -> int:
    """The bundled tree in the database (parents first); returns how many regions were added."""
    from carbonpeak.core.models import Region

    added = 0
    for row in bundled_rows():
        parent = Region.objects.get(name=row.parent) if row.parent else None
        _, created = Region.objects.update_or_create(
            name=row.name,
            defaults={"parent": parent, "level": row.level, "note": row.note, "source": row.source},
        )
        added += created
    return added


def rollup(region_name: str, accounts: dict[str, tuple[float, float]]) -> dict:
    """A region's own account against the sum of its children's: ``accounts`` maps a region name to
    (energy tce, CO2 t) for one period. 未分解 is the part of the region's own figure its children do not
    account for (own − Σ children); None where the region has no account of its own or a child has not
    reported."""
    from carbonpeak.core.models import Region

    region = Region.objects.get(name=region_name)
    children = list(region.children.order_by("id").values_list("name", flat=True))
    rows = [
        {"region": name, "energy_tce": accounts[name][0], "co2_t": accounts[name][1]}
        if name in accounts
        else {"region": name, "energy_tce": None, "co2_t": None}
        for name in children
    ]
    reported = [r for r in rows if r["energy_tce"] is not None]
    total_energy = sum(r["energy_tce"] for r in reported) if reported else None
    total_co2 = sum(r["co2_t"] for r in reported) if reported else None
    own = accounts.get(region_name)
    return {
        "region": region_name,
        "children": rows,
        "children_reported": len(reported),
        "children_total": {"energy_tce": total_energy, "co2_t": total_co2},
        "own": {"energy_tce": own[0], "co2_t": own[1]} if own else None,
        # 未分解 is what the children's statistics do not cover: only known when every child reported
        # (own − the reported ones would count an unreported child as 0)
        "unallocated": (
            {"energy_tce": own[0] - total_energy, "co2_t": own[1] - total_co2}
            if own and rows and len(reported) == len(rows)
            else None
        ),
    }


DIVISION_CODES_FILE = Path(__file__).resolve().parent / "data" / "division-codes.csv"


@cache
def division_names() -> dict[str, str]:
    """The six-digit administrative division codes (GB/T 2260) of the bundled regions, by code: an enterprise's
    统一社会信用代码 carries one (its 3rd–8th characters), which pages show by name."""
    with open(DIVISION_CODES_FILE, encoding="utf-8") as fh:
        return {row["code"]: row["name"] for row in csv.DictReader(fh)}


def division_name(code: str | None) -> str:
    """A division code by its name; a code not in the bundled list says so rather than pass for a name."""
    if not code:
        return "—"
    return division_names().get(code, f"行政区划代码 {code}（不在本市地区列表）")
