"""One API shape for every reviewed record: list, detail, submit, approve, return.

Each app calls :func:`review_routes` on its router with its record's path, output schema, the records a user
may see, and its three moves (``submit_x / approve_x / return_x(record, *, user, comment)``), so that an
energy submission, an indicator value, a progress report or an enterprise's annual report is read and moved
through the API the same way. (This module keeps its annotations as objects, not strings, because the routes
are built here for schemas the callers pass in.)
"""

from collections.abc import Callable

from django.db.models import QuerySet
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from carbonpeak.core.api import CommentIn, Pages, get_or_404


class StatusFilters(Schema):
    """Every reviewed record's list filters by its state; a record's own filters add to these."""

    status: str | None = Field(None, max_length=12, description="draft / submitted / approved / returned")


def review_routes(
    router: Router,
    *,
    path: str,
    noun: str,
    out: type[Schema],
    records: Callable[[object], QuerySet],
    submit: Callable,
    approve: Callable,
    return_: Callable,
    filters: type[Schema] = StatusFilters,
    approve_in: type[Schema] = CommentIn,
    approve_verb: str = "approve",
    list_view: bool = True,
    door: Callable[[Callable], Callable] | None = None,
) -> None:
    """Add the five routes of a reviewed record under ``/{path}``: ``records(user)`` is what the user may
    read (a record outside it answers 404, as one that does not exist); ``filters`` a schema of optional
    query parameters whose set fields filter the list by the same name; ``approve_in`` what an approval
    carries beyond a comment (a project's decision), passed to ``approve`` as keywords. A filters schema
    with an ``apply(queryset)`` method filters the list itself. ``door`` (``accounts.access.api_action``)
    is who may use the five routes at all, beside the router's own."""
    name = path.replace("/", "_").replace("-", "_")
    door = door or (lambda operation: operation)

    def one(request, record_id: int):
        return get_or_404(records(request.user), record_id, noun)

    if list_view:

        @router.get(f"/{path}", response=list[out], summary=f"{noun}列表", operation_id=f"{name}_list")
        @paginate(Pages)
        @door
        def listing(request, query: Query[filters]):  # type: ignore[valid-type]
            queryset = records(request.user)
            if hasattr(query, "apply"):  # filters that are not plain field names say how they filter
                return query.apply(queryset).order_by("pk")
            given = {k: v for k, v in query.dict().items() if v not in (None, "")}
            return queryset.filter(**given).order_by("pk")

    @router.get(f"/{path}/{{record_id}}", response=out, summary=f"一份{noun}", operation_id=f"{name}_detail")
    @door
    def detail(request, record_id: int):
        return one(request, record_id)

    @router.post(
        f"/{path}/{{record_id}}/submit", response=out, summary=f"报送{noun}", operation_id=f"{name}_submit"
    )
    @door
    def submit_route(request, record_id: int):
        return submit(one(request, record_id), user=request.user)

    @router.post(
        f"/{path}/{{record_id}}/{approve_verb}",
        response=out,
        summary=f"审核通过{noun}（协调员）",
        operation_id=f"{name}_{approve_verb}",
    )
    @door
    def approve_route(request, record_id: int, payload: approve_in):  # type: ignore[valid-type]
        return approve(one(request, record_id), user=request.user, **payload.dict())

    @router.post(
        f"/{path}/{{record_id}}/return",
        response=out,
        summary=f"退回{noun}并填写意见（协调员）",
        operation_id=f"{name}_return",
    )
    @door
    def return_route(request, record_id: int, payload: CommentIn):
        return return_(one(request, record_id), user=request.user, comment=payload.comment)
