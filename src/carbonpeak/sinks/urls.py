from django.urls import path

from . import views

app_name = "sinks"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("climate-zone/", views.climate_zone, name="climate_zone"),
    path("parameters/", views.parameter, name="parameter"),
    path("land/", views.land_record, name="land_record"),
    path("land/template.xlsx", views.template, name="template"),
    path("land/upload/", views.upload, name="upload"),
    path("baseline/", views.freeze, name="freeze"),
    path("<int:year>/export.xlsx", views.export_xlsx, name="export"),
]
