"""Every page in English (issue 37): each role walks every page it may open, as a reader who chose English, and
what is left in Chinese once the names and the plan's own words are taken out is listed by page.

The names and the plan's words are read from the database (the plan's text, tasks, actions and targets, the
departments, regions, indicators, enterprises, buildings, projects, scenarios and what people typed): they stay
in the language they were written in, and so do the records the platform keeps in its own language (a
warning's message), which pages mark ``lang="zh-Hans"``. Anything else in Chinese is the platform's own
wording, not yet translated.

Reference data keeps its own wording too (a factor's source and note, a rule's quotation of the plan): pages
mark it as Chinese. Every page must read in English.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.test_route_matrix import PAGES, _may, _pages

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]+")
#: an official document's number (发改环资〔2024〕113号): a name, written as the issuer writes it
DOCUMENT_NUMBER = re.compile(r"[\u3400-\u9fff]*〔\d{4}〕\d+号")


def english_text(html: str) -> str:
    """What a reader of the English page reads in the page's own language: no scripts or styles, and no
    element marked as written in Chinese (``lang="zh-Hans"``: the plan's text, a stored message)."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    for element in tree.xpath('//script | //style | //*[starts-with(@lang, "zh")][not(self::html)]'):
        element.drop_tree()
    return " ".join(tree.text_content().split())


#: what the platform wrote itself and keeps (records, not names): it is not taken out of the page
MADE_BY_THE_PLATFORM = {"core.AuditEvent", "core.UploadJob", "core.ComputeRequest", "core.ComputedFigure"}
SAID_BY_THE_PLATFORM = {"reason", "message", "error", "summary", "status_label", "progress_label"}
#: what the platform computed and keeps as data (a run's result, an account's detail, a check's warnings): its
#: labels are the platform's own words, which a page says in the reader's language
COMPUTED_BY_THE_PLATFORM = {
    "energy.AccountingResult.data", "energy.EnergySubmission.warnings", "monitoring.Observation.warnings",
    "projection.ProjectionRun.result", "sinks.SinkResult.data", "sinks.SinkBaseline.data",
    "budgets.ProjectAssessment.assessment", "budgets.ProjectAssessment.acceptance", "enterprises.EnterpriseReport.computed_missing",
    "enterprises.EnterpriseReport.official_basis", "publication.Release.snapshot", "supervision.ReportingPeriod.snapshot",
}  # fmt: skip


def written_words() -> list[str]:
    """Every name and every piece of text a person or the plan wrote, longest first."""
    from django.apps import apps
    from django.db import models

    words: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in {
            "plans", "departments", "monitoring", "supervision", "enterprises", "budgets", "sinks",
            "projection", "energy", "core", "publication", "meters", "accounts", "reports", "projects",
        }:  # fmt: skip
            continue
        if model._meta.label in MADE_BY_THE_PLATFORM:
            continue
        text = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and f.name not in SAID_BY_THE_PLATFORM
        ]
        data = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.JSONField)
            and f"{model._meta.label}.{f.name}" not in COMPUTED_BY_THE_PLATFORM
        ]
        for row in model.objects.values_list(*text, *data)[:5000] if text or data else ():
            words.update(str(v) for v in row[: len(text)] if v and CJK.search(str(v)))
            for value in row[len(text) :]:
                words.update(_strings(value))
    return sorted(words, key=len, reverse=True)


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {value} if CJK.search(value) else set()
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def chinese_left(text: str, words: list[str]) -> list[str]:
    """The Chinese left once the names, the plan's words and official documents' numbers are taken out."""
    for word in words:
        if word in text:
            text = text.replace(word, " ")
    return CJK.findall(DOCUMENT_NUMBER.sub(" ", text).replace("简体中文", " "))


def _real_path(route: str) -> str | None:
    """A record that exists for the pages the route matrix opens with a placeholder (a scenario's page is
    walked with its run's measures and assumptions, not as a 404)."""
    from carbonpeak.projection.models import ProjectionRun

    if route == "projects:detail":
        from carbonpeak.projects.models import KeyProject

        project = KeyProject.objects.order_by("pk").first()
        return f"/key-projects/{project.pk}/" if project else None
    if route in {"projection:detail", "projection:edit"}:
        run = ProjectionRun.objects.order_by("-pk").first()
        suffix = "edit/" if route.endswith("edit") else ""
        return f"/projection/{run.scenario_name}/{suffix}" if run else None
    return None


@pytest.mark.parametrize("username", ["coordinator", "市交运局", "chengxiang", "zhongde", "suzhou"])
def test_pages_read_in_english(client, demo_plan, username):
    from carbonpeak.accounts import services as accounts
    from carbonpeak.demo import ensure_demo_enterprises
    from carbonpeak.projects.sample import ensure_demo_projects

    users = get_user_model().objects
    # with their reports where the audit log is read (the coordinator), without them elsewhere (faster)
    ensure_demo_enterprises(users.get(username="coordinator"), reports=username == "coordinator")
    ensure_demo_projects(demo_plan, users.get(username="coordinator"))
    user = users.get(username=username)
    accounts.set_language(user, "en")
    client.force_login(user)
    words = written_words()
    left: dict[str, list[str]] = {}
    walked = 0
    for route, path, _view in _pages():
        if route == "logout" or not _may(user, PAGES[route]):
            continue
        path = _real_path(route) or path
        response = client.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        walked += 1
        if found := chinese_left(english_text(response.content.decode()), words):
            left[route] = sorted(set(found))
    assert walked >= 5
    assert left == {}, "\n".join(f"{route}: {' '.join(found)[:400]}" for route, found in left.items())


@pytest.mark.parametrize(
    "route",
    [
        "energy:template",
        "energy:certificate_template",
        "enterprises:template",
        "sinks:template",
        "projects:template",
    ],
)
def test_the_upload_templates_explain_themselves_in_english(client, demo_plan, route):
    """An English reader's template: its title and instructions in English (saying the Chinese headers stay),
    every sheet name, header and row the importer reads the same as in the Chinese one."""
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    client.force_login(get_user_model().objects.get(username="coordinator"))

    def cells(language: str) -> dict:
        response = client.get(reverse(route), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        return {
            (ws.title, cell.coordinate): cell.value
            for ws in book.worksheets
            for row in ws.iter_rows()
            for cell in row
            if cell.value not in (None, "")
        }

    chinese, english = cells("zh-hans"), cells("en")
    assert chinese.keys() == english.keys()
    told = {at: text for at, text in english.items() if text != chinese[at]}
    assert told, "the English template says nothing in English"
    for text in told.values():  # the importer's words are quoted (“新建”), the region is a name
        assert CJK.findall(DOCUMENT_NUMBER.sub("", re.sub(r"“[^”]*”", "", text)).replace("太仓市", "")) == []
    assert any("Do not change the sheets’ names" in text for text in told.values())


def test_a_required_field_is_asked_for_in_the_readers_language():
    """A form refused for a field left empty says so in the reader's language, whatever language its label
    was given in."""
    from django.utils import translation

    from carbonpeak.web import refusals

    with translation.override("en"):
        (problem,) = refusals.required({"source": " "}, {"source": ("zone-source", "来源")})
    assert problem.field == "zone-source" and problem.message == "Please fill in Source"
    (problem,) = refusals.required({}, {"source": "来源"})
    assert problem.message == "请填写来源"
