"""Marking the platform's own words in pure modules for translation, without importing Django.

A pure module (accounting, grading, projection…) names things in the platform's language. Where such a
name is shown to a reader — a status, a set's name — it is marked with :func:`gettext_noop` so that
``makemessages`` lists it, and the page or filter that shows it translates it with Django's ``gettext``.
Formatted sentences are not translated this way: they are built where they are shown.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the catalogue; it is returned unchanged (translated where it is shown)."""
    return message
