"""The login page, with failed attempts limited per user name and address."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from carbonpeak.accounts import tokens


class RateLimitedAuthenticationForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = tokens.client_ip(self.request) if self.request else ""
        if tokens.locked(username, ip):
            raise ValidationError(
                f"登录失败次数过多，请 {tokens.LOCKOUT_SECONDS // 60} 分钟后再试", code="locked"
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            tokens.failed(username, ip)
            raise
        tokens.succeeded(username, ip)
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = RateLimitedAuthenticationForm
