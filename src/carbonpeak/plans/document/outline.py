"""The outline: heading levels into sections, actions and tasks, each with its clause and targets.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

from .aliases import apply_aliases
from .clauses import (
    _CLAUSE_WORDS,
    Conventions,
    clause_at_end,
    clauses_inside,
    is_rule_only,
    parse_clause,
    read_conventions,
    trailing_clause,
)
from .numbering import (
    DOCUMENT_NUMBER,
    HEADING_L1,
    HEADING_L2,
    HEADING_L3,
    HEADING_L4,
    ISSUE_DATE,
    chinese_numeral,
    normalise_text,
    split_heading,
    to_chinese_numeral,
)
from .shapes import EQ, GE, Action, Clause, PlanDocument, PlanParseError, Section, Subsection, Target, Task
from .tables import SourceTable, sections_from_tables
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


_NOTICE_BODY = re.compile(
    r"印发给你们|现印发你们|印发你们|现予印发|予以印发|现将.{0,60}印发|请认真(?:贯彻|组织|抓好)"
)
_PUBLIC_NOTE = re.compile(r"^[（(](?:此件|本件)[^）)]{0,12}[）)]$")
_CC = re.compile(r"^(?:抄送|抄报|主送|分送)[：:]")
_PRINTED = re.compile(r"^[\u4e00-\u9fff（）()]{2,40}\s*(?:\d{4}年\d{1,2}月\d{1,2}日)?\s*(?:印发|发布)$")
_ATTACHMENT = re.compile(r"^附件\s*\d{0,2}\s*[:：]?$")


def _find_title(lines: list[str], first_heading: int, notice: str) -> str:
    # title lines only: a citation in the preamble's prose ('深入实施《国务院关于印发…的通知》') is no title
    head = "".join(line for line in lines[:first_heading] if len(line) <= 60 and "。" not in line)
    for source in (notice, head):
        m = re.search(r"印发[《〈](.+?)[》〉]", source) or re.search(r"关于印发(.+?)的通知", source)
        if m:
            return m.group(1).strip()
        m = re.search(r"[《〈]([^》〉]{4,80}?(?:方案|计划|规划|意见|措施|办法))[》〉](?:已经|已|现)", source)
        if m:
            return m.group(1).strip()
    candidates = [
        line
        for line in lines[:first_heading]
        if line
        and len(line) <= 40
        and "。" not in line
        and not ISSUE_DATE.match(line)
        and "：" not in line
        and not _ATTACHMENT.match(line)
        and not DOCUMENT_NUMBER.search(line)
    ]
    # a title wrapped over two short lines joins back up
    for i, line in enumerate(candidates):
        if re.search(r"(?:方案|规划|意见|计划|通知|办法|措施)$", line):
            if i > 0 and not re.search(r"(?:方案|规划|意见|计划|通知|措施)$", candidates[i - 1]):
                prev = candidates[i - 1]
                if len(prev) >= 8 and not re.search(r"(?:政府|局|委|厅|部)$", prev):
                    return prev + line
            return line
    return candidates[0] if candidates else ""


def _strip_notice(head: list[str]) -> tuple[list[str], list[str]]:
    """The transmittal notice (红头: 关于印发…的通知, 文号, 主送, 现将…印发给你们, 落款, 日期) off the head.

    Returns (notice lines, the rest); the notice gives the title, document number and date, the rest is the
    plan's own preamble."""
    for i, line in enumerate(head):
        if _NOTICE_BODY.search(line):
            for j in range(i + 1, min(len(head), i + 10)):
                if ISSUE_DATE.match(head[j]):
                    end = j + 1
                    while end < len(head) and (_PUBLIC_NOTE.match(head[end]) or "代章" in head[end]):
                        end += 1
                    return head[:end], head[end:]
            return head[: i + 1], head[i + 1 :]
    return [], head


def _strip_tail(lines: list[str]) -> tuple[list[str], list[str]]:
    """The 抄送 block, the '…印发' line and '（此件公开发布）' at the end of a document."""
    kept = [line for line in lines if not _PUBLIC_NOTE.match(line)]
    for i, line in enumerate(kept):
        if _CC.match(line) and not any(HEADING_L1.match(x) for x in kept[i + 1 :]):
            return kept[:i], kept[i:]
    tail = []
    while kept and len(tail) < 4 and (_PRINTED.match(kept[-1]) or ISSUE_DATE.match(kept[-1])):
        tail.insert(0, kept.pop())
    return kept, tail


#: a page number on a line of its own in text input ('― 5 ―', '- 12 -', '第3页', '第 3 页 共 20 页')
_PAGE_LINE = re.compile(
    r"^(?:[-—–－‒―]+\s*\d{1,3}\s*[-—–－‒―]+|第\s*\d{1,3}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,3}\s*页)?)$"
)
_OPENERS, _CLOSERS = "（(〔［[", "）)〕］]"


def _unclosed(line: str) -> int:
    depth = 0
    for ch in line:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
    return depth


def _clauses_rejoined(lines: list[str]) -> list[str]:
    """A bracket left open at a line's end continues on the next lines ('…（责任' / '单位：A、B）'): they are
    joined, up to three, so that the clause is read whole; a heading is never joined."""
    out: list[str] = []
    joined = 0
    for line in lines:
        heading = any(p.match(line) for p in (HEADING_L1, HEADING_L2, HEADING_L3))
        if out and joined < 3 and _unclosed(out[-1]) and not heading:
            out[-1] += line
            joined += 1
            continue
        out.append(line)
        joined = 0
    return out


def _headings_by_numbering(lines: list[str]) -> tuple[list[str], list[str]]:
    """A top-level heading the running sequence expects, where a PDF put it mid-line ('…奠定坚实基础。二、重点
    任务') or split it ('…。四、' with its title on the next line), put back on a line of its own. Returns the
    lines and the headings moved."""
    out: list[str] = []
    moved: list[str] = []
    expected = 1
    pending = ""  # '四、' found at a line's end: its title is the next line
    last_item = 0  # the last （N） seen since the last top-level heading
    for line in lines:
        if pending:
            line, pending = pending + line, ""
        m = HEADING_L1.match(line)
        if m:
            with contextlib.suppress(ValueError):  # an odd numeral: the sequence stays where it was
                expected = chinese_numeral(m.group(1)) + 1
            last_item = 0
            out.append(line)
            continue
        try:
            numeral = to_chinese_numeral(expected)
        except ValueError:
            out.append(line)
            continue
        item = HEADING_L2.match(line)
        if item:
            with contextlib.suppress(ValueError):
                number = chinese_numeral(item.group(1))
                if number == 1 and last_item >= 2 and out:
                    # （一） again: a new chapter started, its heading is in the line before whatever precedes it
                    at = out[-1].rfind(f"{numeral}、")
                    title = out[-1][at + len(numeral) + 1 :] if at > 0 else ""
                    if title.strip() and len(title) <= 30 and not re.search(r"[。，；]", title):
                        head = out.pop()
                        out.extend([head[:at], head[at:]])
                        moved.append(head[at:])
                        expected += 1
                last_item = number
        at = line.rfind(f"。{numeral}、")
        if at >= 0:
            title = line[at + 1 + len(numeral) + 1 :]
            if not title.strip():
                out.append(line[: at + 1])
                pending = f"{numeral}、"
                moved.append(pending)
                continue
            if len(title) <= 30 and "。" not in title and "，" not in title:
                out.extend([line[: at + 1], line[at + 1 :]])
                moved.append(line[at + 1 :])
                expected += 1
                continue
        out.append(line)
    if pending:
        out.append(pending)
    return out, moved


def _build_tree(lines: list[str]) -> tuple[list[str], list[_Node]]:
    preamble: list[str] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    for line in lines:
        if _ATTACHMENT.match(line):
            stack = []  # a second document (附件2) starts: its head is no part of the last task
            preamble.append(line)
            continue
        matched = None
        for level, pattern in ((1, HEADING_L1), (2, HEADING_L2), (3, HEADING_L3), (4, HEADING_L4)):
            m = pattern.match(line)
            if m:
                matched = (level, m)
                break
        if matched and matched[0] == 1 and len(matched[1].group(2)) > 60 and "。" not in line[:30]:
            matched = None  # a long sentence that merely starts with 一、 is prose
        if matched and matched[0] == 4 and not stack:
            matched = None
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


def _heading(node: _Node) -> str:
    if node.level == 3:
        return f"{node.number}."
    if node.level == 1:
        return f"{node.number}、"
    return f"（{node.number}）"


def _flatten_text(node: _Node) -> str:
    parts = [node.text]
    for child in node.children:
        parts.append(_heading(child) + child.title + "。" + _flatten_text(child))
    return "\n".join(p for p in parts if p)


def _take_clause(text: str) -> tuple[list[str], str]:
    """The responsibility clauses of a task text: at the end of a paragraph or line, labelled ones inside a
    paragraph, or a trailing '…负责' sentence; and the text without them."""
    lines = _labelled_lines_joined([line for line in text.split("\n") if line.strip()])
    clauses: list[str] = []
    kept: list[str] = []
    for line in lines:
        labelled = LABELLED_LINE.match(line)
        if labelled:
            # '责任单位：A、B' on its own line (no brackets); a '完成时限：…' glued to it stays text
            names, _, rest = labelled.group(0).partition(_DEADLINE_WORD)
            clauses.append(names.strip(" 。；;"))
            if rest:
                kept.append(_DEADLINE_WORD + rest)
            continue
        inside = clauses_inside(line)
        found = clause_at_end(line)
        if found and is_rule_only(found[0]):
            # '（排在第一为牵头单位，下同）': a rule the conventions read, not a clause
            line = found[1]
            found = clause_at_end(line)
        if found:
            clause, line = found
            inside = clauses_inside(line)
            clauses.extend(inside)
            clauses.append(clause)
        else:
            clauses.extend(inside)
        if line:
            kept.append(line)
    if not clauses and kept:
        clause, rest = trailing_clause(kept[-1])
        if clause:
            clauses.append(clause)
            kept[-1] = rest
    return clauses, "\n".join(k for k in kept if k)


#: a responsibility list on its own line, labelled and without brackets: '责任单位：市发展改革委、市应急局'
LABELLED_LINE = re.compile(
    r"^(?:牵头单位|牵头部门|责任单位|责任部门|主要责任单位|配合单位|配合部门)\s*[：:][^（）()]+$"
)
_DEADLINE_WORD = "完成时限"
#: a wrapped line of names continuing a labelled list ('…、市商务' / '局、市口岸物流办')
_NAMES_ONLY = re.compile(r"^[\u4e00-\u9fff、，,〔〕]{1,60}(?:完成时限[：:].*)?$")


def _labelled_lines_joined(lines: list[str]) -> list[str]:
    """A labelled list wrapped over lines is joined back ('责任单位：…、市商务' + '局、市口岸物流办')."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and LABELLED_LINE.match(out[-1])
            and _DEADLINE_WORD not in out[-1]
            and not out[-1].endswith(("。", "；", ";"))
            and _NAMES_ONLY.match(line)
            and not LABELLED_LINE.match(line)
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


def _has_clause(node: _Node) -> bool:
    return bool(_take_clause(_flatten_text(node))[0])


def _number(node: _Node) -> str:
    return node.number if node.level == 3 else f"（{node.number}）"


def _task_nodes(node: _Node, key: str, number: str) -> list[tuple[str, str, _Node]]:
    """(key, number, node) of the tasks in a node: its children when most of them carry their own clause
    (a four-level plan: 1. → （1）), else the node itself."""
    kids = node.children
    own = _take_clause(node.text)[0]
    with_clause = sum(1 for c in kids if _has_clause(c))
    if kids and not own and with_clause >= 2 and with_clause * 2 >= len(kids):
        out = []
        for child in kids:
            out.extend(_task_nodes(child, f"{key}.{_number(child)}", f"{number}{_number(child)}"))
        return out
    if not kids:
        measures = _measures(node)
        if measures:
            return [(f"{key}.{i}", f"{number}之{i}", m) for i, m in enumerate(measures, 1)]
    return [(key, number, node)]


_SENTENCE_END = "。；！？"


def _measures(node: _Node) -> list[_Node]:
    """The measures of a leaf item whose text closes two or more of them with their own clause ('…推广新能源
    汽车。（省公安厅牵头负责）加强充换电设施建设。（省能源局牵头负责）…'): one node each, titled by its first
    sentence; text after the last clause is a measure without one. [] when the item has fewer than two."""
    text = node.text
    ends: list[int] = []
    i = 0
    while i < len(text):
        if text[i] in "（(〔" and i and text[i - 1] in _SENTENCE_END:
            close = _closing(text, i)
            if close is not None:
                inner = text[i + 1 : close]
                if _is_clause(inner):
                    ends.append(close + 1)
                    i = close + 1
                    continue
        i += 1
    if len(ends) < 2 or not any(end < len(text.rstrip("。 \n")) for end in ends[:-1]):
        return []
    pieces, start = [], 0
    for end in ends:
        pieces.append(text[start:end])
        start = end
    rest = text[start:].strip(" \n")
    if len(rest) >= 10:
        pieces.append(rest)
    elif rest:
        pieces[-1] += rest
    out = []
    for piece in pieces:
        piece = piece.strip(" \n")
        first = re.search(r"[。；！？]", piece)
        sentence = piece[: first.start()] if first else piece
        if len(sentence) <= 60:
            title, body = sentence, piece[first.end() :] if first else ""
        else:
            # a long first sentence: its first phrase names the measure, the sentence stays whole in the text
            title, body = re.split(r"[，,]", sentence, maxsplit=1)[0][:60], piece
        out.append(_Node(level=node.level + 1, number="", title=title, lines=[body] if body else []))
    return out


def _closing(text: str, start: int) -> int | None:
    """The index of the bracket closing the one at ``start`` (None when it does not close)."""
    depth = 0
    for j in range(start, min(len(text), start + 400)):
        if text[j] in "（(〔［[":
            depth += 1
        elif text[j] in "）)〕］]":
            depth -= 1
            if depth == 0:
                return j
    return None


def _is_clause(inner: str) -> bool:
    """A bracket's content that names who is responsible (and is not only a stated rule)."""
    if not _CLAUSE_WORDS.search(inner) or is_rule_only(inner) or len(inner) > 300:
        return False
    return bool(parse_clause(inner).lead)


#: chapters that frame a plan rather than hold its measures, by their title's words
_FRAME_CHAPTER = re.compile(
    r"总体要求|指导思想|基本原则|主要目标|工作目标|发展目标|总体目标|目标任务|保障措施|组织实施|组织保障|"
    r"保障机制|工作要求|实施保障|工作机制|职责分工|进度安排|实施步骤|工作步骤|编制依据|适用范围"
)


def _holds_measures(root: _Node) -> bool:
    """A chapter of measures in a plan without clauses: not a frame chapter (总体要求, 主要目标, 保障措施…) and
    with at least two numbered items under it."""
    return not _FRAME_CHAPTER.search(root.title) and len([c for c in root.children if c.level >= 2]) >= 2


def _is_group(node: _Node) -> bool:
    """A heading over numbered tasks, none of which carries a clause (a plan without any clause keeps its
    actions)."""
    kids = [c for c in node.children if c.level >= 3]
    return len(kids) >= 2 and not _has_clause(node)


def _parts(roots: list[_Node]) -> list[tuple[str, _Node]]:
    """Key prefix of each top-level section: when numbering starts again at 一、 a second document begins."""
    out, part, last = [], 1, 0
    for root in roots:
        try:
            n = chinese_numeral(root.number)
        except ValueError:
            n = last + 1
        if out and n <= last and n == 1:
            part += 1
        last = n
        out.append(("" if part == 1 else f"{part}/", root))
    return out


def parse_plan(text: str, tables: list[SourceTable] | tuple = ()) -> PlanDocument:
    """Structure of a plan: sections, actions, tasks with their responsibilities, targets.

    ``tables`` are the task and indicator tables a .docx or PDF holds (see ``tables``).
    (Long: one pass over the document's lines keeps the heading state (level, numbering, open section) in one place.)"""
    text = normalise_text(text)
    lines = _clauses_rejoined([line for line in text.split("\n") if line and not _PAGE_LINE.match(line)])
    if not lines and not tables:
        raise PlanParseError("文件为空")
    lines, _tail = _strip_tail(lines)
    first_heading = next((i for i, line in enumerate(lines) if HEADING_L1.match(line)), None)
    if first_heading is None and not tables:
        raise PlanParseError(
            "未识别到一级标题（“一、”“二、”……）：本导入器识别按“一、（一）1.”编号的方案文本，"
            "请检查文件是否为方案正文"
        )
    if first_heading is None:
        first_heading = len(lines)
    notice, head_lines = _strip_notice(lines[:first_heading])
    title = _find_title(lines, first_heading, "".join(notice)) or "（未识别到标题）"
    document_number = ""
    issue_date = ""
    for line in notice + head_lines:
        if not document_number and len(line) <= 30:
            m = DOCUMENT_NUMBER.search(line)
            if m and "《" not in line:
                document_number = m.group(0)
        d = ISSUE_DATE.match(line)
        if d and not issue_date:
            issue_date = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
    body_lines, moved = _headings_by_numbering(lines[first_heading:])
    preamble_lines, roots = _build_tree(body_lines)
    conventions, warnings = read_conventions(text)
    warnings.extend(f"一级标题“{h}”不在行首，已按编号顺序识别" for h in moved)
    if notice:
        warnings.append(f"已去除印发通知（红头）部分 {len(notice)} 行")
    if _tail:
        warnings.append(f"已去除文末抄送、印发部分 {len(_tail)} 行")

    sections: list[Section] = []
    standing: list[str] = []
    parts = _parts(roots)
    if any(prefix for prefix, _ in parts):
        warnings.append("文件中一级标题编号重新从“一、”开始：视为多份文件，第二份起章节编号前加“2/”等")
    seen_numbers: set[str] = set()
    # a plan that names no department anywhere still has measures: its measure chapters' items are tasks,
    # each flagged for the coordinator to set its lead
    clause_free = not any(_has_clause(root) for _, root in parts)
    for prefix, root in parts:
        key = f"{prefix}{root.number}"
        if key in seen_numbers:
            warnings.append(f"一级标题编号“{root.number}、”重复出现")
        seen_numbers.add(key)
        section = Section(key=key, number=root.number, title=root.title, text=root.text)
        level2 = [c for c in root.children if c.level == 2]
        # an action groups numbered tasks that carry their own clauses; numbered conditions inside one
        # item (（四）下列项目… 1. … 2. …（A负责）) are the item's text
        has_actions = any(len(_task_nodes(c, "", "")) > 1 or _is_group(c) for c in level2)
        items_are_tasks = not has_actions and (
            any(_has_clause(c) for c in root.children) or (clause_free and _holds_measures(root))
        )
        if has_actions or items_are_tasks:
            # the section's own text (before its first item); its items carry their own targets
            section.targets = _tag(extract_targets(root.text), None)
        else:
            section.targets = _section_targets(root)
        make = _TaskMaker(standing, conventions, warnings, quiet=clause_free)
        if has_actions:
            section.kind = "actions"
            for child in root.children:
                if child.level != 2:
                    # a numbered paragraph directly under the section heading: a task without an action
                    for k, n, node in _task_nodes(child, f"{key}.{_number(child)}", _number(child)):
                        section.items.append(make(k, n, node))
                    continue
                action = Action(
                    key=f"{key}.（{child.number}）",
                    number=f"（{child.number}）",
                    title=child.title,
                    text=child.text,
                )
                for grandchild in child.children:
                    for k, n, node in _task_nodes(
                        grandchild, f"{action.key}.{_number(grandchild)}", _number(grandchild)
                    ):
                        action.tasks.append(make(k, n, node))
                if not action.tasks:
                    # an action without numbered tasks is itself the unit of work, or its measures are, each
                    # closed by its own clause
                    for k, n, node in _task_nodes(child, action.key, action.number):
                        action.tasks.append(make(k, n, node))
                section.actions.append(action)
        elif items_are_tasks:
            section.kind = "items"
            for child in root.children:
                for k, n, node in _task_nodes(child, f"{key}.{_number(child)}", _number(child)):
                    section.items.append(make(k, n, node))
        else:
            for child in root.children:
                section.subsections.append(
                    Subsection(
                        key=f"{key}.{child.number}",
                        number=_number(child),
                        title=child.title,
                        text=_flatten_text(child),
                    )
                )
        sections.append(section)

    table_sections, table_warnings = sections_from_tables(list(tables), conventions)
    sections.extend(table_sections)
    warnings.extend(table_warnings)
    plan = PlanDocument(
        title=title,
        document_number=document_number,
        issue_date=issue_date,
        preamble="\n".join(head_lines + preamble_lines),
        sections=sections,
        warnings=warnings,
    )
    _unique_keys(plan)
    plan.aliases, alias_warnings = apply_aliases(plan)
    plan.warnings.extend(alias_warnings)
    if not plan.tasks:
        plan.warnings.append(
            "未识别到带责任分工的任务：没有找到“（……牵头/负责）”形式的部门条款，方案只导入了章节结构"
        )
    elif clause_free:
        plan.warnings.append(
            f"全文没有部门条款：措施章节中的 {len(plan.tasks)} 项编号措施已作为任务导入，均未确定牵头部门，"
            "请在导入审核中逐项设定"
        )
    else:
        missing = [t.key for t in plan.tasks if not t.lead]
        if missing:
            plan.warnings.append(f"{len(missing)} 项任务未识别到牵头部门：" + "、".join(missing[:20]))
    joint = [t.key for t in plan.tasks if t.joint]
    if joint:
        plan.warnings.append(
            f"{len(joint)} 项任务为联合负责（“……等按职责分工负责”），文件未指定牵头：暂按所列第一个单位为牵头"
            "（本平台规则），请在导入审核中确认或改定：" + "、".join(joint[:20])
        )
    if not plan.actions and plan.tasks:
        plan.warnings.append("未识别到“行动”层级（二级标题下的编号任务）：任务按章节列出")
    return plan


def _unique_keys(plan: PlanDocument) -> None:
    """Keys are unique within a plan whatever the numbering does (a repeated （三） gets '#2')."""
    for items in (plan.sections, plan.actions, plan.tasks):
        seen: set[str] = set()
        for item in items:
            key, n = item.key, 1
            while key in seen:
                n += 1
                key = f"{item.key}#{n}"
            if key != item.key:
                plan.warnings.append(f"编号“{item.key}”重复出现，第 {n} 次出现记为“{key}”")
                item.key = key
            seen.add(key)


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


class _TaskMaker:
    """Tasks from nodes, carrying the document's conventions and its standing implementers along."""

    def __init__(
        self, standing: list[str], conventions: Conventions, warnings: list[str], quiet: bool = False
    ):
        self.standing, self.conventions, self.warnings = standing, conventions, warnings
        self.quiet = quiet  # a plan without any clause: one warning for all its tasks, not one each

    def __call__(self, key: str, number: str, node: _Node) -> Task:
        full = _flatten_text(node)
        clause_texts, body = _take_clause(full)
        task = Task(key=key, number=number, title=node.title, text=body, clause="；".join(clause_texts))
        if clause_texts:
            parsed = [parse_clause(c, conventions=self.conventions) for c in clause_texts]
            clause = merge_clauses(parsed)
            task.lead, task.support, task.implement = clause.lead, clause.support, list(clause.implement)
            # joint when no clause of the task names its lead
            task.joint = all(c.joint or not c.lead for c in parsed) and any(c.joint for c in parsed)
            for name in self.standing:
                if name not in task.implement:
                    task.implement.append(name)
            # a rule stated here applies from the next task on; this one names its implementers itself
            for name in clause.standing_implement:
                if name not in self.standing:
                    self.standing.append(name)
                if name not in task.implement:
                    task.implement.append(name)
        else:
            task.implement = list(self.standing)
            if not self.quiet:
                self.warnings.append(f"任务 {key}“{node.title}”没有部门条款")
        task.targets = _tag(extract_targets(node.title + "。" + body), key)
        return task


def merge_clauses(clauses: list[Clause]) -> Clause:
    """Several clauses of one task (one per measure in it): every lead leads, the others support."""
    merged = Clause(text="；".join(c.text for c in clauses))
    for c in clauses:
        merged.lead.extend(n for n in c.lead if n not in merged.lead)
    for c in clauses:
        merged.support.extend(n for n in c.support if n not in merged.support and n not in merged.lead)
        merged.implement.extend(n for n in c.implement if n not in merged.implement)
        merged.standing_implement.extend(
            n for n in c.standing_implement if n not in merged.standing_implement
        )
    return merged
