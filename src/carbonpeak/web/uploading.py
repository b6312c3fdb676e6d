"""A file sent from a page, handed to the background worker the same way everywhere: no file is asked for
again on its page; a file refused before it is kept (who may send it, the quota, its size, the disk) gets a
page that says why; otherwise the job's page follows its reading (``core.uploads``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from carbonpeak.core import limits, uploads


def hand_over(request, kind: str, *, nav: str, missing: str, back_label: str = "", **options: str):
    """The response to a page's upload of ``kind`` (its handler names its limit and the page it came from);
    ``missing`` says what to choose when no file came, ``options`` go to the handler."""
    spec = uploads.HANDLERS[kind]
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, missing)
        return redirect(spec.back)
    try:
        job = uploads.accept(request.user, kind, file.name, limits.read(spec.limit, file), **options)
    except ValidationError as exc:
        return render(
            request,
            "energy/upload_rejected.html",
            {
                "nav": nav,
                "errors": exc.messages,
                "filename": file.name,
                "back": spec.back,
                "back_label": back_label,
            },
            status=400,
        )
    return redirect("web:upload_job", job.pk)
