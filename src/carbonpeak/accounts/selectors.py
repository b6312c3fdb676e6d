"""Reads about people that several places need."""

from __future__ import annotations

from django.conf import settings


def languages_of(department) -> list[str]:
    """The languages a department's active users read the platform in (each user's choice, else the
    platform's own), the platform's own first: what the department's mail is said in."""
    from carbonpeak.accounts.models import Membership

    chosen = Membership.objects.filter(department=department, user__is_active=True).values_list(
        "user__preference__language", flat=True
    )
    found = {language or settings.LANGUAGE_CODE for language in chosen} or {settings.LANGUAGE_CODE}
    return sorted(found, key=lambda language: (language != settings.LANGUAGE_CODE, language))
