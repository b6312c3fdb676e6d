from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "carbonpeak.web"
    verbose_name = "界面"
