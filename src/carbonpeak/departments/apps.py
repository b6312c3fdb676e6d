from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "carbonpeak.departments"
    verbose_name = "部门与区镇"
