from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "carbonpeak.plans"
    verbose_name = "方案与任务"
