"""The language switch in chromium: an English browser meets the login page in English, the coordinator's
choice of 简体中文 is kept and followed after the next login, whatever the browser asks for (issue 37)."""

from __future__ import annotations

import os
import re

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="未安装 chromium（make test 以 root 运行时会自动安装）"
    ),
]
CJK = re.compile(r"[\u3400-\u9fff]")


def test_an_english_browser_and_the_switch(browser_page, live_server, login, artifacts, demo_plan):
    english = browser_page.context.browser.new_context(
        locale="en-GB", viewport={"width": 1400, "height": 900}
    )
    page = english.new_page()  # a browser whose Accept-Language is English
    page.goto(f"{live_server.url}/login/")
    assert page.locator("h1").inner_text() == "Log in"
    assert not CJK.findall(page.locator("main").inner_text())
    page.screenshot(path=str(artifacts / "language-login-en.png"))

    login(page, live_server)
    page.wait_for_selector("nav")
    menu = page.locator("[data-testid=menu]").inner_text()
    assert "Overview" in menu and not CJK.findall(menu)
    page.screenshot(path=str(artifacts / "language-dashboard-en.png"))
    page.set_viewport_size({"width": 1280, "height": 900})  # the longer English menu folds behind its button
    assert page.locator(".navbar-toggler").is_visible()
    page.click(".navbar-toggler")
    page.wait_for_selector("#cp-menu.show")
    page.screenshot(path=str(artifacts / "language-dashboard-en-1280.png"))
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/projection/规划情景/")  # the projection's own sentences and names
    page.wait_for_selector("[data-testid=levers]")
    for table in ("levers", "boundaries"):
        assert not CJK.findall(page.locator(f"[data-testid={table}]").inner_text())
    # the assumptions' names, values and units (their sources keep the wording they were written in)
    named = page.locator("[data-testid=assumptions] tbody td:not([lang])").all_inner_texts()
    assert len(named) > 40 and not CJK.findall(" ".join(named))
    assert "net imported electricity boundary" in page.locator("[data-testid=boundary-sentence]").inner_text()
    page.screenshot(path=str(artifacts / "language-projection-en.png"), full_page=True)
    page.goto(f"{live_server.url}/")

    page.click("[data-testid=language-switch] button[lang=zh-hans]")  # the coordinator's own choice
    page.wait_for_selector("[data-testid=menu]")
    assert "总览" in page.locator("[data-testid=menu]").inner_text()
    page.context.clear_cookies()
    login(page, live_server)  # the browser still asks for English: the account's choice wins
    page.wait_for_selector("[data-testid=menu]")
    assert "总览" in page.locator("[data-testid=menu]").inner_text()
    page.screenshot(path=str(artifacts / "language-dashboard-zh.png"))

    phone = english.browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{live_server.url}/login/")  # on a phone the switch stays beside the brand, not in the menu
    assert phone.locator("[data-testid=language-switch] button").is_visible()
    phone.screenshot(path=str(artifacts / "language-login-en-phone.png"))
