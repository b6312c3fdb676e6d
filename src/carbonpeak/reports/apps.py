from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "carbonpeak.reports"
    verbose_name = "季度报告"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from carbonpeak.reports import events  # noqa: F401  (registers its handlers)
