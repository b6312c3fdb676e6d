"""Projections through the API: read what the background jobs stored; ask for other inputs with a POST."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.api import ApiError, ErrorOut
from carbonpeak.core.language import said_all
from carbonpeak.plans.api import plan_or_404
from carbonpeak.projection import model, scenarios, selectors, services

router = Router(tags=["达峰预测"])
router.add_decorator(api_action(Action.VIEW_CITY))  # the city's data: not an enterprise's reporter


class ScenarioOut(Schema):
    name: str
    built_in: bool
    computed: bool = Field(description="默认抽样次数与种子的预测是否已由后台任务算出")
    p_peak_by_2030: float | None = Field(
        None, description="2030年前达峰的概率（默认抽样次数与种子；未算出时为 null）"
    )
    computed_at: dt.datetime | None = None


class ProjectionInputs(Schema):
    draws: int | None = Field(
        None, ge=1, le=20_000, description="抽样次数；不填为站点保存的默认次数（通常 10000）"
    )
    seed: int = Field(services.DEFAULT_SEED, ge=0, le=2**31 - 1, description="随机种子")
    end_year: int = Field(model.END_YEAR, ge=model.END_YEAR, le=2060, description="预测截止年份")


class RequestedOut(Schema):
    status: str = Field(description="done：已有结果，可 GET；queued：已交后台任务计算")
    url: str = Field(description="读取结果的地址")


def _known(name: str) -> None:
    if name not in selectors.scenario_names():
        raise ApiError(404, "not_found", _("未知情景“%(name)s”") % {"name": name})


def _result_url(name: str, inputs: ProjectionInputs) -> str:
    draws = selectors.default_draws() if inputs.draws is None else inputs.draws
    return f"/api/projections/{name}?draws={draws}&seed={inputs.seed}&end_year={inputs.end_year}"


@router.get("/projections", response=list[ScenarioOut], summary="预测情景及其2030年前达峰的概率（已算出的）")
def projections(request):
    plan = plan_or_404()
    out = []
    for name in selectors.scenario_names():
        run = selectors.stored_projection(name, plan)
        out.append(
            {
                "name": name,
                "built_in": name in scenarios.BUILT_IN,
                "computed": run is not None,
                "p_peak_by_2030": run.result["p_peak_by_2030"] if run else None,
                "computed_at": run.created_at if run else None,
            }
        )
    return out


@router.get(
    "/projections/{name}",
    response={200: dict, 404: ErrorOut, 409: ErrorOut},
    summary="一个情景的达峰预测（与 carbonpeak project --json 相同的结构）；只读已算出的结果",
)
def projection_result(request, name: str, inputs: Query[ProjectionInputs]):
    _known(name)
    plan = plan_or_404()
    run = selectors.stored_projection(
        name, plan, draws=inputs.draws, seed=inputs.seed, end_year=inputs.end_year
    )
    if run is None:
        try:
            services.latest_accounts()
        except services.NoData as exc:
            raise ApiError(409, "no_accounts", str(exc)) from exc
        raise ApiError(
            409,
            "not_computed",
            _(
                "该预测尚未计算：默认参数的预测由后台任务在数据更新后算出；其他参数请先 "
                "POST /api/projections/%(name)s/runs，再读取"
            )
            % {"name": name},
        )
    result = said_all(run.result)  # its sentences and names in the reader's language
    return {**result, "accounting_run": run.accounting_run_id, "computed_at": run.created_at.isoformat()}


@router.post(
    "/projections/{name}/runs",
    response={200: RequestedOut, 202: RequestedOut, 404: ErrorOut, 409: ErrorOut},
    summary="请求按给定抽样次数、种子和截止年份计算预测（后台任务）",
)
def request_projection(request, name: str, inputs: ProjectionInputs):
    _known(name)
    try:
        run = services.request_projection(
            name, plan_or_404(), request.user, draws=inputs.draws, seed=inputs.seed, end_year=inputs.end_year
        )
    except services.NoData as exc:
        raise ApiError(409, "no_accounts", str(exc)) from exc
    except model.ProjectionError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    if run is not None:
        return Status(200, {"status": "done", "url": _result_url(name, inputs)})
    return Status(202, {"status": "queued", "url": _result_url(name, inputs)})
