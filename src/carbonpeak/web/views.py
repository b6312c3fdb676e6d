from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from carbonpeak.core import jobs


@login_required
def home(request):
    from carbonpeak.accounts import permissions

    if permissions.region_of(request.user) is not None:  # a parent region's viewer starts at its region
        return redirect("budgets:my_region")
    return redirect("monitoring:dashboard")


@login_required
def background_jobs(request):
    """The latest background jobs with their state (排队中 / 运行中 / 已完成 / 失败)."""
    return render(request, "web/jobs.html", {"recent": jobs.recent(), "stored": jobs.database_backend()})
