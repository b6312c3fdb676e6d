"""What every page may say: how many background jobs are still queued or running."""

from __future__ import annotations

from carbonpeak.core import jobs


def background_jobs(request) -> dict:
    # a callable: the template counts only on the pages that show the banner (logged-in users)
    return {"background_jobs_pending": jobs.pending}
