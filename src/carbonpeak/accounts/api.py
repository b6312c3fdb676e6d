"""The API's log-in: a user name and password for a bearer token, under the same lockout as the page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import Field

from carbonpeak.accounts import throttling, tokens
from carbonpeak.accounts.access import api_action, public_api
from carbonpeak.accounts.models import ApiToken
from carbonpeak.accounts.permissions import Action
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
@public_api
def token(request, payload: TokenIn):
    # django-axes's backend refuses a locked user name or address before the password is checked
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"code": "too_many_attempts", "message": throttling.lockout_message()})
    if user is None:
        return Status(401, {"code": "bad_credentials", "message": "用户名或密码错误"})
    # a token is a login without a session: the signal lets axes clear the user's failures, as the page does
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    raw, record = tokens.issue(user)
    return Status(200, {"token": raw, "expires_at": record.expires_at})


class TokenInfo(Schema):
    id: int
    prefix: str = Field(description="令牌前8个字符（令牌本身不保存，只保存摘要）")
    created_at: dt.datetime
    expires_at: dt.datetime = Field(description=f"过期时间（签发后 {tokens.TOKEN_DAYS} 天）")
    last_used_at: dt.datetime | None


@router.get("/auth/tokens", response=list[TokenInfo], summary="我的令牌（每人最多保留若干个，见说明）")
@api_action(Action.VIEW)
def my_tokens(request):
    return ApiToken.objects.filter(user=request.user).order_by("-created_at")


@router.delete("/auth/tokens/{token_id}", response={204: None}, summary="撤销我的一个令牌")
@api_action(Action.VIEW)
def revoke_token(request, token_id: int):
    tokens.revoke(request.user, token_id)
    return Status(204, None)
