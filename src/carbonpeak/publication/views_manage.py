"""The coordinator's and the leader's release pages: prepare, submit, approve or return, discard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import page
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import numbers
from carbonpeak.core.http import MAX_ID
from carbonpeak.core.models import ReviewStatus
from carbonpeak.energy.models import AccountingResult
from carbonpeak.energy.selectors import current_run
from carbonpeak.projection.services import NoData, latest_plan
from carbonpeak.publication import selectors, services
from carbonpeak.publication.models import Release
from carbonpeak.publication.views import grade_css


def _may_see(request) -> None:
    """The coordinator who prepares and the leader who approves."""
    if not (
        permissions.can(request.user, Action.MANAGE_RELEASES)
        or permissions.can(request.user, Action.APPROVE_RELEASE)
    ):
        permissions.require(request.user, Action.MANAGE_RELEASES)


def _quarters() -> list[str]:
    run = current_run()
    if run is None:
        return []
    single = AccountingResult.objects.filter(run=run, first_quarter=F("last_quarter"))
    return sorted(set(single.values_list("period", flat=True)), reverse=True)


@page(Action.VIEW_WORK)
def index(request):
    _may_see(request)
    releases = Release.objects.select_related("created_by", "reviewed_by", "report")[:60]
    return render(
        request,
        "publication/manage.html",
        {
            "nav": "releases",
            "releases": releases,
            "quarters": _quarters(),
            "correctable": [r for r in selectors.released() if r.pk not in selectors.corrected_ids()],
            "corrected": selectors.corrected_ids(),
            "may_prepare": permissions.can(request.user, Action.MANAGE_RELEASES),
        },
    )


def _found(release_id: int) -> Release:
    return get_object_or_404(Release, pk=release_id if 0 < release_id <= MAX_ID else 0)


@page(Action.VIEW_WORK)
def detail(request, release_id: int):
    _may_see(request)
    record = _found(release_id)
    data = selectors.as_public(record) if record.status == ReviewStatus.APPROVED else _preview(record)
    targets, chart = grade_css(data["targets"])
    return render(
        request,
        "publication/detail.html",
        {
            "nav": "releases",
            "record": record,
            "release": data,
            "targets": targets,
            "chart": chart,
            "may_prepare": permissions.can(request.user, Action.MANAGE_RELEASES),
            "may_approve": permissions.can(request.user, Action.APPROVE_RELEASE),
        },
    )


def _preview(record: Release) -> dict:
    """What the public will see once the release is approved."""
    data = selectors.as_public(record)
    data["released_at"] = ""
    return data


def _refused(request, exc: ValidationError, what: str) -> None:
    reasons = pgettext("list separator", "；").join(exc.messages)
    messages.error(request, _("%(what)s：%(why)s") % {"what": what, "why": reasons})


@page(Action.VIEW_WORK)
@require_POST
def prepare(request):
    permissions.require(request.user, Action.MANAGE_RELEASES)
    corrects = None
    try:
        corrected_id = numbers.parse_int(
            request.POST.get("corrects", ""), what="更正的发布", low=1, high=MAX_ID
        )
    except numbers.NumberError:
        corrected_id = 0
    if corrected_id is not None:
        corrects = selectors.public_release(corrected_id) if corrected_id else None
        if corrects is None:
            messages.error(request, _("未能拟定：要更正的发布不存在或未发布"))
            return redirect("releases:index")
    try:
        release = services.prepare_release(
            latest_plan(),
            request.POST.get("period", ""),
            request.user,
            note=request.POST.get("note", ""),
            corrects=corrects,
            correction_note=request.POST.get("correction_note", ""),
        )
    except NoData as exc:
        messages.error(request, _("未能拟定：%(why)s") % {"why": exc})
        return redirect("releases:index")
    except ValidationError as exc:
        _refused(request, exc, _("未能拟定"))
        return redirect("releases:index")
    messages.success(request, _("已拟定发布：请核对内容后报送领导审批"))
    return redirect("releases:detail", release_id=release.pk)


def _move(request, release_id: int, move, done: str, what: str, **kwargs):
    record = _found(release_id)
    try:
        move(record, user=request.user, **kwargs)
    except ValidationError as exc:
        _refused(request, exc, what)
    else:
        messages.success(request, done)
    return redirect("releases:detail", release_id=record.pk)


@page(Action.VIEW_WORK)
@require_POST
def submit(request, release_id: int):
    return _move(request, release_id, services.submit_release, _("已报送领导审批"), _("未能报送"))


@page(Action.VIEW_WORK)
@require_POST
def approve(request, release_id: int):
    return _move(
        request, release_id, services.approve_release, _("已批准发布，公开页面已更新"), _("未能发布")
    )


@page(Action.VIEW_WORK)
@require_POST
def return_(request, release_id: int):
    return _move(
        request,
        release_id,
        services.return_release,
        _("已退回协调员"),
        _("未能退回"),
        comment=request.POST.get("comment", ""),
    )


@page(Action.VIEW_WORK)
@require_POST
def discard(request, release_id: int):
    record = _found(release_id)
    try:
        services.discard_release(record, request.user)
    except ValidationError as exc:
        _refused(request, exc, _("未能删除"))
        return redirect("releases:detail", release_id=record.pk)
    messages.success(request, _("已删除发布申请"))
    return redirect("releases:index")
