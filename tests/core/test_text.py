"""A sentence the platform says (core.text.Message): Chinese wherever a str is, said again in the reader's
language where it is shown, and kept — as JSON, in a cache — with its wording and values."""

from __future__ import annotations

import json
import pickle

from django.utils import translation

from carbonpeak.core.language import said
from carbonpeak.core.text import JOINED, Message, MessageDecoder, as_text, decode, encode, gettext_noop


def _reason() -> Message:
    period = Message(gettext_noop("%(year)s年1–9月"), year=2025)
    moved = Message(gettext_noop("%(period)s比上年同期下降 %(change)s"), period=period, change="3.3%")
    return Message.join(
        [Message(gettext_noop("%(moved)s，达到年均应降 %(rate)s"), moved=moved, rate="3.1%"), "备注"]
    )


def test_a_message_is_its_chinese_text_and_is_said_in_english():
    reason = _reason()
    assert reason == "2025年1–9月比上年同期下降 3.3%，达到年均应降 3.1%；备注" and reason.startswith("2025年")
    with translation.override("en"):
        assert said(reason) == (
            "Jan–Sep 2025 fell 3.3% against the same period of the year before, meeting the yearly fall due "
            "of 3.1%; 备注"
        )
    assert said("plain") == "plain" and said(None) == ""


def test_a_message_is_kept_with_its_wording_as_json_and_in_a_cache():
    reason = _reason()
    kept = json.dumps(encode({"reason": reason, "notes": [reason]}), ensure_ascii=False)
    assert "\x00" not in kept and JOINED in kept  # PostgreSQL keeps no NUL character in JSON
    back = json.loads(kept, cls=MessageDecoder)
    assert isinstance(back["reason"], Message) and back["reason"] == reason
    assert decode(encode(reason)) == reason and as_text(encode([reason])) == [str(reason)]
    again = pickle.loads(pickle.dumps(reason))
    with translation.override("en"):
        assert said(again) == said(back["notes"][0]) == said(reason)
