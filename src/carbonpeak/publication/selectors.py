"""Reads of releases that the public pages, the feed, the open data and the API share: released only."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils.translation import get_language

from carbonpeak.core.models import ReviewStatus
from carbonpeak.publication.models import Release


def released() -> QuerySet[Release]:
    """Every released release, newest first (corrected ones included: the archive keeps them)."""
    return (
        Release.objects.filter(status=ReviewStatus.APPROVED)
        .select_related("corrects", "report")
        .order_by("-reviewed_at", "-pk")
    )


def version() -> str:
    """What the public pages were made from: the number of releases and the newest moment of release (a new
    release or correction changes it, so a cached page is never stale)."""
    found = Release.objects.filter(status=ReviewStatus.APPROVED).aggregate(
        n=Count("pk"), last=Max("reviewed_at")
    )
    return f"{found['n']}-{found['last'].timestamp() if found['last'] else 0:.6f}"


def latest() -> Release | None:
    """The newest release of the latest quarter that no correction replaced."""
    corrected = corrected_ids()
    for release in released().order_by("-period", "-reviewed_at", "-pk"):
        if release.pk not in corrected:
            return release
    return None


def public_release(release_id: int) -> Release | None:
    return released().filter(pk=release_id).first()


def corrected_by(release: Release) -> Release | None:
    """The released correction of a release, if any."""
    return (
        Release.objects.filter(corrects=release, status=ReviewStatus.APPROVED)
        .order_by("-reviewed_at")
        .first()
    )


def corrected_ids() -> set[int]:
    return set(
        Release.objects.filter(status=ReviewStatus.APPROVED, corrects__isnull=False).values_list(
            "corrects_id", flat=True
        )
    )


def edition(release: Release) -> tuple[dict, str]:
    """A release's frozen content in the reader's language where it was made in it, and that language (a
    release made before its other editions existed is in the platform's language)."""
    language = get_language() or settings.LANGUAGE_CODE
    found = (release.snapshot.get("editions") or {}).get(language)
    if found is not None:
        return found, language
    return release.snapshot, settings.LANGUAGE_CODE


def title(release: Release) -> str:
    """A release's title in the reader's language where its content was made in it."""
    content, _language = edition(release)
    return content.get("title") or release.title


def archive(limit: int = 40) -> list[dict]:
    """The archive's lines (newest first), with the correction of each in one query for them all."""
    fixes = dict(
        Release.objects.filter(status=ReviewStatus.APPROVED, corrects__isnull=False)
        .order_by("reviewed_at")
        .values_list("corrects_id", "pk")
    )
    return [
        {
            "id": r.pk,
            "title": title(r),
            "released_at": r.reviewed_at.isoformat(timespec="minutes"),
            "corrected_by": fixes.get(r.pk),
            "sample": r.is_sample,
        }
        for r in released()[:limit]
    ]


def as_public(release: Release) -> dict:
    """A release as the public pages, the feed, the open data and the API show it (its frozen content, in the
    reader's language where it was made in it: ``language`` says which)."""
    content, language = edition(release)
    fixer = corrected_by(release)
    return {
        "id": release.pk,
        "language": language,
        "title": content.get("title") or release.title,
        "period": release.period,
        "period_label": content.get("period_label", release.period),
        "region": content.get("region", ""),
        "released_at": release.reviewed_at.isoformat(timespec="minutes") if release.reviewed_at else "",
        "note": release.note,
        "corrects": release.corrects_id,
        "correction_note": release.correction_note,
        "corrected_by": fixer.pk if fixer else None,
        "sample": release.is_sample,
        "as_of": content.get("as_of", ""),
        "summary": content.get("summary", []),
        "notes": content.get("notes", []),
        "figures": content.get("figures", []),
        "targets": content.get("targets", []),
        "actions": content.get("actions", []),
        "report_pdf": bool(release.report_id and release.report.public_pdf_name),
        "report_language": release.report.language if release.report_id else "",
    }
