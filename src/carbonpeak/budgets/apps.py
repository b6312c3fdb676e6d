from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "carbonpeak.budgets"
    label = "budgets"
    verbose_name = "碳排放双控"
