from django.urls import path

from . import views

app_name = "projection"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.create, name="create"),
    path("unit-events/", views.unit_event, name="unit_event"),
    path("unit-events/retire/", views.add_retirement, name="add_retirement"),
    path("unit-events/retire/remove/", views.remove_retirement, name="remove_retirement"),
    path("<str:name>/", views.detail, name="detail"),
    path("<str:name>/edit/", views.edit, name="edit"),
    path("<str:name>/compute/", views.compute, name="compute"),
]
