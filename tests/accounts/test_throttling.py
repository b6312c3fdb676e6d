"""Failed logins are counted where every worker sees them (django-axes, in the database): per user name and per
address, the login page and the API together."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

RIGHT = "carbonpeak-demo"


def api_login(client, username, password, address="10.0.0.1"):
    return client.post(
        "/api/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def page_login(client, username, password, address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def users(coordinator):
    return coordinator


def test_failures_on_the_page_and_the_api_count_together(client, users):
    for _ in range(3):
        assert page_login(client, "leader", "bad").status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 4):
        assert api_login(client, "leader", "bad").status_code == 401
    assert api_login(client, "leader", "bad").status_code == 429  # the fifth failure locks
    locked = page_login(client, "leader", RIGHT)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode() and "15 分钟" in locked.content.decode()
    answer = api_login(client, "leader", RIGHT)
    assert answer.status_code == 429 and answer.json()["code"] == "too_many_attempts"
    # the user name is locked from any address: guessing from many machines gains nothing
    assert api_login(client, "leader", RIGHT, address="10.9.9.9").status_code == 429
    # another user at the same address is not (an office shares one address)
    assert api_login(client, "coordinator", RIGHT).status_code == 200


def test_one_address_trying_many_names_is_locked(client, users):
    limit = settings.CARBONPEAK_LOGIN_FAILURES_PER_ADDRESS
    for n in range(limit - 1):
        assert api_login(client, f"sprayed-{n}", "bad", address="10.6.6.6").status_code == 401
    assert api_login(client, "sprayed-last", "bad", address="10.6.6.6").status_code == 429
    refused = api_login(client, "coordinator", RIGHT, address="10.6.6.6")
    assert refused.status_code == 429 and "同一地址" in refused.json()["message"]
    # the same user from another address is not concerned
    assert api_login(client, "coordinator", RIGHT, address="10.0.0.2").status_code == 200


def test_a_success_clears_its_own_name_only(client, users):
    per_name, per_address = settings.AXES_FAILURE_LIMIT, settings.CARBONPEAK_LOGIN_FAILURES_PER_ADDRESS
    for n in range(per_address - per_name):
        api_login(client, f"sprayed-{n}", "bad", address="10.6.6.6")
    for _ in range(per_name - 1):
        assert api_login(client, "leader", "bad", address="10.6.6.6").status_code == 401
    assert api_login(client, "leader", RIGHT, address="10.6.6.6").status_code == 200
    # leader's own failures are cleared: four more do not lock
    for _ in range(per_name - 1):
        assert api_login(client, "leader", "bad", address="10.7.7.7").status_code == 401
    assert api_login(client, "leader", RIGHT, address="10.7.7.7").status_code == 200
    # the sprayed names still count against their address: five more failures there reach its limit
    for n in range(per_name):
        api_login(client, f"sprayed-again-{n}", "bad", address="10.6.6.6")
    assert api_login(client, "coordinator", RIGHT, address="10.6.6.6").status_code == 429


def test_the_address_is_the_connection_unless_a_proxy_is_trusted(client, users, settings):
    spoofed = {"HTTP_X_FORWARDED_FOR": "192.0.2.1"}
    for n in range(settings.CARBONPEAK_LOGIN_FAILURES_PER_ADDRESS):
        client.post(
            "/api/auth/token",
            {"username": f"sprayed-{n}", "password": "bad"},
            content_type="application/json",
            REMOTE_ADDR="10.6.6.6",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",  # a client choosing its own address gains nothing
        )
    assert api_login(client, "coordinator", RIGHT, address="10.6.6.6").status_code == 429
    settings.CARBONPEAK_TRUSTED_PROXIES = 1
    behind_proxy = client.post(
        "/api/auth/token",
        {"username": "coordinator", "password": RIGHT},
        content_type="application/json",
        REMOTE_ADDR="10.6.6.6",
        **spoofed,
    )
    assert behind_proxy.status_code == 200


def _post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_two_server_processes_share_one_count(fresh_site):
    made = fresh_site.python("from carbonpeak.demo import ensure_demo_users; ensure_demo_users()")
    assert made.returncode == 0, made.stderr
    first, second = fresh_site.serve(), fresh_site.serve()
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit):  # the failures alternate between the two processes; the fifth locks
        server = (first, second)[n % 2]
        status, _ = _post(server + "/api/auth/token", {"username": "leader", "password": "bad"})
        assert status == (401 if n < limit - 1 else 429)
    for server in (first, second):
        status, answer = _post(server + "/api/auth/token", {"username": "leader", "password": RIGHT})
        assert status == 429, answer
        assert answer["code"] == "too_many_attempts"


def test_a_forwarded_address_that_is_not_an_address_is_not_an_error(client, users, settings):
    settings.CARBONPEAK_TRUSTED_PROXIES = 1
    answer = client.post(
        "/api/auth/token",
        {"username": "coordinator", "password": "bad"},
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="<script>, unknown",
    )
    assert answer.status_code == 401
