from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from carbonpeak.accounts import views as account_views
from carbonpeak.accounts.access import public_page
from carbonpeak.accounts.login import LoginView
from carbonpeak.api import api

admin.site.site_header = "CarbonPeak 碳达峰管理平台"
admin.site.site_title = "CarbonPeak 管理"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", public_page(LoginView.as_view()), name="login"),
    path("logout/", public_page(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/setlang/", public_page(account_views.set_language), name="set_language"),
    # the charts' words in the reader's language (djangojs.po), served with the pages: no CDN
    path("jsi18n/", public_page(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("plans/", include("carbonpeak.plans.urls")),
    path("energy/", include("carbonpeak.energy.urls")),
    path("monitoring/", include("carbonpeak.monitoring.urls")),
    path("progress/", include("carbonpeak.supervision.urls")),
    path("projection/", include("carbonpeak.projection.urls")),
    path("key-projects/", include("carbonpeak.projects.urls")),
    path("reports/", include("carbonpeak.reports.urls")),
    path("enterprises/", include("carbonpeak.enterprises.urls")),
    path("budgets/", include("carbonpeak.budgets.urls")),
    path("sinks/", include("carbonpeak.sinks.urls")),
    path("meters/", include("carbonpeak.meters.urls")),
    path("public/", include("carbonpeak.publication.urls")),
    path("releases/", include("carbonpeak.publication.urls_manage")),
    path("api/", api.urls),
    path("accounts/", include("carbonpeak.accounts.urls")),
    path("", include("carbonpeak.web.urls")),
]

handler400 = "carbonpeak.web.errors.bad_request"
handler403 = "carbonpeak.web.errors.permission_denied"
handler404 = "carbonpeak.web.errors.page_not_found"
handler500 = "carbonpeak.web.errors.server_error"
