"""Candidate relations between the entities of an article, by patterns over the
sentence: roles before names (院长X → leads), locative verbs (落户, 聚集 → locatedIn),
与…合作 (cooperatesWith), 建立/成立/组建 (establishes), 实施/落实/出台 (implements),
被…评为 (designatedBy), 成为…试点 (participatesIn), …在内的 (memberOf), 签署《》
(signs), 对…给予支持 (supports), 作为…之一 (partOf), lists of 成果 (achievedBy),
“中心节点” claims (centralNodeOf). A missing subject gets ranked candidates."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from g60kg.news.entities import DESIGNATION, PARTICIPATION, Mention
from g60kg.news.gazetteer import ROLE_HEADS, SUFFIX_PATTERN
from g60kg.news.lists import Enumeration
from g60kg.news.subjects import AGENTS, ORGS, PLACES, Candidate, SubjectFinder
from g60kg.news.text import Article

__all__ = ["Relation", "find_relations"]

_LOCATED_AFTER = re.compile(r"(?:落户|落地|入驻|聚于|位于|坐落于|扎根|布局在|聚集在)(?=\S)")
_GATHER = re.compile(r"聚集|集聚|汇聚")
_ESTABLISH = re.compile(r"建立|成立|组建|设立|创建|创办|发起|启动|共建")
_IMPLEMENT = re.compile(r"实施|落实|执行|推行|出台")
_SIGN = re.compile(r"签署|签订")
_CENTRAL = re.compile(r"成为(?P<what>[^,，。]{2,60}?)的?“?(?:中心节点|核心节点|枢纽节点)")
_SUPPORT = re.compile(r"对(?P<y>[^,，。、]{1,20}?)在?[^。]{0,60}?(?:给予|提供)[^。,，]{0,6}支持")
_PART = re.compile(r"作为“?(?P<x>[^”,，。]{2,40})”?(?:重点工程|重点项目|重要组成部分|组成部分|重要一环)之一")
_LOCATABLE = ORGS | {"Project"}
_FOUNDABLE = ORGS | {"Policy", "Project", "Event"}


@dataclass
class Relation:
    """A candidate fact: subject (ranked candidates, first is proposed), predicate, object."""

    subjects: list[Candidate]
    predicate: str
    object: str
    sentence: int
    start: int
    end: int
    role: str = ""
    confidence: float = 0.6
    explicit: bool = True
    object_candidates: list[Candidate] = field(default_factory=list)  # when the object is the implicit end

    @property
    def subject(self) -> str:
        return self.subjects[0].name if self.subjects else ""


class _Sentence:
    def __init__(self, index: int, article: Article, mentions: list[Mention], finder: SubjectFinder) -> None:
        self.index = index
        self.info = article.sentences[index]
        self.text = self.info.text
        self.base = self.info.start
        self.mentions = finder.by_sentence.get(index, [])
        self.finder = finder

    def at(self, local: int) -> Mention | None:
        return next((m for m in self.mentions if m.start - self.base <= local < m.end - self.base), None)

    def after(self, local: int, classes: set[str], *, stop: str = ",，。;；") -> list[Mention]:
        """Mentions of the given classes after ``local`` in the same clause."""
        cut = min([self.text.find(c, local) for c in stop if self.text.find(c, local) >= 0] or [len(self.text)])
        return [m for m in self.mentions if local <= m.start - self.base < cut and m.cls in classes]

    def nearest_left(self, local: int, classes: set[str]) -> Mention | None:
        clause = self.finder.clause_start(self.index, local + self.base) - self.base
        left = [m for m in self.mentions if clause <= m.start - self.base and m.end - self.base <= local and m.cls in classes]
        return left[-1] if left else None

    def subjects(self, local: int, classes: set[str] = AGENTS) -> tuple[list[Candidate], bool]:
        near = self.nearest_left(local, classes)
        if near is not None:
            return [Candidate(near.name, 0.85, "before the verb")], True
        return self.finder.candidates(self.index, local + self.base, classes), False


def _add(out: list[Relation], s: _Sentence, subjects: list[Candidate], explicit: bool, predicate: str, obj: Mention,
         *, role: str = "", base_confidence: float = 0.7) -> None:
    if not subjects or subjects[0].name == obj.name:
        return
    confidence = base_confidence * (1.0 if explicit else subjects[0].score)
    out.append(Relation(subjects, predicate, obj.name, s.index, obj.start, obj.end, role, round(confidence, 2), explicit))


def find_relations(article: Article, mentions: list[Mention], lists: list[Enumeration],
                   finder: SubjectFinder) -> list[Relation]:
    """Candidate relations of the whole article, duplicates (same subject, predicate and
    object) kept once."""
    out: list[Relation] = []
    by_sentence: dict[int, list[Enumeration]] = {}
    starts = [s.start for s in article.sentences]
    for enum in lists:
        by_sentence.setdefault(bisect.bisect_right(starts, enum.start) - 1, []).append(enum)
    for index in range(len(article.sentences)):
        s = _Sentence(index, article, mentions, finder)
        if not s.mentions:
            continue
        enums = by_sentence.get(index, [])
        _roles(out, s)
        _located(out, s, enums)
        _cooperation(out, s)
        _verbs(out, s, _ESTABLISH, "establishes", _FOUNDABLE)
        _verbs(out, s, _IMPLEMENT, "implements", {"Policy", "Project"})
        _designation(out, s)
        _membership(out, s, enums)
        _signing(out, s)
        _support(out, s, mentions)
        _central(out, s)
        _part(out, s, mentions)
        _achieved(out, s, enums)
    unique: dict[tuple[str, str, str], Relation] = {}
    for rel in out:
        key = (rel.subject, rel.predicate, rel.object)
        if key not in unique or unique[key].confidence < rel.confidence:
            unique[key] = rel
    return sorted(unique.values(), key=lambda r: (r.start, r.predicate))


def _roles(out: list[Relation], s: _Sentence) -> None:
    """ORG + title + person (省经信委副主任胡学同): the person leads the body when the
    title ends as a head's does (长, 主任, 书记 …), else works for it."""
    for person in (m for m in s.mentions if m.cls == "Person"):
        local = person.start - s.base
        orgs = [m for m in s.mentions if m.end - s.base <= local and m.cls in ORGS]
        if not orgs:
            continue
        org = orgs[-1]
        role = s.text[org.end - s.base:local]
        if not re.fullmatch(r"[\u4e00-\u9fff]{1,8}", role) and role:
            continue
        if not role:
            continue
        predicate = "leads" if role.endswith(ROLE_HEADS) else "affiliatedWith"
        _add(out, s, [Candidate(person.name, 0.9, "named with the role")], True, predicate, org, role=role,
             base_confidence=0.85)


def _located(out: list[Relation], s: _Sentence, enums: list[Enumeration]) -> None:
    items = [m for e in enums for a, b in e.items for m in s.mentions if m.start == a and m.end == b]
    for verb in _LOCATED_AFTER.finditer(s.text):
        place = s.at(verb.end())
        if place is None or place.cls not in PLACES:
            continue
        things = [m for m in items if m.cls in _LOCATABLE]
        if not things:
            near = s.nearest_left(verb.start(), _LOCATABLE)
            if near is None:
                opener = s.finder.sentence_subject(s.index, _LOCATABLE)
                near = opener
            things = [near] if near else []
        for thing in things:
            _add(out, s, [Candidate(thing.name, 0.85, "located")], True, "locatedIn", place, base_confidence=0.75)
    for verb in _GATHER.finditer(s.text):
        things = [m for m in items if m.cls in _LOCATABLE and m.start - s.base > verb.start()]
        if not things:
            continue
        subjects, explicit = s.subjects(verb.start(), PLACES - {"Corridor", "Region"})
        for thing in things:
            if subjects:
                obj = Mention(0, 0, subjects[0].name, "District", "subject", 0, s.index)
                rel_confidence = 0.7 * (1.0 if explicit else subjects[0].score)
                out.append(Relation([Candidate(thing.name, 0.85, "listed")], "locatedIn", obj.name, s.index,
                                    thing.start, thing.end, "", round(rel_confidence, 2), explicit, list(subjects)))


def _cooperation(out: list[Relation], s: _Sentence) -> None:
    for m in re.finditer(r"与(?P<objs>[^。;；]{2,80}?)(?:合作|携手|联手|协作|共建)", s.text):
        objects = [x for x in s.mentions if m.start("objs") <= x.start - s.base < m.end("objs") and x.cls in AGENTS - {"Region"}]
        if not objects:
            continue
        subjects, explicit = s.subjects(m.start(), AGENTS)
        for obj in objects:
            _add(out, s, subjects, explicit, "cooperatesWith", obj)


def _verbs(out: list[Relation], s: _Sentence, pattern: re.Pattern[str], predicate: str, classes: set[str]) -> None:
    for verb in pattern.finditer(s.text):
        objects = s.after(verb.end(), classes)
        objects = [o for o in objects if not any(t.tag == "v" and verb.end() <= t.start - s.base < o.start - s.base
                                                 and not any(m.start <= t.start < m.end for m in s.mentions)
                                                 for t in s.finder.tokens[s.index])]
        if not objects:
            continue
        subjects, explicit = s.subjects(verb.start(), AGENTS)
        for obj in objects:
            _add(out, s, subjects, explicit, predicate, obj)


def _designation(out: list[Relation], s: _Sentence) -> None:
    for m in DESIGNATION.finditer(s.text):
        bodies = [x for x in s.mentions if m.start("by") <= x.start - s.base < m.end("title") and x.cls == "GovernmentBody"]
        title = next((x for x in s.mentions if x.rule == "designation" and m.start("title") <= x.start - s.base), None)
        subjects, explicit = s.subjects(m.start(), AGENTS | {"Project"})
        for body in bodies:
            _add(out, s, subjects, explicit, "designatedBy", body, role=title.text if title else "")


def _membership(out: list[Relation], s: _Sentence, enums: list[Enumeration]) -> None:
    for enum in enums:
        if enum.head_class != "Person":
            continue
        rest = s.text[enum.end - s.base:]
        inside = re.match(r"[^,，。]{0,10}?在内的", rest)
        if not inside:
            continue
        org = s.at(enum.end - s.base + inside.end())
        if org is None or org.cls not in ORGS:
            continue
        for a, b in enum.items:
            person = s.at(a - s.base)
            if person is not None and person.cls == "Person":
                _add(out, s, [Candidate(person.name, 0.9, "listed")], True, "memberOf", org, role=enum.head)


def _signing(out: list[Relation], s: _Sentence) -> None:
    for verb in _SIGN.finditer(s.text):
        documents = [m for m in s.after(verb.end(), {"Policy"})]
        clause = s.finder.clause_start(s.index, verb.start() + s.base) - s.base
        agents = [m for m in s.mentions if clause <= m.start - s.base < verb.start() and m.cls in AGENTS]
        for doc in documents:
            for agent in agents:
                _add(out, s, [Candidate(agent.name, 0.85, "signatory")], True, "signs", doc)
        for other in agents[1:]:
            _add(out, s, [Candidate(agents[0].name, 0.8, "co-signatory")], True, "cooperatesWith", other, base_confidence=0.6)


def _support(out: list[Relation], s: _Sentence, mentions: list[Mention]) -> None:
    for m in _SUPPORT.finditer(s.text):
        target = s.at(m.start("y"))
        if target is None:
            bare = SUFFIX_PATTERN.fullmatch(m["y"])
            if bare is None:
                continue
            earlier = [x for x in mentions if x.end <= s.base + m.start() and x.text.endswith(m["y"])]
            if not earlier:
                continue
            target = earlier[-1]
        subjects, explicit = s.subjects(m.start(), AGENTS)
        _add(out, s, subjects, explicit, "supports", target)


def _central(out: list[Relation], s: _Sentence) -> None:
    for m in _CENTRAL.finditer(s.text):
        subjects, explicit = s.subjects(m.start(), PLACES | ORGS)
        for obj in (x for x in s.mentions if m.start("what") <= x.start - s.base < m.end("what")
                    and x.cls in {"Corridor", "Alliance"}):
            _add(out, s, subjects, explicit, "centralNodeOf", obj, base_confidence=0.7)


def _part(out: list[Relation], s: _Sentence, mentions: list[Mention]) -> None:
    for m in _PART.finditer(s.text):
        whole = s.at(m.start("x"))
        if whole is None:
            continue
        earlier = [x for x in mentions if x.sentence < s.index and x.cls == whole.cls and x.name != whole.name]
        if not earlier:
            continue
        _add(out, s, [Candidate(earlier[-1].name, 0.6, "the thing the previous sentence is about")], False, "partOf", whole,
             base_confidence=0.6)


def _achieved(out: list[Relation], s: _Sentence, enums: list[Enumeration]) -> None:
    for enum in enums:
        if enum.head not in ("成果", "产品") or not enum.strong:
            continue
        subjects, explicit = s.subjects(enum.start - s.base, AGENTS)
        if not explicit:
            opener = s.finder.sentence_subject(s.index)
            if opener is not None:
                subjects, explicit = [Candidate(opener.name, 0.8, "sentence subject")], True
        for a, b in enum.items:
            item = s.at(a - s.base)
            if item is None or not subjects:
                continue
            obj = Mention(0, 0, subjects[0].name, "", "subject", 0, s.index)
            confidence = 0.7 * (1.0 if explicit else subjects[0].score)
            out.append(Relation([Candidate(item.name, 0.85, "listed")], "achievedBy", obj.name, s.index, item.start,
                                item.end, "", round(confidence, 2), explicit, list(subjects)))
