from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "carbonpeak.monitoring"
    verbose_name = "目标监测与预警"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from carbonpeak.monitoring import events  # noqa: F401  (registers its handlers)
