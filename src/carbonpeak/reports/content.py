"""The quarterly report as plain data: sections of paragraphs, tables and figures (pure, no Django).

One ``Report`` feeds both writers: the .docx shows every table and figure, and the .xlsx export has one
sheet per table (with units and sources), so the export holds every number the report prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

SAMPLE_LABEL = "示例数据"


@dataclass
class Column:
    title: str
    unit: str = ""  # shown in the header: 名称（单位）
    digits: int | None = None  # None: text; else the number of decimals printed in the report
    width: float = 1.0  # relative width of the column in the printed table

    @property
    def header(self) -> str:
        return f"{self.title}（{self.unit}）" if self.unit else self.title


@dataclass
class Table:
    key: str  # the Excel sheet name (≤ 31 characters)
    title: str
    columns: list[Column]
    rows: list[list]
    source: str = ""  # where the numbers come from (factor set, data version, …)
    note: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"表“{self.title}”的一行有 {len(row)} 列，应为 {len(self.columns)} 列")


@dataclass
class Figure:
    key: str
    title: str
    kind: str  # "trend" | "fan" | "grades" | "bars"
    data: dict
    caption: str = ""


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # a bulleted list after the paragraphs


@dataclass
class Report:
    title: str
    period_key: str
    period_label: str
    region: str
    generated_at: str
    sample: bool
    data_version: dict[str, str]  # what the report was made from, printed on its last page
    sections: list[Section]
    draft: bool = False  # a 征求意见稿 until the coordinator marks it final
    # the 公文's head and foot (GB/T 9704-2012): entered by the coordinator, or the platform's defaults
    issuer: str = ""  # 发文机关 (the red header, the signature, 印发机关)
    doc_number: str = ""  # 发文字号, e.g. 太发改〔2026〕3号; none printed when empty
    recipients: str = ""  # 主送机关
    copy_to: str = ""  # 抄送机关; no 抄送 line when empty
    issued_on: str = ""  # 成文日期 and 印发日期, e.g. 2026年1月20日
    public: bool = False  # the 公开版 a release carries (see ``public_edition``)

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]


#: what the 公开版 keeps of each section: its counts, not who wrote what (a department's narrative, the tasks
#: a department has not reported) and not an enterprise's data (warnings on its readings, the quality annex)
_PUBLIC_COUNTS_ONLY = ("任务推进情况", "预警情况")
_NOT_PUBLIC = ("附件：数据质量",)


def public_edition(report: Report) -> Report:
    """The report as a release may show it to anyone: sections that name departments' narratives or
    enterprises keep only their counting sentence; the data-quality annex is left out."""
    sections = []
    for section in report.sections:
        if section.title in _NOT_PUBLIC:
            continue
        if section.title in _PUBLIC_COUNTS_ONLY:
            section = Section(section.title, section.paragraphs[:1])
        sections.append(section)
    return replace(report, sections=sections, public=True)
