"""How a number's source stands, as a person reads it (pure, no Django).

The reference rates every number it gives (``secondary``, ``secondary-consistent``, ``single-secondary``,
``…+derived``); the data files keep those words as the reference wrote them, and every page, export and
report shows them through here, in the platform's language (a page says them in the reader's).
"""

from __future__ import annotations

from carbonpeak.core.text import gettext_noop

STANDINGS = {
    "secondary": gettext_noop("二手来源"),
    "secondary-consistent": gettext_noop("多个独立二手来源一致"),
    "single-secondary": gettext_noop("单一二手来源，正式文本未核实（暂定）"),
    "secondary+derived": gettext_noop("二手来源，本平台据此推算"),
    "录入": gettext_noop("协调员录入"),
    "示例输入": gettext_noop("示例输入"),
    "本平台规则": gettext_noop("本平台规则"),
}


def standing(status: str) -> str:
    """The status of a number's source in words (an unknown one as written)."""
    status = (status or "").strip()
    return STANDINGS.get(status, status)
