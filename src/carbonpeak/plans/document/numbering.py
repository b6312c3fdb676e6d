"""GB/T 9704 heading numbers (一、 （一） 1.), Chinese numerals, and the text normalisation every step shares.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import re

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
_CN_SMALL = "零一二三四五六七八九"


def to_chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 25 → 二十五 (as headings number, up to 99)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_SMALL[tens] + "十")
    return head + (_CN_SMALL[ones] if ones else "")


HEADING_L1 = re.compile(rf"^([{_CN}]+)、\s*(.*)$")
HEADING_L2 = re.compile(rf"^[（(]([{_CN}]+)[）)]\s*(.*)$")
HEADING_L3 = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*(.*)$")
HEADING_L4 = re.compile(r"^[（(](\d{1,2})[）)]\s*(.*)$")
ISSUE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（](\d{4})[〕\]］)）]\d+号")

_FULLWIDTH_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}
_TRANSLATE = str.maketrans({**_FULLWIDTH_DIGITS, "％": "%", "．": "."})


_FULLWIDTH = str.maketrans({**_FULLWIDTH_DIGITS, "％": "%"})  # '．' stays: '1．' numbers a heading as written
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》、。，；：？！（）〔〕【】"
# spaces between Chinese and a number or Latin letters; a space between two Chinese names stays
# ('中共某市委 某市人民政府' are two issuers)
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[0-9A-Za-z%.])|(?<=[0-9A-Za-z%.])[ \t]+(?=[{_CJK}])")


def squeeze_spaces(text: str) -> str:
    """Drop the spaces a PDF or a typist puts between Chinese and digits ('到 2025 年' → '到2025年')."""
    return _SPACE_BY_CJK.sub("", text)


def normalise_text(text: str) -> str:
    """Unify line ends, spaces and full-width digits (２０３０年, １３％); full-width brackets stay, they carry
    meaning."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    text = text.replace("\ufeff", "").replace("\u200b", "")
    return "\n".join(squeeze_spaces(line.strip()) for line in text.translate(_FULLWIDTH).split("\n"))


def ascii_digits(text: str) -> str:
    return text.translate(_TRANSLATE)


def split_heading(rest: str) -> tuple[str, str]:
    """A heading line is either a bare title or '标题。正文…'. Return (title, body)."""
    rest = rest.strip()
    m = re.search(r"[。！？]", rest)
    if m is None:
        return rest.rstrip("：:；;"), ""
    title = rest[: m.start()].strip()
    body = rest[m.end() :].strip()
    return title, body
