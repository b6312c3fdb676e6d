"""The quarterly report as plain data: sections of paragraphs, tables and figures (pure, no Django).

One ``Report`` feeds both writers: the .docx shows every table and figure, and the .xlsx export has one
sheet per table (with units and sources), so the export holds every number the report prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from carbonpeak.core.text import gettext_noop

SAMPLE_LABEL = "示例数据"

#: the words the writers print around the content, in the platform's language; a report made in another
#: language carries them translated (``Report.words``, filled by ``reports.collection``)
WORDS = {
    "sample": gettext_noop("示例数据"),
    "draft": gettext_noop("征求意见稿"),
    "final": gettext_noop("定稿"),
    "public": gettext_noop("·公开版"),
    "heading": gettext_noop("%(number)s、%(title)s"),
    "subheading": gettext_noop("（%(number)s）%(title)s"),
    "numerals": gettext_noop("一,二,三,四,五,六,七,八,九,十"),
    "figure": gettext_noop("图%(n)s　%(title)s"),
    "figure_note": gettext_noop("%(caption)s。%(note)s"),
    "source": gettext_noop("来源：%(source)s"),
    "notes": gettext_noop("%(note)s；%(source)s"),
    "period": gettext_noop("（%(period)s%(edition)s）"),
    "recipients": gettext_noop("%(recipients)s："),
    "sample_notice": gettext_noop(
        "本报告含示例数据（由有文档的脚本生成，非真实统计数据），仅供演示，不得对外引用。"
    ),
    "font_notice": gettext_noop(
        "注意：本机未安装中文字体，图表中的中文可能无法显示（请安装 fonts-noto-cjk）。"
    ),
    "data_version": gettext_noop("数据版本"),
    "pair": gettext_noop("%(key)s：%(value)s"),
    "generated_at": gettext_noop("生成时间"),
    "copy_to": gettext_noop("抄送：%(copy_to)s。"),
    "printed": gettext_noop("%(issuer)s\t%(date)s印发"),
    "about": gettext_noop("说明"),
    "report_period": gettext_noop("报告期"),
    "region": gettext_noop("地区"),
    "edition": gettext_noop("稿件"),
    "issuer": gettext_noop("发文机关"),
    "doc_number": gettext_noop("发文字号"),
    "recipients_label": gettext_noop("主送"),
    "note": gettext_noop("注意"),
    "sample_note": gettext_noop("含示例数据，仅供演示"),
    "version_of": gettext_noop("数据版本：%(key)s"),
    "sheet": gettext_noop("工作表"),
    "content": gettext_noop("内容"),
    "with_sample": gettext_noop("%(title)s（示例数据）"),
    # what a release of the quarter's figures says around them (``publication.snapshot``)
    "reviewed": gettext_noop("已审核"),
    "missing": gettext_noop("缺失"),
    "sample_input": gettext_noop("示例输入"),
    "on_sample_input": gettext_noop("依赖示例输入（发电标准煤耗或电网非化石电量占比），仅供演示"),
    "no_progress_due": gettext_noop("本季度无应报进展。"),
    "none_reviewed": gettext_noop("本季度应报进展%(due)s份，尚无已审核的进展。"),
    "progress_reviewed": gettext_noop("本季度应报进展%(due)s份，已审核%(reviewed)s份：%(states)s。"),
    "state_count": gettext_noop("%(state)s%(n)s项"),
    "list_separator": gettext_noop("，"),
    "full_stop": gettext_noop("。"),
    "grade:green": gettext_noop("基本顺利"),
    "grade:yellow": gettext_noop("比较严峻"),
    "grade:red": gettext_noop("十分严峻"),
}

#: the headline figures on 等价值: they need the year's 发电 coal rate (or the grid's non-fossil share)
EQUIVALENT_FIELDS = (
    "energy_tce_equivalent",
    "energy_tce_assessed",
    "energy_intensity_tce_per_10k_yuan",
    "non_fossil_share",
    "coal_share",
)


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
    row_keys: list[str] = field(default_factory=list)  # what each row is, whatever the language (if known)

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
    key: str = ""  # what the section is, whatever language its title is in (progress, warnings, quality)
    notes: list[str] = field(default_factory=list)  # of the paragraphs, the accounts' own notes


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
    words: dict[str, str] = field(default_factory=lambda: dict(WORDS))  # in the report's language

    def word(self, name: str, /, **values: object) -> str:
        """One of the writers' words (``WORDS``) in the report's language, with its values."""
        wording = self.words.get(name, WORDS[name])
        return wording % values if values else wording

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]


#: what the 公开版 keeps of each section: its counts, not who wrote what (a department's narrative, the tasks
#: a department has not reported) and not an enterprise's data (warnings on its readings, the quality annex)
_PUBLIC_COUNTS_ONLY = ("progress", "warnings")
_NOT_PUBLIC = ("quality",)


def public_edition(report: Report) -> Report:
    """The report as a release may show it to anyone: sections that name departments' narratives or
    enterprises keep only their counting sentence; the data-quality annex is left out."""
    sections = []
    for section in report.sections:
        if section.key in _NOT_PUBLIC:
            continue
        if section.key in _PUBLIC_COUNTS_ONLY:
            section = Section(section.title, section.paragraphs[:1], key=section.key)
        sections.append(section)
    return replace(report, sections=sections, public=True)
