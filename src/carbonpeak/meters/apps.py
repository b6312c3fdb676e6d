from django.apps import AppConfig


class MetersConfig(AppConfig):
    name = "carbonpeak.meters"
    label = "meters"
    verbose_name = "在线监测"

    def ready(self) -> None:
        from carbonpeak.meters import services  # noqa: F401 (registers its upload handler with core.uploads)
