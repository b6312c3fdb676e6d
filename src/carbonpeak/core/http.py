"""Responses that pages and the API build alike."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from carbonpeak.core import numbers


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download: the name encoded for any browser, and the type never sniffed into something else."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


MAX_ID = 2**31 - 1  # the largest key every database the platform runs on stores in an integer column
YEARS = (1990, 2100)  # the years a figure of the platform may be for (本平台规则)


def number_param(request, name: str, what: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """An integer query parameter (an id, a year): None when absent; a 400 in Chinese naming it when it is
    not a number within [low, high] — never a database overflow or a silent match of nothing."""
    try:
        return numbers.parse_int(request.GET.get(name, ""), what=f"{what}参数", low=low, high=high)
    except numbers.NumberError as exc:
        raise BadRequest(str(exc)) from None
