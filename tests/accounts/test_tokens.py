"""API tokens have a life: listed and revoked by their owner (page and API), all revoked when the password
changes or the account is deactivated, bounded per user, expiry stated."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from carbonpeak.accounts import tokens
from carbonpeak.accounts.models import ApiToken
from carbonpeak.core.models import AuditEvent
from carbonpeak.demo import ensure_demo_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(db):
    cache.clear()
    ensure_demo_users()
    return get_user_model().objects.get(username="leader")


def _login(client, username="leader", password="carbonpeak-demo") -> tuple[str, dict]:
    response = client.post(
        "/api/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    raw = response.json()["token"]
    assert response.json()["expires_at"]  # the expiry is stated with the token
    return raw, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_owner_lists_and_revokes_a_token_through_the_api(client, leader):
    raw, auth = _login(client)
    listed = client.get("/api/auth/tokens", **auth).json()
    assert [t["prefix"] for t in listed] == [raw[:8]] and "token" not in listed[0]
    assert client.delete(f"/api/auth/tokens/{listed[0]['id']}", **auth).status_code == 204
    assert client.get("/api/targets", **auth).status_code == 401  # revoked: no longer accepted
    assert AuditEvent.objects.filter(object_type="accounts.ApiToken", action="delete").exists()


def test_another_users_token_is_not_theirs_to_revoke(client, leader):
    _, auth = _login(client)
    coordinator_raw, _ = _login(client, "coordinator")
    other = ApiToken.objects.get(prefix=coordinator_raw[:8])
    assert client.delete(f"/api/auth/tokens/{other.pk}", **auth).status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()


def test_a_password_change_or_a_deactivation_revokes_every_token(client, leader):
    _, auth = _login(client)
    _, auth2 = _login(client)
    leader.set_password("a-new-long-password-2026")
    leader.save()
    assert client.get("/api/targets", **auth).status_code == 401
    assert client.get("/api/targets", **auth2).status_code == 401
    _, auth = _login(client, password="a-new-long-password-2026")
    leader.is_active = False
    leader.save()
    assert not ApiToken.objects.filter(user=leader).exists()


def test_tokens_per_user_are_bounded_the_oldest_goes(client, leader):
    first, _ = _login(client)
    for _ in range(tokens.MAX_TOKENS_PER_USER):
        _login(client)
    assert ApiToken.objects.filter(user=leader).count() == tokens.MAX_TOKENS_PER_USER
    assert not ApiToken.objects.filter(prefix=first[:8]).exists()


def test_the_page_lists_and_revokes_own_tokens(client, leader):
    raw, _ = _login(client)
    client.force_login(leader)
    page = client.get("/accounts/tokens/").content.decode()
    assert raw[:8] in page and "过期" in page
    token = ApiToken.objects.get(prefix=raw[:8])
    response = client.post("/accounts/tokens/", {"token": token.pk}, follow=True)
    assert "已撤销令牌" in response.content.decode()
    assert tokens.user_for(raw) is None and not ApiToken.objects.filter(pk=token.pk).exists()
