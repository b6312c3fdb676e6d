from django.apps import AppConfig


class MetersConfig(AppConfig):
    name = "carbonpeak.meters"
    label = "meters"
    verbose_name = "在线监测"
