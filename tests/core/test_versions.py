"""Figures cached per data version cannot go stale: every write to what the grades are computed from changes
the version in the same transaction, and what the grades produce (warnings, stored assessments) does not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carbonpeak.core import versions
from carbonpeak.monitoring import assessment, services
from carbonpeak.monitoring.models import EarlyWarning, Indicator

pytestmark = pytest.mark.django_db
BUS = "新能源和清洁能源公交车辆占比"


def bus_value(client) -> float | None:
    rows = client.get("/api/targets").json()
    return next(r["value"] for r in rows if r["indicator"] == BUS and r["year"] == 2025)


def test_an_approval_shows_at_once_and_reading_again_computes_nothing(client, demo_plan, coordinator):
    client.force_login(coordinator)
    before = bus_value(client)
    with CaptureQueriesContext(connection) as again:
        assert bus_value(client) == before
    # session, user and groups, the plan, the version: the grades come from this process's memory (another
    # server reads them from the shared cache, one query more)
    assert len(again) <= 5
    indicator = Indicator.objects.get(name=BUS)
    observation = services.report_observation(indicator, 2025, 4, 99.5, coordinator)
    services.submit_observation(observation, user=coordinator)
    services.approve_observation(observation, user=coordinator)
    assert bus_value(client) == 99.5


def test_what_the_grades_produce_does_not_change_the_version(demo_plan, coordinator):
    token = versions.current()
    EarlyWarning.objects.create(
        target=demo_plan.targets.first(), kind=EarlyWarning.Kind.OVERDUE, message="测试"
    )
    assert versions.current() == token
    services.set_value_document(demo_plan, "单位地区生产总值能耗", 2025, "苏府〔2024〕34号")  # an update()
    assert versions.current() != token


def test_a_value_cached_under_a_version_is_computed_once(demo_plan):
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert versions.cached("k", compute) == versions.cached("k", compute) == 1
    versions.bump()
    assert versions.cached("k", compute) == 2


def test_a_cached_value_is_kept_where_every_server_reads_it(demo_plan):
    """Django's cache (a table of the database here), not this process's memory: a cache object made anew, as
    another server's process would make it, reads what this one computed, under the same data version."""
    from django.core.cache.backends.db import DatabaseCache

    assert versions.cached(("shared", 1), lambda: "computed here") == "computed here"
    another_server = DatabaseCache("carbonpeak_cache", {})
    assert another_server.get(versions._cache_key(versions.current(), ("shared", 1))) == "computed here"
    versions.bump()
    assert versions.cached(("shared", 1), lambda: "computed again") == "computed again"


def test_a_cached_part_of_a_page_is_kept_per_language(monkeypatch):
    """The same figures render once per data version and language: an English page never gets the Chinese
    part."""
    from django.utils import translation

    rendered = []
    monkeypatch.setattr(
        versions,
        "render_to_string",
        lambda template, context, request: (
            rendered.append(translation.get_language()) or translation.get_language()
        ),
    )
    versions.clear()
    with translation.override("zh-hans"):
        assert versions.cached_html("k", None, "t.html", dict) == "zh-hans"
        assert versions.cached_html("k", None, "t.html", dict) == "zh-hans"
    with translation.override("en"):
        assert versions.cached_html("k", None, "t.html", dict) == "en"
    assert rendered == ["zh-hans", "en"]


def test_pages_read_the_grades_the_background_job_computed(client, demo_plan, coordinator, monkeypatch):
    # the sample values were approved: the job that followed graded the plan and kept the grades
    versions.clear()  # another server process: nothing in its memory

    def must_not_run(*args, **kwargs):
        raise AssertionError("a page graded the plan again")

    monkeypatch.setattr(assessment, "assess_plan", must_not_run)
    client.force_login(coordinator)
    assert client.get("/monitoring/").status_code == 200
    assert client.get("/api/targets").status_code == 200


def test_a_page_read_before_the_job_has_graded_writes_nothing(client, demo_plan, coordinator):
    """A new day (or a change made in the admin) before the re-grade: the page grades in its own process and
    keeps nothing; storing the grades is the background job's (no GET writes)."""
    from carbonpeak.core.models import ComputedFigure
    from carbonpeak.monitoring.models import Assessment

    versions.bump()  # nothing is stored for this data version
    versions.clear()
    figures, assessments = ComputedFigure.objects.count(), Assessment.objects.count()
    client.force_login(coordinator)
    assert client.get("/monitoring/").status_code == 200
    assert client.get("/api/targets").status_code == 200
    assert (ComputedFigure.objects.count(), Assessment.objects.count()) == (figures, assessments)
    services.evaluate(demo_plan)  # the job: it stores the grades for the pages
    assert ComputedFigure.objects.filter(token=versions.current()).exists()


def test_the_daily_regrade_stores_the_days_grades_once(demo_plan):
    versions.bump()  # a new day, or a change made in the admin: nothing stored for it
    assert services.regrade_if_new_day() is True
    assert services.regrade_if_new_day() is False  # stored now: the next turn of the schedule does nothing


def test_kept_grades_are_json_and_read_back_as_computed(demo_plan):
    """What another process reads from the database is what the job computed; the row holds data only."""
    import json

    from carbonpeak.core.models import ComputedFigure
    from carbonpeak.monitoring import selectors

    services.evaluate(demo_plan)
    computed = [s.to_dict() for s in assessment.assess_plan(demo_plan)]
    row = ComputedFigure.objects.get(token=versions.current())
    json.dumps(row.payload)  # plain data
    versions.clear()
    read = selectors.plan_statuses(demo_plan)
    assert [s.to_dict() for s in read] == computed
    assert [(s.points, s.baseline) for s in read] == [
        (s.points, s.baseline) for s in assessment.assess_plan(demo_plan)
    ]


def test_a_kept_row_in_another_shape_is_worked_out_again(demo_plan):
    """A row written by an older release (or by hand) is never trusted as code or as grades."""
    from carbonpeak.core.models import ComputedFigure
    from carbonpeak.monitoring import selectors

    services.evaluate(demo_plan)
    ComputedFigure.objects.filter(token=versions.current()).update(payload={"__reduce__": "os.system"})
    versions.clear()
    read = selectors.plan_statuses(demo_plan)
    assert [s.to_dict() for s in read] == [s.to_dict() for s in assessment.assess_plan(demo_plan)]
