from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "carbonpeak.supervision"
    verbose_name = "进展报送与督办"
    default_auto_field = "django.db.models.BigAutoField"
