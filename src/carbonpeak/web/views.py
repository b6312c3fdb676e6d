from django.shortcuts import get_object_or_404, redirect, render

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import clock, jobs, review, uploads
from carbonpeak.core.http import MAX_ID
from carbonpeak.core.models import UploadJob
from carbonpeak.web import front_door


@page(Action.VIEW)
def home(request):
    """The user's front door: what it owes (待办) — a department, a district, the statistics office, an
    enterprise's reporter; the coordinator and a leader start at the dashboard (the coordinator's review
    queue heads it), a parent region's viewer at its regions."""
    user = request.user
    if permissions.region_of(user) is not None:
        return redirect("budgets:my_region")
    today = clock.today()
    if not permissions.can(user, Action.VIEW_CITY):  # an enterprise's reporter: what its enterprise owes
        own = permissions.enterprise_of(user)
        if own is None:
            return redirect("enterprises:register")
        sections = front_door.enterprise_sections(own, today)
        return _front_door(request, sections, today, own.name, enterprise=own)
    sections = front_door.todo(user, today)
    if not sections:  # the coordinator (its review queue heads the dashboard), a leader
        return redirect("monitoring:dashboard")
    department = permissions.department_of(user)
    district = permissions.own_region(user)
    figures = front_door.district_figures(district, today) if district is not None else None
    return _front_door(request, sections, today, department.name if department else "", figures=figures)


def _front_door(request, sections: list, today, who: str, **more):
    context = {"nav": "home", "sections": sections, "today": today, "who": who, **more}
    return render(
        request, "web/front_door.html", {**context, "open_total": sum(s.open_count for s in sections)}
    )


@page(Action.REVIEW)
def review_queue(request):
    """The coordinator's 待审核, every kind of reviewed record (loaded into the dashboard after it renders,
    so that the dashboard's own reads stay few)."""
    waiting = review.queue()
    context = {"queue": waiting, "waiting_total": sum(w.count for w in waiting)}
    return render(request, "web/_review_queue.html", context)


@page(Action.VIEW_WORK)
def background_jobs(request):
    """The latest background jobs with their state (排队中 / 运行中 / 已完成 / 失败)."""
    stored = jobs.database_backend()
    workers = len(jobs.live_workers()) if stored else 0
    return render(request, "web/jobs.html", {"recent": jobs.recent(), "stored": stored, "workers": workers})


@page(Action.VIEW)
def upload_job(request, job_id: int):
    """A file handed to the background worker: its progress while it is read (the part polls itself each
    second), then what was imported or why nothing was."""
    job = get_object_or_404(UploadJob.objects.filter(pk__lte=MAX_ID), pk=job_id)
    permissions.require(request.user, Action.VIEW_UPLOAD, job)
    spec = uploads.HANDLERS.get(job.kind)
    context = {"job": job, "title": spec.title if spec else "文件", "back": spec.back if spec else "web:home"}
    return render(request, "web/_upload_job.html" if request.htmx else "web/upload_job.html", context)
