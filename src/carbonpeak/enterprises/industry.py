"""An enterprise's industry: its GB/T 4754-2017 code (门类 letter + 大类 two digits, optionally 中类 and 小类) and
the sector of the city's energy account it belongs to (pure, no Django).

The 门类 of each 大类 is the standard's own structure (GB/T 4754-2017 国民经济行业分类); the accounting's sectors
are those of the statistics office's form (energy.catalog.SECTORS): the four industries the plan names by
name (电力, 造纸, 化纤, 有色) and 其他工业 for the rest of 采矿业, 制造业 and 电力、热力、燃气及水生产和供应业.
"""

from __future__ import annotations

import re

# 门类 by 大类 (two-digit division): GB/T 4754-2017
_SECTIONS = (
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
)
# 大类 the account names by name (energy.catalog): 44 电力、热力生产和供应业, 22 造纸和纸制品业, 28 化学纤维制造业,
# 32 有色金属冶炼和压延加工业
_NAMED_DIVISIONS = {
    44: "电力、热力生产和供应业",
    22: "造纸和纸制品业",
    28: "化学纤维制造业",
    32: "有色金属冶炼和压延加工业",
}
_BY_SECTION = {
    "A": "农林牧渔业",
    "B": "其他工业",
    "C": "其他工业",
    "D": "其他工业",
    "E": "建筑业",
    "F": "批发和零售业、住宿和餐饮业",
    "H": "批发和零售业、住宿和餐饮业",
    "G": "交通运输、仓储和邮政业",
}
_CODE = re.compile(r"^([A-T])?(\d{2})(\d{1,2})?$")


class IndustryCodeError(ValueError):
    """Why a code is no GB/T 4754 code, in Chinese."""


def parse_code(code: str) -> tuple[str, int, str]:
    """(门类 letter, 大类 number, the code written in full with its letter), e.g. 'C2221' from '2221'."""
    text = str(code or "").strip().upper()
    m = _CODE.match(text)
    if not m:
        raise IndustryCodeError(
            f"行业代码“{code}”应为 GB/T 4754 代码：门类字母加2至4位数字，如 C2221 或 2221"
        )
    division = int(m.group(2))
    section = next((letter for letter, lo, hi in _SECTIONS if lo <= division <= hi), None)
    if section is None:
        raise IndustryCodeError(f"行业代码“{code}”的大类“{m.group(2)}”不在 GB/T 4754-2017 中")
    if m.group(1) and m.group(1) != section:
        raise IndustryCodeError(f"行业代码“{code}”：大类 {m.group(2)} 属于门类 {section}，不是 {m.group(1)}")
    return section, division, section + text.lstrip("ABCDEFGHIJKLMNOPQRST")


def account_sector(code: str) -> str:
    """The sector of the city's energy account an industry code falls in."""
    section, division, _ = parse_code(code)
    return _NAMED_DIVISIONS.get(division) or _BY_SECTION.get(section, "其他行业")
