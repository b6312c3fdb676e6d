"""The API's log-in: a user name and password for a bearer token, under the same lockout as the page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import Field

from carbonpeak.accounts import tokens
from carbonpeak.core.api import ErrorOut

router = Router(tags=["登录"])


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = tokens.user_for(token)
        if user is not None:
            request.user = user
        return user


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
    summary="用户名和密码换取令牌",
)
def token(request, payload: TokenIn):
    ip = tokens.client_ip(request)
    if tokens.locked(payload.username, ip):
        minutes = tokens.LOCKOUT_SECONDS // 60
        return Status(
            429, {"code": "too_many_attempts", "message": f"登录失败次数过多，请 {minutes} 分钟后再试"}
        )
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        tokens.failed(payload.username, ip)
        return Status(401, {"code": "bad_credentials", "message": "用户名或密码错误"})
    tokens.succeeded(payload.username, ip)
    raw, record = tokens.issue(user)
    return Status(200, {"token": raw, "expires_at": record.expires_at})
