from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carbonpeak.accounts"
    verbose_name = "用户与权限"
