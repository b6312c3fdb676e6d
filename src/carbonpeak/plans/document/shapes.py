"""The shapes a parsed plan takes: sections, actions, tasks, their responsibility clauses and targets.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


class PlanParseError(ValueError):
    """The text does not look like a plan written in the usual numbering conventions."""


LEAD, SUPPORT, IMPLEMENT = "lead", "support", "implement"

GE, GT, LE, LT, EQ = ">=", ">", "<=", "<", "="
PEAK, INCREASE, DECREASE, EXTERNAL = "peak", "increase", "decrease", "external"
COMPARATORS = (GE, GT, LE, LT, EQ, PEAK, INCREASE, DECREASE, EXTERNAL)

# kinds of target, derived from the comparator and the year
KIND_DATED, KIND_DIRECTION, KIND_PEAK, KIND_EXTERNAL, KIND_RULE = (
    "dated",
    "direction",
    "peak",
    "external",
    "rule",
)


@dataclass
class Clause:
    """A responsibility clause such as （A牵头，B、C等部门按职责分工负责）."""

    text: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    implement: list[str] = field(default_factory=list)
    # an entity that the document says implements every later task
    standing_implement: list[str] = field(default_factory=list)
    joint: bool = False  # 'A、B等按职责分工负责': responsible bodies, none named to lead


@dataclass
class Target:
    year: int | None
    indicator: str
    comparator: str
    value: float | None
    unit: str
    commitment: str
    sentence: str
    kind: str = KIND_DATED
    value_max: float | None = None
    base_year: int | None = None
    issuer: str = ""
    task: str | None = None  # key of the task (or section item) it belongs to
    base_value: float | None = None  # 基期值, from an indicator table
    attribute: str = ""  # 约束性 / 预期性, from an indicator table

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Task:
    key: str  # stable within a document, e.g. "三.（一）.1" or "四.（二）"
    number: str
    title: str
    text: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    implement: list[str] = field(default_factory=list)
    clause: str = ""
    targets: list[Target] = field(default_factory=list)
    due: str = ""  # ISO date of the deadline (完成时限), when the plan gives one
    deadline: str = ""  # the deadline as written ('2025年底前', '长期坚持')
    # the clause names no lead ('A、B等按职责分工负责'): the first listed leads for now (本平台规则), for the
    # coordinator to confirm or change
    joint: bool = False

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "due": self.due,
            "deadline": self.deadline,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "lead": self.lead,
            "support": self.support,
            "implement": self.implement,
            "clause": self.clause,
            "joint": self.joint,
            "targets": [t.to_dict() for t in self.targets],
        }


@dataclass
class Action:
    key: str
    number: str  # （一）
    title: str
    text: str
    tasks: list[Task] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "tasks": [t.to_dict() for t in self.tasks],
        }


@dataclass
class Subsection:
    """A numbered part of a section that carries no responsibility (指导思想, 工作原则)."""

    key: str
    number: str
    title: str
    text: str


@dataclass
class Section:
    key: str
    number: str  # 一
    title: str
    text: str
    kind: str = "text"  # text | actions | items
    subsections: list[Subsection] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    items: list[Task] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)  # targets stated in the section's own text

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "kind": self.kind,
            "subsections": [asdict(s) for s in self.subsections],
            "actions": [a.key for a in self.actions],
            "items": [t.to_dict() for t in self.items],
            "targets": [t.to_dict() for t in self.targets],
        }


@dataclass
class PlanDocument:
    title: str
    document_number: str
    issue_date: str  # ISO date or ""
    preamble: str
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)
    # short names mapped to the full name the same document uses ('区发改局' → '区发展和改革局')
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def actions(self) -> list[Action]:
        return [a for s in self.sections for a in s.actions]

    @property
    def tasks(self) -> list[Task]:
        """Every task: those under actions and the numbered items of other sections."""
        out: list[Task] = []
        for s in self.sections:
            for a in s.actions:
                out.extend(a.tasks)
            out.extend(s.items)
        return out

    @property
    def targets(self) -> list[Target]:
        out: list[Target] = []
        for s in self.sections:
            out.extend(s.targets)
            for a in s.actions:
                for t in a.tasks:
                    out.extend(t.targets)
            for t in s.items:
                out.extend(t.targets)
        return out

    def departments(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.tasks:
            for name in (*t.lead, *t.support, *t.implement):
                seen.setdefault(name, None)
        return list(seen)

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "document_number": self.document_number,
            "issue_date": self.issue_date,
            "preamble": self.preamble,
            "actions": [a.to_dict() for a in self.actions],
            "sections": [s.to_dict() for s in self.sections],
            "targets": [t.to_dict() for t in self.targets],
            "departments": self.departments(),
            "warnings": self.warnings,
            "aliases": self.aliases,
            "counts": {
                "sections": len(self.sections),
                "actions": len(self.actions),
                "tasks": sum(len(a.tasks) for a in self.actions),
                "items": sum(len(s.items) for s in self.sections),
                "all_tasks": len(self.tasks),
                "targets": len(self.targets),
                "dated_targets": sum(1 for t in self.targets if t.year is not None),
            },
        }
