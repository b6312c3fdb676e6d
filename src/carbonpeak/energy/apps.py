from django.apps import AppConfig


class EnergyConfig(AppConfig):
    name = "carbonpeak.energy"
    verbose_name = "能源统计与碳排放核算"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from carbonpeak.energy import (
            events,  # noqa: F401  (registers its handlers)
            services,  # noqa: F401  (registers its upload handler)
        )
