"""The region tree (issue 19, first part): the bundled tree with its sources, the API, and the roll-up of
children's accounts to their parent with what they do not account for shown as 未分解."""

from __future__ import annotations

import pytest

from carbonpeak.core.models import Region
from carbonpeak.core.regions import bundled_rows, ensure_regions, rollup
from carbonpeak.departments.models import Department
from carbonpeak.departments.services import ensure_districts

pytestmark = pytest.mark.django_db


def test_the_bundled_tree_and_its_sources():
    assert ensure_regions() == 10 and ensure_regions() == 0  # idempotent
    taicang = Region.objects.get(name="太仓市")
    assert (taicang.parent.name, taicang.parent.parent.name, taicang.level) == ("苏州市", "江苏省", "县级市")
    towns = list(taicang.children.values_list("name", flat=True))
    assert towns == ["港区", "高新区", "城厢镇", "沙溪镇", "浏河镇", "璜泾镇", "双凤镇"]
    assert all(row.source for row in bundled_rows())
    # the districts as departments come from the same file
    assert [d.name for d in ensure_districts()] == towns
    assert Department.objects.filter(name__in=towns, kind="区镇").count() == 7


def test_rollup_is_the_sum_of_the_parts_plus_unallocated():
    ensure_regions()
    accounts = {"太仓市": (1000.0, 2500.0), "港区": (400.0, 900.0), "沙溪镇": (100.0, 250.0)}
    got = rollup("太仓市", accounts)
    assert got["children_reported"] == 2
    assert got["children_total"] == {"energy_tce": 500.0, "co2_t": 1150.0}
    missing = {c["region"] for c in got["children"] if c["energy_tce"] is None}
    assert missing == {"高新区", "城厢镇", "浏河镇", "璜泾镇", "双凤镇"}  # 未报, never 0
    assert got["unallocated"] is None  # own − the two reported would count five unreported as 0
    for town in missing:
        accounts[town] = (50.0, 100.0)
    whole = rollup("太仓市", accounts)
    assert whole["unallocated"] == {"energy_tce": 250.0, "co2_t": 850.0}
    parts = sum(c["energy_tce"] for c in whole["children"]) + whole["unallocated"]["energy_tce"]
    assert parts == accounts["太仓市"][0]
    assert rollup("太仓市", {})["own"] is None and rollup("太仓市", {})["unallocated"] is None


def test_regions_api(client, coordinator):
    ensure_regions()
    client.force_login(coordinator)
    items = client.get("/api/regions").json()["items"]
    assert {"name": "太仓市", "parent": "苏州市"}.items() <= next(
        i for i in items if i["name"] == "太仓市"
    ).items()
    assert next(i for i in items if i["name"] == "江苏省")["parent"] is None
    answer = client.get("/api/regions/太仓市/rollup?year=2025").json()
    assert answer["region"] == "太仓市" and len(answer["children"]) == 7
    assert client.get("/api/regions/火星市/rollup?year=2025").status_code == 404
