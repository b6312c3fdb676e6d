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


class Message(str):
    """A sentence the platform says, as text in its own language that also keeps its wording and values,
    so that a page can say it in the reader's language (``core.language.said``).

    ``Message(gettext_noop("缺失：%(year)s年…"), year=2025)`` is the Chinese sentence everywhere a str is
    (joined, compared, stored); only where it is shown is it said again in the reader's language.
    """

    template: str
    params: dict

    def __new__(cls, template: str, **params: object) -> Message:
        text = super().__new__(cls, template % params if params else template)
        text.template, text.params = template, params
        return text

    def __reduce__(self):  # pickled (a cached figure) with its wording and values
        return (_message, (self.template, self.params))


def _message(template: str, params: dict) -> Message:
    return Message(template, **params)
