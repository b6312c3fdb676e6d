"""Responsibility clauses in the forms plans use, into lead, supporting and implementing bodies.

- （A牵头，B、C配合/参与）, （A、B等按职责分工负责）, （A负责）: the bodies before 牵头 lead, the rest support;
  without 牵头 the first listed leads (the usual convention), unless the document says otherwise;
- （牵头单位：A、B；责任单位/配合单位：C、D）: labelled lists; 责任单位 alone: its first body leads;
- districts and towns (各区人民政府, 各市相关主管部门, XX镇) implement: they are where the work is done, not who
  answers for it, unless they are all the clause names;
- a document's own conventions (``Conventions``): the order of units carries no meaning, or the first listed
  leads (one per jurisdiction in a joint plan), or a body that implements every later task.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .shapes import Clause

_LABELS = (
    r"牵头单位|牵头部门|主要责任单位|责任单位|责任部门|主责单位|配合单位|配合部门|参与单位|参与部门|"
    r"协同单位|协办单位|实施单位|实施主体|责任主体"
)
_CLAUSE_WORDS = re.compile(rf"负责|牵头|落实|配合|职责分工|按职责|{_LABELS}")
_OPEN, _CLOSE = "（(〔［[", "）)〕］]"
_LABEL = re.compile(rf"({_LABELS})\s*[：:]")
# a labelled clause inside a paragraph, before the next sentence: '…。（责任单位：A）完善…'
_CLAUSE_INSIDE = re.compile(
    rf"[（(〔［]((?:{_LABELS})\s*[：:][^（）()〔〕［］]*(?:〔[^〔〕]*〕[^（）()〔〕［］]*)*)[）)〕］]"
)
_SUFFIX_PATTERNS = [
    r"等(?:市级|省级|区级|县级|各级)?(?:有关|相关)?(?:部门|单位|部门和单位)?(?:要)?(?:按照|按)?(?:职责分工|职能分工|职责)?(?:负责|配合)?$",
    r"(?:要)?(?:按照|按)(?:职责分工|职能分工|职责)(?:负责|配合)?$",
    r"(?:分工)?负责$",
    r"(?:参与|配合|协同|协助)$",
]


def _bracket_group_at_end(line: str) -> tuple[int, int] | None:
    """(start, end) of the balanced bracket group that ends the line (before a final 。 or ；)."""
    end = len(line.rstrip(" 。；;"))
    if not end or line[end - 1] not in _CLOSE:
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        if line[i] in _CLOSE:
            depth += 1
        elif line[i] in _OPEN:
            depth -= 1
            if depth == 0:
                return i, end
    return None


def clause_at_end(line: str) -> tuple[str, str] | None:
    """(clause, text before it) when the line ends with a bracketed responsibility clause."""
    group = _bracket_group_at_end(line)
    if group is None:
        return None
    start, end = group
    inner = line[start + 1 : end - 1]
    if not _CLAUSE_WORDS.search(inner) or len(inner) > 300:
        return None
    return inner, line[:start].rstrip()


def clauses_inside(text: str) -> list[str]:
    """Labelled clauses inside a paragraph ('…。（责任单位：A）完善…。（责任单位：B）')."""
    return [m.group(1) for m in _CLAUSE_INSIDE.finditer(text)]


@dataclass
class Conventions:
    """What a document says about its own clauses."""

    first_is_lead: bool = True  # False: '排名不分先后', every listed body shares the lead
    per_jurisdiction: bool = False  # joint plan: the first listed body of each jurisdiction leads
    labelled_lead_first_only: bool = False  # '牵头单位' lists several, the first of them leads
    before_comma_leads: bool = False  # '逗号前为牵头单位': every body before the first comma leads


_ORDER_FREE = re.compile(r"(?:排名|排序|顺序)不分先后|不分先后")
_FIRST_LEADS = re.compile(
    r"(?:排在|排|列在|列)(?:第一位|首位|第一个|最前|第一)[^。；\n]{0,12}?(?:为|是|作为)[^。；\n]{0,4}?牵头"
    r"|第一责任单位为牵头|首个(?:单位|部门)为牵头"
)
_BEFORE_COMMA_LEADS = re.compile(r"逗号前(?:的|面的)?(?:单位|部门)?(?:为|是)牵头")
#: the words of a stated rule inside a clause, and 下同: they set the convention and are never a body's name
_RULE_WORDS = re.compile(
    r"[^，,；;、（）()]{0,8}?(?:排在|排|列在|列)(?:第一位|首位|第一个|最前|第一)的?(?:单位|部门)?"
    r"(?:为|是|作为)(?:牵头|主要责任)(?:单位|部门)?"
    r"|(?:第一责任单位|首个(?:单位|部门))为牵头(?:单位|部门)?"
    r"|逗号前(?:的|面的)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)?"
    r"|(?:排名|排序|顺序)?不分先后"
    r"|下同"
)


def without_rule_words(text: str) -> str:
    """A clause without the rule it states ('排在第一为牵头单位，下同'), so that no rule word is read as a
    body; '' when the clause is only a rule."""
    kept = _RULE_WORDS.sub("", text)
    kept = re.sub(r"[，,；;、]\s*(?=[，,；;）)]|$)", "", kept)
    kept = re.sub(r"^[（(]\s*[，,；;、]", "（", kept)
    return kept.strip(" ，,；;、")


def is_rule_only(text: str) -> bool:
    """A bracket that only states a rule ('（排在第一为牵头单位，下同）'): no clause of its own."""
    return bool(_RULE_WORDS.search(text)) and not without_rule_words(text).strip("（）() ")


_PER_JURISDICTION = re.compile(r"(?:两地|各地|双方|两市|两省|分别)[^。；\n]{0,20}?(?:排在|列在|第一|首位)")


def read_conventions(text: str) -> tuple[Conventions, list[str]]:
    """The document's conventions on who leads, and a note for each one found."""
    conventions, notes = Conventions(), []
    if _ORDER_FREE.search(text):
        conventions.first_is_lead = False
        notes.append("文件注明部门排名不分先后：未标“牵头”的条款中，所列部门均记为牵头")
    first = _FIRST_LEADS.search(text)
    if first:
        conventions.first_is_lead = True
        conventions.labelled_lead_first_only = True
        window = text[max(0, first.start() - 30) : first.end() + 10]
        if _PER_JURISDICTION.search(window):
            conventions.per_jurisdiction = True
            notes.append("文件注明各地排在第一位的单位为牵头单位：按地区分别取第一个单位为牵头")
        else:
            notes.append("文件注明排在第一位的单位为牵头单位：已按此约定确定牵头")
    if _BEFORE_COMMA_LEADS.search(text):
        conventions.before_comma_leads = True
        notes.append("文件注明逗号前为牵头单位：逗号前所列单位均记为牵头，其后为配合")
    return conventions, notes


def _clean_department_list(text: str) -> list[str]:
    text = text.strip(" 。，,；;：:")
    for _ in range(3):
        for pattern in _SUFFIX_PATTERNS:
            text = re.sub(pattern, "", text).strip(" 。，,；;")
    text = re.sub(r"^(?:由|请)", "", text)
    names: list[str] = []
    # a bracket inside a name ('各省直管县〔市〕政府') is part of it: split outside brackets only
    for part in _split_outside_brackets(text, "、，,；;/"):
        part = part.strip(" 　")
        part = re.sub(r"^(?:由|和|及|以及)", "", part)
        part = re.sub(r"等(?:市级|省级|区级|县级|各级)?(?:有关|相关)?(?:部门|单位)?$", "", part).strip()
        part = re.sub(r"(?:负责|具体|抓好)落实$", "", part).strip()  # '各市人民政府负责落实'：implements
        if part and part not in names:
            names.append(part)
    return names


#: joint responsibility: bodies that answer each for its own duties, none named to lead
_JOINT = re.compile(r"(?:按照|按)(?:职责分工|职能分工|职责)(?:负责|落实)|分工负责")

_STANDING_ANY = re.compile(
    r"(?:以下|下同|后续|此后)[^，。；〈〉（）]*?(?:均需|均由|都需|均要|全部由|均应)([^，。；〈〉（）]+?)(?:负责)?落实[^。；〈〉）]*"
)
_STANDING = re.compile(
    r"^(?:以下|下同|后续|此后)[^，。；]*?(?:均需|均由|都需|均要|全部由|均应)(.+?)(?:负责)?落实"
)


def is_jurisdiction(name: str) -> bool:
    """A district, town or lower government ('各区人民政府', '各市相关主管部门', '浏河镇')."""
    if name.startswith("各") and re.search(
        r"^各(?:区|县|市|镇|乡|街道|地|省辖市|区县|区镇|开发区|园区|板块)", name
    ):
        return True
    return classify_department(name) == "区镇"


def _jurisdiction_of(name: str) -> str:
    m = re.match(r"^([\u4e00-\u9fff]{2,8}?(?:省|市|区|县))", name)
    return m.group(1) if m else ""


def _assign_listed(clause: Clause, listed: list[str], conventions: Conventions, lead_label: bool) -> None:
    """Bodies listed without 牵头: by convention the first leads (per jurisdiction when the plan says so)."""
    central = [n for n in listed if not is_jurisdiction(n)]
    local = [n for n in listed if is_jurisdiction(n)]
    if not central and not lead_label:
        central, local = local, []  # only districts named: they answer for the work themselves
    for name in local:
        if name not in clause.implement:
            clause.implement.append(name)
    if lead_label:
        # bodies listed after a 牵头单位 label support
        clause.support.extend(n for n in central if n not in clause.support and n not in clause.lead)
        return
    if not conventions.first_is_lead:
        clause.lead.extend(n for n in central if n not in clause.lead)
        return
    if conventions.per_jurisdiction:
        seen: set[str] = set()
        for name in central:
            place = _jurisdiction_of(name)
            if place not in seen:
                seen.add(place)
                clause.lead.append(name)
            else:
                clause.support.append(name)
        return
    clause.lead.append(central[0])
    clause.support.extend(n for n in central[1:] if n not in clause.support)


def parse_clause(text: str, first_is_lead: bool = True, conventions: Conventions | None = None) -> Clause:
    """Split a responsibility clause into lead, supporting and implementing bodies."""
    conventions = conventions or Conventions(first_is_lead=first_is_lead)
    clause = Clause(text=text)
    body = text.strip().strip("（）()〔〕［］[]")
    # a standing rule anywhere in the clause, even inside a note ('各区人民政府〈…以下工作任务均需各区人民政府落实，
    # 不再列出〉'), then the notes themselves, which qualify a name and are no names
    for m in _STANDING_ANY.finditer(body):
        clause.standing_implement.extend(
            n for n in _clean_department_list(m.group(1)) if n not in clause.standing_implement
        )
    body = _STANDING_ANY.sub("", body)
    body = re.sub(r"[〈<][^〈〉<>]*[〉>]", "", body)
    body = re.sub(r"[，,]?\s*不再列出", "", body)
    body = without_rule_words(body)
    clause.implement.extend(clause.standing_implement)
    if _LABEL.search(body):
        _parse_labelled(body, clause, conventions)
        return clause
    parts = _top_level_parts(body)
    saw_lead_word = "牵头" in body
    if conventions.before_comma_leads and not saw_lead_word and len(parts) > 1:
        # '甲局、乙局，丙委、丁办（逗号前为牵头单位）': the bodies before the first comma lead
        first = _clean_department_list(parts[0])
        clause.lead.extend(n for n in first if not is_jurisdiction(n))
        clause.implement.extend(n for n in first if is_jurisdiction(n))
        saw_lead_word, parts = True, parts[1:]
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
            for n in names:
                target = clause.implement if is_jurisdiction(n) else clause.support
                if n not in target and n not in clause.lead:
                    target.append(n)
        else:
            listed.extend(n for n in names if n not in listed)
    if (
        listed
        and _JOINT.search(body)
        and not conventions.labelled_lead_first_only
        and conventions.first_is_lead
    ):
        # 'A、B、C等按职责分工负责' names no lead: the first listed leads for now (本平台规则), the clause is
        # marked joint so that the coordinator confirms or changes it
        clause.joint = len([n for n in listed if not is_jurisdiction(n)]) > 1
    if listed:
        _assign_listed(clause, listed, conventions, lead_label=False)
    return clause


def _top_level_parts(body: str) -> list[str]:
    """Split on commas and semicolons outside brackets ('各省直管县〔市〕政府' stays whole)."""
    return [p for p in _split_outside_brackets(body, "，,；;。") if p.strip()]


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    parts, depth, buf = [], 0, []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if depth == 0 and ch in separators:
            parts.append("".join(buf))
            buf = []
            continue
        buf.append(ch)
    parts.append("".join(buf))
    return parts


def _parse_labelled(body: str, clause: Clause, conventions: Conventions) -> None:
    """（牵头单位：A、B；责任单位：C，各区人民政府） — labelled lists."""
    pieces = _LABEL.split(body)
    # pieces: [before, label1, text1, label2, text2, ...]
    has_lead_label = any(p in ("牵头单位", "牵头部门") for p in pieces[1::2])
    for label, names_text in zip(pieces[1::2], pieces[2::2], strict=True):
        names = _clean_department_list(names_text)
        if label in ("牵头单位", "牵头部门", "主要责任单位", "主责单位"):
            local = [n for n in names if is_jurisdiction(n)]
            central = [n for n in names if n not in local] or local
            if conventions.labelled_lead_first_only and len(central) > 1 and not conventions.per_jurisdiction:
                clause.lead.extend(n for n in central[:1] if n not in clause.lead)
                clause.support.extend(n for n in central[1:] if n not in clause.support)
            else:
                clause.lead.extend(n for n in central if n not in clause.lead)
            clause.implement.extend(n for n in local if n not in clause.implement and n not in central)
        elif label in ("实施单位", "实施主体", "责任主体"):
            clause.implement.extend(n for n in names if n not in clause.implement)
        elif label in ("责任单位", "责任部门") and not has_lead_label:
            _assign_listed(clause, names, conventions, lead_label=False)
        else:
            _assign_listed(clause, names, conventions, lead_label=True)


_DISTRICT_NAME = re.compile(r"(?:镇|乡|街道|区|县|开发区|园区|新城|管委会|度假区)$")
_ENTERPRISE_NAME = re.compile(r"(?:公司|集团|电厂|银行|企业|交易所)$")
_GOVERNMENT_NAME = re.compile(
    r"(?:局|委|办|厅|部|署|中心|办公室|委员会|政府|总局|集团部门|院|所|会|处|站|队|社|支行|分行)$"
)


def classify_department(name: str) -> str:
    """Best guess of a body's kind (市级部门 / 区镇 / 企业 / 其他); the coordinator can correct it."""
    if _ENTERPRISE_NAME.search(name):
        return "企业"
    if name.startswith("各") and _DISTRICT_NAME.search(name.replace("人民政府", "区").replace("政府", "区")):
        return "区镇"
    if _DISTRICT_NAME.search(name) and not name.endswith(("委", "局")):
        return "区镇"
    if re.search(r"(?:区|县|镇|乡|街道)(?:人民)?政府$", name) or re.match(
        r"^各.*(?:主管部门|有关部门)$", name
    ):
        return "区镇"
    if _GOVERNMENT_NAME.search(name):
        return "市级部门"
    return "其他"


# a trailing sentence without brackets: '由市发展改革委牵头，各区配合。' / '市发展改革委、市统计局负责。'
_TRAILING = re.compile(
    r"(?:^|[。；])\s*((?:由)?[\u4e00-\u9fff、，,〔〕]{2,80}?(?:牵头|按职责分工负责|分工负责|负责落实|负责)"
    r"(?:[，,][\u4e00-\u9fff、]{2,60}?(?:配合|参与|负责|落实))?)\s*[。；]?\s*$"
)


def trailing_clause(text: str) -> tuple[str, str]:
    """A responsibility sentence ending a paragraph without brackets; ('', text) when there is none."""
    m = _TRAILING.search(text)
    if not m:
        return "", text
    candidate = m.group(1)
    names = _clean_department_list(re.sub(r"(?:牵头|负责落实|负责|配合|参与|落实)", "、", candidate))
    # every named body must look like one: a sentence such as '企业要切实负责' is no clause
    if not names or any(classify_department(n) == "其他" and not is_jurisdiction(n) for n in names):
        return "", text
    return candidate, text[: m.start(1)].rstrip()
