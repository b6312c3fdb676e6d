from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/", views.background_jobs, name="jobs"),
    path("review-queue/", views.review_queue, name="review_queue"),
    path("jobs/uploads/<int:job_id>/", views.upload_job, name="upload_job"),
]
