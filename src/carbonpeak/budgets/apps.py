from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "carbonpeak.budgets"
    label = "budgets"
    verbose_name = "碳排放双控"

    def ready(self) -> None:
        from carbonpeak.budgets import events  # noqa: F401  (registers its handlers)
