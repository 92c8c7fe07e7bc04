"""Mentions of entities in an article, by rules over the tagged text: places and the
corridor's names (gazetteer), names ending in a class suffix (…研究院, …有限公司),
list items typed by their head noun, quoted and titled names, people by role and by the
tagger, short forms of names found (中国X → X), names nested in longer ones. The spans of
the learned name model are turned into mentions by ``g60kg.news.spans``.

Candidates overlap; the longer and better-founded one wins. Nothing here knows the
curated graph: linking to it comes afterwards and adds no mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from g60kg.news.gazetteer import (
    ABBREVIATIONS, BYLINES, CITY_TITLE_PATTERN, CORRIDOR_PATTERN, EXPRESSWAY_PATTERN, OUTLET_ENDINGS, CUES, GENERIC_WORDS, INDUSTRY_WORDS, NATIONAL_BODIES, PARENT_SUFFIXES,
    PARK_ABBREVIATIONS, PERSON_TITLES, PLACE_PATTERN, PLACES, RELATIVE_BODY_PATTERN, ROLES, SECTOR_WORDS, SELF_PATTERN,
    SPEECH, STRATEGY_PATTERN, SUFFIX_PATTERN, SUFFIXES, TRIGGERS,
)
from g60kg.news.lists import Enumeration
from g60kg.news.tagger import Token

__all__ = ["Mention", "event_opening", "find_mentions", "name_tail", "names_a_kind", "nested_mentions", "province_first", "self_references", "settle", "short_forms",
           "suffix_class"]

_PLACE_RE = re.compile(PLACE_PATTERN)
_PLACE_BEFORE = re.compile(r"(?:" + PLACE_PATTERN + r")$")
_REGION_RE = re.compile(r"(?:" + PLACE_PATTERN + r")(?:东|西|南|北|东南|西南|东北|西北)?[一二三四五六七八九十两\d]+(?:区|市|城|省|县)")
_PARK_RE = re.compile("|".join(PARK_ABBREVIATIONS))
_QUOTED = re.compile(r"“([^“”]{2,16})”")
_TITLE = re.compile(r"《([^《》,，。]{2,60})(?:》|(?=[,，。]))")
_BYLINE = re.compile(r"(?:" + "|".join(BYLINES) + r")[:：\s]*(?P<name>[\u4e00-\u9fff]{2,3})(?=[)）\s]|$)")
# An outlet at the head of a dateline (新华社合肥9月1日电) or before a reporter's title (中新网记者).
_OUTLET = re.compile(r"(?<![\u4e00-\u9fff])(?P<name>[\u4e00-\u9fff]{1,5}?(?:" + "|".join(OUTLET_ENDINGS) + r"))"
                     r"(?:(?P<place>[\u4e00-\u9fff]{0,6}?)\d{1,2}月\d{1,2}日电|(?:" + "|".join(BYLINES) + "))")
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_ROLE_NAME = re.compile(r"(?P<role>" + "|".join(sorted(ROLES + PERSON_TITLES, key=len, reverse=True)) +
                        r")(?P<name>[\u4e00-\u9fff]{2,3}?)(?=" + "|".join(SPEECH) + r"|在)")
_COMPANY_FORM = re.compile(r"(?:股份有限公司|有限责任公司|集团有限公司|有限公司|股份公司|集团)$")
_ABBREVIATED = re.compile("[" + "".join(ABBREVIATIONS) + "](?:、[" + "".join(ABBREVIATIONS) + "])+")
_BARE_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d\d$")
_EDITION = re.compile(r"第[一二三四五六七八九十\d]+届|首届")  # 第五届…博览会: the edition is part of the name
_PREPARING = "(筹)"
# Working groups are named after their task, verb included (推进…建设专责小组).
_GROUPS = ("领导小组", "专责小组")
_GROUP_VERBS = ("推进",)
# The longest quotation (with its marks) a name may open with: a theme before an event word
# (“…高质量发展”咨询会) runs to twenty characters and more.
_QUOTED_TITLE = 30
_NUMERAL_START = re.compile(r"^[一二三四五六七八九十两\d]")
_NOT_NAMES = ("d", "vd", "ad", "r", "v", "p", "c")
_ADMIN_CLASS = (("街道", "Town"), ("镇", "Town"), ("乡", "Town"), ("省", "Province"), ("市", "City"), ("区", "District"),
                ("县", "District"))


@dataclass
class Mention:
    """A stretch of the clean text that names an entity."""

    start: int
    end: int
    text: str
    cls: str
    rule: str
    priority: int
    sentence: int
    canonical: str = ""  # for a short form: the full name it stands for

    @property
    def name(self) -> str:
        return self.canonical or self.text


def _token_at(tokens: list[Token], pos: int) -> int:
    return next((i for i, t in enumerate(tokens) if t.start <= pos < t.end), -1)


def _extend_left(text: str, tokens: list[Token], start: int, suffix_len: int, base: int) -> int:
    """Where a name that ends in a suffix at ``start`` begins: leftwards over name-like
    words, bracketed places and short quotations, up to a function word, a trigger verb
    or punctuation."""
    i = _token_at(tokens, start + base)
    if i < 0 or text[tokens[i].start - base:start] in TRIGGERS:  # 出席会议 as one word: a verb and a bare suffix
        return start
    left = min(start, tokens[i].start - base)
    end_of_suffix = start + suffix_len
    j = i - 1
    while j >= 0:
        tok = tokens[j]
        s, word = tok.start - base, tok.text
        if word in ("”", '"') or word.endswith("”"):
            open_at = text.rfind("“", 0, s + len(word))
            if open_at < 0 or s + len(word) - open_at > _QUOTED_TITLE:
                break
            left = open_at
            j = _token_at(tokens, open_at + base) - 1
            continue
        if word in (")", "）"):
            open_at = max(text.rfind("(", 0, s), text.rfind("（", 0, s))
            inner = text[open_at + 1:s]
            if open_at < 0 or not (_PLACE_RE.fullmatch(inner) or len(inner) <= 4):
                break
            left = open_at
            j = _token_at(tokens, open_at + base) - 1
            continue
        short = end_of_suffix - left <= suffix_len + 1
        function = tok.tag in ("p", "c", "u", "d", "r", "w", "q", "TIME", "xc", "v") or word in TRIGGERS
        if tok.tag == "m" and (re.fullmatch(r"[一二两三四五六七八九十\d]+[大条]", word) or _EDITION.fullmatch(word)):
            function = False
        elif tok.tag == "m":
            function = True
        if word == "暨" and SUFFIXES.get(text[start:end_of_suffix]) == "Event":
            function = False  # A暨B: one combined event
        if word in _GROUP_VERBS and text[start:end_of_suffix] in _GROUPS:
            function = False  # 市推进…工作领导小组: a group is named after its task
        if function and not (short and tok.tag == "v" and word not in TRIGGERS):
            if word in ("与", "和") and _bridge(text, tokens, j, base):
                left = _bridge(text, tokens, j, base)
                break
            break
        if end_of_suffix - s > 30:
            break
        left = s
        j -= 1
    return left


def _bridge(text: str, tokens: list[Token], j: int, base: int) -> int:
    """上海脑科学与类脑研究中心: cross 与 when the words before it start at a place name
    and do not end a name of their own."""
    k = j - 1
    start = None
    while k >= 0 and tokens[k].tag in ("n", "nz", "LOC", "vn") and j - k <= 3:
        start = k
        k -= 1
    if start is None or not (tokens[start].tag == "LOC" or tokens[start].text in PLACES):
        return 0
    if all(t.tag == "LOC" or t.text in PLACES for t in tokens[start:j]):
        return 0  # 嘉兴市南湖区与…公司: two parties, not one name
    chunk = text[tokens[start].start - base:tokens[j].start - base]
    if SUFFIX_PATTERN.search(chunk[-4:]) or (k >= 0 and tokens[k].tag not in ("v", "p", "u", "w", "c", "d")):
        return 0
    return tokens[start].start - base


def _specific(text: str, tokens: list[Token], a: int, b: int, suffix: str, base: int) -> bool:
    """Whether a suffix name says which one (星海科技研究院) rather than what kind (国家实验室,
    人工智能大会: an industry and an event word)."""
    body = text[a:b - len(suffix)]
    if names_a_kind(text[a:b]):
        return False
    if re.search(r"[A-Za-z0-9“”()（）]", body):
        return True
    words = [t for t in tokens if a <= t.start - base < b - len(suffix)]
    if any(t.tag in ("LOC", "ORG", "PER", "nz", "nw") and t.text not in GENERIC_WORDS for t in words):
        return True
    specific = sum(len(t.text) for t in words if t.text not in GENERIC_WORDS and t.tag not in ("a", "m"))
    return specific >= 4 and len(body) >= 3


def names_a_kind(name: str) -> bool:
    """Whether a name is an industry followed by an event word (工业互联网会议, 人工智能大会):
    a kind of event, not a named one.

    >>> names_a_kind("人工智能大会"), names_a_kind("2031青岚人工智能大会"), names_a_kind("卫星互联网产业集群")
    (True, False, False)
    """
    suffix = next((m for m in SUFFIX_PATTERN.finditer(name) if m.end() == len(name)), None)
    return suffix is not None and SUFFIXES[suffix[0]] == "Event" and name[:suffix.start()] in SECTOR_WORDS


_INNER_STOPS = ("p", "c", "u", "d", "r", "w", "TIME", "xc")


def _named_after(text: str, tokens: list[Token], start: int, base: int) -> tuple[int, str] | None:
    """The end and class of a name that runs from a word ending at ``start`` (the corridor's
    name) to the nearest class suffix of the clause, over no punctuation, function word or
    trigger verb (长三角G60科创走廊 + 科技成果转化 + 概念验证中心)."""
    clause = re.search(r"[,，。;；:：、!?！？“”《》]", text[start:])
    limit = start + (clause.start() if clause else len(text) - start)
    suffix = next((m for m in SUFFIX_PATTERN.finditer(text, start, min(limit, start + 24)) if m.start() > start), None)
    if suffix is None:
        return None
    inner = [t for t in tokens if start <= t.start - base < suffix.start()]
    if any(t.tag in _INNER_STOPS or t.text in TRIGGERS for t in inner):
        return None
    return suffix.end(), suffix_class(text[:suffix.end()], suffix[0])


def _opens_phrase(tokens: list[Token], pos: int) -> bool:
    """Whether a word starts at ``pos`` after punctuation, a function word or a verb (not
    inside or after a name: 松江区委 is not 区委)."""
    before = [t for t in tokens if t.end <= pos]
    if any(t.start < pos < t.end for t in tokens):
        return False
    return not before or before[-1].tag in ("w", "p", "c", "u", "v", "d", "m", "q", "r", "TIME")


def _ends_word(tokens: list[Token], pos: int) -> bool:
    return not any(t.start < pos < t.end for t in tokens)


def suffix_class(name: str, suffix: str) -> str:
    cls = SUFFIXES[suffix]
    if suffix == "委员会" and _PLACE_RE.match(name) and "专家" not in name:
        return "GovernmentBody"
    return cls


def _followed_by_count(text: str, end: int) -> bool:
    return bool(re.match(r"[约超近逾]?\d", text[end:end + 3]))


def find_mentions(text: str, tokens: list[Token], lists: list[Enumeration], sentence: int, base: int) -> list[Mention]:
    """Candidate mentions of one sentence (clean text ``text`` starting at ``base``),
    before overlaps are settled."""
    out: list[Mention] = []

    def add(a: int, b: int, cls: str, rule: str, priority: int) -> None:
        if b - a >= 1 and cls:
            b = name_tail(text, b, cls)
            cut = province_first(text[a:b])
            if cut:  # 浙江嘉兴: two places
                out.append(Mention(a + base, a + cut + base, text[a:a + cut], "Province", rule, priority, sentence))
                a, cls = a + cut, PLACES[text[a + cut:b]]
            if cls == "Event":
                a = event_opening(text, a)
            out.append(Mention(a + base, b + base, text[a:b], cls, rule, priority, sentence))

    for m in _PLACE_RE.finditer(text):
        if not re.match(r"[A-Za-z0-9]", text[m.end():m.end() + 1]):
            add(m.start(), m.end(), PLACES[m[0]], "gazetteer", 2)
    for m in _REGION_RE.finditer(text):
        if not text[:m.start()].endswith(("、", ",", "和")):  # …、合肥九城: the last of a list, then a count
            add(m.start(), m.end(), "Region", "gazetteer", 3)
    for m in CORRIDOR_PATTERN.finditer(text):
        add(m.start(), m.end(), "Corridor", "gazetteer", 2)
        named = _named_after(text, tokens, m.end(), base)
        if named:  # 长三角G60科创走廊产城融合发展示范区: the corridor opens a longer name
            add(m.start(), named[0], named[1], "suffix", 3)
    for m in RELATIVE_BODY_PATTERN.finditer(text):
        if not _ends_word(tokens, m.end() + base):
            continue
        if _opens_phrase(tokens, m.start() + base):
            add(m.start(), m.end(), "GovernmentBody", "gazetteer", 2)
            continue
        place = _PLACE_BEFORE.search(text, 0, m.start() + 1)
        if place and place.end() == m.start() + 1 and place[0][-1] == m[0][0]:  # 芜湖市科技局: the place's own body
            add(place.start(), m.end(), "GovernmentBody", "suffix", 3)
    for m in _ABBREVIATED.finditer(text):
        singles = [t for t in tokens if t.end - t.start == 1 and t.text in ABBREVIATIONS
                   and m.start() <= t.start - base < m.end()]
        if len(singles) == (m.end() - m.start() + 1) // 2:  # each its own word: 松、湖两地, not 芜湖、合肥
            for t in singles:
                out.append(Mention(t.start, t.end, t.text, PLACES[ABBREVIATIONS[t.text]], "gazetteer", 2, sentence,
                                   canonical=ABBREVIATIONS[t.text]))
    for m in SELF_PATTERN.finditer(text):
        add(m.start(), m.end(), dict(_ADMIN_CLASS)[m[0][-1]], "gazetteer", 2)
    for m in STRATEGY_PATTERN.finditer(text):
        add(m.start(), m.end(), "Policy", "gazetteer", 3)
    for m in EXPRESSWAY_PATTERN.finditer(text):
        add(m.start(), m.end(), "Project", "gazetteer", 3)
    for m in CITY_TITLE_PATTERN.finditer(text):
        add(m.start(), m.end(), "Achievement", "gazetteer", 3)
    for m in _PARK_RE.finditer(text):
        add(m.start(), m.end(), PARK_ABBREVIATIONS[m[0]], "gazetteer", 2)
    for m in NATIONAL_BODIES.finditer(text):
        if m[0].startswith(("国", "中")) or _opens_name(text, m.start()):  # 科技部 alone: not inside a word
            add(m.start(), m.end(), "GovernmentBody", "gazetteer", 3)
    for m in SUFFIX_PATTERN.finditer(text):
        left = _extend_left(text, tokens, m.start(), len(m[0]), base)
        name = text[left:m.end()]
        if len(name) < len(m[0]) + 2 or _followed_by_count(text, m.end()) and not _specific(
                text, tokens, left, m.end(), m[0], base):
            continue
        if _specific(text, tokens, left, m.end(), m[0], base):
            cls = suffix_class(name, m[0])
            stage = _STAGE_AFTER.match(text, m.end()) if cls in ("Project", "Park") else None
            add(left, stage.end() if stage else m.end(), "Project" if stage else cls, "suffix", 3)
    for enum in lists:
        if not enum.strong:
            continue
        for a, b in enum.items:
            item = text[a - base:b - base]
            suffix = SUFFIX_PATTERN.search(item)
            cls = suffix_class(item, suffix[0]) if suffix and suffix.end() == len(item) else enum.head_class
            if cls == "Project" and any(t.tag == "ORG" and t.start == a and t.end == b for t in tokens):
                cls = "Enterprise"
            add(a - base, b - base, cls, "list", 3)
    for m in _QUOTED.finditer(text):
        before = text[max(0, m.start() - 3):m.start()].rstrip("了")
        after = text[m.end():m.end() + 2]
        if SUFFIX_PATTERN.match(after) and not after.startswith("计划"):
            continue
        if any(before.endswith(v) for v in CUES["quoted"]):
            add(m.start(1), m.end(1), "Project", "quote", 3)
    for m in _TITLE.finditer(text):
        add(m.start(1), m.end(1), "Policy", "title", 4)
    for m in _BYLINE.finditer(text):
        add(m.start("name"), m.end("name"), "Person", "role", 3)
    for m in _OUTLET.finditer(text):
        a = m.start("name")
        lead = next((t for t in tokens if t.start - base == a and t.end - base < m.end("name")), None)
        if lead is not None and lead.tag in ("p", "c", "d", "v"):  # 据中新网记者: 据 is no part of it
            a = lead.end - base
        if m.end("name") - a >= 3:  # 本报记者: the paper speaking of itself
            add(a, m.end("name"), "Organization", "byline", 4)
        if m["place"] in PLACES:  # the place of the dateline, right before its date
            add(m.start("place"), m.end("place"), PLACES[m["place"]], "gazetteer", 2)
    for m in _ROLE_NAME.finditer(text):
        if not any(t.start - base == m.start("name") and t.tag in _NOT_NAMES for t in tokens):  # 主任首先介绍
            add(m.start("name"), m.end("name"), "Person", "role", 3)
    for i, tok in enumerate(tokens):
        a, b = tok.start - base, tok.end - base
        if tok.tag == "PER" and _PERSON.match(tok.text) and tok.text not in ROLES:
            add(a, b, "Person", "tagger", 1)
        elif tok.tag == "ORG" and len(tok.text) >= 2 and not _NUMERAL_START.match(tok.text) \
                and not SUFFIX_PATTERN.fullmatch(tok.text) and tok.text not in GENERIC_WORDS:
            end = b
            while i + 1 < len(tokens) and tokens[i + 1].text in INDUSTRY_WORDS and end - a < 8:
                i += 1
                end = tokens[i].end - base
            add(a, end, "Enterprise", "tagger", 1)
        elif tok.tag == "LOC" and not _NUMERAL_START.match(tok.text) and tok.text not in PLACES:
            cls = next((c for s, c in _ADMIN_CLASS if tok.text.endswith(s) and len(tok.text) > len(s) + 1), "")
            add(a, b, cls, "tagger", 1)
    return [m for m in out if m.text.strip() and m.text not in SECTOR_WORDS and m.text not in GENERIC_WORDS]


_FUNCTION_CHARACTERS = {w for w in TRIGGERS if len(w) == 1}


def _opens_name(text: str, start: int) -> bool:
    """Whether a name can start at ``start``: after no Chinese character, or after a
    one-character function word (由科技部, 与工信部), not inside a word (X科技部).

    >>> _opens_name("由科技部指导", 1), _opens_name("星海科技部", 2), _opens_name("科技部", 0)
    (True, False, True)
    """
    before = text[start - 1:start]
    return not re.match(r"[\u4e00-\u9fff]", before) or before in _FUNCTION_CHARACTERS


_HOST_PLACE = re.compile(r"(?:中国|" + PLACE_PATTERN + r")·$")


_VERSION = re.compile(r"\d+(?:\.\d+)?版")


def name_tail(text: str, end: int, cls: str) -> int:
    """Where a name ending at ``end`` really ends: past a body's (筹) (being set up) and a
    document's version (总体发展规划3.0版).

    >>> name_tail("青岚研究院(筹)成立", 5, "Institute"), name_tail("发展规划3.0版发布", 4, "Policy")
    (8, 8)
    """
    if text.startswith(_PREPARING, end):
        return end + len(_PREPARING)
    version = _VERSION.match(text, end) if cls == "Policy" else None
    return version.end() if version else end


def event_opening(text: str, start: int) -> int:
    """Where the name of an event found at ``start`` opens when the words before it belong
    to it: a host place joined by · (中国·杭州…峰会) and a bare year (2024…联席会议).

    >>> text = "2019中国·青岚健康峰会开幕"
    >>> text[event_opening(text, 7):13], event_opening("会上,2024青岚大会开幕", 7)
    ('2019中国·青岚健康峰会', 3)
    """
    place = _HOST_PLACE.search(text, 0, start)
    if place:
        start = place.start()
    year = _BARE_YEAR.search(text, 0, start)
    return year.start() if year else start


def province_first(name: str) -> int:
    """Where the city starts in a name written province-first (浙江嘉兴 -> 2), else 0.

    >>> province_first("浙江嘉兴"), province_first("上海市松江区"), province_first("浙江大学")
    (2, 0, 0)
    """
    province = re.match(PLACE_PATTERN, name)
    if province and PLACES[province[0]] == "Province" and name[province.end():] in PLACES:
        return province.end()
    return 0


_PARENT_SUFFIX = re.compile("|".join(PARENT_SUFFIXES))


# A stage or section of a project written after its name (…一期项目, …机场三期, …高速公路杭绍段).
_STAGE_WORDS = r"[一二三四五六七八九十\d]+期(?:项目|工程)?|[\u4e00-\u9fff][^\W\d阶]段"
_STAGE = re.compile(r"(?:" + _STAGE_WORDS + r")$")
_STAGE_AFTER = re.compile(_STAGE_WORDS)


def nested_mentions(mentions: list[Mention]) -> list[Mention]:
    """Names inside longer names that are entities of their own: the corridor's names
    (长三角G60科创走廊 in an alliance's name), a place before a place (上海市 in
    上海市松江区), a parent named first (合肥国家实验室 in 合肥国家实验室上海基地), and the
    project a stage or section belongs to (青岚科创城 in 青岚科创城一期项目).

    >>> outer = Mention(0, 12, "长三角G60科创走廊新材料联盟", "Alliance", "suffix", 3, 0)
    >>> [(m.text, m.cls) for m in nested_mentions([outer])]
    [('长三角G60科创走廊', 'Corridor')]
    """
    out: list[Mention] = []
    for m in mentions:
        if m.cls in ("District", "City", "Town", "Province"):
            place = re.match(PLACE_PATTERN, m.text)
            if place and place.end() < len(m.text) and m.text[place.end():] in PLACES:
                out.append(Mention(m.start, m.start + place.end(), place[0], PLACES[place[0]], "nested", 2, m.sentence))
            continue
        for c in CORRIDOR_PATTERN.finditer(m.text):  # not in another of its names (沪嘉杭G60科创走廊)
            if c.end() - c.start() < len(m.text) and c[0].endswith("走廊") and m.cls != "Corridor":
                out.append(Mention(m.start + c.start(), m.start + c.end(), c[0], "Corridor", "nested", 2, m.sentence))
        corridors = [(c.start(), c.end()) for c in CORRIDOR_PATTERN.finditer(m.text)]
        parents = [p for p in _PARENT_SUFFIX.finditer(m.text) if 3 < p.end() < len(m.text) - 1
                   and not any(a < p.end() for a, _ in corridors) and m.text[p.end():] != _PREPARING]
        national = NATIONAL_BODIES.match(m.text)
        if national and national.end() < len(m.text) - 1:  # 中科院合肥物质科学研究院: part of 中科院
            out.append(Mention(m.start, m.start + national.end(), national[0], "GovernmentBody", "nested", 2, m.sentence))
        elif parents:
            end = parents[-1].end()
            name = m.text[:end]
            suffix = SUFFIX_PATTERN.search(name[-3:])
            cls = suffix_class(name, suffix[0]) if suffix and name.endswith(suffix[0]) else "Organization"
            out.append(Mention(m.start, m.start + end, name, cls, "nested", 2, m.sentence))
        elif (stage := _STAGE.search(m.text)) and stage.start() >= 3:
            name = m.text[:stage.start()]
            suffix = next((x for x in SUFFIX_PATTERN.finditer(name) if x.end() == len(name)), None)
            if suffix is not None and suffix.start() > 0:
                out.append(Mention(m.start, m.start + len(name), name, suffix_class(name, suffix[0]), "nested", 2,
                                   m.sentence))
    return out


def self_references(mentions: list[Mention]) -> list[Mention]:
    """The outlet's own place (我市) stands for the place of its level named most often in
    the article; the mentions are returned with that name as the canonical one.

    >>> ms = [Mention(0, 2, "我市", "City", "gazetteer", 2, 0), Mention(3, 6, "金华市", "City", "gazetteer", 2, 0)]
    >>> [m.name for m in self_references(ms)]
    ['金华市', '金华市']
    """
    counts: dict[str, dict[str, int]] = {}
    for m in mentions:
        if not SELF_PATTERN.fullmatch(m.text):
            level = counts.setdefault(m.cls, {})
            level[m.name] = level.get(m.name, 0) + 1
    for m in mentions:
        named = counts.get(m.cls, {}) if SELF_PATTERN.fullmatch(m.text) else {}
        if named:
            m.canonical = max(named, key=lambda n: (named[n], len(n)))
    return mentions


def settle(candidates: list[Mention]) -> list[Mention]:
    """Keep the best of overlapping candidates: higher priority, then longer, then earlier."""
    kept: list[Mention] = []
    taken = bytearray(max((m.end for m in candidates), default=0))
    for m in sorted(candidates, key=lambda m: (-m.priority, -(m.end - m.start), m.start)):
        if any(taken[m.start:m.end]):
            continue
        kept.append(m)
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return sorted(kept, key=lambda m: m.start)


def short_forms(text: str, mentions: list[Mention], sentence_of: list[int]) -> list[Mention]:
    """中国X or 上海X named in full, then X alone: the short form is the same entity.
    Returns the mentions with short forms added (a short form replaces a weaker guess
    of the tagger at the same place)."""
    strong = bytearray(len(text) + 1)  # covered by a mention of a rule
    weak = [0] * (len(text) + 1)  # the length of the tagger's mention covering a position
    for x in mentions:
        if x.rule == "tagger":
            weak[x.start:x.end] = [max(w, x.end - x.start) for w in weak[x.start:x.end]]
        else:
            strong[x.start:x.end] = b"\x01" * (x.end - x.start)
    out: list[Mention] = []
    seen: set[str] = set()
    prefixes = re.compile(r"^(?:中国|" + PLACE_PATTERN + ")")
    for m in mentions:
        if m.cls != "Enterprise" or m.text in seen:
            continue
        seen.add(m.text)
        prefix = prefixes.match(m.text)
        if not prefix or len(m.text) - prefix.end() < 2:
            continue
        short = _COMPANY_FORM.sub("", m.text[prefix.end():]) or m.text[prefix.end():]
        if len(short) < 2:
            continue
        for found in re.finditer(re.escape(short), text):
            a, b = found.start(), found.end()
            if any(strong[a:b]) or max(weak[a:b]) > len(short):
                continue
            out.append(Mention(a, b, short, m.cls, "short form", 2, sentence_of[a], canonical=m.text))
            strong[a:b] = b"\x01" * (b - a)
    added = bytearray(len(text) + 1)
    for o in out:
        added[o.start:o.end] = b"\x01" * (o.end - o.start)
    kept = [m for m in mentions if m.rule != "tagger" or not any(added[m.start:m.end])]
    return sorted(kept + out, key=lambda m: m.start)
