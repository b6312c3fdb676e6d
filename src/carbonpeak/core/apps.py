from django.apps import AppConfig, apps
from django.core.management import call_command
from django.db.models.signals import post_migrate

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
        from carbonpeak.core import quotas, text, versions
        from carbonpeak.core.language import said

        text.set_sayer(said)
        quotas.check_overrides()
        post_migrate.connect(_cache_table, sender=self, dispatch_uid="carbonpeak-cache-table")

        for label in VERSIONED_APPS:
            versions.track(
                *(m for m in apps.get_app_config(label).get_models() if m._meta.label not in NOT_INPUTS)
            )


def _cache_table(using: str = "default", **_ignored) -> None:
    """The shared cache's table (settings.CACHES, the database cache) made with the schema: every ``migrate``
    (the demo, a deployment, the test databases) leaves it in place; an existing table is left as it is."""
    call_command("createcachetable", database=using, verbosity=0)
