"""The platform's today: the date in Asia/Shanghai — or the demo's fixed date, so that the demo's sample
data, its open progress period, its warnings and its quarterly report describe one moment.

A real installation never fixes it; the demo writes its date beside the database (``DEMO_TODAY_FILE`` in the
data folder) and says so on every page, labelled 示例输入.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

DEMO_TODAY_FILE = "demo-today"


def today() -> dt.date:
    """Today for every deadline, due period and default year the platform works out."""
    return fixed_today() or timezone.localdate()


def fixed_today() -> dt.date | None:
    """The demo's date, None on a real installation."""
    return getattr(settings, "CARBONPEAK_TODAY", None)


def fix_today(day: dt.date) -> None:
    """The demo's choice of date, kept beside its database (read by every process started after) and
    applied to this one."""
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    (settings.DATA_DIR / DEMO_TODAY_FILE).write_text(day.isoformat())
    settings.CARBONPEAK_TODAY = day
