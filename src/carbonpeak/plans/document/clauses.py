"""Responsibility clauses: （A牵头，B、C等部门按职责分工负责） into lead, supporting and implementing bodies.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import re

from .shapes import Clause

CLAUSE_AT_END = re.compile(
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
