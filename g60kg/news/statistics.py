"""Candidate statistics: each figure with what it counts (the indicator), the time it
refers to, and ranked subjects."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal

from g60kg.news.entities import Mention
from g60kg.news.gazetteer import CUES
from g60kg.text.numbers import Quantity, find_quantities, reads_as_figure
from g60kg.news.subjects import AGENTS, PLACES, STAT_SUBJECTS, Candidate, SubjectFinder
from g60kg.news.tagger import Token
from g60kg.news.text import Article

__all__ = ["Statistic", "find_statistics"]

_NOUNY = {"n", "nz", "vn", "an", "a", "LOC", "nw"}
_LEAD_VERBS = ("达到", "达", "为", "是", "有", "现有", "共有", "拥有", "超", "增长", "提高到", "提升到", "引进", "完成",
               "累计", "聚集", "集聚", "建立", "推出", "位列", "约", "近", "逾", "突破", "实现")
# A clause opening with the corridor's members counted (九城市, 9个城市) speaks for the corridor.
_MEMBER_COUNT = re.compile(r"^[\d一二三四五六七八九十]+个?(?:城市|城)")
_TIME = re.compile(r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|至今|目前|截至[^,，。]{1,10}|累计|年均|半年内|今年|去年|上半年|下半年|"
                   r"“[^”]{1,6}”[末初期间]")


@dataclass
class Statistic:
    """A figure of the article and what it is about."""

    quantity: Quantity  # offsets in the clean text
    sentence: int
    indicator: str
    time: str
    subjects: list[Candidate] = field(default_factory=list)
    confidence: float = 0.7
    repeats: int = 0


def _indicator(text: str, tokens: list[Token], q: Quantity, base: int) -> str:
    before = [t for t in tokens if t.end - base <= q.start]
    words: list[str] = []
    skipping = True
    for tok in reversed(before):
        if skipping and (tok.text in _LEAD_VERBS or tok.tag in ("TIME", "d")):
            continue
        skipping = False
        if tok.tag in _NOUNY and tok.text not in ("等",):
            words.insert(0, tok.text)
        else:
            break
        if sum(map(len, words)) >= 12:
            break
    if words:
        return "".join(words)
    if before and before[-1].tag in ("v", "vn") and len(before[-1].text) >= 2:
        return before[-1].text  # 投资约35亿元
    after = [t for t in tokens if t.start - base >= q.end]
    for tok in after:
        if tok.tag in _NOUNY or tok.text in "“”":
            words.append(tok.text)
        else:
            break
        if sum(map(len, words)) >= 12:
            break
    return "".join(words).strip("“”")


def find_statistics(article: Article, tokens: list[list[Token]], mentions: list[Mention],
                    finder: SubjectFinder) -> list[Statistic]:
    """Every figure of the article, one candidate per figure (a figure repeated in the
    article counts once), with ranked subject candidates."""
    out: list[Statistic] = []
    seen: dict[tuple[Decimal, str], Statistic] = {}
    for index, sentence in enumerate(article.sentences):
        starts = {t.start - sentence.start: "m" if reads_as_figure(t.text) else t.tag for t in tokens[index]}
        for q in find_quantities(sentence.text, starts):
            shifted = dataclasses.replace(q, start=q.start + sentence.start, end=q.end + sentence.start)
            if _counts_the_list(shifted, finder.by_sentence.get(index, []), article.text):
                continue
            key = (q.value, q.unit)
            if key in seen:
                seen[key].repeats += 1
                continue
            time = _TIME.search(sentence.text)
            stat = Statistic(shifted, index, _indicator(sentence.text, tokens[index], q, sentence.start),
                             time[0] if time else "")
            stat.subjects = _subjects(shifted, index, mentions, finder)
            stat.confidence = 0.85 if q.kind in ("count", "percent") and q.unit else 0.6
            if sentence.heading:
                stat.confidence -= 0.2
            seen[key] = stat
            out.append(stat)
    return out


_PLACE_COUNT = re.compile(r"[两二三四五六七八九十\d]+地")


def _counts_the_list(q: Quantity, mentions: list[Mention], text: str) -> bool:
    """Whether a count of places (两地, 三地) only counts the places listed just before it
    (松、湖两地; 松江区、苏州市和杭州市三地): not a figure of its own.

    >>> q = Quantity(3, 5, "两地", Decimal(2), "个")
    >>> m = [Mention(0, 1, "松", "District", "gazetteer", 2, 0), Mention(2, 3, "湖", "City", "gazetteer", 2, 0)]
    >>> _counts_the_list(q, m, "松、湖两地合作"), _counts_the_list(q, m[1:], "松、湖两地合作")
    (True, False)
    """
    if not _PLACE_COUNT.fullmatch(q.text):
        return False
    listed, end = 0, q.start
    for m in sorted((m for m in mentions if m.end <= q.start), key=lambda m: -m.end):
        if m.cls not in PLACES or text[m.end:end] not in ("", "、", "和", "及", "与", ","):
            break
        listed, end = listed + 1, m.start
    return listed == q.value


def _subjects(q: Quantity, index: int, mentions: list[Mention], finder: SubjectFinder) -> list[Candidate]:
    """Ranked subjects: a name the figure sits in (人才18条政策) or directly qualifies
    (3.6万吨…压机, 51名院士在内的…委员会) comes first; a place after a count is what
    is counted (16个长三角城市, 10位浙江省…专家), not the subject."""
    direct: list[Candidate] = []
    sentence = finder.article.sentences[index]
    for m in finder.by_sentence.get(index, []):
        if m.cls not in STAT_SUBJECTS:
            continue
        if m.start <= q.start and q.end <= m.end:
            direct.append(Candidate(m.name, 0.9, "contains the figure"))
        elif m.cls not in PLACES and 0 <= m.start - q.end <= 6 and not re.search(r"[,，。;；、]", sentence.text[q.end - sentence.start:m.start - sentence.start]):
            between = [t for t in finder.tokens[index] if q.end <= t.start < m.start and t.tag == "v"]
            if not between:
                direct.append(Candidate(m.name, 0.75, "qualified by the figure"))
    after = sentence.text[q.end - sentence.start:q.end - sentence.start + 2]
    clause = sentence.text[finder.clause_start(index, q.start) - sentence.start:q.start - sentence.start]
    counts_members = q.unit == "个" and (q.text.endswith(("城", "城市", "市", "省")) or after.startswith(("城市", "市")))
    if counts_members or (_MEMBER_COUNT.match(clause) and not direct):  # 九城市已集聚…31家
        corridor = finder.corridor(index)  # a count of cities: the corridor's members
        if corridor is not None:
            direct = [Candidate(corridor.name, 0.85, "counts the corridor's cities")]
    gathering = None if direct else _gathering(q, index, finder)
    if gathering is not None:  # 近百人参加活动: the number of those who attend the event
        direct = [Candidate(gathering.name, 0.8, "the event attended")]
    described = None if direct else _described(q, index, finder)
    if described is not None:
        direct = [Candidate(described.name, 0.78, "the document or project described")]
    ranked = direct + [c for c in finder.candidates(index, q.start, STAT_SUBJECTS - {"Achievement", "Policy", "Event"})
                       if all(c.name != d.name for d in direct)]
    return ranked[:4]


# Units that count the parts of a document (6个方面, 271项任务, 五大建议, 30条).
_PART_UNITS = ("个", "项", "条")


def _described(q: Quantity, index: int, finder: SubjectFinder) -> Mention | None:
    """The document or project a figure describes when its clause names no agent of its
    own: the one the sentence opens with, else the last one named before the figure with
    no agent between (…发布了X实施方案,围绕…等6个方面; 《白皮书》提出五大建议; X一期项目
    占地138亩). A document takes only counts of its parts."""
    classes = {"Policy", "Project"} if q.unit in _PART_UNITS else {"Project"}
    clause = finder.clause_start(index, q.start)
    mentions = [m for m in finder.by_sentence.get(index, []) if m.end <= q.start]
    if any(m.cls in AGENTS and m.start >= clause for m in mentions):
        return None
    opener = finder.sentence_subject(index, STAT_SUBJECTS)
    if opener is not None and opener.cls in classes:
        return opener
    last = mentions[-1] if mentions else None
    return last if last is not None and last.cls in classes else None


_PEOPLE = ("人", "位", "名")
_ATTENDS = re.compile("|".join(CUES["attends"]))


def _gathering(q: Quantity, index: int, finder: SubjectFinder) -> Mention | None:
    """The event a count of people attends (…等10位院士专家参加, 近百人参加活动): the one the
    sentence names, else the story's; None for another figure or no attendance cue after it."""
    sentence = finder.article.sentences[index]
    if q.unit not in _PEOPLE or not _ATTENDS.search(sentence.text, q.end - sentence.start):
        return None
    named = [m for m in finder.by_sentence.get(index, []) if m.cls == "Event"]
    return named[0] if named else finder.first({"Event"})
