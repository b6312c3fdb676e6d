from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year_page, name="year"),
    path("set/", views.set_budget, name="set"),
    path("<int:year>/allocate/", views.allocate, name="allocate"),
    path("<int:year>/allocations/<str:dimension>/delete/", views.delete_allocation, name="delete_allocation"),
    path("<int:year>/export.xlsx", views.export, name="export"),
    path("regions/", views.my_region, name="my_region"),
    path("regions/<str:name>/", views.region_page, name="region"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:project_id>/", views.project, name="project"),
]
