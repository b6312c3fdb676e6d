"""The API's documentation page works on an intranet: Swagger UI comes from the platform's own static files
(django-ninja ships it), nothing is loaded from outside the server, and the page renders under the CSP."""

from __future__ import annotations

import os
import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_only_the_servers_own_files(client):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle" in s for s in sources), sources
    assert all(s.startswith("/") for s in sources), sources  # no CDN, no other host


@pytest.mark.e2e
@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="未安装 chromium")
def test_the_docs_render_in_chromium_with_nothing_from_outside(browser_page, live_server, artifacts):
    page = browser_page
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "CarbonPeak API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 50  # every route listed
    assert outside == []
    page.screenshot(path=str(artifacts / "api-docs.png"))
