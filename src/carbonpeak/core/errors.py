"""One kind of refusal for the whole domain: a stable code, an HTTP status and a message for a person.

Services raise :class:`DomainError` (never a bare string): the API turns it into ``{"code", "message"}`` with
its status (``core.api``), the pages show the message beside the form (it is a Django ``ValidationError``, so
forms and ``except ValidationError`` read it as they read any other). The codes are those of
``core.api.ERROR_CODES``, which docs/api.md lists; the wording may change, the code does not.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

#: the codes a domain refusal may carry, with the status the API answers (a subset of core.api.ERROR_CODES)
STATUSES = {"invalid": 400, "conflict": 409, "period_closed": 409, "no_plan": 404, "no_accounts": 409}


class DomainError(ValidationError):
    """A refusal by a service: ``raise DomainError("退回时须填写意见", code="invalid")``; ``message`` may be a
    list when a file is refused for several reasons at once."""

    def __init__(self, message, *, code: str = "invalid", field: str | None = None) -> None:
        if code not in STATUSES:
            raise ValueError(f"unknown domain error code {code!r}")
        super().__init__(message)
        self.code = code
        self.status = STATUSES[code]
        self.field = field  # the form field it belongs to, where the service knows it

    @property
    def text(self) -> str:
        """Every message in one line, as the API and a page's summary show it."""
        return "；".join(self.messages)
