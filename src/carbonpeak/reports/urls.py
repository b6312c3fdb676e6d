from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate, name="generate"),
    path("<int:job_id>/", views.job, name="job"),
    path("<int:job_id>/finalise/", views.finalise, name="finalise"),
    path("<int:job_id>/<str:kind>/", views.download, name="download"),
]
