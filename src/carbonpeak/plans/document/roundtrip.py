"""The region a plan is for, and a parsed plan back from its JSON form.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import re

from .shapes import Action, PlanDocument, PlanParseError, Section, Subsection, Target, Task

_REGION = re.compile(r"^(.{2,8}?(?:省|自治区|特别行政区|市|自治州|州|盟|县|区|旗))")


def guess_region(plan: PlanDocument) -> str:
    """The region a plan is for, from its title or the issuing government in its header."""
    m = _REGION.match(plan.title)
    if m and "关于" not in m.group(1):
        return m.group(1)
    m = re.search(r"(?:^|\n)(.{2,8}?(?:省|自治区|市|州|县|区))人民政府", plan.preamble)
    if m:
        return m.group(1)
    return ""


def _target_from_dict(d: dict) -> Target:
    fields = Target.__dataclass_fields__
    return Target(**{k: v for k, v in d.items() if k in fields})


def _task_from_dict(d: dict) -> Task:
    return Task(
        key=d["key"],
        number=d["number"],
        title=d["title"],
        text=d.get("text", ""),
        lead=list(d.get("lead", [])),
        support=list(d.get("support", [])),
        implement=list(d.get("implement", [])),
        clause=d.get("clause", ""),
        targets=[_target_from_dict(t) for t in d.get("targets", [])],
        due=d.get("due", ""),
        deadline=d.get("deadline", ""),
        joint=bool(d.get("joint", False)),
    )


def plan_from_dict(data: dict) -> PlanDocument:
    """Rebuild a PlanDocument from ``PlanDocument.to_dict()`` (the committed structured data)."""
    try:
        actions = {
            a["key"]: Action(
                key=a["key"],
                number=a["number"],
                title=a["title"],
                text=a.get("text", ""),
                tasks=[_task_from_dict(t) for t in a.get("tasks", [])],
            )
            for a in data["actions"]
        }
        sections = []
        for s in data["sections"]:
            sections.append(
                Section(
                    key=s["key"],
                    number=s["number"],
                    title=s["title"],
                    text=s.get("text", ""),
                    kind=s.get("kind", "text"),
                    subsections=[Subsection(**sub) for sub in s.get("subsections", [])],
                    actions=[actions[k] for k in s.get("actions", [])],
                    items=[_task_from_dict(t) for t in s.get("items", [])],
                    targets=[_target_from_dict(t) for t in s.get("targets", [])],
                )
            )
        return PlanDocument(
            title=data["title"],
            document_number=data.get("document_number", ""),
            issue_date=data.get("issue_date", ""),
            preamble=data.get("preamble", ""),
            sections=sections,
            warnings=list(data.get("warnings", [])),
            aliases=dict(data.get("aliases", {})),
        )
    except (KeyError, TypeError) as exc:
        raise PlanParseError(f"结构化方案数据不完整：缺少 {exc}") from exc
