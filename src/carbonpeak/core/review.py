"""The review lifecycle, one body for every reviewed record (see ``core.models.ReviewedRecord``).

Each kind of record declares its :class:`Lifecycle` in its app's services: who may submit and who may
review (checked through ``accounts.permissions``, which the app passes in), whether the record's period is
still open, the record's own checks before it is submitted, and what follows an approval. Every move then goes
the same way — lock the row, check the permission, the period and the state, move, audit, follow up — with one
signature for every record::

    submit_x(record, *, user, comment="")   approve_x(record, *, user, comment="")   return_x(record, *, user, comment)

so that pages, the API and the command line cannot move one kind of record differently from another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carbonpeak.core import audit
from carbonpeak.core.errors import DomainError
from carbonpeak.core.models import ReviewedRecord, ReviewStatus

R = TypeVar("R", bound=ReviewedRecord)

RETURN_NEEDS_COMMENT = gettext_lazy("退回时须填写意见，说明需要修改什么")
EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


def _fields(record: ReviewedRecord, *names: str) -> list[str]:
    # records with an auto_now field (updated_at) keep it current on every move
    auto = [f.name for f in record._meta.concrete_fields if getattr(f, "auto_now", False)]
    return [*names, *auto]


def check_submittable(record: ReviewedRecord) -> None:
    if record.status not in EDITABLE:
        raise DomainError(
            _("%(state)s的%(noun)s不能再次报送")
            % {"state": record.get_status_display(), "noun": record.review_noun},
            code="conflict",
        )


def check_editable(record: ReviewedRecord) -> None:
    """A record may still change while it is a draft or was returned; never once submitted or approved."""
    if record.status not in EDITABLE:
        raise DomainError(
            _("%(state)s的%(noun)s不能修改")
            % {"state": record.get_status_display(), "noun": record.review_noun},
            code="conflict",
        )


def check_reviewable(record: ReviewedRecord) -> None:
    if record.status != ReviewStatus.SUBMITTED:
        raise DomainError(
            _("只能审核已报送的%(noun)s（当前状态：%(state)s）")
            % {"noun": record.review_noun, "state": record.get_status_display()},
            code="conflict",
        )


def _no_check(record) -> None:
    return None


def _nothing(record, user) -> None:
    return None


#: every kind of reviewed record's lifecycle, in the order the apps declare them (the review queue reads it)
LIFECYCLES: list[Lifecycle] = []


@dataclass(frozen=True)
class Lifecycle(Generic[R]):
    """How one kind of reviewed record moves. ``may_submit(user, record)`` and ``may_review(user, record)``
    raise ``PermissionDenied``; ``period_open(record)`` raises a ``period_closed`` DomainError when the
    record's period no longer takes changes; ``ready(record)`` raises when the record is not complete enough
    to submit; ``approvable(record)`` raises when it may not be approved yet (it is checked before anything
    moves); ``on_approved(record, user)`` does what follows an approval (inside the same transaction: a
    recomputation is enqueued as an event's job, which commits with the approval)."""

    model: type[R]
    may_submit: Callable[[object, R], None]
    may_review: Callable[[object, R], None]
    period_open: Callable[[R], None] = _no_check
    ready: Callable[[R], None] = _no_check
    approvable: Callable[[R], None] = _no_check
    on_approved: Callable[[R, object], None] = _nothing
    on_returned: Callable[[R, object], None] = _nothing
    #: reviewed by the coordinator (its 待审核 lists it); False for a record a leader reviews (a release)
    coordinator_reviews: bool = True

    def __post_init__(self) -> None:
        LIFECYCLES.append(self)

    def waiting(self, limit: int = 10) -> tuple[int, list[R]]:
        """How many records wait for review, and the oldest ``limit`` of them (the coordinator's queue)."""
        queue = self.model.objects.filter(status=ReviewStatus.SUBMITTED)
        return queue.count(), list(queue.order_by("submitted_at", "pk")[:limit])

    def moves(self) -> tuple[Callable[..., R], Callable[..., R], Callable[..., R]]:
        """The record's three moves, for its app to name: ``submit_x, approve_x, return_x = REVIEW.moves()``."""
        return self.submit, self.approve, self.return_

    def lock(self, record: R) -> R:
        """The row locked until the transaction ends (two reviewers cannot move it at once), and the caller's
        instance read again under the lock, so that the caller sees the move too."""
        list(self.model.objects.select_for_update().filter(pk=record.pk).values_list("pk"))
        record.refresh_from_db()
        return record

    def require_editable(self, record: R) -> None:
        """May the record's content still change? (the period open, the record a draft or returned)"""
        self.period_open(record)
        check_editable(record)

    @transaction.atomic
    def submit(self, record: R, *, user, comment: str = "") -> R:
        """Draft or returned → submitted."""
        self.may_submit(user, record)
        record = self.lock(record)
        self.period_open(record)
        check_submittable(record)
        self.ready(record)
        before = record.status
        record.status, record.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
        record.save(update_fields=_fields(record, "status", "submitted_at"))
        audit.record(
            user,
            audit.Action.SUBMIT,
            record,
            before={"status": before},
            after={"status": record.status},
            comment=comment.strip()[:2000],
        )
        return record

    @transaction.atomic
    def approve(self, record: R, *, user, comment: str = "", follow: bool = True) -> R:
        """Submitted → approved; an approved record is never changed again (a correction is a new revision).
        ``follow=False`` leaves what follows to the caller (a sample loader approves many, then follows once)."""
        self.may_review(user, record)
        record = self.lock(record)
        self.period_open(record)
        check_reviewable(record)
        self.approvable(record)
        record = _review(record, user, ReviewStatus.APPROVED, comment.strip())
        if follow:
            self.on_approved(record, user)
        return record

    @transaction.atomic
    def return_(self, record: R, *, user, comment: str) -> R:
        """Submitted → returned, with the comment that says what to change (required)."""
        self.may_review(user, record)
        if not comment.strip():
            raise DomainError(RETURN_NEEDS_COMMENT)
        record = self.lock(record)
        self.period_open(record)
        record = _review(record, user, ReviewStatus.RETURNED, comment.strip())
        self.on_returned(record, user)
        return record


def _review(record: R, user, status: str, comment: str) -> R:
    check_reviewable(record)
    record.status = status
    record.reviewed_by = user if user is not None and user.is_authenticated else None
    record.reviewed_at, record.review_comment = timezone.now(), comment[:2000]
    record.save(update_fields=_fields(record, "status", "reviewed_by", "reviewed_at", "review_comment"))
    audit.record(
        user,
        audit.Action.APPROVE if status == ReviewStatus.APPROVED else audit.Action.RETURN,
        record,
        before={"status": ReviewStatus.SUBMITTED},
        after={"status": record.status},
        comment=comment,
    )
    return record


@dataclass(frozen=True)
class Waiting:
    """One kind of reviewed record waiting for the coordinator."""

    noun: str
    count: int
    records: list


def queue(limit: int = 10) -> list[Waiting]:
    """Every kind of reviewed record waiting for review, the most waiting first, each kind's oldest records
    first (two queries a kind: the coordinator's 待审核)."""
    found = []
    for lifecycle in LIFECYCLES:
        if not lifecycle.coordinator_reviews:
            continue
        count, records = lifecycle.waiting(limit)
        found.append(Waiting(str(lifecycle.model._meta.verbose_name_plural), count, records))
    return sorted(found, key=lambda w: -w.count)
