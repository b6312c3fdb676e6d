"""What every page may say: how many background jobs are still queued or running; the demo's fixed date."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from carbonpeak.core import clock, jobs


def background_jobs(request) -> dict:
    # counted once per page, and only on the pages that show it (the banner is for logged-in users)
    return {"background_jobs_pending": SimpleLazyObject(jobs.pending), "cp_demo_today": clock.fixed_today()}
