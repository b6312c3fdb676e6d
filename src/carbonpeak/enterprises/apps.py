from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "carbonpeak.enterprises"
    label = "enterprises"
    verbose_name = "重点企业"

    def ready(self) -> None:
        from carbonpeak.enterprises import (
            events,  # noqa: F401  (registers its handlers)
            services,  # noqa: F401  (registers its upload handler)
        )
