"""Responses that pages and the API build alike."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download: the name encoded for any browser, and the type never sniffed into something else."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
