"""A user's API tokens stop working when their password changes or their account is deactivated, however
that happens (the password page, the admin, the shell): the hook is the user row itself."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver

from carbonpeak.accounts import tokens


@receiver(pre_save, sender=get_user_model())
def revoke_tokens_on_password_change_or_deactivation(sender, instance, **kwargs) -> None:
    if instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password:
        tokens.revoke_all(instance, "密码已更改：该用户的全部令牌失效")
    elif before["is_active"] and not instance.is_active:
        tokens.revoke_all(instance, "账号已停用：该用户的全部令牌失效")


@receiver(m2m_changed, sender=get_user_model().groups.through)
def forget_roles_read_before(sender, instance, **kwargs) -> None:
    """A user's roles are read once per user object (``permissions.roles``): a change of its groups on
    that object is seen at once."""
    if hasattr(instance, "_carbonpeak_roles"):
        del instance._carbonpeak_roles


@receiver(user_logged_in)
def speak_the_users_language(sender, request, user, **kwargs) -> None:
    """The language the user chose before (on any device) from the moment they log in."""
    if request is not None and hasattr(request, "session"):
        from carbonpeak.accounts.services import remember_language

        remember_language(request.session, user)
