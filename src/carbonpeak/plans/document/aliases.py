"""Short names of bodies mapped to the full name the same document uses ('发改局' → '区发展和改革局').

A plan often writes a body in full once and abbreviated elsewhere, or drops the shared prefix in a list
('省发展改革委、工业和信息化厅'). A short name is mapped only when exactly one full name in the same document
fits it; otherwise it is kept as written and flagged for the coordinator.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import re

from .shapes import PlanDocument

_PREFIX = re.compile(r"^(?:省|市|区|县|镇)")
_SHORT_ENDINGS = (("委员会", "委"), ("办公室", "办"))
_BRANCH = ("分局", "分行", "支行", "分公司", "分中心")


def _is_subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` names the body ``full`` names: the shared prefix (省/市/区/县) dropped
    ('工业和信息化厅' of '省工业和信息化厅'), or its characters in order with the same first and last
    ('区发改局' of '区发展和改革局'); never a contiguous part of it (that names another body:
    市生态环境局 is not 某市生态环境局某区分局)."""
    if len(short) >= len(full) or short.startswith("各") or full.startswith("各"):
        return False  # '各区人民政府' and '各相关区人民政府' are groups, not one body's short and full name
    s_prefix, f_prefix = _PREFIX.match(short), _PREFIX.match(full)
    if s_prefix and (not f_prefix or s_prefix.group(0) != f_prefix.group(0)):
        return False
    s_core = short[s_prefix.end() :] if s_prefix else short
    f_core = full[f_prefix.end() :] if f_prefix else full
    if len(s_core) < 2:
        return False
    if s_core == f_core:
        return not s_prefix and bool(f_prefix)
    if s_core in f_core:
        return False
    if f_core.endswith(_BRANCH) and not s_core.endswith(f_core[-2:]):
        return False  # '某分局' is a branch, another body than the one abbreviated
    # 委员会 is written 委, 办公室 办 ('发改委' of '发展和改革委员会')
    endings = {
        f_core[-1],
        *(short_end for long_end, short_end in _SHORT_ENDINGS if f_core.endswith(long_end)),
    }
    return s_core[0] == f_core[0] and s_core[-1] in endings and _is_subsequence(s_core, f_core)


def apply_aliases(plan: PlanDocument) -> tuple[dict[str, str], list[str]]:
    """Rewrite the tasks' bodies to their full names; return the mapping used and the names left as written
    because several full names fit them."""
    names = plan.departments()
    mapping: dict[str, str] = {}
    warnings: list[str] = []
    for short in names:
        fits = [full for full in names if full != short and abbreviates(short, full)]
        # a chain (发改局 → 区发改局 → 区发展改革局) ends at the longest name
        fits = [f for f in fits if not any(g != f and abbreviates(f, g) for g in fits)]
        if len(fits) == 1:
            mapping[short] = fits[0]
        elif len(fits) > 1:
            warnings.append(f"简称“{short}”可能指{'、'.join(fits)}：未合并，请在导入后核对")
    if not mapping:
        return {}, warnings
    for task in plan.tasks:
        for role in ("lead", "support", "implement"):
            rewritten: list[str] = []
            for name in getattr(task, role):
                full = mapping.get(name, name)
                if full not in rewritten:
                    rewritten.append(full)
            setattr(task, role, rewritten)
        task.support = [n for n in task.support if n not in task.lead]
    warnings.append("已按本文件中的全称合并简称：" + "；".join(f"{s} → {f}" for s, f in mapping.items()))
    return mapping, warnings
