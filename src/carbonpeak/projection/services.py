"""Running projections from the platform's data, and the coordinator's scenarios (one writer: this module).

A projection is computed from the latest accounting run and the plan's targets and stored with both, so a
figure on a page can always be traced to the data version it came from. A new approval makes a new
accounting run; a background job then computes the new projections (the old ones stay), and pages and
the API read what is stored.
"""

from __future__ import annotations

import time
from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from carbonpeak.accounts import permissions
from carbonpeak.accounts.permissions import Action
from carbonpeak.core import audit, events, quotas
from carbonpeak.core.numbers import NumberError, parse_float
from carbonpeak.core.text import Message, encode, gettext_noop
from carbonpeak.energy import selectors as energy
from carbonpeak.energy.models import AccountingResult, AccountingRun
from carbonpeak.plans.models import Plan, Target
from carbonpeak.plans.selectors import current_plan
from carbonpeak.projection import model, scenarios
from carbonpeak.projection.models import ProjectionRun, Scenario, ScenarioVersion, UnitEvent
from carbonpeak.projection.selectors import (
    DEFAULT_SEED,
    PLANNED,
    default_draws,
    event_state,
    scenario_names,
    stored_projection,
)

MAX_DRAWS = 200_000
#: 本平台规则: projections asked for with other inputs than the jobs' defaults are kept up to this number;
#: older ones are removed (a report's own projection never is): each is ~26 KB and any seed makes a new one
MAX_REQUESTED_RUNS = 100


class NoData(model.ProjectionError):
    """Nothing to project from yet (no plan, no accounting run, too few complete years)."""


def plan_targets(plan: Plan) -> dict[str, scenarios.PlanTarget]:
    """The plan's targets by indicator name, as the levers read them (the first dated one per indicator)."""
    out: dict[str, scenarios.PlanTarget] = {}
    for t in Target.objects.filter(plan=plan).order_by("order"):
        if t.indicator not in out or (out[t.indicator].year is None and t.year is not None):
            out[t.indicator] = scenarios.PlanTarget(t.indicator, t.year, t.value, t.sentence)
    return out


def _region(plan: Plan, regions: set[str]) -> str:
    for candidate in (plan.region, f"{plan.region}市"):
        if candidate in regions:
            return candidate
    if len(regions) == 1:
        return next(iter(regions))
    raise NoData(
        _("核算结果含多个地区（%(names)s），无法确定%(region)s的数据")
        % {"names": "、".join(sorted(regions)), "region": plan.region}
    )


NO_ACCOUNTS = "尚无核算结果：请先报送并审核能源统计数据"


def latest_accounts() -> AccountingRun:
    """The accounts projections start from; NoData until approved energy data has been accounted."""
    run = energy.current_run()
    if run is None:
        raise NoData(NO_ACCOUNTS)
    return run


def history(plan: Plan, run: AccountingRun | None = None) -> model.History:
    run = run or latest_accounts()
    rows = list(AccountingResult.objects.filter(run=run, first_quarter=1, last_quarter=4))
    if not rows:
        raise NoData(_("尚无完整年度（四个季度）的核算结果"))
    region = _region(plan, {r.region for r in rows})
    return model.history_from_periods(
        [r.data for r in rows if r.region == region],
        factor_set=run.factor_set_label,
        sample=run.includes_sample,
    )


def scenario(name: str, plan: Plan) -> tuple[model.Scenario, ScenarioVersion | None]:
    """A scenario as projected: the built-in or custom one, with the unit events as the coordinator set them."""
    targets = plan_targets(plan)
    if name == scenarios.PIPELINE:  # the measures the key projects in hand size, bottom-up
        from carbonpeak.projects.selectors import pipeline

        built = scenarios.built_in(name, targets)
        return with_unit_events(replace(built, pipeline=pipeline())), None
    if name in scenarios.BUILT_IN:
        return with_unit_events(scenarios.built_in(name, targets)), None
    custom = Scenario.objects.filter(name=name).first()
    if custom is None:
        raise model.ProjectionError(
            _("未知情景“%(name)s”；可用情景：%(names)s")
            % {"name": name, "names": "、".join(scenario_names())}
        )
    version = custom.current
    base = scenarios.built_in(custom.based_on, targets)
    overrides = version.overrides if version else {}
    return with_unit_events(
        scenarios.with_overrides(base, custom.name, custom.description, overrides)
    ), version


# ------------------------------------------------------------------ unit events (coal units entering or leaving)

#: the bundled event the coordinator sets, and the assumptions it fixes (the unit's year and whether it runs)
NEW_COAL = "power.new_coal"
UNIT_EVENTS = {
    NEW_COAL: (
        gettext_noop("新增燃煤机组（华能太仓三期）投运"),
        "power.new_coal_year",
        "power.new_coal_probability",
    )
}
#: what an unconfirmed retirement's probability is (a parameter row, with its source)
RETIREMENT_PROBABILITY = "power.retire_probability"
EXISTING_COAL = "power.existing_coal_mw"


def with_unit_events(s: model.Scenario) -> model.Scenario:
    """Every scenario reads the unit events the coordinator set: the new unit's year and whether it runs
    (确认投运: it does; 不投运: it does not; 未确认: the scenario's probability, the projection showing both
    branches), and each existing unit entered as retiring (its capacity, year and status alike)."""
    changed = dict(s.assumptions)
    for event in UnitEvent.objects.order_by("id"):
        said = f"协调员设定：{event.status}（{event.source}）"
        if event.kind == UnitEvent.Kind.RETIRES:
            changed.update(_retirement_assumptions(event, said, changed.get(RETIREMENT_PROBABILITY)))
            continue
        if event.key not in UNIT_EVENTS:
            continue
        _name, year_key, probability_key = UNIT_EVENTS[event.key]
        if year_key in changed:
            changed[year_key] = replace(
                changed[year_key],
                distribution="fixed",
                mode=float(event.year),
                low=None,
                high=None,
                source=said,
            )
        if probability_key in changed:
            a = changed[probability_key]
            if event.happens is None:
                changed[probability_key] = replace(a, source=f"{said}；投运概率取{a.central:g}（{a.source}）")
            else:
                p = 1.0 if event.happens else 0.0
                changed[probability_key] = replace(
                    a, distribution="fixed", mode=p, low=None, high=None, source=said
                )
    return replace(s, assumptions=changed)


def _retirement_assumptions(
    event: UnitEvent, said: str, unconfirmed: model.Assumption | None
) -> dict[str, model.Assumption]:
    """A retiring unit as the model reads it: its capacity, the year from which it no longer runs, and whether
    it retires (drawn while unconfirmed, at the probability the parameters give, with its source)."""
    prefix = event.key
    entered = f"协调员登记：{event.source}"
    if event.happens is None:
        p = unconfirmed.central if unconfirmed else 0.5
        why = unconfirmed.source if unconfirmed else "模型假设"
        probability = model.Assumption(
            f"{prefix}.probability",
            Message(gettext_noop("%(unit)s退役的概率"), unit=event.name),
            gettext_noop("概率"),
            "bernoulli",
            mode=p,
            source=f"{said}；退役概率取{p:g}（{why}）",
        )
    else:
        probability = model.Assumption(
            f"{prefix}.probability",
            Message(gettext_noop("%(unit)s退役的概率"), unit=event.name),
            gettext_noop("概率"),
            "fixed",
            mode=1.0 if event.happens else 0.0,
            source=said,
        )
    return {
        f"{prefix}.mw": model.Assumption(
            f"{prefix}.mw",
            event.name,
            gettext_noop("兆瓦"),
            "fixed",
            mode=float(event.capacity_mw or 0),
            source=entered,
        ),
        f"{prefix}.year": model.Assumption(
            f"{prefix}.year",
            Message(gettext_noop("%(unit)s退役年份"), unit=event.name),
            gettext_noop("年"),
            "fixed",
            mode=float(event.year),
            source=f"{entered}（自该年起全年不再发电，按现有机组平均利用小时扣减，本平台规则）",
        ),
        f"{prefix}.probability": probability,
    }


def _event_problems(
    kind: str, year, status: str, source: str
) -> tuple[dict[str, list[str]], int | None, str]:
    """What is wrong with an event's year, status and source (the same for both kinds)."""
    from carbonpeak.core.numbers import parse_int

    problems: dict[str, list[str]] = {}
    what = _("投运年份") if kind == UnitEvent.Kind.ENTERS else _("退役年份")
    parsed = None
    try:
        parsed = parse_int(year, what=what, low=2000, high=2100)
    except NumberError as exc:
        problems["year"] = [str(exc)]
    else:
        if parsed is None:
            problems["year"] = [_("请填写%(what)s") % {"what": what}]
    allowed = UnitEvent.STATUSES[kind]
    if status not in allowed:
        problems["status"] = [
            _("状态须为：%(allowed)s")
            % {"allowed": pgettext("list separator", "、").join(_(a) for a in allowed)}
        ]
    source = (source or "").strip()
    if not source:
        problems["source"] = [_("请填写依据（如：投产或关停公告、电网调度文件）")]
    return problems, parsed, source


def _save_event(user, event: UnitEvent | None, key: str, values: dict) -> UnitEvent:
    before = audit.snapshot(event) if event else None
    saved, _created = UnitEvent.objects.update_or_create(key=key, defaults={**values, "updated_by": user})
    audit.record(
        user,
        audit.Action.UPDATE if before else audit.Action.CREATE,
        saved,
        before=before,
        after=audit.snapshot(saved),
    )
    events.emit("scenario_changed", scenario="")
    return saved


@transaction.atomic
def set_unit_event(user, key: str, *, year, status: str, source: str) -> UnitEvent:
    """The coordinator says what is known of a unit (confirmed, unconfirmed, called off) with its source:
    the new unit, or an existing one entered as retiring; every scenario is projected again."""
    from carbonpeak.core.errors import DomainError

    permissions.require(user, Action.MANAGE_SCENARIOS)
    event = UnitEvent.objects.select_for_update().filter(key=str(key)[:40]).first()
    if key not in UNIT_EVENTS and (event is None or event.kind != UnitEvent.Kind.RETIRES):
        raise DomainError(_("未知的机组事件“%(key)s”") % {"key": str(key)[:40]})
    kind = event.kind if event else UnitEvent.Kind.ENTERS
    problems, year, source = _event_problems(kind, year, status, source)
    if problems:
        raise DomainError(problems)
    return _save_event(user, event, key, {"year": year, "status": status, "source": source[:500]})


@transaction.atomic
def add_retirement(user, *, name: str, capacity_mw, year, status: str, source: str) -> UnitEvent:
    """The coordinator enters an existing unit leaving service (its name, capacity, year, status and source):
    from that year the existing units' coal generation falls by its share of their capacity; while unconfirmed
    both cases are shown. The capacities retiring cannot add up to more than the existing units have."""
    from carbonpeak.core.errors import DomainError

    permissions.require(user, Action.MANAGE_SCENARIOS)
    problems, year, source = _event_problems(UnitEvent.Kind.RETIRES, year, status, source)
    name = " ".join(str(name or "").split())
    if not name:
        problems["name"] = [_("请填写退役机组的名称（如：太仓港电厂1号机组）")]
    elif len(name) > 80:
        problems["name"] = [_("机组名称不超过80字")]
    try:
        capacity = parse_float(capacity_mw, what=_("退役装机"), low=0)
    except NumberError as exc:
        problems["capacity_mw"] = [str(exc)]
    else:
        existing = scenarios.default_number(EXISTING_COAL)
        entered = sum(
            float(e.capacity_mw or 0)
            for e in UnitEvent.objects.select_for_update().filter(kind=UnitEvent.Kind.RETIRES)
        )
        if capacity is None or capacity <= 0:
            problems["capacity_mw"] = [_("请填写退役装机（兆瓦，大于0）")]
        elif capacity + entered > existing:
            said = (
                _("退役装机合计（已登记 %(entered)s 兆瓦 + 本次 %(capacity)s 兆瓦）")
                % {"entered": f"{entered:,.2f}", "capacity": f"{capacity:,.2f}"}
                if entered
                else _("退役装机 %(capacity)s 兆瓦") % {"capacity": f"{capacity:,.2f}"}
            )
            problems["capacity_mw"] = [
                _("%(what)s超过现有燃煤机组装机 %(existing)s 兆瓦")
                % {"what": said, "existing": f"{existing:,.2f}"}
            ]
    if problems:
        raise DomainError(problems)
    number = 1 + max(
        (
            int(k.rsplit(".", 1)[1])
            for k in UnitEvent.objects.filter(kind=UnitEvent.Kind.RETIRES).values_list("key", flat=True)
        ),
        default=0,
    )
    values = {
        "kind": UnitEvent.Kind.RETIRES,
        "name": name,
        "capacity_mw": round(capacity, 1),
        "year": year,
        "status": status,
        "source": source[:500],
    }
    return _save_event(user, None, f"{model.RETIREMENT}{number}", values)


@transaction.atomic
def remove_retirement(user, key: str) -> None:
    """A retirement entered in error is taken out (audited); every scenario is projected again."""
    from carbonpeak.core.errors import DomainError

    permissions.require(user, Action.MANAGE_SCENARIOS)
    event = UnitEvent.objects.filter(key=str(key)[:40], kind=UnitEvent.Kind.RETIRES).first()
    if event is None:
        raise DomainError(_("没有这项机组退役"))
    audit.record(user, audit.Action.DELETE, event, before=audit.snapshot(event))
    event.delete()
    events.emit("scenario_changed", scenario="")


def latest_plan() -> Plan:
    plan = current_plan()
    if plan is None:
        raise NoData(_("尚未导入任何方案"))
    return plan


def run_projection(
    name: str = PLANNED,
    *,
    plan: Plan | None = None,
    draws: int | None = None,
    seed: int = DEFAULT_SEED,
    end_year: int = model.END_YEAR,
    user=None,
    reuse: bool = True,
    boundary: str = "",
    accounts: AccountingRun | None = None,
) -> ProjectionRun:
    """The projection of ``name`` on the current accounts (or the run the job chain just made); a stored one with the same inputs is reused.
    ``boundary`` chooses the headline boundary (blank: the one the accounting names as assessed); ``draws``
    as the site keeps them unless given."""
    draws = default_draws() if draws is None else draws
    if not 1 <= draws <= MAX_DRAWS:
        raise model.ProjectionError(_("抽样次数须在1到%(max_draws)s之间") % {"max_draws": MAX_DRAWS})
    plan = plan or latest_plan()
    acc_run = accounts or latest_accounts()
    pure_scenario, version = scenario(name, plan)
    inputs = {
        "scenario_name": name,
        "scenario_version": version,
        "accounting_run": acc_run,
        "plan": plan,
        "draws": draws,
        "seed": seed,
        "end_year": end_year,
        "boundary": boundary,
        "event_state": event_state(),
        "pipeline_state": _pipeline_state(pure_scenario),
    }
    if reuse:
        stored = ProjectionRun.objects.filter(**inputs).first()
        if stored is not None:
            return stored
    hist = history(plan, acc_run)
    started = time.perf_counter()
    projection = model.project(hist, pure_scenario, draws, seed, end_year, boundary=boundary or None)
    elapsed = int((time.perf_counter() - started) * 1000)
    result = projection.to_json()
    previous = (
        ProjectionRun.objects.filter(
            scenario_name=name, plan=plan, draws=draws, seed=seed, end_year=end_year, boundary=boundary
        )
        .select_related("accounting_run")
        .order_by("-created_at", "-id")
        .first()
    )
    if previous is not None and previous.result.get("assumptions"):
        try:
            result["change"] = _what_moved(
                previous, plan, acc_run, hist, pure_scenario, result, draws, seed, end_year, boundary
            )
        except model.ProjectionError:  # a run stored by an older model whose inputs no longer fit
            result["notes"].append(
                Message(gettext_noop("与上次预测的比较无法计算（上次预测由旧版模型计算，假设不完整）"))
            )
    _keep_inputs(result, projection, hist, pure_scenario)
    made = ProjectionRun.objects.create(
        **inputs,
        result=encode(result),  # its sentences kept with their wording, said in each reader's language
        elapsed_ms=elapsed,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    made.result = result
    _prune_requested_runs()
    return made


def _keep_inputs(result: dict, projection, hist: model.History, pure_scenario: model.Scenario) -> None:
    """What a stored run keeps beside the figures: its assumptions and description, the history's oil and
    the median sector split, the factor set, and the projects it counted (for the next run's comparison)."""
    result["description"] = projection.description
    result["assumptions"] = projection.assumptions
    result["history_refined_oil_t"] = dict(
        zip(map(str, projection.history_years), projection.history_refined_oil_t, strict=True)
    )
    result["sector_p50_t"] = projection.sector_p50_t
    result["electricity_p50_t"] = projection.electricity_p50_t
    result["factor_set"] = hist.factor_set
    if pure_scenario.pipeline is not None:
        result["pipeline"] = [
            {
                "name": p.name,
                "kind": p.kind,
                "first_year": p.first_year,
                "mw": p.mw,
                "saved": [list(x) for x in p.saved],
            }
            for p in pure_scenario.pipeline.projects
        ]


def _requested_runs():
    """Runs with other inputs than the ones the background jobs make after new data."""
    return ProjectionRun.objects.exclude(
        draws=default_draws(), seed=DEFAULT_SEED, end_year=model.END_YEAR, boundary=""
    )


def _prune_requested_runs() -> int:
    """The oldest requested runs beyond the cap go, except those a quarterly report was built on."""
    stale = list(
        _requested_runs()
        .filter(quarterly_reports__isnull=True)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[MAX_REQUESTED_RUNS:]
    )
    if stale:
        ProjectionRun.objects.filter(pk__in=stale).delete()
    return len(stale)


def _history_of(plan: Plan, accounts, factor_set: str, sample: bool) -> model.History:
    """The history a projection reads, from accounts computed in memory (``energy.selectors.accounts_of``)."""
    years = [a for a in accounts.ordered() if (a.period.first, a.period.last) == (1, 4)]
    if not years:
        raise NoData(_("尚无完整年度（四个季度）的核算结果"))
    region = _region(plan, {a.region for a in years})
    return model.history_from_periods(
        [a.to_dict() for a in years if a.region == region], factor_set=factor_set, sample=sample
    )


def unchanged_parts(old_run: AccountingRun, new_run: AccountingRun) -> tuple[bool, bool]:
    """Whether the statistics (data) and the factors (the official set and the grid region it reads) are
    the same in two accounting runs. Two different runs on the same statistics and factors differ in what
    the coordinator recorded beside them (the 绿证 register): that is data, so the data did change."""
    same_data = sorted(old_run.submissions) == sorted(new_run.submissions)
    same_factors = (old_run.factor_set_id, old_run.grid_region) == (
        new_run.factor_set_id,
        new_run.grid_region,
    )
    if same_data and same_factors and old_run.pk != new_run.pk:
        same_data = False
    return same_data, same_factors


def _histories(plan: Plan, old_run: AccountingRun, new_run: AccountingRun, now: model.History) -> dict:
    """The four histories of (old or new data) × (old or new factor set): the two runs', and the two mixed
    ones accounted in memory — skipped where the data or the factor set did not change."""
    from carbonpeak.energy.accounting import AccountingError
    from carbonpeak.energy.models import EnergySubmission

    before = history(plan, old_run)
    same_data, same_factors = unchanged_parts(old_run, new_run)
    out = {(True, True): now, (False, False): before}
    for data_new, factors_new in ((True, False), (False, True)):
        if same_data:
            out[(data_new, factors_new)] = now if factors_new else before
            continue
        if same_factors:
            out[(data_new, factors_new)] = now if data_new else before
            continue
        data_run, factor_run = (new_run if data_new else old_run), (new_run if factors_new else old_run)
        subs = list(EnergySubmission.objects.filter(pk__in=data_run.submissions))
        try:
            accounts = energy.accounts_of(subs, factor_run.factor_set, factor_run.grid_region)
        except AccountingError as exc:
            raise model.ProjectionError("；".join(exc.problems)) from exc
        sample = any(s.is_sample for s in subs)
        out[(data_new, factors_new)] = _history_of(plan, accounts, factor_run.factor_set_label, sample)
    return out


def _what_moved(
    previous: ProjectionRun,
    plan: Plan,
    acc_run: AccountingRun,
    hist: model.History,
    now: model.Scenario,
    result: dict,
    draws: int,
    seed: int,
    end_year: int,
    boundary: str,
) -> dict:
    """ΔP since ``previous`` split by Shapley values among the three things that change between two runs:
    the approved statistics (data), the official factor set (factors) and the scenario's assumptions —
    each combination of old and new projected on the same draws; the shares add up to ΔP."""
    old = scenarios.from_stored(previous.scenario_name, previous.result["assumptions"])
    if now.pipeline is not None:  # the projects in hand then: a change of them is a change of assumptions
        old = replace(old, pipeline=_stored_pipeline(previous.result))
    histories = _histories(plan, previous.accounting_run, acc_run, hist)
    p_before, p_now = previous.result["p_peak_by_2030"], result["p_peak_by_2030"]
    cache: dict[tuple[bool, bool, bool], float] = {(False, False, False): p_before, (True, True, True): p_now}

    def p(data_new: bool, factors_new: bool, assumptions_new: bool) -> float:
        key = (data_new, factors_new, assumptions_new)
        if key not in cache:
            cache[key] = model.project(
                histories[(data_new, factors_new)],
                now if assumptions_new else old,
                draws,
                seed,
                end_year,
                sensitivity=False,
                validation=False,
                boundary=boundary or None,
            ).p_peak_by_deadline
        return cache[key]

    change = model.what_moved(result, previous.result, model.shapley_of_three(p))
    change["previous_run"] = previous.pk
    change["previous_at"] = previous.created_at.isoformat()
    change["previous_accounting"] = previous.accounting_run.created_at.isoformat()
    change["previous_factor_set"] = previous.accounting_run.factor_set_label
    return change


def _pipeline_state(s: model.Scenario) -> str:
    if s.pipeline is None:
        return ""
    from carbonpeak.projects.selectors import pipeline_state

    return pipeline_state(s.pipeline)


def _stored_pipeline(result: dict) -> model.Pipeline:
    return model.Pipeline(
        tuple(
            model.ProjectInHand(p["name"], p["kind"], p["first_year"], p["mw"], tuple(map(tuple, p["saved"])))
            for p in result.get("pipeline", [])
        ),
        frozenset(model.MEASURES),
    )


def run_all(plan: Plan, *, run: AccountingRun | None = None) -> int:
    """Every scenario's projection (default draws, seed and horizon) on the current accounts (or the run the
    job chain just made), as the background jobs make them after new data; a scenario that cannot be
    projected yet is skipped."""
    made = 0
    for name in scenario_names():
        try:
            run_projection(name, plan=plan, accounts=run)
        except model.ProjectionError:
            continue
        made += 1
    return made


def request_projection(
    name: str,
    plan: Plan,
    user,
    *,
    draws: int | None = None,
    seed: int = DEFAULT_SEED,
    end_year: int = model.END_YEAR,
    boundary: str = "",
) -> ProjectionRun | None:
    """A projection someone asks for (other draws, seed, horizon or boundary than the jobs make): the stored one when
    it exists; otherwise a background job computes it and this returns None (pages and the API never
    compute while answering a read)."""
    permissions.require(user, Action.VIEW)
    if name not in scenario_names():
        raise model.ProjectionError(_("未知情景“%(name)s”") % {"name": name})
    draws = default_draws() if draws is None else draws
    if not 1 <= draws <= MAX_DRAWS:
        raise model.ProjectionError(_("抽样次数须在1到%(max_draws)s之间") % {"max_draws": MAX_DRAWS})
    if boundary and boundary not in model.BOUNDARIES:
        raise model.ProjectionError(
            _("口径须为 %(boundaries)s") % {"boundaries": " / ".join(model.BOUNDARIES)}
        )
    latest_accounts()
    stored = stored_projection(name, plan, draws=draws, seed=seed, end_year=end_year, boundary=boundary)
    if stored is not None:
        return stored
    quotas.take(user, "projection")
    events.emit(
        "projection_requested",
        name=name,
        draws=draws,
        seed=seed,
        end_year=end_year,
        boundary=boundary,
        user_id=audit.user_id(user),
    )
    # made already when jobs run at once
    return stored_projection(name, plan, draws=draws, seed=seed, end_year=end_year, boundary=boundary)


# ------------------------------------------------------------------ coordinator scenarios


class AssumptionError(model.ProjectionError):
    """An edit refused, naming the form's field it is about (``<key>__<field>``)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _normalise(spec: dict, label: str, key: str = "") -> dict:
    """An assumption as stored in a version: distribution, numbers as floats (blank → absent), source."""
    out: dict = {"distribution": str(spec.get("distribution") or "").strip()}
    if out["distribution"] not in model.DISTRIBUTIONS:
        raise AssumptionError(
            _("假设“%(label)s”的分布“%(distribution)s”未知")
            % {"label": label, "distribution": out["distribution"][:20]},
            f"{key}__distribution",
        )
    for field, word in (("low", "下限"), ("mode", "取值"), ("high", "上限")):
        try:
            value = parse_float(spec.get(field), what=f"假设“{label}”的{word}")
        except NumberError as exc:
            raise AssumptionError(str(exc), f"{key}__{field}") from None
        if value is not None:
            out[field] = value
    source = str(spec.get("source") or "").strip()
    if source:
        out["source"] = source[:500]
    return out


@transaction.atomic
def create_scenario(user, name: str, based_on: str, description: str = "") -> Scenario:
    permissions.require(user, Action.MANAGE_SCENARIOS)
    name = name.strip()
    if not name:
        raise model.ProjectionError(_("请填写情景名称"))
    if len(name) > 60 or any(c in name for c in "/\\?#%") or not name.isprintable():
        raise model.ProjectionError(_("情景名称不超过60个字，且不能含 / \\ ? # % 等字符"))
    if name in scenarios.BUILT_IN or Scenario.objects.filter(name=name).exists():
        raise model.ProjectionError(_("情景“%(name)s”已存在，请换一个名称") % {"name": name})
    if based_on not in scenarios.BUILT_IN:
        raise model.ProjectionError(
            _("须基于内置情景之一：%(names)s") % {"names": "、".join(scenarios.BUILT_IN)}
        )
    created = Scenario.objects.create(name=name, based_on=based_on, description=description, created_by=user)
    ScenarioVersion.objects.create(scenario=created, number=1, overrides={}, comment="新建", author=user)
    audit.record(user, audit.Action.CREATE, created, after={"based_on": based_on, "description": description})
    events.emit("scenario_changed", scenario=created.name)
    return created


@transaction.atomic
def save_assumptions(user, custom: Scenario, edits: dict[str, dict], comment: str = "") -> ScenarioVersion:
    """Save a new version of ``custom``'s overrides; every edit is checked before anything is written."""
    permissions.require(user, Action.MANAGE_SCENARIOS)
    plan = latest_plan()
    base = scenarios.built_in(custom.based_on, plan_targets(plan))
    current = custom.current
    overrides = dict(current.overrides if current else {})
    changes = []
    for key, spec in edits.items():
        if key not in base.assumptions:
            raise model.ProjectionError(_("未知假设“%(key)s”") % {"key": key})
        label = base.assumptions[key].label
        before = _normalise(overrides.get(key) or model_row(base.assumptions[key]), label)
        after = _normalise(spec, label, key)
        if "source" not in after and "source" in before:
            after["source"] = before["source"]  # a blank source keeps the one before
        if after == before:
            continue
        if after.get("source") == before.get("source") and after != before:
            after["source"] = f"{user.get_username()}修改（原依据：{before.get('source', '')}）"
        overrides[key] = after
        changes.append({"key": key, "label": label, "before": before, "after": after})
    # the whole scenario must still be valid (raises with the assumption named)
    scenarios.with_overrides(base, custom.name, custom.description, overrides)
    if not changes:
        raise model.ProjectionError(_("没有修改任何假设"))
    number = (current.number if current else 0) + 1
    version = ScenarioVersion.objects.create(
        scenario=custom, number=number, overrides=overrides, changes=changes, comment=comment, author=user
    )
    audit.record(
        user,
        audit.Action.UPDATE,
        custom,
        before={c["key"]: c["before"] for c in changes},
        after={c["key"]: c["after"] for c in changes},
        comment=comment or f"保存第{number}版",
    )
    events.emit("scenario_changed", scenario=custom.name)
    return version


def model_row(a: model.Assumption) -> dict:
    return {"distribution": a.distribution, "low": a.low, "mode": a.mode, "high": a.high, "source": a.source}
