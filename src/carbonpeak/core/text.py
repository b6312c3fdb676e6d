"""Marking the platform's own words in pure modules for translation, without importing Django.

A pure module (accounting, grading, projection…) names things in the platform's language. Where such a
name is shown to a reader — a status, a set's name — it is marked with :func:`gettext_noop` so that
``makemessages`` lists it, and the page or filter that shows it translates it with Django's ``gettext``
(the ``term`` filter). A sentence with values is a :class:`Message`: its wording (marked the same way) and
its values are kept with it, and ``core.language.said`` (the ``said`` filter) says it in the reader's
language where it is shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the catalogue; it is returned unchanged (translated where it is shown)."""
    return message


#: the wording of a Message that joins others (said with the reader's list separator)
JOINED = "carbonpeak:joined"  # not a NUL: PostgreSQL keeps no NUL character in JSON


class Message(str):
    """A sentence the platform says, as text in its own language that also keeps its wording and values,
    so that a page can say it in the reader's language (``core.language.said``).

    ``Message(gettext_noop("缺失：%(year)s年…"), year=2025)`` is the Chinese sentence everywhere a str is
    (joined, compared, searched, stored); only where it is shown is it said again in the reader's language.
    A value may itself be a Message. ``brief`` is a shorter way to say the same, where one is quoted in
    another sentence. Kept as JSON with :func:`encode` and read back with :func:`decode`.
    """

    template: str
    params: dict
    brief: Message | None

    def __new__(cls, template: str, *, brief: Message | None = None, **params: object) -> Message:
        if template == JOINED:
            text = super().__new__(cls, params.get("separator", "；").join(params["parts"]))
        else:
            text = super().__new__(cls, template % params if params else template)
        text.template, text.params, text.brief = template, params, brief
        return text

    @classmethod
    def join(cls, parts: list[str], separator: str = "；") -> Message:
        """Several sentences as one (joined with “；”, or a list's items with “、”), with the reader's
        separator where it is said."""
        if separator == "；":
            return cls(JOINED, parts=tuple(parts))
        return cls(JOINED, parts=tuple(parts), separator=separator)

    def __reduce__(self):  # pickled (a cached figure) with its wording and values
        return (_message, (self.template, self.params, self.brief))


def _message(template: str, params: dict, brief: Message | None = None) -> Message:
    return Message(template, brief=brief, **params)


def encode(value: object) -> object:
    """A value as JSON data that keeps its Messages (a list of them, a dict of them, or plain data)."""
    if isinstance(value, Message):
        data: dict = {"said": value.template, "with": {k: encode(v) for k, v in value.params.items()}}
        if value.brief is not None:
            data["brief"] = encode(value.brief)
        return data
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def decode(value: object) -> object:
    """What :func:`encode` kept, with its Messages again (plain text stays plain text)."""
    if isinstance(value, dict) and "said" in value and "with" in value:
        params = {k: decode(v) for k, v in value["with"].items()}
        if value["said"] == JOINED:
            params["parts"] = tuple(params["parts"])
        brief = decode(value["brief"]) if "brief" in value else None
        return Message(value["said"], brief=brief if isinstance(brief, Message) else None, **params)
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


#: how a Message is said in the reader's language, once the platform runs (``core.apps`` sets it to
#: ``core.language.said``); a pure tool without Django says the platform's own language
_say: Callable[[object], str] | None = None


def set_sayer(say: Callable[[object], str]) -> None:
    global _say
    _say = say


class SaidError(ValueError):
    """An error whose message is a :class:`Message`: ``str(error)`` says it in the reader's language where
    the platform runs, so that every place that shows the refusal says it the same way."""

    def __str__(self) -> str:
        message = self.args[0] if len(self.args) == 1 else None
        if isinstance(message, Message) and _say is not None:
            return _say(message)
        return super().__str__()


class MessageDecoder(json.JSONDecoder):
    """A JSON field's decoder that reads back the Messages :func:`encode` kept (``JSONField(decoder=…)``)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("object_hook", _decoded)
        super().__init__(*args, **kwargs)


def _decoded(data: dict) -> object:
    return decode(data) if "said" in data and "with" in data else data


def as_text(data: object) -> object:
    """JSON data with every kept Message (:func:`encode`) as its text in the platform's own language: what a
    pure tool (a CLI run without the server) writes out."""
    data = decode(data)
    if isinstance(data, Message):
        return str(data)
    if isinstance(data, dict):
        return {key: as_text(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [as_text(value) for value in data]
    return data
