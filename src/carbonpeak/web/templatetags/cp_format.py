"""Numbers as a statistics table prints them: enough decimals for the size of the number, no trailing zeros."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext, pgettext

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


#: decimals shown for a figure in each unit (本平台规则, a display rule): one way for a unit on every page, so
#: a value and the progress it is held against line up (79.90 beside 79.93, never 79.9)
UNIT_DECIMALS = {
    "%": 2,
    "万吨": 2,
    "万吨标准煤": 2,
    "万吨二氧化碳": 2,
    "吨标准煤/万元": 3,
    "吨二氧化碳/万元": 3,
    "亿立方米": 2,
    "亿元": 2,
    "兆瓦": 2,
    "MW": 2,
    "吨标准煤": 1,
    "吨二氧化碳": 1,
    "吨碳": 1,
    "吨": 2,
    "t": 2,
    "千瓦时": 0,
    "kWh": 0,
    "万千瓦时": 2,
    "立方米": 0,
    "m3": 0,
    "万立方米": 2,
    "平方米": 0,
    "万元": 0,
    "万元/吨标准煤": 3,
    "吨二氧化碳/万元增加值": 3,
    "吨二氧化碳/人": 2,
    "条": 0,
    "个": 0,
    "家": 0,
    "辆": 0,
    "座": 0,
    "项": 0,
}


@register.filter
def amount(value, unit: str = "") -> str:
    """A figure in its unit's fixed number of decimals, with thousands separators (``num`` for a unit
    without a rule)."""
    if value is None or value == "":
        return "—"
    digits = UNIT_DECIMALS.get((unit or "").strip())
    if digits is None:
        return num(value)
    try:
        return f"{float(value):,.{digits}f}"
    except (TypeError, ValueError):
        return str(value)


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
    return gettext("%(n)s 个百分点") % {"n": f"{number:+.1f}"} if abs(number) >= 0.05 else "0"


@register.filter
def points(value) -> str:
    """A size of a probability change in percentage points, without a sign (an error beside a figure)."""
    if value is None or value == "":
        return "—"
    return gettext("%(n)s 个百分点") % {"n": f"{abs(float(value)) * 100:.1f}"}


#: decimals of a figure in 万吨 (or 万吨标准煤): one way on every page, export and the report
WAN_DECIMALS = 2


@register.filter
def wan(value) -> str:
    """Tonnes shown in 万吨, always with two decimals (a small non-zero amount as “<0.01”, never 0)."""
    if value is None or value == "":
        return "—"
    number = float(value) / 1e4
    if 0 < abs(number) < 0.5 * 10**-WAN_DECIMALS:
        return ("-" if number < 0 else "") + "<0.01"
    return f"{number:,.{WAN_DECIMALS}f}"


@register.filter
def among(value, names: str) -> bool:
    """Is ``value`` one of the comma-separated ``names``? (a menu group is active when its page is)"""
    return bool(value) and str(value) in {n.strip() for n in names.split(",")}


@register.filter
def entry(mapping, key):
    """``mapping[key]`` in a template, or None (a row of a side-by-side table read by its region's name)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def invalid(refusal, name: str) -> str:
    """`` is-invalid`` on a field the refused form names a problem for (Bootstrap's red outline)."""
    return " is-invalid" if refusal and name in refusal.by_field() else ""


@register.filter
def problem(refusal, name: str) -> str:
    """The problem beside a field of a refused form ("" when it has none)."""
    return refusal.by_field().get(name, "") if refusal else ""


@register.simple_tag
def feedback(refusal, name: str, apart: bool = False) -> str:
    """The message under a refused field, in Bootstrap's ``invalid-feedback`` (nothing when it has none);
    ``apart`` where it is not the field's next sibling, so Bootstrap would not show it by itself."""
    from django.utils.html import format_html

    message = problem(refusal, name)
    css = "invalid-feedback d-block" if apart else "invalid-feedback"
    return format_html('<div class="{}">{}</div>', css, message) if message else ""


@register.filter
def division(code) -> str:
    """An administrative division code (from a 统一社会信用代码) shown by its region's name."""
    from carbonpeak.core.regions import division_name

    return division_name(str(code) if code else "")


@register.filter
def said(sentences) -> str:
    """What the platform says (one sentence or several, joined) in the reader's language."""
    from carbonpeak.core.language import said as say

    if isinstance(sentences, list | tuple):
        return pgettext("list separator", "；").join(say(s) for s in sentences)
    return say(sentences)


@register.filter
def term(name) -> str:
    """A name the platform keeps in its own language — a fuel, a unit or a generation type of the energy
    catalogue, a grade, a data state — in the reader's language."""
    from carbonpeak.energy.terms import shown

    return shown(str(name)) if name else ""


@register.filter
def factor_set(label) -> str:
    """A factor set's ``name@version`` label as a person reads it (国家方法默认因子集 2026.1 版)."""
    from carbonpeak.energy.terms import factor_set_name

    return factor_set_name(label)


@register.filter
def standing(status) -> str:
    """How a number's source stands, in words (二手来源, 多个独立二手来源一致, …), in the reader's language."""
    from carbonpeak.core.standing import standing as words

    return gettext(words(str(status) if status else ""))
