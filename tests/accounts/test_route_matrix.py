"""Every page and API route declares who may open it (``accounts.access``), and the declaration is what the
roles meet: a route without a row here fails, a row that says otherwise fails, and each role is answered 403
exactly where ``permissions.can`` says no — the enterprise reporter outside its own enterprise, the parent
region's viewer outside the figures, anyone not signed in outside the public pages.

A new route needs a row: that is the point at which someone decides who may open it.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action

pytestmark = pytest.mark.django_db

VIEW, VIEW_CITY, VIEW_WORK = Action.VIEW, Action.VIEW_CITY, Action.VIEW_WORK
VIEW_ENTERPRISE, VIEW_AUDIT = Action.VIEW_ENTERPRISE, Action.VIEW_AUDIT
MANAGE_ENTERPRISES, INGEST_METERS = Action.MANAGE_ENTERPRISES, Action.INGEST_METERS
VIEW_PROJECT_ASSESSMENTS = Action.VIEW_PROJECT_ASSESSMENTS

#: page (URL name) → the actions its door asks for; () is a public page
PAGES = {
    "login": (),
    "logout": (),
    "set_language": (),  # the language switch (POST; a GET is refused with 405)
    "javascript-catalog": (),  # the charts' words in the reader's language
    "plans:plan": (VIEW_CITY,),
    "plans:plan_detail": (VIEW_CITY,),
    "plans:matrix": (VIEW_CITY,),
    "plans:matrix_for_plan": (VIEW_CITY,),
    "plans:targets": (VIEW_CITY,),
    "plans:targets_for_plan": (VIEW_CITY,),
    "plans:handed_down_total": (VIEW_CITY,),
    "plans:departments": (VIEW_CITY,),
    "plans:department": (VIEW_CITY,),
    "plans:plans": (VIEW_WORK,),
    "plans:onboard": (VIEW_WORK,),
    "plans:onboard_review": (VIEW_WORK,),
    "plans:onboard_confirm": (VIEW_WORK,),
    "plans:onboard_discard": (VIEW_WORK,),
    "energy:overview": (VIEW_CITY,),
    "energy:run": (VIEW_CITY,),
    "energy:submissions": (VIEW_WORK,),
    "energy:upload": (VIEW_WORK,),
    "energy:submission": (VIEW_WORK,),
    "energy:submission_action": (VIEW_WORK,),
    "energy:template": (VIEW_WORK,),
    "energy:factor_sets": (VIEW_CITY,),
    "energy:factor_set_import": (VIEW_WORK,),
    "energy:factor_enter": (VIEW_WORK,),
    "energy:boundary_set": (VIEW_WORK,),
    "energy:factor_set": (VIEW_CITY,),
    "energy:recompute": (VIEW_WORK,),
    "energy:make_default": (VIEW_WORK,),
    "energy:certificates": (VIEW_CITY,),
    "energy:certificate_template": (VIEW_WORK,),
    "energy:certificate_enter": (VIEW_WORK,),
    "energy:certificate_upload": (VIEW_WORK,),
    "energy:certificate_withdraw": (VIEW_WORK,),
    "monitoring:dashboard": (VIEW_CITY,),
    "monitoring:target": (VIEW_CITY,),
    "monitoring:report": (VIEW_WORK,),
    "monitoring:review": (VIEW_WORK,),
    "monitoring:warnings": (VIEW_CITY,),
    "supervision:periods": (VIEW_WORK,),
    "supervision:open": (VIEW_WORK,),
    "supervision:board": (VIEW_WORK,),
    "supervision:period_action": (VIEW_WORK,),
    "supervision:report": (VIEW_WORK,),
    "supervision:report_action": (VIEW_WORK,),
    "supervision:evidence": (VIEW_WORK,),
    "projection:overview": (VIEW_CITY,),
    "projection:create": (VIEW_WORK,),
    "projection:detail": (VIEW_CITY,),
    "projection:edit": (VIEW_WORK,),
    "projection:compute": (VIEW_WORK,),
    "projection:unit_event": (VIEW_WORK,),
    "projection:add_retirement": (VIEW_WORK,),
    "projection:remove_retirement": (VIEW_WORK,),
    "reports:index": (VIEW_CITY,),
    "reports:generate": (VIEW_WORK,),
    "reports:job": (VIEW_CITY,),
    "reports:download": (VIEW_CITY,),
    "reports:finalise": (VIEW_WORK,),
    "publication:index": (),
    "publication:feed": (),
    "publication:release": (),
    "publication:report_pdf": (),
    "publication:open_data": (),
    "releases:index": (VIEW_WORK,),
    "releases:prepare": (VIEW_WORK,),
    "releases:detail": (VIEW_WORK,),
    "releases:submit": (VIEW_WORK,),
    "releases:approve": (VIEW_WORK,),
    "releases:return": (VIEW_WORK,),
    "releases:discard": (VIEW_WORK,),
    "enterprises:register": (VIEW,),
    "enterprises:detail": (VIEW,),
    "enterprises:report": (VIEW,),
    "enterprises:create_reduction_plan": (VIEW,),
    "enterprises:progress": (VIEW,),
    "enterprises:verification_file": (VIEW,),
    "enterprises:pv": (VIEW,),
    "enterprises:reconciliation": (VIEW_ENTERPRISE,),
    "enterprises:efficiency": (VIEW_ENTERPRISE,),
    "enterprises:template": (VIEW_WORK,),
    "enterprises:export": (VIEW,),
    "enterprises:import": (MANAGE_ENTERPRISES,),
    "enterprises:projects": (VIEW,),
    "enterprises:acceptance_tolerance": (MANAGE_ENTERPRISES,),
    "projects:index": (VIEW_CITY,),
    "projects:register": (VIEW_WORK,),
    "projects:money": (VIEW_CITY,),
    "projects:template": (VIEW_WORK,),
    "projects:upload": (VIEW_WORK,),
    "projects:set_hours": (VIEW_WORK,),
    "projects:detail": (VIEW,),  # the project is then checked: the city's users, and its enterprise's
    "projects:progress": (VIEW,),
    "projects:award": (VIEW_WORK,),
    "projects:edit": (VIEW_WORK,),
    "budgets:index": (VIEW_CITY,),
    "budgets:year": (VIEW_CITY,),
    "budgets:set": (VIEW_WORK,),
    "budgets:allocate": (VIEW_WORK,),
    "budgets:delete_allocation": (VIEW_WORK,),
    "budgets:export": (VIEW_CITY,),
    "budgets:my_region": (VIEW_CITY,),
    "budgets:region": (VIEW_CITY,),
    "budgets:projects": (VIEW_PROJECT_ASSESSMENTS,),
    "budgets:project": (VIEW_PROJECT_ASSESSMENTS,),
    "sinks:overview": (VIEW_CITY,),
    "sinks:climate_zone": (VIEW_WORK,),
    "sinks:parameter": (VIEW_WORK,),
    "sinks:land_record": (VIEW_WORK,),
    "sinks:template": (VIEW_WORK,),
    "sinks:upload": (VIEW_WORK,),
    "sinks:freeze": (VIEW_WORK,),
    "sinks:export": (VIEW_CITY,),
    "meters:overview": (VIEW_ENTERPRISE,),
    "meters:upload": (INGEST_METERS,),
    "meters:withdraw": (INGEST_METERS,),
    "meters:enterprise": (VIEW,),
    "accounts:audit": (VIEW_AUDIT,),
    "accounts:tokens": (VIEW,),
    "web:home": (VIEW,),
    "web:jobs": (VIEW_WORK,),
    "web:upload_job": (VIEW,),
    "web:review_queue": (Action.REVIEW,),
}

#: API route (method and path) → the actions its doors ask for (the router's, then its own)
API = {
    "POST /api/auth/token": (),
    "GET /api/auth/tokens": (VIEW,),
    "DELETE /api/auth/tokens/<token_id>": (VIEW,),
    "GET /api/plan": (VIEW_CITY,),
    "GET /api/targets": (VIEW_CITY,),
    "GET /api/indicators": (VIEW_CITY,),
    "GET /api/indicators/<indicator_id>/observations": (VIEW_CITY,),
    "POST /api/indicators/<indicator_id>/observations": (VIEW_CITY, VIEW_WORK),
    "GET /api/observations": (VIEW_CITY, VIEW_WORK),
    "GET /api/observations/<record_id>": (VIEW_CITY, VIEW_WORK),
    "POST /api/observations/<record_id>/submit": (VIEW_CITY, VIEW_WORK),
    "POST /api/observations/<record_id>/approve": (VIEW_CITY, VIEW_WORK),
    "POST /api/observations/<record_id>/return": (VIEW_CITY, VIEW_WORK),
    "GET /api/periods": (VIEW_WORK,),
    "POST /api/periods": (VIEW_WORK,),
    "POST /api/periods/<period_id>/close": (VIEW_WORK,),
    "GET /api/reports": (VIEW_WORK,),
    "GET /api/reports/<record_id>": (VIEW_WORK,),
    "PUT /api/reports/<record_id>": (VIEW_WORK,),
    "POST /api/reports/<record_id>/submit": (VIEW_WORK,),
    "POST /api/reports/<record_id>/approve": (VIEW_WORK,),
    "POST /api/reports/<record_id>/return": (VIEW_WORK,),
    "GET /api/reports/<report_id>/evidence": (VIEW_WORK,),
    "POST /api/reports/<report_id>/evidence": (VIEW_WORK,),
    "GET /api/evidence/<evidence_id>": (VIEW_WORK,),
    "GET /api/energy/submissions": (VIEW_CITY, VIEW_WORK),
    "POST /api/energy/submissions": (VIEW_CITY, VIEW_WORK),
    "GET /api/energy/submissions/<record_id>": (VIEW_CITY, VIEW_WORK),
    "POST /api/energy/submissions/<record_id>/submit": (VIEW_CITY, VIEW_WORK),
    "POST /api/energy/submissions/<record_id>/approve": (VIEW_CITY, VIEW_WORK),
    "POST /api/energy/submissions/<record_id>/return": (VIEW_CITY, VIEW_WORK),
    "GET /api/energy/summary": (VIEW_CITY,),
    "GET /api/energy/certificates": (VIEW_CITY,),
    "GET /api/regions": (VIEW_CITY,),
    "GET /api/regions/<name>/rollup": (VIEW_CITY,),
    "GET /api/projections": (VIEW_CITY,),
    "GET /api/key-projects": (VIEW_CITY,),
    "GET /api/key-project-progress": (VIEW_CITY, VIEW_WORK),
    "GET /api/key-project-progress/<record_id>": (VIEW_CITY, VIEW_WORK),
    "POST /api/key-project-progress/<record_id>/submit": (VIEW_CITY, VIEW_WORK),
    "POST /api/key-project-progress/<record_id>/approve": (VIEW_CITY, VIEW_WORK),
    "POST /api/key-project-progress/<record_id>/return": (VIEW_CITY, VIEW_WORK),
    "GET /api/projections/<name>": (VIEW_CITY,),
    "POST /api/projections/<name>/runs": (VIEW_CITY,),
    "GET /api/enterprises": (VIEW,),
    "GET /api/enterprises/reconciliation": (VIEW,),
    "GET /api/enterprises/efficiency": (VIEW,),
    "GET /api/enterprises/<int:enterprise_id>": (VIEW,),
    "GET /api/pv-compliance": (VIEW,),
    "GET /api/projects": (VIEW,),
    "GET /api/monitoring-plans": (VIEW,),
    "GET /api/monitoring-plans/<record_id>": (VIEW,),
    "POST /api/monitoring-plans/<record_id>/submit": (VIEW,),
    "POST /api/monitoring-plans/<record_id>/approve": (VIEW,),
    "POST /api/monitoring-plans/<record_id>/return": (VIEW,),
    "GET /api/enterprise-reports": (VIEW,),
    "GET /api/enterprise-reports/<record_id>": (VIEW,),
    "POST /api/enterprise-reports/<record_id>/submit": (VIEW,),
    "POST /api/enterprise-reports/<record_id>/approve": (VIEW,),
    "POST /api/enterprise-reports/<record_id>/return": (VIEW,),
    "GET /api/reduction-progress": (VIEW,),
    "GET /api/reduction-progress/<record_id>": (VIEW,),
    "POST /api/reduction-progress/<record_id>/submit": (VIEW,),
    "POST /api/reduction-progress/<record_id>/approve": (VIEW,),
    "POST /api/reduction-progress/<record_id>/return": (VIEW,),
    "GET /api/budgets/<year>": (VIEW_CITY,),
    "POST /api/budgets": (VIEW_CITY,),
    "POST /api/budgets/<year>/allocations": (VIEW_CITY,),
    "POST /api/project-assessments": (VIEW_CITY,),
    "GET /api/project-assessments": (VIEW_CITY, VIEW_PROJECT_ASSESSMENTS),
    "GET /api/project-assessments/<record_id>": (VIEW_CITY, VIEW_PROJECT_ASSESSMENTS),
    "POST /api/project-assessments/<record_id>/submit": (VIEW_CITY, VIEW_PROJECT_ASSESSMENTS),
    "POST /api/project-assessments/<record_id>/decide": (VIEW_CITY, VIEW_PROJECT_ASSESSMENTS),
    "POST /api/project-assessments/<record_id>/return": (VIEW_CITY, VIEW_PROJECT_ASSESSMENTS),
    "GET /api/sinks": (VIEW_CITY,),
    "GET /api/meters/quality": (VIEW_ENTERPRISE,),
    "GET /api/meters/totals": (VIEW_ENTERPRISE,),
    "GET /api/meters/batches": (VIEW_ENTERPRISE,),
    "POST /api/meters/batches": (VIEW_ENTERPRISE,),
    "GET /api/uploads/<job_id>": (VIEW,),
    "GET /api/public/releases": (),
    "GET /api/public/releases/<release_id>": (),
    "POST /api/releases": (VIEW_WORK,),
    "GET /api/releases": (VIEW_WORK,),
    "GET /api/releases/<record_id>": (VIEW_WORK,),
    "POST /api/releases/<record_id>/submit": (VIEW_WORK,),
    "POST /api/releases/<record_id>/approve": (VIEW_WORK,),
    "POST /api/releases/<record_id>/return": (VIEW_WORK,),
}

#: the roles whose doors differ: the coordinator, a leader, a department, a district, an enterprise's
#: reporter and a parent region's viewer
USERS = ("coordinator", "leader", "市交运局", "chengxiang", "jiulong", "suzhou")
FILL = {"name": "太仓市", "year": "2024", "kind": "docx", "credit_code": "x", "action": "x", "dimension": "x"}


def _pages(patterns=None, prefix: str = "", namespace: str = ""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "api/")):  # the admin has its own staff door; the API is below
            continue
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            yield from _pages(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield (
                name,
                "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: FILL.get(m[1], "1"), route),
                entry.callback,
            )


def _api_operations():
    from carbonpeak.api import api

    for pattern in api.urls[0]:
        closure = getattr(pattern.callback, "__closure__", None)
        if not closure:  # the schema and its documentation page
            continue
        for operation in closure[0].cell_contents.operations:
            for method in operation.methods:
                path = f"/api/{pattern.pattern}"
                yield f"{method} {path}", method, path, operation.view_func


def _declared(view) -> tuple | None:
    return getattr(view, "required_actions", None)


def test_every_page_has_a_row_and_declares_it():
    found = {name: _declared(view) for name, _path, view in _pages()}
    assert sorted(set(found) - set(PAGES)) == [], "a page without a row in PAGES"
    assert sorted(set(PAGES) - set(found)) == [], "a row for a page that no longer exists"
    assert {n: a for n, a in found.items() if a != PAGES[n]} == {}


def test_every_api_route_has_a_row_and_declares_it():
    found = {key: _declared(view) for key, _m, _p, view in _api_operations()}
    assert sorted(set(found) - set(API)) == [], "an API route without a row in API"
    assert sorted(set(API) - set(found)) == [], "a row for an API route that no longer exists"
    assert {k: a for k, a in found.items() if a != API[k]} == {}


@pytest.fixture
def users(demo_plan):
    from carbonpeak.demo import ensure_demo_enterprises

    model = get_user_model().objects
    ensure_demo_enterprises(model.get(username="coordinator"), reports=False)
    return {name: model.get(username=name) for name in USERS}


def _may(user, actions: tuple) -> bool:
    return all(permissions.can(user, action) for action in actions)


def test_each_role_meets_the_page_doors(client, users):
    for name, user in users.items():
        client.force_login(user)
        for route, path, _view in _pages():
            if route == "logout":
                continue
            status = client.get(path).status_code
            if _may(user, PAGES[route]):
                assert status < 500, (name, route, status)  # (an object inside may still be refused)
            else:
                assert status == 403, (name, route, status)
    client.logout()
    for route, path, _view in _pages():
        response = client.get(path)
        if PAGES[route]:
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), route


def test_each_role_meets_the_api_doors(client, users):
    for name, user in users.items():
        client.force_login(user)
        for key, method, path, _view in _api_operations():
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: FILL.get(m[1], "1"), path)
            response = client.generic(method, path, "{}", content_type="application/json")
            if _may(user, API[key]):
                assert response.status_code < 500, (name, key, response.status_code)
            else:  # a request the schema refuses is answered before the door: nothing read or written
                assert response.status_code in (403, 422), (name, key, response.status_code)
                assert response.json()["code"] in ("forbidden", "malformed_request"), (name, key)


def test_an_enterprise_reporter_starts_at_what_its_enterprise_owes(client, users):
    client.force_login(users["jiulong"])
    own = permissions.enterprise_of(users["jiulong"])
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200 and "待办" in html and own.name in html
    assert reverse("enterprises:detail", args=[own.pk]) in html
    assert "monitoring/dashboard.html" not in [t.name for t in response.templates]


def test_the_navigation_offers_only_pages_the_user_may_open(client, users):
    for name, user in users.items():
        client.force_login(user)
        home = client.get("/", follow=True)
        nav = home.content.decode().split('data-testid="menu">', 1)[1].split("</nav>", 1)[0]
        found = re.findall(r'class="(?:nav-link|dropdown-item)[^"]*" href="([^"]+)"', nav)
        links = [link for link in found if link != "#"]  # a menu's toggle
        assert links, name
        for link in links:
            assert client.get(link).status_code in (200, 302), (name, link)
