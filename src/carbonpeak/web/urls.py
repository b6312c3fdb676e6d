from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/", views.background_jobs, name="jobs"),
    path("jobs/uploads/<int:job_id>/", views.upload_job, name="upload_job"),
]
