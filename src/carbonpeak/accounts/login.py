"""The login page. Failed attempts are limited by django-axes (``accounts/throttling.py``): its
authentication backend refuses a locked user name or address before the password is checked, and its
middleware answers with the page again and the reason."""

from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
