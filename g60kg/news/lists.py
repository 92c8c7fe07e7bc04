"""Enumerations: ``A、B和C等<head>`` — the items of a list and the class its head
noun gives them (企业 → Enterprise, 院士 → Person, 成果 → Achievement …)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from g60kg.news.gazetteer import GENERIC_WORDS, LIST_HEADS, SECTOR_WORDS, TRIGGERS
from g60kg.text.numbers import find_quantities
from g60kg.news.tagger import Token

__all__ = ["Enumeration", "find_lists"]

_SEPARATORS = {"、", ",", "，", "和", "及", "以及", "与"}
_STOP_TAGS = {"u", "d", "r", "xc", "TIME"}
_LEADING_RANK = re.compile(r"^(?:世界|全球|全国|国内|亚洲|国际)?(?:最大|最高|最强|最先进|首台|首个|首套|首款|领先)(?:的)?")
_HEADS = re.compile("|".join(sorted(LIST_HEADS, key=len, reverse=True)))


@dataclass(frozen=True)
class Enumeration:
    """A list in a sentence: item spans (clean offsets), the head noun and its class."""

    items: tuple[tuple[int, int], ...]
    head: str
    head_class: str
    start: int
    end: int
    strong: bool = True  # the head ends the noun phrase (等企业842家), not 等平台建设


def _head(text: str, pos: int, tokens: list[Token]) -> tuple[str, str, bool]:
    """The head noun within a dozen characters after 等 (skipping a count such as 6颗),
    and whether it ends the noun phrase."""
    window = re.split(r"[,，。;；:：、]", text[pos:pos + 14], maxsplit=1)[0]
    match = _HEADS.search(window)
    if not match:
        return "", "", False
    end = pos + match.end()
    following = next((t for t in tokens if t.start >= end), None)
    strong = following is None or following.tag not in ("n", "vn", "nz", "an")
    return match[0], LIST_HEADS[match[0]], strong


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """An item without quotes, a leading quantity (3.6万吨) or a superlative (世界最大)."""
    while start < end and text[start] in "“\"‘《 、":
        start += 1
    while end > start and text[end - 1] in "”\"’》 ":
        end -= 1
    for _ in range(2):
        quantities = find_quantities(text[start:end])
        if quantities and quantities[0].start == 0 and quantities[0].end < end - start \
                and text[start + quantities[0].end] != "、":
            start += quantities[0].end
        rank = _LEADING_RANK.match(text[start:end])
        if rank and rank.end() < end - start:
            start += rank.end()
    return start, end


def find_lists(text: str, tokens: list[Token], base: int = 0) -> list[Enumeration]:
    """Lists that end in 等 + a head noun, in one sentence (offsets shifted by ``base``).

    >>> from g60kg.news.tagger import tag
    >>> s = "园区聚集星海科技、蓝湾生物和青禾智造等企业30家"
    >>> [[s[a:b] for a, b in e.items] for e in find_lists(s, tag(s))], find_lists(s, tag(s))[0].head_class
    ([['星海科技', '蓝湾生物', '青禾智造']], 'Enterprise')
    """
    out: list[Enumeration] = []
    local = [Token(t.text, t.tag, t.start - base, t.end - base) for t in tokens]
    for k, token in enumerate(local):
        if token.text != "等" or k == 0:
            continue
        head, head_class, strong = _head(text, token.end, local)
        if not head:
            continue
        items: list[tuple[int, int]] = []
        item_end = token.start
        j = k - 1
        separator_seen = False
        while j >= 0:
            tok = local[j]
            is_sep = tok.text in _SEPARATORS and (tok.tag in ("w", "c", "p") or tok.text in "、,，")
            stop = tok.text in TRIGGERS or tok.tag in _STOP_TAGS or tok.text in "。;；:：!?！？" or (
                tok.tag == "v" and tok.text not in ("用",) and item_end - tok.end >= 2)
            if is_sep:
                if tok.end < item_end:
                    items.append((tok.end, item_end))
                item_end, separator_seen = tok.start, True
                if tok.text in (",", "，") and items and _verbose(local, items[-1]):
                    items.pop()
                    break
            elif stop or item_end - tok.start > 25:
                if tok.end < item_end:
                    items.append((tok.end, item_end))
                break
            j -= 1
        else:
            if item_end > 0:
                items.append((0, item_end))
        items = _merge_numbers(text, list(reversed(items)))
        items = [_trim(text, a, b) for a, b in items]
        kept: list[tuple[int, int]] = []
        for a, b in reversed(items):  # from the item nearest 等 leftwards; a generic item ends the list
            if not _good_item(text[a:b], local, a, b):
                break
            kept.insert(0, (a, b))
        if kept and (separator_seen or len(kept) == 1):
            out.append(Enumeration(tuple((a + base, b + base) for a, b in kept), head, head_class,
                                   kept[0][0] + base, token.end + base, strong))
    return out


def _verbose(tokens: list[Token], span: tuple[int, int]) -> bool:
    """Whether an item holds a verb other than inside a name: then a comma ended a clause."""
    return any(t.tag == "v" and span[0] <= t.start < span[1] and t.text in TRIGGERS for t in tokens)


def _merge_numbers(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """300mm、450mm晶体生长系统: an item that is only a quantity joins the next one."""
    out: list[tuple[int, int]] = []
    carry: int | None = None
    for a, b in items:
        quantities = find_quantities(text[a:b])
        if quantities and quantities[0].start == 0 and quantities[0].end == b - a:
            carry = a if carry is None else carry
            continue
        out.append((carry if carry is not None else a, b))
        carry = None
    return out


def _good_item(item: str, tokens: list[Token], a: int, b: int) -> bool:
    body = item.strip()
    if not 2 <= len(body) <= 25 or body.isdigit() or "。" in body or body in SECTOR_WORDS:
        return False
    specific = sum(t.end - t.start for t in tokens
                   if a <= t.start < b and t.text not in GENERIC_WORDS and t.text not in LIST_HEADS and t.tag != "a")
    return specific >= 2
