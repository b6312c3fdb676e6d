from django.urls import path

from . import views

app_name = "energy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("runs/<int:run_id>/", views.overview, name="run"),
    path("submissions/", views.submission_list, name="submissions"),
    path("submissions/upload/", views.upload, name="upload"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/<int:submission_id>/<str:action>/", views.submission_action, name="submission_action"),
    path("template.xlsx", views.template_download, name="template"),
    path("factors/", views.factor_sets, name="factor_sets"),
    path("factors/import/", views.factor_set_import, name="factor_set_import"),
    path("factors/enter/", views.factor_enter, name="factor_enter"),
    path("factors/boundary/", views.boundary_set, name="boundary_set"),
    path("factors/<int:set_id>/", views.factor_set_detail, name="factor_set"),
    path("factors/<int:set_id>/recompute/", views.recompute, name="recompute"),
    path("factors/<int:set_id>/default/", views.make_default, name="make_default"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/template.xlsx", views.certificate_template, name="certificate_template"),
    path("certificates/enter/", views.certificate_enter, name="certificate_enter"),
    path("certificates/upload/", views.certificate_upload, name="certificate_upload"),
    path(
        "certificates/<int:certificate_id>/withdraw/", views.certificate_withdraw, name="certificate_withdraw"
    ),
]
