"""Production settings pass Django's deployment checks; passwords are hashed."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "carbonpeak.example.gov.cn",
        "CARBONPEAK_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "carbonpeak.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' fixture, never in deployment
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_passwords_are_hashed(coordinator, settings):
    # the suite hashes with MD5 for speed (conftest); the platform's own settings keep Django's default
    from django.conf import global_settings
    from django.contrib.auth.hashers import make_password

    import carbonpeak.settings as platform

    assert "carbonpeak-demo" not in coordinator.password
    settings.PASSWORD_HASHERS = getattr(platform, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert make_password("carbonpeak-demo").startswith(("pbkdf2_sha256$", "argon2", "scrypt"))
