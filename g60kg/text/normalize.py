"""Normalization of names, dates and numbers as they appear in Chinese tables.

Two kinds of output: *clean* text, which keeps what a reader sees (half-width, single
spaces, simplified characters), and a *name key*, which throws away everything that
does not tell two names apart (case, spaces, punctuation, company suffixes, a bracketed
place), so that 库卡机器人（上海）有限公司 and 库卡机器人 meet.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Callable

import numpy as np

__all__ = [
    "each_joined",
    "clean_text",
    "clean_texts",
    "are_clean",
    "to_simplified",
    "name_key",
    "name_keys",
    "place_keys",
    "slug_for",
    "parse_date",
    "parse_number",
]

_SPACE = re.compile(r"\s+")
_JOIN = "\x00"  # joins texts transformed together: not a space, and NFKC keeps it as it is
# What cleaning would change in texts joined by _JOIN, found by substring searches: two
# spaces in a row, a space at either end of a text, a space other than " " (the ASCII
# ones listed; any other is found by _OTHER_SPACE, in text that is not all ASCII).
_UNCLEAN_PARTS = ("  ", _JOIN + " ", " " + _JOIN, "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f")
_OTHER_SPACE = re.compile(r"[^\S ]")
_PUNCT = re.compile(r"[\s\-_·•.,，、;；:：'\"“”‘’`!?！？《》〈〉<>()\[\]{}（）【】「」『』/\\|+&*#@~^=]")
# Company forms as they end a name key (punctuation gone: "Co., Ltd." is "coltd"); the
# longest one ending a key is removed, repeatedly. Matched at the start of the reversed
# key, longest first.
_COMPANY_SUFFIX = re.compile("|".join(form[::-1] for form in sorted(
    ("股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "股份公司", "集团公司", "总公司",
     "公司", "coltd", "company", "limited", "ltd", "inc", "corp", "corporation", "gmbh", "plc"), key=len, reverse=True)))
# A place in brackets inside a company name: 库卡机器人(上海)有限公司, 赛迪（上海）研究院.
_BRACKETED_PLACE = re.compile(r"[(（][^()（）\x00]{1,8}?(?:省|市|区|县)?[)）]")
_ADMIN_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|新区|省|市|区|县|镇|街道)$")
_EN_ADMIN_SUFFIX = re.compile(r"(district|city|province|county|municipality)$")


@functools.lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    table = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text("utf-8")
    return frozenset(line.split("\t", 1)[0] for line in table.splitlines() if line and line[1:2] == "\t")


@functools.lru_cache(maxsize=1)
def _traditional_table() -> np.ndarray:
    """Whether each code point is a traditional character, by code point."""
    table = np.zeros(sys.maxunicode + 1, dtype=bool)
    table[[ord(c) for c in _traditional_chars()]] = True
    return table


def _has_traditional(text: str) -> bool:
    """Whether a (long) text holds a traditional character: its code points looked up in
    a table all at once, where a set would make a string per character.

    >>> _has_traditional("长三角 G60"), _has_traditional("长三角" * 1000 + "長")
    (False, True)
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return bool(_traditional_table()[codes].any())


@functools.lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters to simplified ones; other text unchanged.

    >>> to_simplified("長三角G60科創走廊")
    '长三角G60科创走廊'
    """
    if _traditional_chars().isdisjoint(text):
        return text
    return _converter().convert(text)


def clean_text(text: str) -> str:
    """Half-width letters, digits and brackets, single spaces, simplified characters.

    >>> clean_text("  庫卡機器人（上海）ＡＩ  有限公司 ")
    '库卡机器人(上海)AI 有限公司'
    """
    return clean_texts([text])[0]


def each_joined(texts: list[str], transform: Callable[[str], str]) -> list[str]:
    """``transform`` of each text, run once over all of them joined by a NUL, which the
    transform must neither change nor cross (each text alone when one of them holds a
    NUL): a table's column goes through a few calls instead of one per cell.

    >>> each_joined(["a", "b"], str.upper), each_joined(["a", "b\\x00c"], str.upper)
    (['A', 'B'], ['A', 'B\\x00C'])
    """
    joined = _JOIN.join(texts)
    if texts and joined.count(_JOIN) == len(texts) - 1:
        return transform(joined).split(_JOIN)
    return [transform(text) for text in texts]


def are_clean(texts: list[str]) -> bool:
    """Whether ``clean_texts`` would return ``texts`` as they are, decided in a few C
    passes over the texts joined: no space but single " " between words, text already
    in NFKC form, no traditional character. (False also when a text holds a NUL.)

    >>> are_clean(["place/wuhu", "Wuhu City", "芜湖"]), are_clean(["Wuhu  City"]), are_clean([" a"]), are_clean(["蕪湖"])
    (True, False, False, False)
    >>> are_clean(["ＡＩ"]), are_clean(["a\\u3000b"])
    (False, False)
    """
    joined = _JOIN.join(texts)
    if joined.count(_JOIN) != len(texts) - 1 or joined.startswith(" ") or joined.endswith(" "):
        return False
    if any(part in joined for part in _UNCLEAN_PARTS):
        return False
    return joined.isascii() or (_OTHER_SPACE.search(joined) is None and unicodedata.is_normalized("NFKC", joined)
                                and not _has_traditional(joined))


def clean_texts(texts: list[str]) -> list[str]:
    """``clean_text`` of many texts at once (``each_joined``).

    >>> clean_texts(["Ｇ６０  走廊 ", "長三角", "a\\x00b"])
    ['G60 走廊', '长三角', 'a\\x00b']
    """
    if are_clean(texts):  # NFKC and simplification leave ASCII as it is
        return list(texts)
    cleaned = [part.strip() for part in each_joined(texts, _half_width_single_spaced)]
    if not _has_traditional("".join(cleaned)):
        return cleaned
    return [to_simplified(part) for part in cleaned]


def _half_width_single_spaced(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=1 << 20)  # a build looks each name up several times
def name_key(name: str) -> str:
    """The key under which names of one entity meet: no case, spaces, punctuation,
    company suffix or bracketed place.

    >>> name_key("库卡机器人（上海）有限公司") == name_key("库卡 机器人")
    True
    >>> name_key("KUKA Robotics Co., Ltd.")
    'kukarobotics'
    """
    return name_keys([name])[0]


def name_keys(names: list[str], *, cleaned: bool = False) -> list[str]:
    """``name_key`` of many names at once (cleaned and stripped of brackets and
    punctuation together, as ``clean_texts`` does); ``cleaned``: the names are
    ``clean_texts`` already (a table's names are), and are not cleaned again.

    >>> name_keys(["库卡机器人（上海）有限公司", "KUKA Robotics Co., Ltd."])
    ['库卡机器人', 'kukarobotics']
    """
    bare = each_joined(names if cleaned else clean_texts(names), _without_brackets_and_punctuation)
    return [_strip_company(text) for text in bare]


def _without_brackets_and_punctuation(text: str) -> str:
    return _PUNCT.sub("", _BRACKETED_PLACE.sub("", text.lower()))


def _strip_company(text: str) -> str:
    """A name key without its company forms (有限公司, Co., Ltd. ...), unless nothing is left."""
    while (form := _COMPANY_SUFFIX.match(text[::-1])) and form.end() < len(text):
        text = text[: -form.end()]
    return text


def place_keys(name: str, parents: tuple[str, ...] = ()) -> set[str]:
    """Every key a place is known by: its name with and without the administrative
    suffix, alone and after the names of its parents.

    >>> sorted(place_keys("松江区", ("上海市",)))
    ['上海市松江', '上海市松江区', '上海松江', '上海松江区', '松江', '松江区']
    >>> sorted(place_keys("Songjiang District"))
    ['songjiang', 'songjiangdistrict']
    """
    key = name_key(name)
    bare = _EN_ADMIN_SUFFIX.sub("", _ADMIN_SUFFIX.sub("", key)) or key
    own = {key, bare}
    keys = set(own)
    for parent in parents:
        pkey = name_key(parent)
        pbare = _ADMIN_SUFFIX.sub("", pkey) or pkey
        keys |= {p + o for p in (pkey, pbare) for o in own}
    return keys


def slug_for(kind: str, name: str) -> str:
    """A stable id for a named thing that has none: ``kind/n-`` and 12 hex digits of
    the SHA-1 of its name key.

    >>> slug_for("org", "腾讯公司") == slug_for("org", "腾讯")
    True
    >>> slug_for("org", "腾讯")
    'org/n-3842b661854a'
    """
    digest = hashlib.sha1(name_key(name).encode("utf-8")).hexdigest()[:12]
    return f"{kind}/n-{digest}"


_DATE = re.compile(
    r"^(?P<y>\d{4})(?:\s*[-/.年]\s*(?P<m>\d{1,2})(?:\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?|\s*月?)?|\s*年?)$"
)


def parse_date(text: str) -> tuple[str, str]:
    """A date as written in a table, to its ISO form and XSD datatype name.

    Accepts ``2018``, ``2018-09``, ``2018-9-3``, ``2018/09/03``, ``2018.9``,
    ``2018年9月``, ``2018年9月3日``. Raises ``ValueError`` on anything else.

    >>> parse_date("2018年9月")
    ('2018-09', 'gYearMonth')
    >>> parse_date("2016/5/24")
    ('2016-05-24', 'date')
    >>> parse_date("2018-02-30")
    Traceback (most recent call last):
    ValueError: no day 30 in 2018-02 (it has 28 days), in '2018-02-30'
    """
    match = _DATE.match(clean_text(text))
    if not match:
        raise ValueError(f"expected a date like 2018, 2018-09 or 2018-09-03, got {text!r}")
    year, month, day = match["y"], match["m"], match["d"]
    if month is None:
        return year, "gYear"
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month {month} out of range in {text!r}")
    if day is None:
        return f"{year}-{int(month):02d}", "gYearMonth"
    days = calendar.monthrange(int(year), int(month))[1] if int(year) >= 1 else 31
    if not 1 <= int(day) <= days:
        raise ValueError(f"no day {int(day)} in {year}-{int(month):02d} (it has {days} days), in {text!r}")
    return f"{year}-{int(month):02d}-{int(day):02d}", "date"


_SCALES = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "千": Decimal(1000), "百": Decimal(100)}
_MAGNITUDE = 1000  # the largest power of ten (either sign) a number may have
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str) -> Decimal:
    """A number as written in a table: thousands separators, full-width digits, and
    the scales 百, 千, 万, 亿 (亿亿 = 10^16) after the digits.

    >>> parse_number("1,488")
    Decimal('1488')
    >>> parse_number("1.1亿亿")
    Decimal('11000000000000000.0')
    >>> parse_number("４５０亿")
    Decimal('45000000000')
    >>> parse_number("1e1000000")
    Traceback (most recent call last):
    ValueError: expected a number below 10^1000, got '1e1000000'
    """
    if _NUMBER.match(text):  # most cells: plain ASCII digits, nothing to clean
        return _bounded(Decimal(text), text)
    raw = clean_text(text).replace(",", "").replace(" ", "")
    digits = raw.rstrip("".join(_SCALES))
    scale = Decimal(1)
    for char in raw[len(digits):]:
        scale *= _SCALES[char]
    if not _NUMBER.match(digits):
        raise ValueError(f"expected a number, got {text!r}")
    try:
        return _bounded(Decimal(digits) * scale, text)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
        raise ValueError(f"expected a number, got {text!r}") from exc


def _bounded(value: Decimal, text: str) -> Decimal:
    """The value, unless written out it would take more than about a thousand digits
    (``1e1000000`` is a short cell and a million-digit literal)."""
    if value and abs(value.adjusted()) > _MAGNITUDE:
        raise ValueError(f"expected a number below 10^{_MAGNITUDE}, got {text!r}")
    return value
