"""Releases (the one writer of ``Release``): prepare, submit, approve (= release) or return, correct.

The coordinator prepares a release of a quarter — its content is frozen from the report collection at that
moment — and submits it; a leader approves it (the release) or returns it with a comment. The moves are the
shared review lifecycle's. A correction is a new release naming the one it corrects, with a 更正说明.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit
from carbonpeak.core.errors import DomainError
from carbonpeak.core.language import said
from carbonpeak.core.models import ReviewStatus
from carbonpeak.core.periods import Period
from carbonpeak.core.review import Lifecycle
from carbonpeak.plans.models import Plan
from carbonpeak.projection.model import ProjectionError
from carbonpeak.publication import snapshot
from carbonpeak.publication.models import Release
from carbonpeak.reports.collection import ReportError, collect, parse_quarter
from carbonpeak.reports.models import QuarterlyReport
from carbonpeak.supervision.models import ProgressReport, ReportingPeriod

NOTE_LIMIT = 2000


def _may_submit(user, release: Release) -> None:
    permissions.require(user, Action.MANAGE_RELEASES)


def _may_review(user, release: Release) -> None:
    permissions.require(user, Action.APPROVE_RELEASE)


def _approvable(release: Release) -> None:
    """One release stands for a quarter: a second one must say it corrects the first."""
    if release.corrects_id is None:
        if _standing(release.plan, release.period).exclude(pk=release.pk).exists():
            raise DomainError(
                _("%(period)s已有发布：如需更正，请拟定更正发布并说明更正内容") % {"period": release.period},
                code="conflict",
            )
    elif Release.objects.filter(corrects_id=release.corrects_id, status=ReviewStatus.APPROVED).exists():
        raise DomainError(_("该次发布已被更正过：请更正最新的一次发布"), code="conflict")


RELEASE = Lifecycle(
    model=Release,
    may_submit=_may_submit,
    may_review=_may_review,
    approvable=_approvable,
    coordinator_reviews=False,
)
submit_release, approve_release, return_release = RELEASE.moves()


def _standing(plan: Plan, period: str):
    """The released (approved) releases of a quarter that no approved correction replaced."""
    return Release.objects.filter(plan=plan, period=period, status=ReviewStatus.APPROVED).exclude(
        corrections__status=ReviewStatus.APPROVED
    )


def _clean(text: str, what: str, *, required: bool) -> str:
    text = (text or "").replace("\x00", "").strip()
    if required and not text:
        raise DomainError(_("请填写%(what)s") % {"what": what})
    if len(text) > NOTE_LIMIT:
        raise DomainError(
            _("%(what)s不能超过 %(limit)s 字（现为 %(n)s 字）")
            % {"what": what, "limit": NOTE_LIMIT, "n": len(text)}
        )
    return text


def _actions(plan: Plan, period: Period) -> list[snapshot.ActionProgress]:
    """Each action's reports due in the quarter and the progress states of those approved (no narrative)."""
    rp = ReportingPeriod.objects.filter(plan=plan, key=period.key).first()
    reports = (
        list(ProgressReport.objects.filter(period=rp).select_related("task__action", "task__section"))
        if rp
        else []
    )
    found = []
    for action in plan.actions.order_by("order"):
        mine = [r for r in reports if r.task.action_id == action.pk]
        found.append(
            snapshot.ActionProgress(
                name=f"{action.number}{action.title}",
                states=[r.get_progress_display() for r in mine if r.status == ReviewStatus.APPROVED],
                due=len(mine),
            )
        )
    return found


def _final_report(plan: Plan, period: str, data_versions: list[dict]) -> QuarterlyReport | None:
    """The quarter's final report made from the same data as the release (a draft is never released), in
    whichever language it was made (``data_versions``: the data version as each language says it)."""
    for job in QuarterlyReport.objects.filter(
        plan=plan, period=period, final=True, status=QuarterlyReport.State.DONE
    ).order_by("-finished_at", "-pk"):
        if job.data_version in data_versions:
            return job
    return None


def _frozen(plan: Plan, period: Period, corrects: Release | None) -> dict:
    """A release's content and title in the language in force, from the quarter's report content."""
    try:
        content, _ids = collect(plan, period.key)
    except (ReportError, ProjectionError) as exc:
        raise DomainError(str(exc), code="no_accounts") from None
    ytd = Period(period.year, 1, period.last)
    frozen = snapshot.build(content, said(ytd.label), _actions(plan, period))
    title = _("%(region)s%(period)s碳达峰工作数据") % {"region": content.region, "period": said(period.label)}
    frozen["title"] = _("%(title)s（更正）") % {"title": title} if corrects else title
    frozen["data_version"] = content.data_version
    return frozen


@transaction.atomic
def prepare_release(
    plan: Plan,
    period_key: str,
    user,
    *,
    note: str,
    corrects: Release | None = None,
    correction_note: str = "",
) -> Release:
    """A draft release of a quarter, its content frozen now; the final report of the same data goes with it."""
    permissions.require(user, Action.MANAGE_RELEASES)
    try:
        period = parse_quarter(period_key)
    except ReportError as exc:
        raise DomainError(str(exc)) from None
    note = _clean(note, _("发布说明"), required=True)
    if corrects is not None:
        correction_note = _clean(correction_note, _("更正说明"), required=True)
        if not corrects.released or corrects.plan_id != plan.pk:
            raise DomainError(_("只能更正已发布的数据"))
        period = parse_quarter(corrects.period)
    else:
        correction_note = ""
        if _standing(plan, period.key).exists():
            raise DomainError(
                _("%(period)s已有发布：如需更正，请选择“更正”并说明更正内容") % {"period": period.key},
                code="conflict",
            )
    # the same figures in each language a reader may choose, made from the same data now; the reader's own
    # first, so that a refusal is said in it, and the platform's language is the release's own record
    made = {}
    for language in sorted(dict(settings.LANGUAGES), key=lambda code: code != translation.get_language()):
        with translation.override(language):
            made[language] = _frozen(plan, period, corrects)
    report = _final_report(plan, period.key, [edition.pop("data_version") for edition in made.values()])
    frozen = made.pop(settings.LANGUAGE_CODE)
    frozen["report"] = {"pdf": bool(report.public_pdf_name)} if report else None
    frozen["editions"] = made
    title = frozen.pop("title")
    release = Release.objects.create(
        plan=plan,
        period=period.key,
        title=title,
        note=note,
        correction_note=correction_note,
        corrects=corrects,
        report=report,
        snapshot=frozen,
        is_sample=frozen["sample"],
        created_by=user,
    )
    audit.record(
        user,
        audit.Action.CREATE,
        release,
        after={"period": period.key, "更正": corrects.pk if corrects else None},
        comment=note[:200],
    )
    return release


@transaction.atomic
def discard_release(release: Release, user) -> None:
    """A draft or returned release the coordinator no longer wants (a released one is never removed)."""
    permissions.require(user, Action.MANAGE_RELEASES)
    release = RELEASE.lock(release)
    if release.status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise DomainError(_("已报送或已发布的发布申请不能删除"), code="conflict")
    audit.record(user, audit.Action.DELETE, release, before={"title": release.title})
    release.delete()
