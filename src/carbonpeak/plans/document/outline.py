"""The outline: heading levels into sections, actions and tasks, each with its clause and targets.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clauses import CLAUSE_AT_END, parse_clause
from .numbering import (
    DOCUMENT_NUMBER,
    HEADING_L1,
    HEADING_L2,
    HEADING_L3,
    ISSUE_DATE,
    chinese_numeral,
    normalise_text,
    split_heading,
)
from .shapes import EQ, GE, Action, PlanDocument, PlanParseError, Section, Subsection, Target, Task
from .targets import extract_targets


@dataclass
class _Node:
    level: int
    number: str
    title: str
    lines: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line for line in self.lines if line)


def _find_title(lines: list[str], first_heading: int) -> str:
    head = "\n".join(lines[:first_heading])
    m = re.search(r"印发[《〈](.+?)[》〉]", head)
    if m:
        return m.group(1).strip()
    m = re.search(r"关于印发(.+?)的通知", head.replace("\n", ""))
    if m:
        return m.group(1).strip()
    candidates = [
        line
        for line in lines[:first_heading]
        if line and len(line) <= 40 and "。" not in line and not ISSUE_DATE.match(line) and "：" not in line
    ]
    # a title wrapped over two short lines joins back up
    for i, line in enumerate(candidates):
        if re.search(r"(?:方案|规划|意见|计划|通知|办法)$", line):
            if i > 0 and not re.search(r"(?:方案|规划|意见|计划|通知)$", candidates[i - 1]):
                prev = candidates[i - 1]
                if len(prev) >= 8 and not re.search(r"(?:政府|局|委|厅|部)$", prev):
                    return prev + line
            return line
    return candidates[0] if candidates else ""


def _build_tree(lines: list[str]) -> tuple[list[str], list[_Node]]:
    preamble: list[str] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    for line in lines:
        matched = None
        for level, pattern in ((1, HEADING_L1), (2, HEADING_L2), (3, HEADING_L3)):
            m = pattern.match(line)
            if m:
                matched = (level, m)
                break
        if matched and matched[0] == 1 and len(matched[1].group(2)) > 60 and "。" not in line[:30]:
            matched = None  # a long sentence that merely starts with 一、 is prose
        if matched is None:
            if stack:
                stack[-1].lines.append(line)
            else:
                preamble.append(line)
            continue
        level, m = matched
        if level > 1 and not stack:
            preamble.append(line)
            continue
        title, body = split_heading(m.group(2))
        number = m.group(1)
        node = _Node(level=level, number=number, title=title, lines=[body] if body else [])
        while stack and stack[-1].level >= level:
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    return preamble, roots


def _flatten_text(node: _Node) -> str:
    parts = [node.text]
    for child in node.children:
        head = f"{child.number}.{child.title}" if child.level == 3 else f"（{child.number}）{child.title}"
        parts.append(head + "。" + _flatten_text(child))
    return "\n".join(p for p in parts if p)


def _take_clause(text: str) -> tuple[str, str]:
    """Split the responsibility clause off the end of a task text (end of paragraph or own line)."""
    lines = [line for line in text.split("\n") if line.strip()]
    clause = ""
    kept: list[str] = []
    for line in lines:
        m = CLAUSE_AT_END.search(line)
        if m:
            clause = m.group(1)
            line = line[: m.start()].rstrip()
        if line:
            kept.append(line)
    return clause, "\n".join(kept)


def parse_plan(text: str) -> PlanDocument:
    """Structure of a plan: sections, actions, tasks with their responsibilities, targets."""
    text = normalise_text(text)
    lines = [line.strip() for line in text.split("\n")]
    if not any(lines):
        raise PlanParseError("文件为空")
    first_heading = next((i for i, line in enumerate(lines) if line and HEADING_L1.match(line)), None)
    if first_heading is None:
        raise PlanParseError(
            "未识别到一级标题（“一、”“二、”……）：本导入器识别按“一、（一）1.”编号的方案文本，"
            "请检查文件是否为方案正文"
        )
    title = _find_title([line for line in lines if line], first_heading) or "（未识别到标题）"
    head_lines = [line for line in lines[:first_heading] if line]
    document_number = ""
    issue_date = ""
    for line in head_lines:
        if not document_number and len(line) <= 30:
            m = DOCUMENT_NUMBER.search(line)
            if m and "《" not in line:
                document_number = m.group(0)
        d = ISSUE_DATE.match(line)
        if d and not issue_date:
            issue_date = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"

    preamble_lines, roots = _build_tree([line for line in lines[first_heading:] if line])
    warnings: list[str] = []
    order_free = bool(re.search(r"(?:排名|排序|顺序)不分先后|不分先后", text))
    if order_free:
        warnings.append("文件注明部门排名不分先后：未标“牵头”的条款中，所列部门均记为牵头")

    sections: list[Section] = []
    standing: list[str] = []
    seen_numbers: set[int] = set()
    for root in roots:
        try:
            n = chinese_numeral(root.number)
        except ValueError:
            n = -1
        if n in seen_numbers:
            warnings.append(f"一级标题编号“{root.number}、”重复出现")
        seen_numbers.add(n)
        section = Section(key=root.number, number=root.number, title=root.title, text=root.text)
        has_actions = any(
            child.level == 2 and any(g.level == 3 for g in child.children) for child in root.children
        )
        level2 = [c for c in root.children if c.level == 2]
        items_are_tasks = not has_actions and any(_take_clause(_flatten_text(c))[0] for c in level2)
        if has_actions or items_are_tasks:
            # the section's own text (before its first item); its items carry their own targets
            section.targets = _tag(extract_targets(root.text), None)
        else:
            section.targets = _section_targets(root)
        if has_actions:
            section.kind = "actions"
            for child in root.children:
                if child.level == 3:
                    # a numbered paragraph directly under the section heading: a task without an action
                    task = _make_task(
                        f"{root.number}.{child.number}", child, standing, not order_free, warnings
                    )
                    section.items.append(task)
                    continue
                action = Action(
                    key=f"{root.number}.（{child.number}）",
                    number=f"（{child.number}）",
                    title=child.title,
                    text=child.text,
                )
                for grandchild in child.children:
                    task = _make_task(
                        f"{action.key}.{grandchild.number}", grandchild, standing, not order_free, warnings
                    )
                    action.tasks.append(task)
                if not action.tasks:
                    # an action without numbered tasks is itself the unit of work
                    task = _make_task(f"{action.key}", child, standing, not order_free, warnings)
                    task.number = action.number
                    action.tasks.append(task)
                section.actions.append(action)
        elif items_are_tasks:
            section.kind = "items"
            for child in level2:
                task = _make_task(
                    f"{root.number}.（{child.number}）", child, standing, not order_free, warnings
                )
                task.number = f"（{child.number}）"
                section.items.append(task)
        else:
            for child in root.children:
                section.subsections.append(
                    Subsection(
                        key=f"{root.number}.{child.number}",
                        number=f"（{child.number}）" if child.level == 2 else child.number,
                        title=child.title,
                        text=_flatten_text(child),
                    )
                )
        sections.append(section)

    plan = PlanDocument(
        title=title,
        document_number=document_number,
        issue_date=issue_date,
        preamble="\n".join(head_lines + preamble_lines),
        sections=sections,
        warnings=warnings,
    )
    if not plan.tasks:
        plan.warnings.append(
            "未识别到带责任分工的任务：没有找到“（……牵头/负责）”形式的部门条款，方案只导入了章节结构"
        )
    else:
        missing = [t.key for t in plan.tasks if not t.lead]
        if missing:
            plan.warnings.append(f"{len(missing)} 项任务未识别到牵头部门：" + "、".join(missing[:20]))
    if not plan.actions and plan.tasks:
        plan.warnings.append("未识别到“行动”层级（二级标题下的编号任务）：任务按章节列出")
    return plan


def _section_targets(root: _Node) -> list[Target]:
    """Targets of a goals section (主要目标). A headline goal commits to a floor: '达到13%' there is
    '>= 13 %', while in a task '达到92%' is the planned level ('=')."""
    targets = _tag(extract_targets(_flatten_text(root)), None)
    for t in targets:
        if t.comparator == EQ and t.commitment in ("达到", "达"):
            t.comparator = GE
    return targets


def _tag(targets: list[Target], task_key: str | None) -> list[Target]:
    for t in targets:
        t.task = task_key
    return targets


def _make_task(key: str, node: _Node, standing: list[str], first_is_lead: bool, warnings: list[str]) -> Task:
    full = _flatten_text(node)
    clause_text, body = _take_clause(full)
    task = Task(key=key, number=node.number, title=node.title, text=body, clause=clause_text)
    if clause_text:
        clause = parse_clause(clause_text, first_is_lead=first_is_lead)
        task.lead = clause.lead
        task.support = clause.support
        task.implement = list(clause.implement)
        for name in standing:
            if name not in task.implement:
                task.implement.append(name)
        # a rule stated here applies from the next task on; this one names its implementers itself
        for name in clause.standing_implement:
            if name not in standing:
                standing.append(name)
            if name not in task.implement:
                task.implement.append(name)
    else:
        task.implement = list(standing)
        warnings.append(f"任务 {key}“{node.title}”没有部门条款")
    task.targets = _tag(extract_targets(node.title + "。" + body), key)
    return task
