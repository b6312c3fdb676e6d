"""The review lifecycle's moves, one body for every reviewed record (see ``core.models.ReviewedRecord``).

Domain services call these after checking permission and their own rules, and before triggering what
follows (recomputation, re-grading); each move saves the record and writes its audit entry.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils import timezone

from carbonpeak.core import audit
from carbonpeak.core.models import ReviewedRecord, ReviewStatus

R = TypeVar("R", bound=ReviewedRecord)

RETURN_NEEDS_COMMENT = "退回时须填写意见，说明需要修改什么"


def _fields(record: ReviewedRecord, *names: str) -> list[str]:
    # records with an auto_now field (updated_at) keep it current on every move
    auto = [f.name for f in record._meta.concrete_fields if getattr(f, "auto_now", False)]
    return [*names, *auto]


def check_submittable(record: ReviewedRecord) -> None:
    if record.status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ValidationError(f"{record.get_status_display()}的{record.review_noun}不能再次报送")


def check_reviewable(record: ReviewedRecord) -> None:
    if record.status != ReviewStatus.SUBMITTED:
        raise ValidationError(
            f"只能审核已报送的{record.review_noun}（当前状态：{record.get_status_display()}）"
        )


def submit(record: R, user) -> R:
    """Draft or returned → submitted."""
    check_submittable(record)
    before = record.status
    record.status, record.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
    record.save(update_fields=_fields(record, "status", "submitted_at"))
    audit.record(
        user, audit.Action.SUBMIT, record, before={"status": before}, after={"status": record.status}
    )
    return record


def _review(record: R, user, status: str, comment: str) -> R:
    check_reviewable(record)
    record.status = status
    record.reviewed_by = user if user is not None and user.is_authenticated else None
    record.reviewed_at, record.review_comment = timezone.now(), comment
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


def approve(record: R, user, comment: str = "") -> R:
    """Submitted → approved; an approved record is never changed again (a correction is a new revision)."""
    return _review(record, user, ReviewStatus.APPROVED, comment.strip())


def return_(record: R, user, comment: str) -> R:
    """Submitted → returned, with the comment that says what to change (required)."""
    if not comment.strip():
        raise ValidationError(RETURN_NEEDS_COMMENT)
    return _review(record, user, ReviewStatus.RETURNED, comment.strip())
