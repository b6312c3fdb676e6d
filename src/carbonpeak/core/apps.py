from django.apps import AppConfig, apps

#: the apps whose data computed figures (grades, the accounts and plan pages) are built from: a write to any of
#: their models changes the data version (core.versions) …
VERSIONED_APPS = ("plans", "departments", "monitoring", "energy", "projection", "sinks")
#: … except what the grading itself writes (its output, not an input) and a plan still being checked before
#: import (nothing is computed from it)
NOT_INPUTS = {"monitoring.Assessment", "monitoring.EarlyWarning", "plans.PlanDraft"}


class CoreConfig(AppConfig):
    name = "carbonpeak.core"
    label = "core"
    verbose_name = "公共"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from carbonpeak.core import quotas, versions

        quotas.check_overrides()

        for label in VERSIONED_APPS:
            versions.track(
                *(m for m in apps.get_app_config(label).get_models() if m._meta.label not in NOT_INPUTS)
            )
