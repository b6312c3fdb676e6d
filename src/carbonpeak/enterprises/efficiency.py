"""能耗产出效益评价 and carbon efficiency (pure, no Django): value added per tce and CO2 per value added for each
enterprise, graded against the other enterprises of its sector.

No public source fixes the grading for the city: the rule here is the platform's own (本平台规则) and says so
wherever it shows — within a sector of at least ``MIN_PEERS`` enterprises with both figures, rank by value
added per tce (best first) and cut into quarters: A (top quarter), B, C, D (bottom quarter); ties share the
better grade. An enterprise without value added or energy is 缺失, never graded as if it were zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbonpeak.core.text import Message, gettext_noop

MIN_PEERS = 3  # 本平台规则: fewer enterprises in a sector are not graded
GRADES = ("A", "B", "C", "D")
MISSING, UNGRADED = gettext_noop("缺失"), gettext_noop("未分级")  # kept as these names, shown translated
RULE = Message(
    gettext_noop(
        "本平台规则：同一核算行业内（至少%(least)s家企业有数据）按单位能耗增加值由高到低排序，"
        "前25%%为A类，25%%–50%%为B类，50%%–75%%为C类，其余为D类；并列者取较优等级"
    ),
    least=MIN_PEERS,
)


@dataclass(frozen=True)
class Figures:
    enterprise_id: int
    name: str
    sector: str
    value_added: float | None  # 万元
    energy_tce: float | None  # 当量值
    co2_t: float | None


@dataclass
class Graded:
    figures: Figures
    value_added_per_tce: float | None  # 万元/tce
    co2_per_value_added: float | None  # tCO2/万元
    grade: str  # A/B/C/D, 缺失 or 未分级
    rank: int | None  # 1 = best in its sector
    peers: int  # enterprises of the sector with both figures
    note: str = ""


def grade(rows: list[Figures]) -> list[Graded]:
    """Every enterprise with its ratios and its grade within its sector."""
    out: list[Graded] = []
    by_sector: dict[str, list[Graded]] = {}
    for f in rows:
        if not f.value_added or not f.energy_tce or f.value_added <= 0 or f.energy_tce <= 0:
            missing = Message.join(
                [
                    Message(n)
                    for n, v in (
                        (gettext_noop("增加值"), f.value_added),
                        (gettext_noop("能耗"), f.energy_tce),
                    )
                    if not v or v <= 0
                ],
                separator="、",
            )
            out.append(
                Graded(f, None, None, MISSING, None, 0, Message(gettext_noop("%(what)s未报"), what=missing))
            )
            continue
        g = Graded(
            f,
            f.value_added / f.energy_tce,
            (f.co2_t / f.value_added) if f.co2_t is not None else None,
            "",
            None,
            0,
        )
        by_sector.setdefault(f.sector, []).append(g)
        out.append(g)
    for peers in by_sector.values():
        peers.sort(key=lambda g: g.value_added_per_tce, reverse=True)
        n = len(peers)
        previous_value, previous_rank = None, 0
        for i, g in enumerate(peers):
            rank = previous_rank if g.value_added_per_tce == previous_value else i
            previous_value, previous_rank = g.value_added_per_tce, rank
            g.rank, g.peers = rank + 1, n
            if n < MIN_PEERS:
                g.grade = UNGRADED
                g.note = Message(gettext_noop("同行业有数据的企业不足%(least)s家"), least=MIN_PEERS)
            else:
                g.grade = GRADES[min(3, int(4 * rank / n))]
    return out
