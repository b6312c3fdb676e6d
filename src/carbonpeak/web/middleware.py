"""The web layer's middleware: refusals turned into the platform's own error pages."""

from __future__ import annotations

from carbonpeak.core.quotas import QuotaExceeded
from carbonpeak.web.errors import too_many_requests


class AnswerQuotaExceeded:
    """A page whose work was refused by ``core.quotas`` answers 429 with the reason in Chinese and when to try
    again (the API answers the same through its own error handlers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, QuotaExceeded):
            return too_many_requests(request, exception)
        return None
