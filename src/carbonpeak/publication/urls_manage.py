from django.urls import path

from carbonpeak.publication import views_manage as views

app_name = "releases"

urlpatterns = [
    path("", views.index, name="index"),
    path("prepare/", views.prepare, name="prepare"),
    path("<int:release_id>/", views.detail, name="detail"),
    path("<int:release_id>/submit/", views.submit, name="submit"),
    path("<int:release_id>/approve/", views.approve, name="approve"),
    path("<int:release_id>/return/", views.return_, name="return"),
    path("<int:release_id>/discard/", views.discard, name="discard"),
]
