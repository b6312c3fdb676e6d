from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("targets/<int:target_id>/", views.target_detail, name="target"),
    path("targets/<int:target_id>/report/", views.report, name="report"),
    path(
        "targets/<int:target_id>/observations/<int:observation_id>/<str:action>/", views.review, name="review"
    ),
    path("warnings/", views.warnings, name="warnings"),
]
