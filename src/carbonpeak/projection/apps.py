from django.apps import AppConfig


class ProjectionConfig(AppConfig):
    name = "carbonpeak.projection"
    verbose_name = "达峰预测"
    default_auto_field = "django.db.models.BigAutoField"
