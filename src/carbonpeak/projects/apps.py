from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "carbonpeak.projects"
    label = "projects"
    verbose_name = "重点项目"
    default_auto_field = "django.db.models.BigAutoField"
