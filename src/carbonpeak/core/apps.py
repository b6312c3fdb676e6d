from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carbonpeak.core"
    label = "core"
    verbose_name = "公共"
    default_auto_field = "django.db.models.BigAutoField"
