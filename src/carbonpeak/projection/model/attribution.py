"""What moved since the previous projection: new data against changed assumptions."""

from __future__ import annotations

from .results import _round


def what_moved(
    now: dict,
    previous: dict,
    p_new_data_old_assumptions: float,
) -> dict:
    """ΔP since the previous projection of the scenario and its attribution: new data (the same assumptions on
    the new accounts) and changed assumptions (the rest), with the lever that moves P most now; one sentence
    a leader reads."""
    p_now, p_before = now["p_peak_by_2030"], previous["p_peak_by_2030"]
    data = p_new_data_old_assumptions - p_before
    assumptions = p_now - p_new_data_old_assumptions
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
        main = "与上次基本相同"
    elif abs(data) >= abs(assumptions):
        main = f"主要因为新的核算数据（{_pp(data)}）" + (
            f"，假设调整 {_pp(assumptions)}" if abs(assumptions) >= 0.0005 else ""
        )
    else:
        main = f"主要因为情景假设调整（{_pp(assumptions)}）" + (
            f"，新数据 {_pp(data)}" if abs(data) >= 0.0005 else ""
        )
    sentence = f"达峰概率由 {p_before:.1%} 变为 {p_now:.1%}，{main}"
    if top is not None and top["delta_p_peak_by_2030"]:
        sentence += f"；对概率影响最大的措施是“{top['label']}”（{_pp(top['delta_p_peak_by_2030'])}）"
    return {
        "p_before": _round(p_before, 4),
        "p_now": _round(p_now, 4),
        "delta": _round(p_now - p_before, 4),
        "new_data": _round(data, 4),
        "assumptions": _round(assumptions, 4),
        "top_lever": top["label"] if top else None,
        "levers": lever_changes,
        "sentence": sentence + "。",
    }


def _pp(delta: float) -> str:
    return f"{delta * 100:+.1f} 个百分点"
