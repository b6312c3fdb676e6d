"""Numbers as a statistics table prints them: enough decimals for the size of the number, no trailing zeros."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def num(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    size = abs(number)
    digits = 1 if size >= 100 else 2 if size >= 1 else 4
    text = f"{number:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
