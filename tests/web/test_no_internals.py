"""No page or export shows the program talking to itself: each role walks every page and every workbook or
table download it may open (found in the URL configuration, so a new one is walked too) and the text a
person reads holds no file path, no code
identifier, no internal stamp and no number in scientific notation. What a person must type exactly (a
file's column headers) is shown as ``<code>`` and is not counted."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.test_route_matrix import PAGES, _may, _pages

pytestmark = pytest.mark.django_db
PATTERNS = {
    "file path": re.compile(
        r"(?:\.\./|shared/reference|\breference/[\w-]+|docs/[\w-]+\.md|[\w-]+/[\w.-]+\.(?:csv|md|py|json)\b)"
    ),
    "code identifier": re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    "scientific notation": re.compile(r"\d\.\d+e[+-]?\d+", re.I),
    "internal stamp": re.compile(r"@\d{8}-\d{6}"),
    "rating in code words": re.compile(r"\b(?:single-)?secondary(?:[-+][a-z]+)?\b"),
}


def export_text(response) -> str | None:
    """What a person reads in a downloaded workbook or table: every cell (None for other downloads)."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "text/csv" in kind:
        return body.decode("utf-8-sig", errors="replace")
    return None


def visible_text(html: str) -> str:
    """What a person reads: no scripts, styles, code samples or tags."""
    html = re.sub(r"<(script|style|code)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    "username", ["coordinator", "leader", "市交运局", "chengxiang", "stats", "jiulong", "suzhou"]
)
def test_no_page_shows_paths_identifiers_stamps_or_scientific_notation(client, demo_plan, username):
    from carbonpeak.demo import ensure_demo_enterprises

    users = get_user_model().objects
    ensure_demo_enterprises(users.get(username="coordinator"), reports=False)
    user = users.get(username=username)
    client.force_login(user)
    found, walked, exports = [], 0, 0
    for route, path, _view in _pages():
        if route == "logout" or not _may(user, PAGES[route]):
            continue
        response = client.get(path, follow=True)
        if response.status_code != 200:
            continue
        if "html" in response.get("Content-Type", ""):
            text = visible_text(response.content.decode())
        elif (text := export_text(response)) is None:  # an export: its cells are read as a page's text
            continue
        else:
            exports += 1
        walked += 1
        found += [
            (route, kind, hit) for kind, pattern in PATTERNS.items() for hit in set(pattern.findall(text))
        ]
    assert walked >= (5 if username in ("jiulong", "suzhou") else 30), walked
    if username == "coordinator":
        assert exports >= 3, exports  # the workbooks and tables a coordinator downloads were read too
    assert not found, found
