from django.apps import AppConfig


class SinksConfig(AppConfig):
    name = "carbonpeak.sinks"
    label = "sinks"
    verbose_name = "碳汇"
