from django.urls import path

from . import views

app_name = "meters"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("upload/", views.upload, name="upload"),
    path("batches/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("enterprises/<str:credit_code>/", views.enterprise, name="enterprise"),
]
