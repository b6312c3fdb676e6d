"""Who may open a page or call an API route at all: each route declares the one ``Action`` it needs, decided
by ``permissions.can`` like every other rule. What a route shows inside (one enterprise, one district's
regions) is still narrowed by its selectors and services; this is the door in front of them.

The declared actions are kept on the view (``required_actions``: every door it passes, the router's and its
own) so that the permission matrix test finds a route that declares none.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action


def _declare(view: Callable, action: Action | None) -> None:
    inner = getattr(view, "required_actions", ())
    view.required_actions = inner if action is None else (action, *inner)  # type: ignore[attr-defined]


def page(action: Action) -> Callable:
    """A page for the users who may ``action``: a visitor who is not signed in is sent to the login page,
    a signed-in user who may not is answered 403 with the reason."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request, *args, **kwargs):
            permissions.require(request.user, action)
            return view(request, *args, **kwargs)

        door = login_required(guarded)
        _declare(door, action)
        return door

    return decorate


def public_page(view: Callable) -> Callable:
    """A page anyone may open (its contents are public or it is the way in)."""
    _declare(view, None)
    return view


def public_api(operation: Callable) -> Callable:
    """An API operation anyone may call (exchanging a password for a token)."""
    _declare(operation, None)
    return operation


def api_action(action: Action) -> Callable:
    """An API router's door (``router.add_decorator``), or one operation's (below its route decorator):
    the operation needs ``action``; the caller has been authenticated by then, and a refusal is the API's
    403 ``forbidden``."""

    def decorate(operation: Callable) -> Callable:
        @wraps(operation)
        def guarded(request, *args, **kwargs):
            permissions.require(request.user, action)
            return operation(request, *args, **kwargs)

        # the operation's annotations resolved in its own module: django-ninja reads them from the wrapper
        guarded.__signature__ = inspect.signature(operation, eval_str=True)  # type: ignore[attr-defined]
        _declare(guarded, action)
        return guarded

    return decorate
