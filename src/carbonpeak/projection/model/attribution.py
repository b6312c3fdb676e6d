"""What moved since the previous projection: new data, new factors and changed assumptions, by Shapley values."""

from __future__ import annotations

from carbonpeak.core.text import Message, gettext_noop

from .results import _round

#: what moves P between two projections, in the order the sentence names them
PARTS = {
    "data": gettext_noop("新的核算数据"),
    "factors": gettext_noop("核算因子"),
    "assumptions": gettext_noop("情景假设调整"),
}


def shapley_of_three(p) -> dict[str, float]:
    """Exact Shapley shares of P among data, factors and assumptions: ``p(data_new, factors_new,
    assumptions_new)`` is P with each part old or new; the shares sum to p(new, new, new) − p(old, old, old)."""
    from itertools import permutations

    keys = list(PARTS)
    shares = dict.fromkeys(keys, 0.0)
    orders = list(permutations(keys))
    for order in orders:
        state = dict.fromkeys(keys, False)
        for key in order:
            before = p(state["data"], state["factors"], state["assumptions"])
            state[key] = True
            shares[key] += (p(state["data"], state["factors"], state["assumptions"]) - before) / len(orders)
    return shares


def what_moved(now: dict, previous: dict, shares: dict[str, float]) -> dict:
    """ΔP since the previous projection of the scenario and its attribution among new data, new factors and
    changed assumptions (``shares``, Shapley values that add up to ΔP), with the lever that moves P most now;
    one sentence a leader reads."""
    p_now, p_before = now["p_peak_by_2030"], previous["p_peak_by_2030"]
    levers = [e for e in now.get("lever_details", []) if e["active"]]
    top = max(levers, key=lambda e: abs(e["delta_p_peak_by_2030"] or 0), default=None)
    before_levers = {e["key"]: e for e in previous.get("lever_details", [])}
    lever_changes = [
        {
            "key": e["key"],
            "label": e["label"],
            "delta_p_now": e["delta_p_peak_by_2030"],
            "delta_p_before": (before_levers.get(e["key"]) or {}).get("delta_p_peak_by_2030"),
        }
        for e in levers
    ]
    if abs(p_now - p_before) < 0.0005:
        main = Message(gettext_noop("与上次基本相同"))
    else:
        ranked = sorted(PARTS, key=lambda k: -abs(shares[k]))
        others = [
            Message(gettext_noop("%(part)s %(delta)s"), part=Message(PARTS[k]), delta=_pp(shares[k]))
            for k in ranked[1:]
            if abs(shares[k]) >= 0.0005
        ]
        main = Message(
            gettext_noop("主要因为%(part)s（%(delta)s）"),
            part=Message(PARTS[ranked[0]]),
            delta=_pp(shares[ranked[0]]),
        )
        if others:
            main = Message.join([main, *others], separator="，")
    sentence = Message(
        gettext_noop("达峰概率由 %(before)s 变为 %(now)s，%(why)s"),
        before=f"{p_before:.1%}",
        now=f"{p_now:.1%}",
        why=main,
    )
    if top is not None and top["delta_p_peak_by_2030"]:
        sentence = Message.join(
            [
                sentence,
                Message(
                    gettext_noop("对概率影响最大的措施是“%(lever)s”（%(delta)s）"),
                    lever=top["label"] if isinstance(top["label"], Message) else Message(top["label"]),
                    delta=_pp(top["delta_p_peak_by_2030"]),
                ),
            ]
        )
    return {
        "p_before": _round(p_before, 4),
        "p_now": _round(p_now, 4),
        "delta": _round(p_now - p_before, 4),
        "new_data": _round(shares["data"], 4),
        "factors": _round(shares["factors"], 4),
        "assumptions": _round(shares["assumptions"], 4),
        "method": Message(
            gettext_noop("Shapley：数据、因子、假设的新旧八种组合在同一组抽样上各算一次，三部分合计等于变化")
        ),
        "top_lever": top["label"] if top else None,
        "levers": lever_changes,
        "sentence": Message(gettext_noop("%(sentence)s。"), sentence=sentence),
    }


def _pp(delta: float) -> Message:
    return Message(gettext_noop("%(points)s 个百分点"), points=f"{delta * 100:+.1f}")
