from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.periods, name="periods"),
    path("open/", views.open_period, name="open"),
    path("<int:period_id>/", views.board, name="board"),
    path("<int:period_id>/<str:action>/", views.period_action, name="period_action"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/<str:action>/", views.report_action, name="report_action"),
    path("evidence/<int:evidence_id>/", views.evidence, name="evidence"),
]
