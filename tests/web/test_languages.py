"""The interface in English too: the catalogue is complete and compiled, the browser's Accept-Language is
honoured for an anonymous visitor, and a logged-in user's choice is kept with the account (issue 37)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from carbonpeak.accounts.models import Preference
from carbonpeak.core import audit

PACKAGE = Path(settings.PACKAGE_DIR)
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")
SOURCE = settings.LANGUAGE_CODE


def catalogues() -> list[Path]:
    """Each language's catalogues: the pages' and messages' (django.po) and the charts' (djangojs.po)."""
    return sorted((PACKAGE / "locale").glob("*/LC_MESSAGES/*.po"))


def test_every_language_but_the_source_has_a_catalogue():
    languages = {code for code, _ in settings.LANGUAGES} - {SOURCE}
    assert {p.parts[-3] for p in catalogues()} == languages


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: p.parts[-3])
def test_every_message_is_translated_with_its_placeholders(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert not untranslated, f"{len(untranslated)} messages without a translation, e.g. {untranslated[:5]}"
    assert not [e.msgid for e in po if "fuzzy" in e.flags], (
        "fuzzy translations must be checked by a translator"
    )
    for entry in po:
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: p.parts[-3])
def test_the_compiled_catalogue_is_the_one_written(path):
    """django.mo is what the server reads: it must hold exactly what django.po says (compilemessages)."""
    compiled = {(e.msgid, e.msgstr) for e in polib.mofile(str(path.with_suffix(".mo"))) if not e.msgid_plural}
    written = {(e.msgid, e.msgstr) for e in polib.pofile(str(path)) if not e.msgid_plural and e.translated()}
    assert compiled == written, "the catalogue changed since it was compiled: run compilemessages"


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="需要 gettext（Debian 软件包 gettext，make test 安装）"
)
def test_every_message_of_the_code_is_in_the_catalogue(tmp_path):
    """Messages are extracted again from a copy of the code (makemessages): none may be missing from the
    catalogue, and none the code no longer uses may linger."""
    copy = tmp_path / "carbonpeak"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "vendor"))
    for domain in ("django", "djangojs"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "--all",
                "--domain",
                domain,
                "--no-obsolete",
                "--no-location",
                "--settings",
                "carbonpeak.settings",
            ],
            cwd=copy,
            capture_output=True,
            text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "carbonpeak.settings"},
            check=False,
        )
        assert done.returncode == 0, done.stderr
    for path in catalogues():
        fresh = {e.msgid for e in polib.pofile(str(copy / path.relative_to(PACKAGE)))}
        kept = {e.msgid for e in polib.pofile(str(path))}
        assert not fresh - kept, f"not in {path.parts[-3]}'s catalogue: {sorted(fresh - kept)[:10]}"
        assert not kept - fresh, f"no longer used: {sorted(kept - fresh)[:10]}"


def _furniture(html: str) -> str:
    """The navigation, footer and banners of a page (not its content)."""
    parts = re.findall(r"<nav\b.*?</nav>|<footer\b.*?</footer>", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", " ".join(parts))
    return text.replace("简体中文", "")  # the switch names each language in itself


@pytest.mark.django_db
def test_an_english_browser_gets_the_login_page_in_english(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = page.content.decode()
    assert page["Content-Language"] == "en" and '<html lang="en">' in html
    main = re.search(r"<main\b.*?</main>", html, flags=re.S).group(0)
    assert not CJK.findall(_furniture(html) + re.sub(r"<[^>]+>", " ", main))
    assert "Log in" in html and "User name" in html
    chinese = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert "用户名" in chinese.content.decode() and chinese["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_switch_keeps_a_users_choice_for_every_device(client, coordinator):
    client.force_login(coordinator)
    assert "总览" in client.get("/monitoring/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/monitoring/"})
    assert switched.status_code == 302 and switched["Location"] == "/monitoring/"
    assert Preference.objects.get(user=coordinator).language == "en"
    changes = audit.history(Preference.objects.get(user=coordinator))
    assert [(e.user_id, e.after) for e in changes] == [(coordinator.pk, {"language": "en"})]
    html = client.get(
        "/monitoring/", HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()  # the choice, not the browser
    assert "Overview" in html and not CJK.findall(_furniture(html).replace(coordinator.username, ""))

    another_device = client_class()
    another_device.post("/login/", {"username": "coordinator", "password": "carbonpeak-demo"})
    assert "Overview" in another_device.get("/monitoring/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    refused = client.post("/i18n/setlang/", {"language": "xx", "next": "/monitoring/"})
    assert refused.status_code == 400 and Preference.objects.get(user=coordinator).language == "en"
    abroad = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "https://example.com/"})
    assert abroad["Location"] != "https://example.com/"  # back to this site only


def client_class():
    from django.test import Client

    return Client()


@pytest.mark.django_db
def test_an_anonymous_choice_is_a_cookie(client):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert switched.status_code == 302 and not Preference.objects.exists()
    assert "Log in" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
