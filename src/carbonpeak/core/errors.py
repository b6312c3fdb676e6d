"""One error type for the rules of the domain: a stable code for programs, a Chinese message for people.

Services raise it (or Django's ValidationError / PermissionDenied, which the API maps to codes too); the API
answers every failure as ``{"code", "message"}``.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses. ``code`` is stable (clients may branch on it); ``message`` is for people."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class Conflict(DomainError):
    """The request is well formed but the data it needs is not there yet (no plan, no accounting run)."""

    code = "conflict"
    status = 409
