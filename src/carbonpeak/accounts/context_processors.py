"""What the navigation needs to know of the user: a parent region's viewer (上级查看员) reads the regions'
roll-up and budgets, and is not offered pages it may not open (the enterprise register)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from carbonpeak.accounts import permissions


def viewer(request) -> dict:
    def parent_viewer() -> bool:
        held = permissions.roles(getattr(request, "user", None))
        return permissions.PARENT in held and not held & {permissions.COORDINATOR, permissions.ADMINISTRATOR}

    return {"cp_parent_viewer": SimpleLazyObject(parent_viewer)}
