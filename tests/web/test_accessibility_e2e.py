"""The main pages pass axe-core (run in chromium on each page as the demo's users see it): no serious or
critical accessibility violation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists("/usr/bin/chromium"), reason="未安装 chromium（make test 会自动安装）"
    ),
    pytest.mark.skipif(not AXE.exists(), reason="未安装 axe-core（make test 以 npm ci 安装）"),
]
PAGES = [
    "/monitoring/",
    "/plans/",
    "/plans/targets/",
    "/plans/matrix/",
    "/energy/",
    "/energy/submissions/",
    "/progress/",
    "/budgets/",
    "/sinks/",
    "/projection/",
    "/enterprises/",
    "/meters/",
    "/monitoring/warnings/",
]


def violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands (evaluated by the browser's
    debugger, so the page's Content-Security-Policy, which allows no inline script, stays as it is)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return list(found)


def test_the_main_pages_have_no_serious_accessibility_violation(browser_page, live_server, login, demo_plan):
    page = browser_page
    login(page, live_server)
    found = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if problems := violations(page):
            found[path] = problems
    assert not found, found


def test_the_front_doors_have_no_serious_accessibility_violation(
    browser_page, live_server, login, demo_plan, coordinator
):
    from django.utils import timezone

    from carbonpeak.demo import ensure_demo_enterprises
    from carbonpeak.supervision import services as supervision

    supervision.open_latest_quarter(demo_plan, coordinator, timezone.localdate())
    ensure_demo_enterprises(coordinator, reports=False)
    page = browser_page
    found = {}
    for username, shown in (
        ("市交运局", "todo-section"),
        ("chengxiang", "own-figures"),
        ("jiulong", "todo-section"),
        ("stats", "todo-section"),
        ("suzhou", "rollup"),  # the parent region's regions side by side
    ):
        page.context.clear_cookies()
        login(page, live_server, username)
        page.goto(f"{live_server.url}/")
        page.wait_for_selector(f"[data-testid={shown}]")
        if problems := violations(page):
            found[username] = problems
    assert not found, found
