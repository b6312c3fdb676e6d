"""The key enterprises' approved reports by sector against the city's sector accounts of the same year."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from carbonpeak.demo import ensure_demo_enterprises
from carbonpeak.energy import selectors as energy
from carbonpeak.enterprises import selectors
from carbonpeak.enterprises.models import EnterpriseReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def reconciled(demo_plan, coordinator):
    ensure_demo_enterprises(coordinator)
    return coordinator


def test_sums_coverage_and_gap_by_hand(reconciled, client):
    rows, region = selectors.reconciliation(2025)
    run = energy.current_run()
    city = run.results.get(region=region, year=2025, first_quarter=1, last_quarter=4).data["by_sector"]
    approved = EnterpriseReport.objects.filter(year=2025, status="approved").select_related("enterprise")
    by_sector: dict[str, list[float]] = {}
    for r in approved:
        by_sector.setdefault(r.enterprise.sector, []).append(r.terminal_tce)
    assert {r.sector for r in rows} == set(by_sector)
    for row in rows:
        assert row.enterprises == len(by_sector[row.sector])
        assert row.enterprises_tce == pytest.approx(sum(by_sector[row.sector]))
        assert row.city_tce == pytest.approx(city[row.sector]["terminal_tce"])
        assert row.coverage == pytest.approx(row.enterprises_tce / row.city_tce)
        assert row.gap_tce == pytest.approx(row.city_tce - row.enterprises_tce)
    client.force_login(reconciled)
    answer = client.get("/api/enterprises/reconciliation?year=2025").json()
    assert {"sector", "enterprises_tce", "city_tce", "coverage"} <= set(answer["items"][0])
    assert answer["region"] == region and answer["movers"]
    assert (
        'data-testid="reconciliation"'
        in client.get("/enterprises/reconciliation/?year=2025").content.decode()
    )


def test_only_the_latest_approved_revision_counts_and_overreporting_is_warned(reconciled):
    paper = EnterpriseReport.objects.get(year=2025, enterprise__sector="造纸和纸制品业", status="approved")
    city, _ = selectors.city_sector_accounts(2025)
    newer = EnterpriseReport.objects.get(pk=paper.pk)
    newer.pk, newer.revision, newer.terminal_tce = None, 2, city["造纸和纸制品业"] * 1.5
    newer.save()
    rows = {r.sector: r for r in selectors.reconciliation(2025)[0]}
    assert rows["造纸和纸制品业"].enterprises == 1
    assert rows["造纸和纸制品业"].enterprises_tce == pytest.approx(city["造纸和纸制品业"] * 1.5)
    assert "超过全市该行业" in rows["造纸和纸制品业"].warning


def test_an_enterprise_user_is_refused_the_city_comparison(reconciled, client):
    client.force_login(get_user_model().objects.get(username="jiulong"))
    assert client.get("/api/enterprises/reconciliation?year=2025").status_code == 403
    assert client.get("/enterprises/reconciliation/").status_code == 403
