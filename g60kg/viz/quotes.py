"""Quotes that are rows of a table: census and statistics tables copied from a web page
often lose their cell borders, so a row arrives as one run of text and numbers
("Jiādìng QūDistrict嘉定区753,0701,471,2311,834,258"). Such a quote is shown as a table
row, its cells split where the text allows, with the text as published beside it.
"""

from __future__ import annotations

import re

__all__ = ["table_cells"]

# A number with thousands separators, taken greedily: "753,0701,471,231" is 753,070 | 1,471,231.
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?%?")
_HAN = re.compile(r"([\u3400-\u9fff]+)")
_SENTENCE = re.compile(r"[，。；：！？、]")
_GAP = re.compile(r"\t|\s{2,}|\|")


def table_cells(quote: str) -> list[str] | None:
    """The cells of ``quote`` when it is a table row (three or more numbers run together,
    or three or more cells apart by tabs, bars or wide spaces), else None.

    >>> table_cells("Jiādìng QūDistrict嘉定区753,0701,471,2311,834,258")
    ['Jiādìng QūDistrict', '嘉定区', '753,070', '1,471,231', '1,834,258']
    >>> table_cells("松江区\\t190.97\\t1.2%")
    ['松江区', '190.97', '1.2%']
    >>> table_cells("产业链企业超4000家,产值超7000亿元。") is None
    True
    """
    text = quote.strip()
    if _SENTENCE.search(text):
        return None
    parts = [p.strip() for p in _GAP.split(text)]
    if len(parts) >= 3 and sum(bool(_NUMBER.fullmatch(p)) for p in parts) >= 2:
        return [p for p in parts if p]
    numbers = list(_GROUPED.finditer(text))
    glued = sum(1 for a, b in zip(numbers, numbers[1:]) if a.end() == b.start())
    if glued < 2:
        return None
    start = numbers[0].start()
    head = [p.strip() for p in _HAN.split(text[:start]) if p.strip()]
    tail = [m[0] for m in _NUMBER.finditer(text[start:])]
    return head + tail
