from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from carbonpeak.core import jobs


@login_required
def home(request):
    return redirect("monitoring:dashboard")


@login_required
def background_jobs(request):
    """The latest background jobs with their state (排队中 / 运行中 / 已完成 / 失败)."""
    return render(request, "web/jobs.html", {"recent": jobs.recent(), "stored": jobs.database_backend()})
