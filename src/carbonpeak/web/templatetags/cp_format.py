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


@register.filter
def percent(value) -> str:
    """A probability or share (0–1) in per cent: one decimal, and “<0.1%” rather than a misleading 0."""
    if value is None or value == "":
        return "—"
    number = float(value) * 100
    if 0 < number < 0.05:
        return "<0.1%"
    if 99.95 < number < 100:
        return ">99.9%"
    return f"{number:.1f}%"


@register.filter
def signed_percent(value) -> str:
    """A change of probability in percentage points, with its sign."""
    if value is None or value == "":
        return "—"
    number = float(value) * 100
    return f"{number:+.1f} 个百分点" if abs(number) >= 0.05 else "0"


@register.filter
def wan(value) -> str:
    """Tonnes shown in 万吨."""
    if value is None or value == "":
        return "—"
    return num(float(value) / 1e4)


@register.filter
def among(value, names: str) -> bool:
    """Is ``value`` one of the comma-separated ``names``? (a menu group is active when its page is)"""
    return bool(value) and str(value) in {n.strip() for n in names.split(",")}
