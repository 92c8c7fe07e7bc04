"""Mentions from the spans of the learned name model (``g60kg.news.sequence``): their
boundaries mended, spans that cannot be names dropped, and a class for each from its
suffix, the gazetteer, the rule candidate it ends with, or the tagger.
"""

from __future__ import annotations

import re

from g60kg.news.entities import Mention, event_opening, name_tail, names_a_kind, province_first, suffix_class
from g60kg.news.gazetteer import (
    CORRIDOR_PATTERN, GENERIC_WORDS, PLACE_PATTERN, PLACES, ROLE_HEADS, SECTOR_WORDS, SUFFIX_PATTERN, TRIGGERS,
)
from g60kg.news.tagger import Token

__all__ = ["learned_mentions"]

_PLACE_RE = re.compile(PLACE_PATTERN)

_AFTER_TITLE = re.compile("(?:" + "|".join(ROLE_HEADS) + ")$")
_PERSON_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")
_TAGGER_CLASS = {"PER": "Person", "ORG": "Organization", "LOC": "Region"}
# The most characters after a class suffix that still name a part or stage of the thing
# (三期, 杭绍段, 新建双线, (筹)), so the name keeps the suffix's class.
_PART_LENGTH = 4


def _class_of(name: str, candidates: list[Mention], a: int, b: int, tokens: list[Token], base: int) -> str:
    """The class of a learned name: its suffix, the gazetteer, the candidate it ends
    with (the head of a Chinese name is last), a suffix followed by a short part or stage
    (…机场三期, …铁路新建双线: the thing's class), or the tagger's name tag."""
    if CORRIDOR_PATTERN.fullmatch(name):
        return "Corridor"
    if name in PLACES:
        return PLACES[name]
    suffix = next((m for m in SUFFIX_PATTERN.finditer(name) if m.end() == len(name)), None)
    if suffix and len(name) > len(suffix[0]):
        return suffix_class(name, suffix[0])
    ending = [m for m in candidates if m.end == b + base and m.start >= a + base and m.cls]
    if ending:
        return max(ending, key=lambda m: (m.end - m.start, m.priority)).cls
    inner = [m for m in SUFFIX_PATTERN.finditer(name) if m.start() > 0 and 0 < len(name) - m.end() <= _PART_LENGTH]
    if inner:  # 青山国际机场三期, 沪杭高铁二通道, X研究院(筹): a part or a stage of the thing named
        return suffix_class(name[:inner[-1].end()], inner[-1][0])
    tags = [t.tag for t in tokens if a + base <= t.start and t.end <= b + base and t.tag in _TAGGER_CLASS]
    return _TAGGER_CLASS[tags[-1]] if tags else "Organization"


def learned_mentions(text: str, tokens: list[Token], spans: list[tuple[int, int, float]], candidates: list[Mention],
                     sentence: int, base: int) -> list[Mention]:
    """Mentions for the name spans of the learned model (``g60kg.news.sequence``) in one
    sentence, classed by suffix, gazetteer, the rule candidate they end with or the
    tagger (a short name right after a title is a person's); a span a rule found
    already is not repeated.

    >>> from g60kg.news.tagger import tag
    >>> s = "星海研究院揭牌"
    >>> [(m.text, m.cls) for m in learned_mentions(s, tag(s), [(0, 5, 0.9)], [], 0, 0)]
    [('星海研究院', 'Institute')]
    """
    same = {(m.start, m.end) for m in candidates}
    out = []
    pieces = (piece for a, b, _ in spans for part in _spaced(text, a, b) for piece in _repair(text, tokens, *part, base))
    for a, b in pieces:
        name = text[a:b]
        if (a + base, b + base) in same or len(name) < 2 or name in SECTOR_WORDS or name in GENERIC_WORDS \
                or _PROSE.search(name) or not _name_like(text, tokens, a, b, base):
            continue
        cls = _class_of(name, candidates, a, b, tokens, base)
        if _AFTER_TITLE.search(text, 0, a) and _PERSON_NAME.fullmatch(name) and name not in PLACES:
            cls = "Person"  # 秘书长楼东江: a name right after a title is a person's
        if cls == "Event":
            a = event_opening(text, a)
        b = name_tail(text, b, cls)
        out.append(Mention(a + base, b + base, text[a:b], cls, "model", 3, sentence))
    return out


_LEADING_TAGS = ("p", "c", "d", "u", "r", "w")
# Tags of words that are never a name on their own: adverbs, verbs, adjectives, locality
# words, numerals, measure words, pronouns and function words.
_FUNCTION_TAGS = ("d", "vd", "ad", "v", "a", "f", "m", "q", "r", "p", "c", "u")


def _name_like(text: str, tokens: list[Token], a: int, b: int, base: int) -> bool:
    """Whether a learned span can be a name: not a bare class suffix (大会, 园区) nor a kind
    of event (人工智能大会: ``names_a_kind``) nor one word that is no name (着重, 向东),
    quotation marks and brackets paired, no adverb, pronoun or trigger verb inside
    (宣城如何把握…, …中建成…; nor a verb fused with the word after it: 出席会议), and a
    place followed by common words holding a locality (以上, 中, 东) or ending in a verb or
    a generic word."""
    name = text[a:b]
    if SUFFIX_PATTERN.fullmatch(name) or names_a_kind(name) or name.count("“") != name.count("”") or name.count("(") != name.count(")"):
        return False
    whole = [t for t in tokens if a <= t.start - base and t.end - base <= b]
    if len(whole) == 1 and whole[0].text == name and whole[0].tag in _FUNCTION_TAGS:  # 着重, 向东: one word, no name
        return False
    inside = [t for t in tokens if a < t.start - base and t.end - base <= b]
    if any(t.tag in ("d", "r") or (t.tag == "v" and (t.text in TRIGGERS or t.text[:2] in TRIGGERS)) for t in inside):
        return False
    place = _PLACE_RE.match(name)
    if place and place.end() < len(name) and not SUFFIX_PATTERN.search(name[-4:]):
        last = next((t for t in reversed(inside) if t.end - base <= b), None)  # 长三角区域, 宣城东, …一体化发展
        if any(t.tag == "f" for t in inside if t.start - base >= a + place.end()):  # 杭州市规模以上企业医药
            return False
        return last is None or not (last.tag in ("v", "vn", "a", "m", "q") or last.text in GENERIC_WORDS)
    return True
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def _spaced(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A span cut at each space between Chinese characters (陈立平 通讯员: two words).

    >>> _spaced("陈立平 通讯员", 0, 7)
    [(0, 3), (4, 7)]
    """
    out, start = [], a
    for m in _CJK_SPACE.finditer(text, a, b):
        out.append((start, m.start()))
        start = m.end()
    return out + [(start, b)]
_BODY_ROLE_SPLIT = re.compile(r"(?P<org>.+?(?:" + SUFFIX_PATTERN.pattern + r"|[委局厅办]))[\u4e00-\u9fff]{0,4}?(?:" +
                              "|".join(ROLE_HEADS) + r")(?P<name>[\u4e00-\u9fff]{2,3})")
_ROLE_SPLIT = re.compile(r"(?P<org>.{2,}?)[\u4e00-\u9fff]{1,4}(?:" + "|".join(ROLE_HEADS) + r")(?P<name>[\u4e00-\u9fff]{2,3})")


def _repair(text: str, tokens: list[Token], a: int, b: int, base: int) -> list[tuple[int, int]]:
    """Boundaries of a learned span mended: leading function words and trigger verbs
    dropped (以及X, 推动X), a leading year dropped unless the name ends in a class suffix
    (2019…峰会 keeps it), a trailing 的 or count (合肥市9个市) dropped, ``ORG+role+person``
    cut in two (when the body ends as a body does, or the tagger reads a person), a province written before its city (浙江嘉兴) cut in two, and two names
    joined by 和 (each ending as a name does) cut in two."""
    for tok in tokens:
        s, e = tok.start - base, tok.end - base
        if s == a and e < b and (tok.tag in _LEADING_TAGS or tok.text in TRIGGERS):
            a = e
    while b > a and text[b - 1] in "的“”\"":
        b -= 1
    while a < b and text[a] in "“”\"、":
        a += 1
    year = _LEADING_TIME.match(text[a:b])
    if year and not SUFFIX_PATTERN.search(text[a:b][-4:]):  # 2022年长三角G60科创走廊: a date, then a name
        a += year.end()
    name = text[a:b]
    role = _BODY_ROLE_SPLIT.fullmatch(name)  # 市政府秘书长楼东江: a body, its title, a person
    if role is None:
        role = _ROLE_SPLIT.fullmatch(name)
        if role and not any(t.tag == "PER" and t.start - base == a + role.start("name") for t in tokens):
            role = None
    if role:
        return [(a, a + role.end("org")), (a + role.start("name"), b)]
    cut = province_first(name)
    if cut:
        return [(a, a + cut), (a + cut, b)]
    for joint in _JOINT.finditer(name):  # 萧山国际机场三期和铁路杭州西站枢纽: two names
        left, right = name[:joint.start()], name[joint.end():]
        if (_ENDS_NAME.search(left) or _PHASE.search(left)) and _ENDS_NAME.search(right):
            return [(a, a + joint.start()), (a + joint.end(), b)]
    count = _TRAILING_COUNT.search(name)
    if count and count.start() >= 2:  # 合肥市9个市, 杭州市三地: the name ends before the count
        b = a + count.start()
    return [(a, b)] if b > a else []


_JOINT = re.compile(r"和|与|及|、")
_ENDS_NAME = re.compile("(?:" + SUFFIX_PATTERN.pattern + ")$")
_PHASE = re.compile(r"[一二三四五六七八九十\d]期$")
# English prose, not a name: a word in lower case (names in English are capitalized).
_PROSE = re.compile(r"(?:^|[\s(])[a-z]{2,}")
_TRAILING_COUNT = re.compile(r"[\d一二三四五六七八九十两]+个?(?:城市|城|市|地)$")
_LEADING_TIME = re.compile(r"^\d{4}年?(?:至\d{4}年)?(?=[\u4e00-\u9fff])")
