from django.apps import AppConfig


class ProjectionConfig(AppConfig):
    name = "carbonpeak.projection"
    verbose_name = "达峰预测"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from carbonpeak.projection import events  # noqa: F401  (registers its handlers)
