"""Every page and API list answers in a number of queries that does not grow with the data: measured with the
demo data, then with ten times as many targets, progress reports and energy submissions (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carbonpeak.core import versions
from carbonpeak.core.models import ComputedFigure
from carbonpeak.energy.models import EnergySubmission
from carbonpeak.monitoring.models import TargetIndicator
from carbonpeak.plans.models import Target
from carbonpeak.supervision import services as supervision
from carbonpeak.supervision.models import ReportingPeriod

pytestmark = pytest.mark.django_db

PAGES = [
    "/monitoring/",
    "/monitoring/warnings/",
    "/plans/",
    "/plans/matrix/",
    "/plans/targets/",
    "/plans/departments/",
    "/energy/",
    "/energy/submissions/",
    "/energy/factors/",
    "/energy/certificates/",
    "/projection/",
    "/progress/",
    "/reports/",
    "/accounts/audit/",
    "/jobs/",
    "/api/targets",
    "/api/indicators",
    "/api/plan",
    "/api/energy/submissions",
    "/api/energy/summary",
    "/api/energy/certificates",
    "/api/projections",
    "/api/periods",
    "/api/reports",
]
QUARTERS = [
    "2023Q3",
    "2023Q4",
    "2024Q1",
    "2024Q2",
    "2024Q3",
    "2024Q4",
    "2025Q1",
    "2025Q2",
    "2025Q3",
    "2025Q4",
]


def queries(client, path: str) -> int:
    """Queries of one request, nothing cached or kept before it (the first request after the data changed
    outside any background job, which is when a page computes)."""
    versions.clear()
    ComputedFigure.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def own_queries(client, path: str) -> int:
    """The same, without the shared cache's own (the database cache reads a part in one query and writes one in
    five: its table's size, a savepoint, the key, the row, the release; with Redis they are not queries)."""
    versions.clear()
    ComputedFigure.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    cache = [
        q for q in captured.captured_queries if "carbonpeak_cache" in q["sql"] or "SAVEPOINT" in q["sql"]
    ]
    return len(captured) - len(cache)


def tenfold(plan, coordinator) -> None:
    """Nine copies of every target (with its indicator), nine more reporting periods of progress reports,
    nine more revisions of every energy submission."""
    for copy in range(1, 10):
        for target in list(Target.objects.filter(plan=plan).exclude(key__contains="#")):
            link = TargetIndicator.objects.filter(target=target).first()
            target.pk, target.key = None, f"{target.key}#{copy}"
            target.save()
            if link is not None:
                link.pk, link.target = None, target
                link.save()
    for key in QUARTERS[1:]:
        supervision.open_period(plan, key, dt.date(2026, 12, 31), coordinator)
    for submission in list(EnergySubmission.objects.all()):
        for _ in range(1, 10):
            submission.pk, submission.revision = None, submission.revision + 100
            submission.status = "draft"
            submission.save()


def test_pages_and_api_lists_answer_in_a_constant_number_of_queries(client, demo_plan, coordinator):
    period = supervision.open_period(demo_plan, QUARTERS[0], dt.date(2026, 12, 31), coordinator)
    link = TargetIndicator.objects.filter(target__plan=demo_plan, indicator__kind="reported").first()
    pages = [
        *PAGES,
        f"/progress/{period.pk}/",
        f"/progress/reports/{period.reports.first().pk}/",
        f"/monitoring/targets/{link.target_id}/",
        f"/energy/submissions/{EnergySubmission.objects.first().pk}/",
    ]
    client.force_login(coordinator)
    before = {path: queries(client, path) for path in pages}
    targets, reports = Target.objects.count(), supervision.ProgressReport.objects.count()
    submissions = EnergySubmission.objects.count()
    tenfold(demo_plan, coordinator)
    assert Target.objects.count() == 10 * targets
    assert ReportingPeriod.objects.count() == 10
    assert supervision.ProgressReport.objects.count() == 10 * reports
    assert EnergySubmission.objects.count() == 10 * submissions
    after = {path: queries(client, path) for path in pages}
    grown = {path: (before[path], after[path]) for path in pages if after[path] != before[path]}
    assert not grown, f"queries that grow with the data (demo → ×10): {grown}"
    # and few in all, even with nothing cached (session, user, the page's own reads)
    heavy = {path: n for path in pages if (n := own_queries(client, path)) > 30}
    assert not heavy, f"pages above 30 queries: {heavy}"
