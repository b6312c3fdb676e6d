"""Mail said in the languages its readers chose: a department's mailbox is read by its users, so a warning
or a reminder goes out in each language they chose (the platform's own first), from the same sentences."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import mail
from django.utils import translation

from carbonpeak.core.language import said

log = logging.getLogger(__name__)
#: between the same mail said in two languages
BETWEEN_LANGUAGES = "\n\n" + "—" * 20 + "\n\n"


def mail_configured() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def send_said(subject: object, body: object, to: list[str], languages: list[str]) -> bool:
    """Send ``subject`` and ``body`` (Messages, or text kept as it was written) to ``to``, said in each of
    ``languages`` in turn; False when the mail server refused (logged: a mail must never lose the record)."""
    languages = languages or [settings.LANGUAGE_CODE]
    subjects, bodies = [], []
    for language in languages:
        with translation.override(language):
            subjects.append(said(subject))
            bodies.append(said(body))
    try:
        mail.send_mail(
            " / ".join(dict.fromkeys(subjects)), BETWEEN_LANGUAGES.join(dict.fromkeys(bodies)), None, to
        )
    except OSError as exc:
        log.warning("邮件发送失败（%s）：%s", ", ".join(to), exc)
        return False
    return True
