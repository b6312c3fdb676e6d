"""The one way a number is read from what a person typed or a file holds (pure, no Django).

``str.isdigit`` accepts "²" and "٣", which ``int`` then refuses — a server error where a clear message
was owed. Here a number is ASCII digits (full-width digits, as a Chinese input method types them, are read
as their ASCII twins; any other script's digits are refused), within the bounds the caller names; a blank
is None (missing is never zero), anything else a :class:`NumberError` whose message names what was wrong.
"""

from __future__ import annotations

import math
import re

from carbonpeak.core.text import Message, SaidError, gettext_noop

#: full-width digits and signs, as a Chinese input method types them
FULL_WIDTH = str.maketrans("０１２３４５６７８９－＋．", "0123456789-+.")
MAX_DIGITS = 18  # no figure the platform keeps has more; a longer string is refused before it is parsed
#: no quantity the platform takes is larger in magnitude (a province's kWh in a year is below 10¹³): a figure
#: beyond it is a typing slip or an attack, refused naming the rule (本平台规则)
PLAUSIBLE = 1e15
_INT = re.compile(rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}")
_FLOAT = re.compile(rf"[+-]?(?:[0-9]{{1,{MAX_DIGITS}}}(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{{1,3}})?")


class NumberError(SaidError):
    """A text that is not a number within its bounds; the message is for the person who typed it (said in
    the reader's language where the platform runs)."""


def clean(text: object) -> str:
    """The text as typed, trimmed, full-width digits read as ASCII, thousands separators dropped."""
    return str(text).strip().translate(FULL_WIDTH).replace(",", "").replace("，", "")


def parse_int(text: object, *, what: str, low: int, high: int) -> int | None:
    """An integer within [low, high]; None when blank."""
    if text is None:
        return None
    cleaned = clean(text)
    if not cleaned:
        return None
    if not cleaned.isascii() or not _INT.fullmatch(cleaned) or not low <= int(cleaned) <= high:
        raise NumberError(
            Message(
                gettext_noop("%(what)s“%(typed)s”无效：须为 %(low)s–%(high)s 之间的整数"),
                what=what,
                typed=str(text)[:20],
                low=low,
                high=high,
            )
        )
    return int(cleaned)


def parse_float(
    text: object, *, what: str, low: float | None = None, high: float | None = None
) -> float | None:
    """A finite decimal number within the bounds given; None when blank."""
    if text is None:
        return None
    cleaned = clean(text)
    if not cleaned:
        return None
    if not cleaned.isascii() or not _FLOAT.fullmatch(cleaned):
        raise NumberError(
            Message(gettext_noop("%(what)s“%(typed)s”不是数字"), what=what, typed=str(text)[:20])
        )
    value = float(cleaned)
    if not math.isfinite(value):
        raise NumberError(
            Message(gettext_noop("%(what)s“%(typed)s”不是有限的数"), what=what, typed=str(text)[:20])
        )
    if abs(value) > PLAUSIBLE:
        raise NumberError(
            Message(
                gettext_noop("%(what)s“%(typed)s”超出可受理的范围（绝对值不超过 10¹⁵，本平台规则）"),
                what=what,
                typed=str(text)[:20],
            )
        )
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{low if low is not None else '−∞'}–{high if high is not None else '∞'}"
        raise NumberError(
            Message(
                gettext_noop("%(what)s“%(typed)s”须在 %(bounds)s 之间"),
                what=what,
                typed=str(text)[:20],
                bounds=bounds,
            )
        )
    return value


def required_int(text: object, *, what: str, low: int, high: int) -> int:
    """An integer that must be given: a blank is refused too ("请填写…")."""
    value = parse_int(text, what=what, low=low, high=high)
    if value is None:
        raise NumberError(Message(gettext_noop("请填写%(what)s"), what=what))
    return value


def required_float(text: object, *, what: str, low: float | None = None, high: float | None = None) -> float:
    """A decimal number that must be given: a blank is refused too ("请填写…")."""
    value = parse_float(text, what=what, low=low, high=high)
    if value is None:
        raise NumberError(Message(gettext_noop("请填写%(what)s"), what=what))
    return value


def is_int(text: object) -> bool:
    """Does the text read as an integer (ASCII or full-width digits)? For choosing, not for refusing."""
    cleaned = clean(text) if text is not None else ""
    return bool(cleaned) and cleaned.isascii() and _INT.fullmatch(cleaned) is not None


def as_int(text: object, *, low: int, high: int) -> int | None:
    """The integer the text reads as within [low, high], or None (a filter that falls back to its default
    rather than refusing)."""
    try:
        return parse_int(text, what="", low=low, high=high)
    except NumberError:
        return None
