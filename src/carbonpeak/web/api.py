"""The site's own API routes: a file handed to the background worker, read back while it is processed."""

from __future__ import annotations

from ninja import Router

from carbonpeak.accounts import permissions
from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.api import UploadJobOut, get_or_404
from carbonpeak.core.models import UploadJob

router = Router(tags=["文件导入"])
router.add_decorator(api_action(Action.VIEW))  # each job is read by its uploader and the coordinator


@router.get("/uploads/{job_id}", response=UploadJobOut, summary="一次文件导入的进度与结果")
def upload_job(request, job_id: int):
    job = get_or_404(UploadJob, job_id, "文件导入任务")
    permissions.require(request.user, Action.VIEW_UPLOAD, job)
    return job
