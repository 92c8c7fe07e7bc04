"""Whether a quote supports what a row states: a number in any written form, a name,
and a date no more precise than the words (or the source's own date) allow.

A quote writes a figure as 842, 1,755, 八百四十二, 8.42万, 4.86万亿, 7.62万平方公里,
44,200, 3.2 trillion, one-eighth or 1/7; ``numbers_stated`` reads every such form, so
a row's plain value can be compared with the words it cites.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation

from g60kg.text.normalize import clean_text, name_key
from g60kg.text.numbers import parse_chinese_number

__all__ = ["ANAPHORA", "numbers_stated", "states_number", "names_in", "date_support"]

_CONTEXT = Context(prec=40)
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_SCALE_CN = {"亿亿": Decimal(10) ** 16, "万亿": Decimal(10) ** 12, "千亿": Decimal(10) ** 11, "百亿": Decimal(10) ** 10,
             "十亿": Decimal(10) ** 9, "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
             "十万": Decimal(10) ** 5, "万": Decimal(10) ** 4, "千": Decimal(10) ** 3}
_SCALE_EN = {"thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
             "trillion": Decimal(10) ** 12}
_ARABIC = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(亿亿|万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千|"
                     r"thousand|million|billion|trillion)?", re.IGNORECASE)
_CHINESE = re.compile(f"[{_CN_DIGITS}]+")
_FRACTION = re.compile(r"(?<![\d.])(\d+)\s*/\s*(\d+)(?![\d/])")
_CN_FRACTION = re.compile(f"([{_CN_DIGITS}]+)分之([{_CN_DIGITS}]+)")
_ORDINALS_EN = {"half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
                "fifteenth": 15, "sixteenth": 16, "15th": 15}
_EN_FRACTION = re.compile(r"\b(?:one|a)[-\s]+(" + "|".join(_ORDINALS_EN) + r")s?\b", re.IGNORECASE)
_FIRST = re.compile(r"首|第一|最大|最高|最先|率先|\bfirst\b|\blargest\b", re.IGNORECASE)


def _chinese_value(text: str) -> Decimal | None:
    try:
        return parse_chinese_number(text)
    except (ValueError, InvalidOperation):
        return None


def numbers_stated(text: str) -> set[Decimal]:
    """Every number ``text`` writes, scales applied, in each reading it allows
    (fractions also as percentages, rounded to two places).

    >>> {Decimal(842), Decimal(45000000000)} <= numbers_stated("人工智能企业842家,总投资超450亿元")
    True
    >>> Decimal(8420) in numbers_stated("约8.42千家"), Decimal(842) in numbers_stated("八百四十二家")
    (True, True)
    >>> Decimal("12.5") in numbers_stated("approximately one-eighth of the national count")
    True
    >>> Decimal("3200000000000") in numbers_stated("more than 3.2 trillion yuan")
    True
    """
    text = clean_text(text)
    found: set[Decimal] = set()
    for m in _ARABIC.finditer(text):
        base = Decimal(m[1].replace(",", "") + (m[2] or ""))
        found.add(base)
        if m[3]:
            scale = _SCALE_CN.get(m[3]) or _SCALE_EN[m[3].lower()]
            found.add(_CONTEXT.multiply(base, scale))
    for m in _CHINESE.finditer(text):
        run = m[0]
        for start in range(len(run)):  # 第三 -> 三, 三十二万 -> 三十二万, 二万 ...
            value = _chinese_value(run[start:])
            if value is not None:
                found.add(value)
    fractions = [(Decimal(a), Decimal(b)) for a, b in _FRACTION.findall(text)]
    fractions += [(v, w) for b, a in _CN_FRACTION.findall(text)
                  if (v := _chinese_value(a)) is not None and (w := _chinese_value(b))]
    fractions += [(Decimal(1), Decimal(_ORDINALS_EN[word.lower()])) for word in _EN_FRACTION.findall(text)]
    for a, b in fractions:
        if b:
            found.add(_CONTEXT.divide(a, b))
            found.add(_CONTEXT.divide(a * 100, b).quantize(Decimal("0.01")))
    if _FIRST.search(text):
        found.add(Decimal(1))
    return found


def states_number(text: str, value: str | Decimal) -> bool:
    """Whether ``text`` writes ``value`` in some form (see ``numbers_stated``).

    >>> states_number("GDP总量4.86万亿", "4860000000000"), states_number("建立产业联盟14个", "15")
    (True, False)
    """
    target = Decimal(str(value))
    if any(n == target for n in numbers_stated(text)):
        return True
    # a table's cells run together in a copied row: 1,582,3981,909,713 holds 1909713
    return target == target.to_integral_value() and len(str(target)) >= 4 and str(target) in re.sub(r"[,\s]", "", text)


def _longest_common_run(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


# Words that stand for an entity named nearby: 该中心, 其, 上述, 会上, the alliance, its, or a
# bare generic noun opening a clause or after a preposition (项目由…, 松江对中心…, ,园区瞄准…,
# 活动由…主办, an event's report naming it 活动, 会议 or 大会).
_GENERIC = "中心|园区|项目|联盟|集团|基地|平台|活动|会议|大会"
ANAPHORA = re.compile(rf"该|其|此|上述|这|本次|会上|我市|(?:对|由|在|与|为)(?:{_GENERIC})|(?:^|[,;:。])(?:{_GENERIC})|"
                      r"\b(?:the|its|it|this|these|their|they)\b", re.IGNORECASE)


_CORRIDOR_PREFIX = re.compile(r"^(?:长三角G60科创走廊|G60科创走廊|长三角G60|长三角|G60)")


def names_in(text: str, names: list[str]) -> bool:
    """Whether ``text`` names one of ``names``: the whole name (compared by name key),
    or a recognizable part of it: a run of at least four characters (or the whole
    name, when shorter) and at least 60% of the name or 20 characters of it.

    >>> names_in("12日,首届长三角G60科创走廊科技成果拍卖会在上海松江举行", ["首届长三角G60科创走廊科技成果拍卖会"])
    True
    >>> names_in("科技部、国家发展改革委", ["中华人民共和国科学技术部", "科技部"]), names_in("充分依托重大研究平台", ["可利霉素"])
    (True, False)
    """
    quote = name_key(text) or text.lower()
    # 人工智能产业联盟 names 长三角G60科创走廊人工智能产业联盟: the corridor's prefix is optional
    names = [*names, *(_CORRIDOR_PREFIX.sub("", clean_text(n)) for n in names)]
    for name in names:
        key = name_key(name) or name.lower()
        if not key:
            continue
        if key in quote:
            return True
        need = max(min(4, len(key)), min(-(-len(key) * 3 // 5), 20))
        if len(key) >= 5 and _longest_common_run(key, quote) >= need:
            return True
    return False


_MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december")
# Words that place a day relative to the article's own date ("today", "on Sunday").
_DEICTIC_DAY = re.compile(r"今天|今日|昨天|昨日|前天|明天|当天|本周|上周|周[一二三四五六日天]|星期[一二三四五六日天]|"
                          r"\b(?:today|yesterday|tomorrow|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
                          re.IGNORECASE)
_BARE_DAY = re.compile(r"(?<![\d月])\d{1,2}\s*日")  # 12日 in an article of that month
_DEICTIC_MONTH = re.compile(r"本月|上月|this month|last month", re.IGNORECASE)


def _year_shift(text: str) -> set[int]:
    shifts = set()
    for word, shift in (("今年", 0), ("去年", -1), ("明年", 1), ("前年", -2), ("this year", 0), ("last year", -1),
                        ("next year", 1)):
        if word in text.lower():
            shifts.add(shift)
    return shifts


def date_support(date: str, quote: str, source_date: str = "") -> list[str]:
    """What of ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) neither the quote nor
    the source's own date supports: ``[]`` when all of it is supported, else the parts
    ("year", "month", "day") that are not. A year is supported by the quote or by the
    source's date; a month or day by the quote (7月, July, 2019-07-12, 12日, June 16),
    or by the source's date when the quote places the event relative to it (今天,
    昨天, on Sunday, 今年 for a year). 近日 and 日前 support nothing finer than the
    source's year.

    >>> date_support("2019-07", "近日,2019长三角G60科创走廊联席会议在安徽芜湖召开。", "2019-07-15")
    ['month']
    >>> date_support("2019-06-12", "12日,首届长三角G60科创走廊科技成果拍卖会在上海松江举行", "2019-06-12")
    []
    >>> date_support("2024-12-26", "will begin operation on Thursday", "2024-12-25")
    []
    >>> date_support("2018-12", "九城市在芜湖成立机器人产业联盟", "2018-12-23")
    ['month']
    """
    parts = date.split("-")
    text = clean_text(quote)
    low = text.lower()
    src = source_date.split("-") if source_date else []
    missing: list[str] = []
    year = int(parts[0])
    year_ok = (str(year) in text or (src and src[0] == parts[0])
               or bool(src and any(int(src[0]) + s == year for s in _year_shift(text))))
    if not year_ok:
        missing.append("year")
    if len(parts) >= 2:
        month = int(parts[1])
        month_ok = (re.search(rf"(?<!\d)0?{month}\s*月", text) is not None
                    or _MONTHS_EN[month - 1] in low or _MONTHS_EN[month - 1][:3] + "." in low
                    or re.search(rf"{year}-0?{month}(?!\d)", text) is not None
                    or (len(src) >= 2 and int(src[1]) == month
                        and bool(_DEICTIC_DAY.search(text) or _DEICTIC_MONTH.search(text) or _BARE_DAY.search(text))))
        if not month_ok:
            missing.append("month")
    if len(parts) == 3:
        day = int(parts[2])
        day_ok = (re.search(rf"(?<!\d)0?{day}\s*[日号]", text) is not None
                  or re.search(rf"(?:{_MONTHS_EN[int(parts[1]) - 1]}|{_MONTHS_EN[int(parts[1]) - 1][:3]}\.?)\s+{day}\b",
                               low) is not None
                  or re.search(rf"\b{day}(?:st|nd|rd|th)?\s+{_MONTHS_EN[int(parts[1]) - 1]}", low) is not None
                  or re.search(rf"{year}-0?{parts[1].lstrip('0')}-0?{day}(?!\d)", text) is not None
                  or (len(src) == 3 and bool(_DEICTIC_DAY.search(text))))
        if not day_ok:
            missing.append("day")
    return missing
