"""Every page a role may open answers junk in its query — Unicode digits, overlong digits, negative and empty
values — without a server error: numbers are read one way (``core.numbers``) everywhere. The pages are found
in the URL configuration itself, so a new page is walked without being listed here."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

#: every query parameter a page of the platform reads, each sent the junk at once
NAMES = (
    "year",
    "page",
    "region",
    "period",
    "department",
    "status",
    "month",
    "failing",
    "plan",
    "group",
    "kind",
    "action",
    "district",
    "end",
    "indicator",
    "date_from",
    "date_to",
    "user",
    "object_type",
    "sector",
)
JUNK = ["²", "9" * 40, "-1", ""]  # a Unicode digit, overlong digits, negative, empty
SKIPPED = ("admin/", "api/", "logout/", "i18n/")  # the API has its fuzzer; logging out ends the walk
#: a path parameter's value, by its name (a key that exists in the demo where one can), else by its type
BY_NAME = {"name": "规划情景", "year": "2024", "kind": "docx", "credit_code": "x", "action": "x"}
BY_TYPE = {"int": "1", "str": "x", "slug": "x", "path": "x"}


def _value(match: re.Match) -> str:
    kind, name = match.groups()
    if name == "name" and "regions" in match.string:
        return "太仓市"
    return BY_NAME.get(name) or BY_TYPE.get(kind, "x")


def _routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route of the URL configuration, its converters filled with a plausible value."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED):
            continue
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and not route.startswith("^"):
            found.append(re.sub(r"<(\w+):(\w+)>", _value, route))
    return ["/" + r.lstrip("/") for r in found]


# the coordinator opens every page; the others are the roles whose scope narrows what a page reads
@pytest.mark.parametrize("username", ["coordinator", "chengxiang", "jiulong", "suzhou"])
def test_every_page_answers_junk_numbers_without_a_server_error(client, demo_plan, username):
    from django.contrib.auth import get_user_model

    from carbonpeak.demo import ensure_demo_enterprises

    users = get_user_model().objects
    if username == "jiulong":
        ensure_demo_enterprises(users.get(username="coordinator"), reports=False)
    client.force_login(users.get(username=username))
    routes = _routes()
    assert "/energy/" in routes and "/sinks/" in routes and "/budgets/" in routes
    for route in routes:
        for junk in JUNK:
            response = client.get(route, {name: junk for name in NAMES})
            assert response.status_code < 500, (username, route, junk)
