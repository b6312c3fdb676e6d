"""Parse a Chinese policy plan (实施方案/行动方案) into its structure.

Pure module: no Django. The rules follow the drafting conventions of Chinese
government documents (GB/T 9704 numbering 一、 （一） 1. （1）, responsibility
clauses in full-width brackets, dated targets introduced by 到20XX年), never the
content of one particular plan, so that any plan written in these conventions
parses and anything else is reported instead of guessed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

__all__ = [
    "Clause",
    "PlanDocument",
    "PlanParseError",
    "Section",
    "Target",
    "Task",
    "Action",
    "classify_department",
    "chinese_numeral",
    "parse_clause",
    "parse_plan",
    "extract_targets",
    "read_plan_file",
    "guess_region",
    "plan_from_dict",
]


class PlanParseError(ValueError):
    """The text does not look like a plan written in the usual numbering conventions."""


# ---------------------------------------------------------------- data shapes

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

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "lead": self.lead,
            "support": self.support,
            "implement": self.implement,
            "clause": self.clause,
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


# ---------------------------------------------------------------- reading files


def read_plan_file(path: str) -> str:
    """Text of a plan file: UTF-8 or GB18030 text, or a .docx document."""
    if str(path).lower().endswith(".docx"):
        try:
            import docx  # python-docx
        except ImportError as exc:  # pragma: no cover - dependency is declared
            raise PlanParseError("读取 .docx 需要 python-docx") from exc
        try:
            document = docx.Document(path)
        except Exception as exc:  # python-docx raises several kinds
            raise PlanParseError(f"无法打开 Word 文档：{exc}") from exc
        return "\n".join(p.text for p in document.paragraphs)
    with open(path, "rb") as fh:
        raw = fh.read()
    return decode_plan_bytes(raw)


def decode_plan_bytes(raw: bytes) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise PlanParseError("这是一个 .docx（或其他压缩）文件，请使用 .docx 扩展名")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanParseError("无法识别文件编码：只支持 UTF-8 或 GB18030 文本，或 .docx 文档")


# ---------------------------------------------------------------- numbering

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_numeral(text: str) -> int:
    """Value of a Chinese numeral up to 九百九十九 (一, 十一, 二十三, 一百零五)."""
    if not text:
        raise ValueError("empty numeral")
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text}")
    return total + current


_CN = "一二三四五六七八九十百零〇两"
_RE_L1 = re.compile(rf"^([{_CN}]+)、\s*(.*)$")
_RE_L2 = re.compile(rf"^[（(]([{_CN}]+)[）)]\s*(.*)$")
_RE_L3 = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*(.*)$")
_RE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_RE_DOCNO = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（](\d{4})[〕\]］)）]\d+号")

_TRANSLATE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": "."})


def _normalise(text: str) -> str:
    """Unify line ends and spaces; full-width brackets stay, they carry meaning."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    return text


def _norm_numbers(text: str) -> str:
    return text.translate(_TRANSLATE)


def _split_heading(rest: str) -> tuple[str, str]:
    """A heading line is either a bare title or '标题。正文…'. Return (title, body)."""
    rest = rest.strip()
    m = re.search(r"[。！？]", rest)
    if m is None:
        return rest.rstrip("：:；;"), ""
    title = rest[: m.start()].strip()
    body = rest[m.end() :].strip()
    return title, body


# ---------------------------------------------------------------- departments

_CLAUSE_AT_END = re.compile(
    r"[（(]([^（）()]*(?:负责|牵头|落实|配合|职责分工|按职责)[^（）()]*)[）)]\s*[。；;]?\s*$"
)
_SUFFIX_PATTERNS = [
    r"等(?:有关|相关)?(?:部门|单位|部门和单位)?(?:要)?(?:按照|按)?(?:职责分工|职能分工|职责)?(?:负责|配合)?$",
    r"(?:要)?(?:按照|按)(?:职责分工|职能分工|职责)(?:负责|配合)?$",
    r"(?:分工)?负责$",
    r"(?:参与|配合)$",
]
_DEPT_SPLIT = re.compile(r"[、，,；;/]")


def _clean_department_list(text: str) -> list[str]:
    text = text.strip(" 。，,；;：:")
    for _ in range(3):
        for pattern in _SUFFIX_PATTERNS:
            text = re.sub(pattern, "", text).strip(" 。，,；;")
    text = re.sub(r"^(?:由|请)", "", text)
    names: list[str] = []
    for part in _DEPT_SPLIT.split(text):
        part = part.strip(" 　")
        part = re.sub(r"^(?:由|和|及)", "", part)
        part = re.sub(r"等(?:有关|相关)?(?:部门|单位)?$", "", part).strip()
        if part and part not in names:
            names.append(part)
    return names


_STANDING = re.compile(
    r"^(?:以下|下同|后续|此后)[^，。；]*?(?:均需|均由|都需|均要|全部由|均应)(.+?)(?:负责)?落实"
)


def parse_clause(text: str, first_is_lead: bool = True) -> Clause:
    """Split a responsibility clause into lead, supporting and implementing bodies.

    Bodies before 牵头 lead and the rest support. Without 牵头 the first body leads
    (``first_is_lead``), unless the document says its order carries no meaning, in
    which case every listed body shares the lead.
    """
    clause = Clause(text=text)
    body = text.strip().strip("（）()")
    parts = [p for p in re.split(r"[，,；;。]", body) if p.strip()]
    saw_lead_word = "牵头" in body
    listed: list[str] = []
    for part in parts:
        part = part.strip()
        if "不再列出" in part and not _STANDING.search(part):
            continue
        standing = _STANDING.search(part)
        if standing:
            clause.standing_implement.extend(_clean_department_list(standing.group(1)))
            continue
        if "牵头" in part:
            before, _, after = part.partition("牵头")
            clause.lead.extend(n for n in _clean_department_list(before) if n not in clause.lead)
            if after.strip():
                clause.support.extend(_clean_department_list(after))
            continue
        if part.endswith("落实") and "负责" not in part.replace("负责落实", ""):
            names = _clean_department_list(re.sub(r"(?:负责|具体|抓好)?落实$", "", part))
            clause.implement.extend(n for n in names if n not in clause.implement)
            continue
        names = _clean_department_list(part)
        if saw_lead_word:
            clause.support.extend(n for n in names if n not in clause.support and n not in clause.lead)
        else:
            listed.extend(n for n in names if n not in listed)
    if listed:
        if first_is_lead:
            clause.lead.append(listed[0])
            clause.support.extend(listed[1:])
        else:
            clause.lead.extend(listed)
    return clause


_DISTRICT_NAME = re.compile(r"(?:镇|乡|街道|区|县|开发区|园区|新城|管委会|度假区)$")
_ENTERPRISE_NAME = re.compile(r"(?:公司|集团|电厂|银行|企业)$")
_GOVERNMENT_NAME = re.compile(
    r"(?:局|委|办|厅|部|署|中心|办公室|委员会|政府|总局|集团部门|院|所|会|处|站|队|社)$"
)


def classify_department(name: str) -> str:
    """Best guess of a body's kind (市级部门 / 区镇 / 企业 / 其他); the coordinator can correct it."""
    if _ENTERPRISE_NAME.search(name):
        return "企业"
    if name.startswith("各") and _DISTRICT_NAME.search(name.replace("人民政府", "区")):
        return "区镇"
    if _DISTRICT_NAME.search(name) and not name.endswith(("委", "局")):
        return "区镇"
    if _GOVERNMENT_NAME.search(name):
        return "市级部门"
    return "其他"


# ---------------------------------------------------------------- targets

_UNITS = sorted(
    [
        "%",
        "个百分点",
        "百分点",
        "万吨标准煤",
        "吨标准煤",
        "万吨标煤",
        "吨标煤",
        "万吨二氧化碳",
        "亿立方米",
        "万立方米",
        "立方米",
        "亿千瓦时",
        "万千瓦时",
        "千瓦时",
        "亿千瓦",
        "万千瓦",
        "千瓦",
        "吉瓦",
        "兆瓦",
        "亿元",
        "万元",
        "元",
        "亿吨",
        "万吨",
        "吨",
        "千克",
        "公斤",
        "万平方米",
        "平方米",
        "平方公里",
        "万亩",
        "亩",
        "公顷",
        "公里",
        "千米",
        "米",
        "万辆",
        "辆",
        "万个",
        "个",
        "家",
        "项",
        "座",
        "条",
        "台",
        "套",
        "艘",
        "处",
        "所",
        "万人",
        "人",
        "名",
        "户",
        "件",
        "天",
        "小时",
        "分钟",
        "倍",
        "次",
        "批",
        "片",
        "类",
    ],
    key=len,
    reverse=True,
)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_NUM = r"\d+(?:\.\d+)?"
_VALUE = re.compile(
    rf"(?P<num>{_NUM})(?:\s*[-—~～至到]\s*(?P<num2>{_NUM}))?\s*(?P<unit>{_UNIT_RE})?"
    r"(?:[（(][^）)]{1,12}[）)])?"
    r"(?P<suffix>以上|以下|以内|左右)?"
)

# comparator words directly before a value, longest first within each group
_BEFORE = [
    (GE, "不低于|不少于|不小于|至少|达到或超过|大于等于"),
    (
        LE,
        "不高于|不超过|不大于|控制在|控制到|降低至|降低到|下降至|下降到|降至|减少到|减少至|压减到|压减至|小于等于",
    ),
    (GT, "超过|突破|高于|大于|超"),
    (LT, "低于|小于"),
    (DECREASE, "下降|降低|减少|压减|削减"),
    (INCREASE, "提高|提升|增长|增加"),
    (
        EQ,
        "提高到|提升到|提高至|提升至|增加到|增加至|增长到|增至|保持在|维持在|稳定在|力争达到|达到|保持|维持|占到|分别达到|达|占|为",
    ),
]
_BEFORE_RE = [(cmp, re.compile(rf"(?:{words})$")) for cmp, words in _BEFORE]
_COMMITMENTS = ("确保", "力争", "努力", "争取", "力求", "坚持")
_INDICATOR_SUFFIX = re.compile(
    r"(?:比重|比例|占比|覆盖率|利用率|保护率|分担率|回收率|达标率|率|强度|总量|消费量|排放量|消费|排放|能耗|消耗|"
    r"效率|面积|蓄积量|容量|规模|水平|指数|产值|增加值|装机|数量|量)$"
)
_DIRECTION = re.compile(
    r"^(?P<ind>.+?)(?P<mod>持续|稳步|逐步|不断|明显|显著|大幅|进一步|稳定|有效)?(?P<verb>提升|提高|增加|增长|上升|下降|降低|减少)$"
)
_PEAK = re.compile(
    r"(?:(?P<y>\d{4})年(?:前|以前|左右)?)?(?:实现|达到)?(?P<ind>[^，。]*?)(?:达到峰值|达峰)(?:目标)?$"
)
_EXTERNAL = re.compile(
    r"^(?P<ind>.*?)(?P<cm>确保|力争|努力)?(?:完成|达到|落实)(?P<issuer>[^，。]{1,16}?)(?:下达|确定|分解)的?[^，。]{0,12}?(?:指标|目标|任务)"
)
_YEAR_CONTEXT = [
    (re.compile(r"^(?:到|至|截至|截止到)?(\d{4})\s*年(?:底|末|前|年底)?(?:，|,|$)"), None),
    (re.compile(r"^(?:到|至)(\d{4})\s*年(?:底|末)?"), None),
    (re.compile(r"^[“\"]?十四五[”\"]?(?:期间|时期|末)"), 2025),
    (re.compile(r"^[“\"]?十五五[”\"]?(?:期间|时期|末)"), 2030),
    (re.compile(r"^[“\"]?十六五[”\"]?(?:期间|时期|末)"), 2035),
]
_VERB_FIRST = r"^(?:合理|控制|推动|推进|加快|加强|促进|实施|开展|深化|建立|健全|完善|严格|坚持|持续|大力|积极|有序|逐步|全面)"
_BASE_YEAR = re.compile(r"(?:比|较|相比|相较)(\d{4})年")
_LEADING_NOISE = re.compile(
    r"^(?:其中|同时|此外|另外|并|且|使|推动|实现|确保|力争|努力|争取|力求|全面|基本|将|要|应|的|，|、)+"
)
_QUALIFIER_TAIL = re.compile(r"^(?:的(?!比例|比重|标准|水平)|[\u4e00-\u9fff]*?的)")


def _strip_indicator(text: str) -> str:
    text = text.strip(' ，,、：:；;“”"')
    text = _BASE_YEAR.sub("", text)
    text = re.sub(r"^(?:到|至)?\d{4}年(?:底|末)?", "", text)
    for _ in range(3):
        text = _LEADING_NOISE.sub("", text).strip(" ，,、")
    text = re.sub(
        r"(?:确保|力争|努力|争取|力求|均|要|应|将|进一步|稳步|持续|逐步|总体|全部|基本)+$", "", text
    )
    text = re.sub(r"的(?:控制)?水平$", "", text)
    text = re.sub(r"(?:持续|逐步|稳步)?(?:降低|下降|提升|提高)?并$", "", text)
    text = re.sub(r"(?:年均|年)$", "", text)
    return text.strip(' ，,、：:；;“”"')


def _split_indicators(text: str) -> list[str]:
    """'A和B' or 'A、B' become two indicators only when each part is itself an indicator."""
    for sep in ("、", "和", "及"):
        parts = [p.strip() for p in text.split(sep)]
        if len(parts) > 1 and all(len(p) >= 3 and _INDICATOR_SUFFIX.search(p) for p in parts):
            return parts
    return [text]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[。；！？;])", text) if s.strip()]


def _clauses(sentence: str) -> list[str]:
    """Split on commas that are not inside brackets or quotes."""
    out, depth, buf = [], 0, []
    for ch in sentence:
        if ch in "（(“《":
            depth += 1
        elif ch in "）)”》" and depth:
            depth -= 1
        if ch in "，,。；;！？" and depth == 0:
            if buf:
                out.append("".join(buf))
            buf = []
            continue
        buf.append(ch)
    if buf:
        out.append("".join(buf))
    return [c.strip() for c in out if c.strip()]


def _year_of(clause: str) -> int | None:
    for pattern, fixed in _YEAR_CONTEXT:
        m = pattern.search(clause)
        if m:
            return fixed if fixed is not None else int(m.group(1))
    return None


def _commitment(clause: str, verb: str) -> str:
    for word in _COMMITMENTS:
        if word in clause:
            return word
    return verb


def _comparator_before(prefix: str) -> tuple[str | None, str, str]:
    """Comparator ending the prefix: (comparator, verb, prefix without it)."""
    best: tuple[str | None, str, str] = (None, "", prefix)
    for cmp, pattern in _BEFORE_RE:
        m = pattern.search(prefix)
        if m and len(m.group(0)) > len(best[1]):
            best = (cmp, m.group(0), prefix[: m.start()])
    return best


def _apply_suffix(cmp: str | None, suffix: str | None) -> str | None:
    if suffix == "以上":
        return {None: GE, EQ: GE, GT: GT, GE: GE}.get(cmp, cmp)
    if suffix in ("以下", "以内"):
        return {None: LE, EQ: LE, LE: LE, LT: LT}.get(cmp, cmp)
    return cmp


def _value_targets(clause: str, previous: str, year: int | None, sentence: str) -> list[Target]:
    """Quantitative targets in one clause."""
    text = _norm_numbers(clause)
    found: list[Target] = []
    last_end = 0
    for m in _VALUE.finditer(text):
        if m.group("unit") is None and not m.group("suffix"):
            # a bare number is a target only as a threshold (PUE 1.3以下) or a plain level
            pre = text[: m.start()]
            if not _comparator_before(pre)[0]:
                continue
        start, end = m.start(), m.end()
        # a number that is part of a year, a document number or a name is not a value
        if re.match(r"\s*(?:年|月|日|号|届|次会|期|号线|线|\+)", text[end:]) or (
            start and text[start - 1] in "〔[（(第—-+" and m.group("unit") is None
        ):
            continue
        if start and re.match(r"[A-Za-z0-9.]", text[start - 1]):
            continue
        rest = text[end:]
        prefix = text[last_end:start]
        cmp, verb, subject = _comparator_before(prefix)
        if cmp is None:
            # '不低于装机容量8%': a strict comparator followed by the quantity it refers to
            near = re.search(r"(不低于|不少于|不高于|不超过|低于|高于|超过)([\u4e00-\u9fff]{2,6})$", prefix)
            if near:
                cmp = {"不低于": GE, "不少于": GE, "不高于": LE, "不超过": LE, "低于": LT}.get(
                    near.group(1), GT
                )
                verb = near.group(1)
                subject = prefix[: near.start()]
        suffix = m.group("suffix")
        unit = m.group("unit") or ""
        # '2兆瓦以上的光伏项目', '使用20年以上的船舶': the number qualifies a noun, it is no target
        if rest and _QUALIFIER_TAIL.match(rest) and not re.match(r"^的(?:比例|比重)", rest):
            continue
        if rest and suffix in ("以上", "以下") and not rest.startswith(("的比例", "的比重")) and cmp is None:
            continue
        base = _BASE_YEAR.search(prefix)
        if cmp is None:
            if rest and unit == "%" and re.match(r"^[\u4e00-\u9fff]", rest) and not rest.startswith("的"):
                # '城镇新建建筑100%执行绿色建筑标准': a share expressed with a verb
                cmp = EQ
                subject = prefix + rest + "比例"
                rest = ""
            elif not rest and unit and unit != "%" and year is not None:
                cmp = EQ  # '新增超低能耗建筑项目2个'
            elif suffix:
                cmp = None
            else:
                continue
        cmp = _apply_suffix(cmp, suffix)
        if cmp is None:
            continue
        if rest:
            tail = re.sub(r"^的?(比例|比重)(.*)$", r"\2\1", rest)
            if tail != rest:
                subject = subject + tail
            elif not rest.startswith(("，", "、")) and cmp not in (INCREASE, DECREASE):
                # a value in the middle of a phrase is context, not a target
                continue
        subject = re.sub(r"^(?:按照|按|以)", "", subject)
        subject = re.sub(r"^(?:具备条件的|符合条件的|有条件的)", "", subject)
        subject = re.sub(r"^(?:应当|应|要|须|必须)", "", subject)
        indicator = _strip_indicator(subject)
        if indicator.startswith("占") and previous:
            # '…规模突破1000亿元，占地区生产总值比重达50%': the share belongs to the previous subject
            head = re.split(r"总量|规模|增加值|产值|总额|达到|突破|超过", _strip_indicator(previous))[0]
            indicator = head + indicator
        if verb in ("占", "占到") and not indicator.endswith(("比", "比重", "比例")):
            indicator += "占比"
        if len(indicator) < 2 and found:
            indicator = found[-1].indicator  # '提升至60%左右，2030年达到70%': same indicator
        if len(indicator) < 2 or indicator.startswith(("安装", "配建", "建设", "执行")):
            prev = _strip_indicator(re.sub(r"^(?:鼓励|推动|要求|支持|引导)", "", previous))
            indicator = (prev + indicator).strip()
        if len(indicator) < 2:
            continue
        last_end = end
        value = float(m.group("num"))
        value_max = float(m.group("num2")) if m.group("num2") else None
        if cmp in (INCREASE, DECREASE) and year is None and not base:
            # 'X提高5%' without a year or base is description, not a target
            continue
        found.append(
            Target(
                year=year,
                indicator=indicator,
                comparator=cmp,
                value=value,
                unit=unit,
                commitment=_commitment(clause, verb or ("达到" if cmp == EQ else "")),
                sentence=sentence,
                value_max=value_max,
                base_year=int(base.group(1)) if base else None,
            )
        )
    return found


def _split_respectively(subject: str, count: int) -> list[str] | None:
    subject = _strip_indicator(subject)
    head, _, tail = subject.partition("等")
    names = [p for p in re.split(r"、|和|及", head) if p]
    if len(names) != count:
        return None
    if not tail and len(names) == 2:
        # '乘用车和商用车新车二氧化碳排放强度': the shared noun ends the last name
        first, last = names
        if (
            len(first) <= 4 < len(last)
            and _INDICATOR_SUFFIX.search(last)
            and not _INDICATOR_SUFFIX.search(first)
        ):
            # parallel nouns of the same length share what follows the second one
            return [first + last[len(first) :], last]
    return [n + tail for n in names]


def extract_targets(text: str) -> list[Target]:
    """Every target stated in a piece of plan text, with the sentence it came from."""
    out: list[Target] = []
    for sentence in _sentences(text):
        clauses = _clauses(sentence)
        year: int | None = None
        previous = ""
        for clause in clauses:
            clause_year = _year_of(clause)
            if clause_year is not None:
                year = clause_year
                body = re.sub(r"^(?:到|至|截至)?\d{4}年(?:底|末)?[，,]?", "", clause)
                body = re.sub(r"^[“\"]?十[四五六]五[”\"]?(?:期间|时期|末)[，,]?", "", body)
            else:
                body = clause
            if not body:
                continue
            found = _targets_in_clause(body, previous, year, sentence)
            out.extend(found)
            # the next clause may continue the subject: the last target's indicator, else this clause
            previous = found[-1].indicator if found else body
    return _dedupe(out)


def _targets_in_clause(clause: str, previous: str, year: int | None, sentence: str) -> list[Target]:
    norm = _norm_numbers(clause)
    # targets set by a higher level
    m = _EXTERNAL.search(norm)
    if m and (m.group("ind") or previous):
        subject = _strip_indicator(m.group("ind")) or _strip_indicator(previous)
        issuer = m.group("issuer").strip()
        return [
            Target(
                year=year,
                indicator=ind,
                comparator=EXTERNAL,
                value=None,
                unit="",
                commitment=m.group("cm") or "完成",
                sentence=sentence,
                kind=KIND_EXTERNAL,
                issuer=issuer,
            )
            for ind in _split_indicators(subject)
            if ind
        ]
    # peak targets
    m = _PEAK.search(norm)
    if m:
        stated = re.search(r"(\d{4})年(?:前|以前|左右)", norm)
        peak_year = int(stated.group(1)) if stated else year
        explicit = stated or "达到峰值" in norm
        if peak_year is not None and explicit:
            indicator = _strip_indicator(re.sub(r"\d{4}年(?:前|以前)?", "", m.group("ind")))
            indicator = re.sub(r"^(?:于|在)", "", indicator)
            if not indicator or indicator.endswith("碳"):
                indicator = "二氧化碳排放"
            indicator = re.sub(r"(?:力争|确保|努力|争取)(?:于|在)?$", "", indicator)
            return [
                Target(
                    year=peak_year,
                    indicator=indicator,
                    comparator=PEAK,
                    value=None,
                    unit="",
                    commitment=_commitment(clause, "实现"),
                    sentence=sentence,
                    kind=KIND_PEAK,
                )
            ]
    # respectively: 'A、B、C等…分别达到x、y、z'
    if "分别" in norm:
        subject, _, after = norm.partition("分别")
        values = [v for v in _VALUE.finditer(after) if v.group("unit") or v.group("suffix")]
        names = _split_respectively(subject, len(values)) if len(values) > 1 else None
        if names:
            cmp = _comparator_before(after[: values[0].start()])[0] or EQ
            return [
                Target(
                    year=year,
                    indicator=name,
                    comparator=_apply_suffix(cmp, v.group("suffix")) or cmp,
                    value=float(v.group("num")),
                    unit=v.group("unit") or "",
                    commitment=_commitment(clause, "达到"),
                    sentence=sentence,
                )
                for name, v in zip(names, values, strict=True)
            ]
    found = _value_targets(clause, previous, year, sentence)
    if found:
        return found
    # zero targets: '原生生活垃圾全量焚烧零填埋'
    m = re.search(r"^(?P<ind>.{2,}?)零(?P<what>填埋|排放|增长|事故|新增|直排)$", norm)
    if m and year is not None:
        return [
            Target(
                year=year,
                indicator=_strip_indicator(m.group("ind")) + "零" + m.group("what"),
                comparator=EQ,
                value=0.0,
                unit="",
                commitment=_commitment(clause, "实现"),
                sentence=sentence,
            )
        ]
    # direction targets: '非化石能源消费比重、林木覆盖率持续提升'
    m = _DIRECTION.match(norm)
    if m and (m.group("mod") or year is not None) and not re.match(_VERB_FIRST, m.group("ind")):
        subject = _strip_indicator(m.group("ind"))
        inds = [i for i in _split_indicators(subject) if _INDICATOR_SUFFIX.search(i)]
        cmp = INCREASE if m.group("verb") in ("提升", "提高", "增加", "增长", "上升") else DECREASE
        return [
            Target(
                year=year,
                indicator=ind,
                comparator=cmp,
                value=None,
                unit="",
                commitment=_commitment(clause, (m.group("mod") or "") + m.group("verb")),
                sentence=sentence,
                kind=KIND_DIRECTION,
            )
            for ind in inds
            if not re.search(r"\d", ind)
        ]
    return []


def _dedupe(targets: list[Target]) -> list[Target]:
    seen: set[tuple] = set()
    out = []
    for t in targets:
        if t.kind == KIND_DATED and t.year is None:
            t.kind = KIND_RULE
        key = (t.year, t.indicator, t.comparator, t.value)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


# ---------------------------------------------------------------- structure


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
        if line and len(line) <= 40 and "。" not in line and not _RE_DATE.match(line) and "：" not in line
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
        for level, pattern in ((1, _RE_L1), (2, _RE_L2), (3, _RE_L3)):
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
        title, body = _split_heading(m.group(2))
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
        m = _CLAUSE_AT_END.search(line)
        if m:
            clause = m.group(1)
            line = line[: m.start()].rstrip()
        if line:
            kept.append(line)
    return clause, "\n".join(kept)


def parse_plan(text: str) -> PlanDocument:
    """Structure of a plan: sections, actions, tasks with their responsibilities, targets."""
    text = _normalise(text)
    lines = [line.strip() for line in text.split("\n")]
    if not any(lines):
        raise PlanParseError("文件为空")
    first_heading = next((i for i, line in enumerate(lines) if line and _RE_L1.match(line)), None)
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
            m = _RE_DOCNO.search(line)
            if m and "《" not in line:
                document_number = m.group(0)
        d = _RE_DATE.match(line)
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


# ---------------------------------------------------------------- region and round trip

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
        )
    except (KeyError, TypeError) as exc:
        raise PlanParseError(f"结构化方案数据不完整：缺少 {exc}") from exc
