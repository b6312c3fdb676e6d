from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register, name="register"),
    path("template.xlsx", views.template, name="template"),
    path("upload/", views.upload, name="upload"),
    path("money.xlsx", views.money_workbook, name="money"),
    path("full-load-hours/", views.set_hours, name="set_hours"),
    path("<int:project_id>/", views.detail, name="detail"),
    path("<int:project_id>/progress/", views.progress, name="progress"),
    path("<int:project_id>/awards/", views.award, name="award"),
    path("<int:project_id>/edit/", views.edit, name="edit"),
]
