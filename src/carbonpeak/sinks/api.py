"""Carbon sinks through the API: the annual sink by district and land type, with its interval, the factor set
and climate zone it was computed with, and the parameters still to be entered (``missing``)."""

from __future__ import annotations

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from carbonpeak.accounts.access import api_action
from carbonpeak.accounts.permissions import Action
from carbonpeak.core.api import Pages

from . import selectors

router = Router(tags=["碳汇"])
router.add_decorator(api_action(Action.VIEW_CITY))  # the city's data: not an enterprise's reporter


class IntervalOut(Schema):
    p5: float
    p50: float
    p95: float


class SinkOut(Schema):
    district: str
    land_type: str = Field(description="forest 乔木林 / urban_trees 城市树木 / wetland 湿地 / cropland 耕地")
    land_type_label: str
    group: str = Field(description="优势树种组、湿地类型或耕地措施")
    year: int
    method: str = Field(
        description="stock_difference 蓄积量差法 / gain_loss 生长–消耗法 / area_rate 面积×速率"
    )
    sink_tco2: float | None = Field(
        description="年碳汇（吨二氧化碳，吸收为正）；参数或数据缺失时为 null（缺失），不是 0"
    )
    interval: IntervalOut | None = Field(description="蒙特卡洛 90% 区间（P5、P50、P95），种子固定可重现")
    stock_tc: float | None = Field(description="年末碳储量（吨碳，乔木林）")
    factor_set: str
    climate_zone: str = Field(description="所用气候带（协调员选择）；空为未选择")
    missing: list[str] = Field(description="尚须录入的参数或数据（中文）")
    ranges_missing: list[str] = Field(description="已用但未录入不确定范围的参数：区间未反映其不确定性")
    is_sample: bool = Field(description="示例数据")

    @staticmethod
    def resolve_land_type_label(r) -> str:
        return r.get_land_type_display()

    @staticmethod
    def resolve_interval(r):
        return None if r.p5 is None else {"p5": r.p5, "p50": r.p50, "p95": r.p95}

    @staticmethod
    def resolve_factor_set(r) -> str:
        return r.data.get("factor_set", "")

    @staticmethod
    def resolve_missing(r) -> list[str]:
        return r.data.get("missing") or []

    @staticmethod
    def resolve_ranges_missing(r) -> list[str]:
        return r.data.get("ranges_missing") or []

    @staticmethod
    def resolve_is_sample(r) -> bool:
        return r.includes_sample


@router.get(
    "/sinks",
    response=list[SinkOut],
    summary="年碳汇（按区镇、地类），附区间与待录入参数；与能源活动排放分列，不抵扣",
)
@paginate(Pages)
def sinks(request, year: int | None = Query(None, ge=1990, le=2100)):
    return selectors.results(year)
