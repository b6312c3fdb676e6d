"""Scenarios are edited on the scenario pages (versioned, audited); the admin shows them and the runs."""

from django.contrib import admin

from carbonpeak.core.audit import ReadOnlyAdmin

from .models import ProjectionRun, Scenario, ScenarioVersion


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ("name", "based_on", "created_by", "created_at")


@admin.register(ScenarioVersion)
class ScenarioVersionAdmin(ReadOnlyAdmin):
    list_display = ("scenario", "number", "author", "comment", "created_at")


@admin.register(ProjectionRun)
class ProjectionRunAdmin(ReadOnlyAdmin):
    list_display = (
        "scenario_name",
        "scenario_version",
        "accounting_run",
        "draws",
        "seed",
        "end_year",
        "created_at",
    )
    list_filter = ("scenario_name",)
