"""Reporting periods: a quarter, a year-to-date run of quarters, or a whole year (pure, no Django).

Energy statistics, progress reports, grading, reports and the projection all speak of periods; this is the
one definition they share.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from carbonpeak.core.text import Message, gettext_noop


class InvalidPeriod(ValueError):
    """A period written in a form no one reports in; the message shows the forms that are accepted."""


#: the names of the periods of several quarters (the quarters and the whole year have their own)
RANGES = {
    (1, 2): gettext_noop("%(year)s年1–6月"),
    (1, 3): gettext_noop("%(year)s年1–9月"),
    (2, 3): gettext_noop("%(year)s年4–9月"),
    (2, 4): gettext_noop("%(year)s年4–12月"),
    (3, 4): gettext_noop("%(year)s年7–12月"),
}


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: one quarter, a year-to-date run of quarters, or a whole year."""

    year: int
    first: int = 1
    last: int = 4

    @property
    def key(self) -> str:
        if (self.first, self.last) == (1, 4):
            return str(self.year)
        if self.first == self.last:
            return f"{self.year}Q{self.last}"
        return f"{self.year}Q{self.first}-Q{self.last}"

    @property
    def label(self) -> str:
        """The period as a person names it (2025年第3季度), said in each reader's language where shown."""
        if (self.first, self.last) == (1, 4):
            return Message(gettext_noop("%(year)s年全年"), year=self.year)
        if self.first == self.last:
            return Message(gettext_noop("%(year)s年第%(quarter)s季度"), year=self.year, quarter=self.last)
        return Message(RANGES[(self.first, self.last)], year=self.year)

    @property
    def start_date(self) -> dt.date:
        return dt.date(self.year, self.first * 3 - 2, 1)

    @property
    def end_date(self) -> dt.date:
        month = self.last * 3
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def is_quarter(self) -> bool:
        return self.first == self.last

    @property
    def is_cumulative(self) -> bool:
        """Year-to-date from January (1–3月, 1–6月, 1–9月, 全年)."""
        return self.first == 1

    def shifted(self, years: int) -> Period:
        return Period(self.year + years, self.first, self.last)

    def previous_quarter(self) -> Period | None:
        """The quarter before a single quarter (2025Q1 → 2024Q4); None for a run of quarters."""
        if not self.is_quarter:
            return None
        if self.last == 1:
            return Period(self.year - 1, 4, 4)
        return Period(self.year, self.last - 1, self.last - 1)

    def __str__(self) -> str:
        return self.key


_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _clean(text: str) -> str:
    return str(text).strip().replace("\u3000", "").replace(" ", "")


def parse_period(text: str) -> Period:
    """2025Q3, 2025Q1-Q3, 2025, 2025年第三季度, 2025年1-9月, 2025年全年 → a Period."""
    s = _clean(text).upper().replace("–", "-").replace("—", "-").replace("~", "-")
    if m := re.fullmatch(r"(\d{4})年?", s):
        return Period(int(m.group(1)))
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", s):
        return Period(int(m.group(1)), int(m.group(2)), int(m.group(2)))
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])-Q?([1-4])", s):
        first, last = int(m.group(2)), int(m.group(3))
        if first <= last:
            return Period(int(m.group(1)), first, last)
    if m := re.fullmatch(r"(\d{4})年第?([一二三四1-4])季度", s):
        q = _CN_DIGIT[m.group(2)]
        return Period(int(m.group(1)), q, q)
    if m := re.fullmatch(r"(\d{4})年1-(3|6|9|12)月", s):
        return Period(int(m.group(1)), 1, int(m.group(2)) // 3)
    if m := re.fullmatch(r"(\d{4})年全年", s):
        return Period(int(m.group(1)))
    raise InvalidPeriod(
        f"无法识别的报告期“{text}”；示例：2025Q3（第3季度）、2025Q1-Q3（1–9月）、2025（全年）"
    )
