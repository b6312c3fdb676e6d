"""What the navigation needs to know of the user: a parent region's viewer (上级查看员) reads the regions'
roll-up and budgets, and is not offered pages it may not open (the enterprise register)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from carbonpeak.accounts import permissions


class _Doors:
    """``cp_may.view_city`` in a template: may the user pass that door? (the navigation offers only the
    pages the user may open; each answer read once per request)"""

    def __init__(self, user) -> None:
        self.user = user
        self.known: dict[str, bool] = {}

    def __getitem__(self, action: str) -> bool:
        if action not in self.known:
            try:
                self.known[action] = permissions.can(self.user, permissions.Action(action))
            except ValueError:
                raise KeyError(action) from None
        return self.known[action]


def viewer(request) -> dict:
    def parent_viewer() -> bool:
        held = permissions.roles(getattr(request, "user", None))
        return permissions.PARENT in held and not held & {permissions.COORDINATOR, permissions.ADMINISTRATOR}

    return {
        "cp_parent_viewer": SimpleLazyObject(parent_viewer),
        "cp_may": _Doors(getattr(request, "user", None)),
    }
