"""The language of what the platform keeps: records stay in the platform's own language whatever the reader's.

A page is read in the reader's language, but what is stored for later — an audit entry's description, a
period's frozen snapshot, a warning's message, a reminder sent by mail, a release's frozen content — is
written once, in ``settings.LANGUAGE_CODE`` (Chinese), so that it never depends on who happened to click.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.utils import translation

from carbonpeak.core.text import JOINED, Message, decode

#: the separators a Message may join with (``Message.join``), named here so that the catalogue has them
LIST_SEPARATORS = (
    translation.pgettext_lazy("list separator", "；"),
    translation.pgettext_lazy("list separator", "、"),
    translation.pgettext_lazy("list separator", "，"),
)

P = ParamSpec("P")
R = TypeVar("R")


def platform_language() -> translation.override:
    """``with platform_language():`` — labels and messages made inside are the platform's own language."""
    return translation.override(settings.LANGUAGE_CODE)


def other_languages() -> list[str]:
    """The languages a reader may choose besides the platform's own (``settings.LANGUAGES``)."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def keeps_platform_language(func: Callable[P, R]) -> Callable[P, R]:
    """A function whose stored output is written in the platform's own language (see the module)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with platform_language():
            return func(*args, **kwargs)

    return wrapper


def said(text: object) -> str:
    """A sentence in the reader's language: a :class:`~carbonpeak.core.text.Message` said again from its
    wording and values (each value said the same way), anything else as it is."""
    if isinstance(text, Message):
        if text.template == JOINED:
            separator = translation.pgettext("list separator", text.params.get("separator", "；"))
            return separator.join(said(part) for part in text.params["parts"])
        wording = translation.gettext(text.template)
        if not text.params:
            return wording
        return wording % {key: said(value) for key, value in text.params.items()}
    return "" if text is None else str(text)


def said_all(data: object) -> object:
    """JSON data with every Message in it — as a Message, or as kept (``core.text.encode``) — said in the
    reader's language (an API answer, a CLI's --json)."""
    if isinstance(data, dict) and "said" in data and "with" in data:
        data = decode(data)
    if isinstance(data, Message):
        return said(data)
    if isinstance(data, dict):
        return {key: said_all(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [said_all(value) for value in data]
    return data
