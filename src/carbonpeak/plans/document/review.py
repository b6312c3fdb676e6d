"""Checking a parsed plan against its text before it is imported: where each clause and target came from,
and the coordinator's corrections (departments renamed or merged, leads set, targets dropped or amended).

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field


@dataclass
class Span:
    """A stretch of the text a task's clause or a target came from."""

    start: int
    end: int
    kind: str  # "clause" | "target"
    refs: list[str] = field(default_factory=list)  # task keys or target refs

    @property
    def anchor(self) -> str:
        return f"src-{self.kind}-{self.start}"


def target_refs(data: dict) -> list[tuple[str, dict]]:
    """(ref, target) for every target of a plan's JSON form; ref = '<owner key>#<n>', stable across saves."""
    out = []
    for section in data.get("sections", []):
        out.extend((f"{section['key']}#{n}", t) for n, t in enumerate(section.get("targets", []), start=1))
        for task in section.get("items", []):
            out.extend((f"{task['key']}#{n}", t) for n, t in enumerate(task.get("targets", []), start=1))
    for action in data.get("actions", []):
        for task in action.get("tasks", []):
            out.extend((f"{task['key']}#{n}", t) for n, t in enumerate(task.get("targets", []), start=1))
    return out


def all_tasks(data: dict) -> list[dict]:
    tasks = [t for a in data.get("actions", []) for t in a.get("tasks", [])]
    return tasks + [t for s in data.get("sections", []) for t in s.get("items", [])]


def locate(text: str, data: dict) -> list[Span]:
    """Where in ``text`` each task's clause and each target's sentence stands; overlapping finds share one
    span. A clause or sentence the text does not hold verbatim (rebuilt from a table) is left out."""
    found: list[Span] = []
    for task in all_tasks(data):
        clause = task.get("clause") or ""
        if not clause:
            continue
        begin = max(0, text.find(task.get("title") or "\0"))
        pieces = [clause] if text.find(clause, begin) >= 0 else [p for p in clause.split("；") if len(p) >= 2]
        for piece in pieces:
            at = text.find(piece, begin)
            if at < 0:
                at = text.find(piece)
            if at >= 0:
                found.append(Span(at, at + len(piece), "clause", [task["key"]]))
    for ref, target in target_refs(data):
        sentence = (target.get("sentence") or "").strip()
        at = text.find(sentence) if len(sentence) >= 4 else -1
        if at >= 0:
            found.append(Span(at, at + len(sentence), "target", [ref]))
    found.sort(key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for span in found:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.kind == last.kind:
                last.refs.extend(r for r in span.refs if r not in last.refs)
            continue
        merged.append(span)
    return merged


def segments(text: str, spans: list[Span]) -> list[dict]:
    """The text cut at the spans, for display: plain stretches and highlighted ones with their refs."""
    out, at = [], 0
    for span in spans:
        if span.start > at:
            out.append({"text": text[at : span.start], "kind": "", "anchor": "", "refs": []})
        out.append(
            {"text": text[span.start : span.end], "kind": span.kind, "anchor": span.anchor, "refs": span.refs}
        )
        at = span.end
    if at < len(text):
        out.append({"text": text[at:], "kind": "", "anchor": "", "refs": []})
    return out


class CorrectionError(ValueError):
    """A correction that cannot apply (an unknown task or target, an empty name)."""


def apply_corrections(data: dict, corrections: dict) -> dict:
    """The plan's JSON form with the coordinator's corrections applied; ``data`` is left as it was.

    ``corrections``: ``departments`` {name: new name} (a new name already in the list merges the two),
    ``leads`` {task key: [names]} (names after renaming; a former lead no longer leading supports),
    ``targets`` {ref: {"drop": true} | {"value": x, "year": y}}.
    """
    out = copy.deepcopy(data)
    renames = {old: (new or "").strip() for old, new in (corrections.get("departments") or {}).items()}
    if any(not new or len(new) > 100 for new in renames.values()):
        raise CorrectionError("部门名称不能为空，且不超过 100 字")
    tasks = {t["key"]: t for t in all_tasks(out)}
    for task in tasks.values():
        for role in ("lead", "support", "implement"):
            names: list[str] = []
            for name in task.get(role, []):
                name = renames.get(name, name)
                if name not in names:
                    names.append(name)
            task[role] = names
    for key, leads in (corrections.get("leads") or {}).items():
        if key not in tasks:
            raise CorrectionError(f"没有编号为“{key}”的任务")
        leads = [n.strip() for n in leads if n and n.strip()]
        task = tasks[key]
        former = [n for n in task["lead"] if n not in leads]
        task["lead"] = leads
        task["joint"] = False  # the coordinator decided who leads
        task["support"] = [n for n in former + task["support"] if n not in leads]
        task["support"] = list(dict.fromkeys(task["support"]))
        task["implement"] = [n for n in task["implement"] if n not in leads]
    for task in tasks.values():
        task["support"] = [n for n in task["support"] if n not in task["lead"]]
    refs = dict(target_refs(out))
    dropped = set()
    for ref, change in (corrections.get("targets") or {}).items():
        if ref not in refs:
            raise CorrectionError(f"没有标识为“{ref}”的目标")
        if change.get("drop"):
            dropped.add(id(refs[ref]))
            continue
        if "value" in change:
            refs[ref]["value"] = change["value"]
        if "year" in change:
            refs[ref]["year"] = change["year"]
    if dropped:
        for holder in [*out.get("sections", []), *tasks.values()]:
            holder["targets"] = [t for t in holder.get("targets", []) if id(t) not in dropped]
    return out
