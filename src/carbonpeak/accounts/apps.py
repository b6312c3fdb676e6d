from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carbonpeak.accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from carbonpeak.accounts import signals  # noqa: F401  (connects the token revocation and the roles kept per user object)
