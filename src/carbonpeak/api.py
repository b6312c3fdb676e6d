"""The REST API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

Log in with ``POST /api/auth/token`` and send ``Authorization: Bearer <token>``; a browser session works
too. Each app owns its router (``<app>/api.py``); this module only assembles them. The routers are thin:
every write goes through the same services and permission checks as the pages, and no GET computes or
stores anything. Errors are ``{"code", "message"}`` (codes in ``carbonpeak.core.api.ERROR_CODES``); a
malformed request is a 4xx, never a 500. Lists are paged with ``limit`` and ``offset``.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from carbonpeak.accounts.api import BearerToken
from carbonpeak.accounts.api import router as accounts
from carbonpeak.budgets.api import router as budgets
from carbonpeak.core.api import ERROR_CODES, install_error_handlers
from carbonpeak.energy.api import router as energy
from carbonpeak.enterprises.api import router as enterprises
from carbonpeak.meters.api import router as meters
from carbonpeak.monitoring.api import router as monitoring
from carbonpeak.plans.api import router as plans
from carbonpeak.projection.api import router as projection
from carbonpeak.projects.api import router as key_projects
from carbonpeak.publication.api import manage as releases
from carbonpeak.publication.api import router as publication
from carbonpeak.sinks.api import router as sinks
from carbonpeak.supervision.api import router as supervision
from carbonpeak.web.api import router as site

_CODES = "；".join(f"{code}：{meaning}" for code, meaning in ERROR_CODES.items())

api = NinjaAPI(
    title="CarbonPeak API",
    version="1",
    description=(
        "太仓市碳达峰实施方案管理平台接口。先 POST /api/auth/token 取得令牌，再以 Authorization: Bearer <令牌> 调用。"
        "列表按 limit、offset 分页，返回 items 与 count。错误返回 {code, message}，code 取值：" + _CODES
    ),
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)
install_error_handlers(api)

for router in (
    accounts,
    plans,
    monitoring,
    supervision,
    energy,
    projection,
    key_projects,
    enterprises,
    budgets,
    sinks,
    meters,
    publication,
    releases,
    site,
):
    api.add_router("", router)
