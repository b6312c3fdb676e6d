"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character (pure, no Django).

Layout: 登记管理部门码 (1) · 机构类别码 (1) · 登记管理机关行政区划码 (6) · 主体标识码 (9) · 校验码 (1). The characters
are the digits and the capital letters without I, O, S, V and Z (31 in all); the check character is
31 − (Σ value × 3^i mod 31) mod 31 over the first 17, with 31 written as 0.
"""

from __future__ import annotations

import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = tuple(
    pow(3, i, 31) for i in range(17)
)  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
_SHAPE = re.compile(rf"^[{CHARSET}]{{18}}$")


class CreditCodeError(ValueError):
    """Why a code is no valid 统一社会信用代码, in Chinese."""


def check_character(first17: str) -> str:
    """The check character for the first 17 characters."""
    total = sum(VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Upper case, full-width characters and spaces taken out (as codes are typed or pasted)."""
    code = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in str(code or ""))
    return re.sub(r"\s+", "", code).upper()


def validate(code: str) -> str:
    """The code, normalised, or ``CreditCodeError`` saying what is wrong with it."""
    code = normalise(code)
    if len(code) != 18:
        raise CreditCodeError(f"统一社会信用代码应为18位，“{code}”为{len(code)}位")
    if not _SHAPE.match(code):
        bad = "".join(sorted({c for c in code if c not in CHARSET}))
        raise CreditCodeError(f"统一社会信用代码不能含有字符“{bad}”（不用 I、O、S、V、Z）")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(f"统一社会信用代码“{code}”校验码不符：末位应为“{expected}”（GB 32100）")
    return code
