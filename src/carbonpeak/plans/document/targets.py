"""Dated targets: 到20XX年 … 达到/下降/控制在 … with their comparator, value, unit and base year.

Pure: no Django (see the package docstring)."""

from __future__ import annotations

import re

from .numbering import ascii_digits
from .shapes import (
    DECREASE,
    EQ,
    EXTERNAL,
    GE,
    GT,
    INCREASE,
    KIND_DATED,
    KIND_DIRECTION,
    KIND_EXTERNAL,
    KIND_PEAK,
    KIND_RULE,
    LE,
    LT,
    PEAK,
    Target,
)

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
        "提高到|提升到|提高至|提升至|增加到|增加至|增长到|增长至|上升到|上升至|扩大到|扩大至|增至|保持在|维持在|稳定在|力争达到|达到|保持|维持|占到|分别达到|达|占|为",
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
#: a commitment word may come before the year: '力争到2027年，…', '争取到“十四五”末，…', '确保2030年前…'
_PLEDGE = r"(?:力争|争取|确保|努力|力求)?"
_YEAR_CONTEXT = [
    (
        re.compile(rf"^{_PLEDGE}(?:到|至|截至|截止到)?(\d{{4}})\s*年(?:底|末|之前|以前|前|年底)?(?:，|,|$)"),
        None,
    ),
    (re.compile(rf"^{_PLEDGE}(?:到|至)(\d{{4}})\s*年(?:底|末)?"), None),
    # '2025年底能效低于基准水平的产能全面退出', '2028年之前实现…'
    (re.compile(rf"^{_PLEDGE}(\d{{4}})\s*年(?:年)?(?:底|末|之前|以前)(?:前)?"), None),
    (re.compile(rf"^{_PLEDGE}(?:到|至)?[“\"]?十四五[”\"]?(?:期间|时期|末)"), 2025),
    (re.compile(rf"^{_PLEDGE}(?:到|至)?[“\"]?十五五[”\"]?(?:期间|时期|末)"), 2030),
    (re.compile(rf"^{_PLEDGE}(?:到|至)?[“\"]?十六五[”\"]?(?:期间|时期|末)"), 2035),
]
#: the year and its commitment word at a clause's start, taken off before its targets are read
_YEAR_HEAD = re.compile(
    rf"^{_PLEDGE}(?:(?:到|至|截至)?\d{{4}}年(?:底|末|之前|以前)?|(?:到|至)?[“\"]?十[四五六]五[”\"]?(?:期间|时期|末))[，,]?"
)
#: a value that is a subsidy, an award or a cap on either is policy, not a target: '单个项目最高补助300万元',
#: '给予20%的后补助', '奖励50万元'
_SUBSIDY = re.compile(r"补助|补贴|奖励|奖补|资助|贴息|扶持资金|最高")
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


def _value_targets(
    clause: str, previous: str, year: int | None, sentence: str, carried: str = ""
) -> list[Target]:
    """Quantitative targets in one clause; ``carried`` is the indicator of the text's last target, for a
    clause that leaves it out ('到2025年，X力争达到a；到2030年，力争达到b').
    (Long: one pattern per form of target sentence, tried in the order that settles overlaps.)"""
    text = ascii_digits(clause)
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
        if _SUBSIDY.search(text[:start]) or re.match(r"^的?(?:后)?(?:补助|补贴|奖励|奖补|资助)", rest):
            continue
        cmp, verb, subject = _comparator_before(prefix)
        share_of = ""
        if cmp is None and m.group("unit") == "%":
            # '装配式建筑面积达到新建建筑面积的30%': a share of another quantity
            share = re.search(r"(不低于|不少于|不超过|不高于|达到|占)([\u4e00-\u9fff]{2,12})的$", prefix)
            if share:
                cmp = {"不低于": GE, "不少于": GE, "不超过": LE, "不高于": LE}.get(share.group(1), EQ)
                verb, share_of = share.group(1), share.group(2)
                subject = prefix[: share.start()]
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
            elif unit and unit != "%" and year is not None and (not rest or rest.startswith("、")):
                cmp = EQ  # '新增超低能耗建筑项目2个', '建成充电站50座、新能源公交车1000辆'
                rest = ""
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
        if share_of:
            indicator = f"{indicator}占{share_of}比例"
        if indicator.startswith("占") and previous:
            # '…规模突破1000亿元，占地区生产总值比重达50%': the share belongs to the previous subject
            head = re.split(r"总量|规模|增加值|产值|总额|达到|突破|超过", _strip_indicator(previous))[0]
            indicator = head + indicator
        if verb in ("占", "占到") and not indicator.endswith(("比", "比重", "比例")):
            indicator += "占比"
        if len(indicator) < 2 and found:
            indicator = found[-1].indicator  # '提升至60%左右，2030年达到70%': same indicator
        if len(indicator) < 2 and not previous and carried:
            indicator = carried  # an elliptical clause in a new sentence continues the last indicator
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
    """Every target stated in a piece of plan text, with the sentence it came from. A year governs the
    sentences that follow it up to the paragraph's end or the next year ('到2026年，A达到…；B达到…。C控制在…'
    dates all three)."""
    out: list[Target] = []
    carried = ""
    # a paragraph ends at a line break after a sentence's end; a break inside a sentence is a wrapped line
    for paragraph in re.split(r"(?<=[。；！？;])[ \t]*\n", text):
        year: int | None = None
        for sentence in _sentences(paragraph):
            year, carried = _sentence_targets(sentence, year, carried, out)
    return _dedupe(out)


def _sentence_targets(
    sentence: str, year: int | None, carried: str, out: list[Target]
) -> tuple[int | None, str]:
    """The targets of one sentence, added to ``out``; returns the year in force after it and the indicator
    an elliptical clause would continue."""
    previous = ""
    for clause in _clauses(sentence):
        clause_year = _year_of(clause)
        if clause_year is not None:
            year = clause_year
            body = _YEAR_HEAD.sub("", clause, count=1)
        else:
            body = clause
        if not body:
            continue
        found = _targets_in_clause(body, previous, year, sentence, carried)
        out.extend(found)
        if found:
            carried = found[-1].indicator
        # the next clause may continue the subject: the last target's indicator, else this clause
        previous = found[-1].indicator if found else body
    return year, carried


def _targets_in_clause(
    clause: str, previous: str, year: int | None, sentence: str, carried: str = ""
) -> list[Target]:
    """(Long: one pattern per form of target sentence, tried in the order that settles overlaps.)"""
    norm = ascii_digits(clause)
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
    found = _value_targets(clause, previous, year, sentence, carried)
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


_SYMBOLS = {"≥": GE, "≤": LE, ">": GT, "<": LT, "＞": GT, "＜": LT, "⩾": GE, "⩽": LE}


def value_of(text: str) -> tuple[str | None, float, float | None, str] | None:
    """(comparator, value, upper value, unit) of a table cell ('≥13.5', '下降14%', '40以上', '1.3'); None
    when the cell holds no number."""
    norm = ascii_digits(text.strip())
    m = _VALUE.search(norm)
    if not m:
        return None
    prefix = norm[: m.start()].strip()
    cmp = _SYMBOLS.get(prefix[-1]) if prefix else None
    if cmp is None and prefix:
        cmp = _comparator_before(prefix)[0]
    cmp = _apply_suffix(cmp, m.group("suffix"))
    value_max = float(m.group("num2")) if m.group("num2") else None
    return cmp, float(m.group("num")), value_max, m.group("unit") or ""
