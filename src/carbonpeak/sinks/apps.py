from django.apps import AppConfig


class SinksConfig(AppConfig):
    name = "carbonpeak.sinks"
    label = "sinks"
    verbose_name = "碳汇"

    def ready(self) -> None:
        from carbonpeak.sinks import services  # noqa: F401 (registers its upload handler with core.uploads)
