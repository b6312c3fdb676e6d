from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "carbonpeak.publication"
    verbose_name = "数据发布"
    default_auto_field = "django.db.models.BigAutoField"
