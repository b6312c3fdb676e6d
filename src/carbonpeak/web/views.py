from django.shortcuts import get_object_or_404, redirect, render

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import jobs, uploads
from carbonpeak.core.http import MAX_ID
from carbonpeak.core.models import UploadJob


@page(Action.VIEW)
def home(request):
    if permissions.region_of(request.user) is not None:  # a parent region's viewer starts at its region
        return redirect("budgets:my_region")
    if not permissions.can(request.user, Action.VIEW_CITY):  # an enterprise's reporter: its own enterprise
        return redirect("enterprises:register")
    return redirect("monitoring:dashboard")


@page(Action.VIEW_WORK)
def background_jobs(request):
    """The latest background jobs with their state (排队中 / 运行中 / 已完成 / 失败)."""
    return render(request, "web/jobs.html", {"recent": jobs.recent(), "stored": jobs.database_backend()})


@page(Action.VIEW)
def upload_job(request, job_id: int):
    """A file handed to the background worker: its progress while it is read (the part polls itself each
    second), then what was imported or why nothing was."""
    job = get_object_or_404(UploadJob.objects.filter(pk__lte=MAX_ID), pk=job_id)
    permissions.require(request.user, Action.VIEW_UPLOAD, job)
    spec = uploads.HANDLERS.get(job.kind)
    context = {"job": job, "title": spec.title if spec else "文件", "back": spec.back if spec else "web:home"}
    return render(request, "web/_upload_job.html" if request.htmx else "web/upload_job.html", context)
