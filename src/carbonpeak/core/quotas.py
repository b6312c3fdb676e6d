"""Per-user limits on work that costs the platform seconds of CPU or a worker's time: a projection computed
on request, a quarterly report generated, an uploaded file read and checked. One user, by mistake or not,
must not be able to keep the workers busy for everyone else.

The requests are counted in the database (``ComputeRequest``), so the limit holds across every server
process; a user's requests are serialised by locking their user row. The limits are 本平台规则
(docs/operations.md), each overridable through ``CARBONPEAK_QUOTAS_PER_HOUR``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from carbonpeak.core.models import ComputeRequest

WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Quota:
    kind: str
    label: str
    per_hour: int


#: 本平台规则: generous for a person at work, small against a script
QUOTAS = {
    "projection": Quota("projection", "按请求计算达峰预测", 20),
    "report": Quota("report", "生成季度报告", 10),
    "upload": Quota("upload", "上传并校验文件", 60),
}


class QuotaExceeded(Exception):
    """Refused for now; ``retry_after`` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check_overrides() -> None:
    """Every kind ``CARBONPEAK_QUOTAS_PER_HOUR`` overrides is one the platform counts (checked at start-up)."""
    from django.core.exceptions import ImproperlyConfigured

    unknown = set(getattr(settings, "CARBONPEAK_QUOTAS_PER_HOUR", {})) - set(QUOTAS)
    if unknown:
        raise ImproperlyConfigured(
            f"CARBONPEAK_QUOTAS_PER_HOUR 中的“{'、'.join(sorted(unknown))}”不是可限制的工作；可用：{'、'.join(QUOTAS)}"
        )


def limit(kind: str) -> int:
    return int(getattr(settings, "CARBONPEAK_QUOTAS_PER_HOUR", {}).get(kind, QUOTAS[kind].per_hour))


def take(user, kind: str) -> None:
    """Count one request of ``kind`` for ``user``, or refuse it when the hour's limit is reached."""
    quota = QUOTAS[kind]
    if user is None or not user.is_authenticated:
        return
    now = timezone.now()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        recent = ComputeRequest.objects.filter(user=user, kind=kind, at__gt=now - WINDOW)
        allowed = limit(kind)
        if recent.count() >= allowed:
            oldest = recent.order_by("at").values_list("at", flat=True).first()
            wait = max(1, math.ceil((oldest + WINDOW - now).total_seconds()))
            raise QuotaExceeded(
                f"“{quota.label}”请求过于频繁：每人每小时最多 {allowed} 次（本平台规则），"
                f"请约 {math.ceil(wait / 60)} 分钟后再试",
                wait,
            )
        ComputeRequest.objects.filter(user=user, kind=kind, at__lte=now - WINDOW).delete()
        ComputeRequest.objects.create(user=user, kind=kind)
