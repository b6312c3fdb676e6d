"""A logged-in user's own language before the browser's: after login the interface speaks what the user chose
(kept with the account), not what this browser asks for."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from carbonpeak.accounts.services import SESSION_LANGUAGE


class UserLanguage:
    """After ``AuthenticationMiddleware`` and ``LocaleMiddleware``: the session's copy of the user's choice,
    when there is one, replaces the language the request asked for."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        language = request.session.get(SESSION_LANGUAGE) if request.user.is_authenticated else None
        if language in self.languages:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
