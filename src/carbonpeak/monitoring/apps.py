from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "carbonpeak.monitoring"
    verbose_name = "目标监测与预警"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from carbonpeak.core import versions
        from carbonpeak.monitoring.selectors import grade_inputs

        # the grades are cached per data version: every model they are computed from changes it
        versions.track(*grade_inputs())
