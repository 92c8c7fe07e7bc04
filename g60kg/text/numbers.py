"""Figures in Chinese news text: Arabic and Chinese numerals, the scales 万, 亿 and 亿亿,
qualifiers (超, 逾, 约, 近, 多, 余, 以上…), percentages, fractions, ranks (第三, 首个,
最大) and orders of magnitude (百亿级), each with its unit and the exact text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal

__all__ = ["Quantity", "find_quantities", "parse_chinese_number", "reads_as_figure", "UNITS"]

# Sums and products of scales (亿亿) need more digits than the default 28; a context of
# our own, so the process-wide decimal context stays as the user set it.
_CONTEXT = Context(prec=40)

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10**4, "亿": 10**8}
_CN = "零〇一二两三四五六七八九十百千万亿"

# Measure words and units a count or amount is given in, longest first in the pattern.
UNITS = (
    "个百分点", "平方公里", "平方米", "立方米", "千瓦时", "公里", "千米", "公斤", "千克", "公顷", "兆瓦", "千瓦", "美元",
    "欧元", "港元", "小时", "分钟", "个月", "人次", "家", "个", "名", "位", "人", "台", "套", "颗", "项", "条", "件", "座", "所",
    "张", "次", "篇", "部", "辆", "架", "艘", "户", "元", "吨", "克", "米", "亩", "瓦", "倍", "天", "年", "周", "秒",
    "岁", "届", "场", "款", "种", "类", "栋", "枚", "支", "份", "本", "处", "例", "度", "版", "标箱", "%", "‰",
    "mm", "cm", "km", "nm", "kg", "GW", "MW", "kW", "kWh", "GB", "TB",
)
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_BEFORE = (("不少于", ">="), ("至少", ">="), ("超过", ">"), ("多达", "<="), ("高达", "="), ("最高", "<="), ("最多", "<="),
           ("可达", "<="), ("不到", "<"), ("不足", "<"), ("将近", "<"), ("接近", "<"), ("大约", "~"), ("约", "~"),
           ("超", ">"), ("逾", ">"), ("近", "<"))
_AFTER = (("以上", ">="), ("左右", "~"), ("上下", "~"), ("以下", "<="), ("以内", "<="))
_NUMBER = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十百千][" + _CN + r"]*(?:点[" + _CN + r"]+)?)"
    r"(?P<scale>(?:亿亿|万亿|千亿|百亿|十亿|亿|千万|百万|十万|万)?)"
    r"(?P<more>[多余]?)"
    r"(?P<unit>" + _UNIT + r")?"
    r"(?P<more2>[多余]?)"
)
_FRACTION = re.compile(r"(?P<a>\d+)\s*/\s*(?P<b>\d+)(?![\d/])|(?P<cb>[" + _CN + r"]+)分之(?P<ca>[" + _CN + r"]+)")
_PERCENT_CN = re.compile(r"百分之(?P<n>[\d.]+|[" + _CN + r"]+)")
_RANK = re.compile(r"第(?P<n>[\d]+|[一二三四五六七八九十百]+)(?P<q>[个家张位名台批项座条所]?)|首(?P<fq>[个家张台座项批位])|"
                   r"(?P<sup>最大|最高|最多|最强|最早|最先|最长|最快|最优|唯一)")
_SCOPE = re.compile(r"(全国|全市|全省|全区|全球|世界|亚洲|国内|国际|全行业|行业|同类|本市|本省|全县|位列|排名|名列|位居|居|列)")
# Two neighbouring digits before a scale: a range (两三百, 三四十, 七八千万).
_RANGE = re.compile(r"(?P<a>[一二两三四五六七八九])(?P<b>[二三四五六七八九])(?P<scale>十|百|千|万|亿|十万|百万|千万)(?P<unit>" + _UNIT + r")?")
# Tenths written 成 (三成 = 30 %), and counts with no measure word (九城, 八地, 三省).
_TENTHS = re.compile(r"(?P<n>[一二两三四五六七八九十])成")
_BARE = re.compile(r"(?<![" + _CN + r"第A-Za-z\d.])(?P<n>[二两三四五六七八九十]|十[一二三四五六七八九]|\d{1,2})(?:城市|城|地|省)")
_MAGNITUDE = re.compile(r"(?P<n>十|百|千|万|十万|百万|千万|亿|十亿|百亿|千亿|万亿)级")
_N_BIG = re.compile(r"(?P<n>[二两三四五六七八九十])大(?=[\u4e00-\u9fff])")
# A span of time counted back or forward from now (三年前, 近3年来, 五年以来, 两年后) says
# when, not how much.
_SPAN_UNITS = ("年", "个月", "天")
_SPAN_ENDS = ("前", "来", "以来", "后")
_VAGUE = {"一批", "一些", "一系列", "一大批", "一次", "一个", "一项", "一种", "一张", "一名", "一位", "一家", "一年",
          "一天", "一条", "一所", "一座", "一台", "一套", "一颗", "一件", "一部", "一类", "一处", "一场", "一款", "一份"}
_MONEY_CONTEXT = re.compile(r"项目|投资|资金|产值|营收|规模|基金|融资")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Quantity:
    """A figure found in text: value (scales applied), unit, qualifier and the text it came from."""

    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    qualifier: str = "="
    kind: str = "count"  # count, percent, fraction, rank, magnitude, range
    upper: Decimal | None = None  # the upper end of a range (两三百: 200 to 300)


def parse_chinese_number(text: str) -> Decimal:
    """A number written in Chinese numerals, Arabic digits, or both, with 万/亿 scales.

    >>> [parse_chinese_number(t) for t in ("三千五百", "十二", "两万", "一亿二千万", "1.3万", "1.1亿亿", "百")]
    [Decimal('3500'), Decimal('12'), Decimal('20000'), Decimal('120000000'), Decimal('13000.0'), Decimal('11000000000000000.0'), Decimal('100')]
    >>> parse_chinese_number("三点五亿"), parse_chinese_number("零点二五")
    (Decimal('350000000.0'), Decimal('0.25'))
    """
    text = text.replace(",", "").strip()
    match = re.match(r"^(\d+(?:\.\d+)?)(.*)$", text)
    if match:
        value, rest = Decimal(match[1]), match[2]
        for char in rest:
            if char in _LARGE:
                value = _CONTEXT.multiply(value, _LARGE[char])
            elif char in _SMALL:
                value = _CONTEXT.multiply(value, _SMALL[char])
            else:
                raise ValueError(f"not a number: {text!r}")
        return value
    if "点" in text:
        whole, _, rest = text.partition("点")
        digits = ""
        while rest and rest[0] in _DIGITS:
            digits, rest = digits + str(_DIGITS[rest[0]]), rest[1:]
        if not digits:
            raise ValueError(f"not a number: {text!r}")
        value = Decimal(f"{parse_chinese_number(whole) if whole else 0}.{digits}")
        for char in rest:
            if char not in _LARGE:
                raise ValueError(f"not a number: {text!r}")
            value = _CONTEXT.multiply(value, _LARGE[char])
        return value
    total, section, number = 0, 0, 0
    for char in text:
        if char in _DIGITS:
            number = number * 10 + _DIGITS[char]
        elif char in _SMALL:
            section += (number or 1) * _SMALL[char]
            number = 0
        elif char == "万":
            total += ((section + number) or 1) * _LARGE[char]
            section = number = 0
        elif char == "亿":
            total = ((total + section + number) or 1) * _LARGE[char]
            section = number = 0
        else:
            raise ValueError(f"not a number: {text!r}")
    return Decimal(total + section + number)


def _qualifier(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The qualifier written around text[start:end] and the widened span."""
    qualifier = "="
    for word, mark in _BEFORE:
        if text[max(0, start - len(word)):start] == word:
            qualifier, start = mark, start - len(word)
            break
    for word, mark in _AFTER:
        if text[end:end + len(word)] == word:
            qualifier, end = mark, end + len(word)
            break
    return qualifier, start, end


def _in_short_quote(text: str, pos: int) -> bool:
    """Whether pos sits inside a short quotation (a name or slogan such as “十二五”)."""
    left = max(text.rfind("“", 0, pos), text.rfind('"', 0, pos))
    if left < 0:
        return False
    right = text.find("”", pos)
    if right < 0 or text.rfind("”", left, pos) >= 0:
        return False
    return right - left <= 12


def reads_as_figure(word: str) -> bool:
    """Whether a whole word is a numeral with its unit (百人, 三家): a tagger may call it a
    noun, yet it is a figure.

    >>> reads_as_figure("百人"), reads_as_figure("千家万户"), reads_as_figure("长三角")
    (True, False, False)
    """
    match = _NUMBER.fullmatch(word)
    return bool(match and match["unit"] and word not in _VAGUE)


def _token_ok(start: int, spans: dict[int, str] | None) -> bool:
    """Chinese numerals count only where the tagger starts a numeral word there."""
    return spans is None or spans.get(start) in ("m", "q", "TIME")


def find_quantities(text: str, token_starts: dict[int, str] | None = None) -> list[Quantity]:
    """Every figure in ``text`` with its unit (``token_starts``: start offset → tag of
    each word, to tell 五篇 from 长三角; without it Chinese numerals are read everywhere).

    >>> [(q.text, str(q.value), q.unit, q.qualifier) for q in find_quantities("总投资超450亿元,满载服务器40万台")]
    [('超450亿元', '45000000000', '元', '>'), ('40万台', '400000', '台', '=')]
    >>> [(q.text, str(q.value), q.unit, q.qualifier, q.kind) for q in find_quantities("引进人才2万多名,总量位列全市第三")]
    [('2万多名', '20000', '名', '>', 'count'), ('位列全市第三', '3', 'rank', '=', 'rank')]
    >>> [(q.text, float(q.value), q.unit, q.qualifier) for q in find_quantities("算力可达每秒1.1亿亿次,约占1/7")]
    [('可达每秒1.1亿亿次', 1.1e+16, '次/秒', '<='), ('约占1/7', 0.14285714285714285, 'share', '~')]
    """
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(q: Quantity) -> None:
        if any(q.start < e and s < q.end for s, e in taken):
            return
        found.append(q)
        taken.append((q.start, q.end))

    for m in _FRACTION.finditer(text):
        if _in_short_quote(text, m.start()):
            continue
        if m["a"]:
            if m.start() and (text[m.start() - 1].isdigit() or _LATIN.match(text[m.start() - 1])):
                continue
            value = _CONTEXT.divide(Decimal(m["a"]), Decimal(m["b"]))
        else:
            value = _CONTEXT.divide(parse_chinese_number(m["ca"]), parse_chinese_number(m["cb"]))
        lead = 1 if text[m.start() - 1:m.start()] == "占" else 0
        qualifier, s, e = _qualifier(text, m.start() - lead, m.end())
        s = m.start() if s == m.start() - lead else s
        add(Quantity(s, e, text[s:e], value, "share", qualifier, "fraction"))
    for m in _PERCENT_CN.finditer(text):
        qualifier, s, e = _qualifier(text, m.start(), m.end())
        add(Quantity(s, e, text[s:e], parse_chinese_number(m["n"]), "%", qualifier, "percent"))
    for m in _MAGNITUDE.finditer(text):
        if m.start() and text[m.start() - 1] in _CN + "0123456789":
            continue
        unit = "元" if _MONEY_CONTEXT.search(text[m.end():m.end() + 12]) else ""
        add(Quantity(m.start(), m.end(), m[0], parse_chinese_number(m["n"]), unit, "~", "magnitude"))
    for m in _RANK.finditer(text):
        if _in_short_quote(text, m.start()):
            continue
        clause_start = max(text.rfind(c, 0, m.start()) for c in ",;:。,")
        window = text[max(clause_start + 1, m.start() - 8):m.start()]
        if not _SCOPE.search(window):
            continue
        scope = _SCOPE.search(window)
        start = m.start() - len(window) + scope.start()
        value = Decimal(1) if (m["fq"] or m["sup"]) else parse_chinese_number(m["n"])
        add(Quantity(start, m.end(), text[start:m.end()], value, "rank", "=", "rank"))
    for m in _RANGE.finditer(text):
        if _in_short_quote(text, m.start()) or not _token_ok(m.start(), token_starts):
            continue
        low, high = (parse_chinese_number(m[k] + m["scale"]) for k in ("a", "b"))
        if low >= high:
            continue
        unit = m["unit"] or ""
        add(Quantity(m.start(), m.end(), m[0], low, unit, "~", "range", high))
    for m in _TENTHS.finditer(text):
        if _in_short_quote(text, m.start()) or (token_starts is not None and token_starts.get(m.start()) != "m"):
            continue
        qualifier, s, e = _qualifier(text, m.start(), m.end())
        add(Quantity(s, e, text[s:e], parse_chinese_number(m["n"]) * 10, "%", qualifier, "percent"))
    for m in _BARE.finditer(text):
        if not _in_short_quote(text, m.start()):
            add(Quantity(m.start(), m.end(), m[0], parse_chinese_number(m["n"]), "个", "=", "count"))
    for m in _N_BIG.finditer(text):
        if _in_short_quote(text, m.start()):
            continue
        add(Quantity(m.start(), m.end(), m[0], parse_chinese_number(m["n"]), "个", "=", "count"))
    for m in _NUMBER.finditer(text):
        num, unit = m["num"], m["unit"] or ""
        start, end = m.start(), m.end()
        chinese = not num[0].isdigit()
        if chinese and not _token_ok(start, token_starts):
            continue
        if _in_short_quote(text, start):
            continue
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if not chinese and (_LATIN.match(before) or (before and before in "+-/") or (after and _LATIN.match(after) and not unit)):
            continue
        if after == "+" or before == "+" or before == "第" or (unit == "版" and "." in num):
            continue  # 1+1, 第四届 (an ordinal), 3.0版 (a version)
        if not unit and m["scale"] in ("万", "亿", "万亿", "千亿", "百亿", "十亿", "千万", "百万") and not chinese:
            unit = "元" if _MONEY_CONTEXT.search(text[max(0, start - 8):start]) else ""
        elif not unit:
            continue
        if unit in ("年", "月") and not chinese and len(num) == 4 and num[:2] in ("19", "20"):
            continue  # a date, not a figure
        if text[end:end + 1] in "月日" and unit in ("年",):
            continue
        if unit in _SPAN_UNITS and text.startswith(_SPAN_ENDS, end):
            continue  # 三年前, 近3年来: when, not a figure
        if m[0] in _VAGUE or (chinese and num == "一" and not m["scale"]):
            continue
        value = parse_chinese_number(num + m["scale"])
        qualifier = "=" if not (m["more"] or m["more2"]) else ">"
        period = re.search(r"每(秒|分钟|小时|天|日|年|月)$", text[max(0, start - 4):start])
        if period:
            start -= len(period[0])
            unit = f"{unit}/{period[1]}"
        q2, s, e = _qualifier(text, start, end)
        if q2 != "=":
            qualifier = q2
        kind = "percent" if unit in ("%", "‰", "个百分点") else "count"
        add(Quantity(s, e, text[s:e], value, unit, qualifier, kind))
    found.sort(key=lambda q: q.start)
    return found
