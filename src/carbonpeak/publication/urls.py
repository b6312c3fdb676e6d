from django.urls import path

from carbonpeak.publication import views
from carbonpeak.publication.feeds import ReleasesFeed

app_name = "publication"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed.atom", views._limited(ReleasesFeed()), name="feed"),
    path("releases/<int:release_id>/", views.release, name="release"),
    path("releases/<int:release_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("releases/<int:release_id>/<str:part>.<str:kind>", views.open_data, name="open_data"),
]
