from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:enterprise_id>/", views.detail, name="detail"),
    path("<int:enterprise_id>/reports/<int:year>/", views.report, name="report"),
    path("<int:enterprise_id>/reduction-plan/", views.create_reduction_plan, name="create_reduction_plan"),
    path("progress/<int:progress_id>/", views.progress, name="progress"),
    path("reports/<int:report_id>/verification.pdf", views.verification_file, name="verification_file"),
    path("pv/", views.pv_compliance, name="pv"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("efficiency/", views.efficiency, name="efficiency"),
    path("template.xlsx", views.template, name="template"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_register, name="import"),
    path("projects/", views.two_high_projects, name="projects"),
    path("projects/tolerance/", views.acceptance_tolerance, name="acceptance_tolerance"),
]
