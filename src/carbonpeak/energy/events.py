"""What the energy app does on events (registered at start-up by ``EnergyConfig``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from carbonpeak.core import events


def _user(user_id: int | None):
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


@events.handles("energy_changed", _("按正式因子集重新核算"), order=10)
def recompute_official(reason: str, user_id: int | None = None) -> dict:
    """New approved data, a changed register or an adopted factor set: the official accounts again; what
    depends on them follows their own event."""
    from carbonpeak.energy import services

    run = services.recompute(services.official_factor_set(), user=_user(user_id), reason=reason)
    if not run.error:
        events.emit("accounts_recomputed", run_id=run.pk)
    return {"accounting_run": run.pk, "error": run.error}


@events.handles("target_value_set", _("能耗强度目标值变化时重新核算（绿证抵扣上限随之变化）"), order=10)
def recompute_for_the_certificate_cap(target_id: int, user_id: int | None = None) -> dict | None:
    """The certificate deduction is capped by the energy-intensity target: with certificates registered, a
    new value of that target changes the accounts."""
    from carbonpeak.energy.models import GreenCertificate
    from carbonpeak.plans.models import Target
    from carbonpeak.plans.selectors import ENERGY_INTENSITY

    target = Target.objects.filter(pk=target_id).first()
    if target is None or target.indicator not in ENERGY_INTENSITY or not GreenCertificate.objects.exists():
        return None
    return recompute_official(f"录入上级下达目标值：{target.indicator} {target.year}年", user_id)
