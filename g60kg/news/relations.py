"""Candidate relations between the entities of an article, by patterns over the
sentence: ORG+title+person (leads, affiliatedWith), 集聚 and 在…成立 (locatedIn), 与…合作
(cooperatesWith), 成立/设立/共建 (establishes), 实施/落实/推进 (implements), 发布
(publishes), 签署 (signs), 提供…支持 (supports), lists of 成果 (achievedBy); lists,
events and names come from ``g60kg.news.coordination``. Every cue is a word of
``gazetteer.CUES``. A missing subject gets ranked candidates."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from g60kg.news.entities import Mention
from g60kg.news.gazetteer import CUES, ROLE_HEADS, STRATEGY_PATTERN, SUFFIX_PATTERN, SUFFIXES
from g60kg.news.lists import Enumeration
from g60kg.news.subjects import AGENTS, ORGS, PLACES, Candidate, SubjectFinder
from g60kg.news.tagger import Token
from g60kg.news.text import Article

__all__ = ["Relation", "Sentence", "add_relation", "find_relations", "unique_relations"]


def _cue(name: str) -> str:
    return "|".join(CUES[name])


_FOUNDED_IN = re.compile(r"在(?P<place>[^,，。;；]{2,12}?)(?:" + _cue("establishes") + ")")
_GATHER = re.compile(_cue("gathers"))
_ESTABLISH = re.compile(_cue("establishes"))
_IMPLEMENT = re.compile(_cue("implements"))
_PUBLISH = re.compile(_cue("publishes"))
_SIGN = re.compile(_cue("signs"))
_COOPERATE = re.compile(r"与(?P<objs>[^。;；]{2,80}?)(?:" + _cue("cooperatesWith") + ")")
_ANCHOR = re.compile(r"以(?P<what>[^,，。;；]{2,40}?)为(?:" + _cue("anchors") + ")|(?:" + _cue("anchors") + ")")
_SUPPORT = re.compile(r"为(?P<y>[^,，。、]{1,20}?)[^。]{0,60}?(?:" + _cue("supports") + r")[^。,，]{0,6}(?:" +
                      _cue("support") + ")")
_LOCATABLE = ORGS | {"Project", "Event"}
_FOUNDABLE = ORGS | {"Policy", "Project", "Event"}


_JOINERS = ("、", "和", "及", "与", "以及")


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


class Sentence:
    """One sentence with its mentions, for the relation rules."""

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

    def coordinated(self, last: Mention | None) -> list[Mention]:
        """The run of bodies and places joined by 、, 和, 及 or 与 that ends with ``last``
        (A、B和C), in text order; [] for none."""
        if last is None:
            return []
        run = [last]
        for m in reversed([m for m in self.mentions if m.end <= last.start]):
            if m.cls not in AGENTS or self.text[m.end - self.base:run[0].start - self.base] not in _JOINERS:
                break
            run.insert(0, m)
        return run

    def subjects(self, local: int, classes: set[str] = AGENTS) -> tuple[list[Candidate], bool]:
        near = self.nearest_left(local, classes)
        if near is not None:
            return [Candidate(near.name, 0.85, "before the verb")], True
        return self.finder.candidates(self.index, local + self.base, classes), False


def add_relation(out: list[Relation], s: Sentence, subjects: list[Candidate], explicit: bool, predicate: str, obj: Mention,
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
        s = Sentence(index, article, mentions, finder)
        if not s.mentions:
            continue
        enums = by_sentence.get(index, [])
        _roles(out, s)
        _located(out, s, enums)
        _cooperation(out, s)
        _anchored(out, s)
        _verbs(out, s, _ESTABLISH, "establishes", _FOUNDABLE)
        _verbs(out, s, _IMPLEMENT, "implements", {"Policy", "Project", "Park"})
        _verbs(out, s, _PUBLISH, "publishes", {"Policy"})
        _signing(out, s)
        _support(out, s, mentions)
        _achieved(out, s, enums)
    return unique_relations(out)


def unique_relations(relations: list[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object), the surest, in text order."""
    unique: dict[tuple[str, str, str], Relation] = {}
    for rel in relations:
        key = (rel.subject, rel.predicate, rel.object)
        if key not in unique or unique[key].confidence < rel.confidence:
            unique[key] = rel
    return sorted(unique.values(), key=lambda r: (r.start, r.predicate))


def _roles(out: list[Relation], s: Sentence) -> None:
    """ORG + title + person (省经信委副主任胡学同; 市委副书记、市长X; 主任A、副主任B): the
    person leads the body when the title next to it ends as a head's does (长, 主任, 书记 …),
    is a member of it for a member's title (院士), else works for it; a person listed after
    another with a title of the same body belongs to that body; titles of several bodies
    in a row (A委员会主任、中国工程院院士X) each give one; a mayor's title with no body
    (市长X, 副市长、…X) names the government of the city named right before it, else of the
    story's city."""
    org: Mention | None = None
    chain: list[tuple[Mention, str]] = []  # earlier bodies of the row, with their titles
    last_end = s.base
    previous: Mention | None = None
    for m in s.mentions:
        between = s.text[last_end - s.base:m.start - s.base]
        last_end, before, previous = max(last_end, m.end), previous, m
        if m.cls in ORGS:
            if org is not None and before is org and _TITLE_THEN.fullmatch(between):
                chain.append((org, between[:-1]))
            else:
                chain = _implicit(s, between)
            org = m
            continue
        if m.cls != "Person":
            continue
        titles = between.strip("、,").split("、")
        if org is None or not between or not all(re.fullmatch(r"[\u4e00-\u9fff]{1,8}", t) for t in titles):
            named = before if before is not None and before.cls in ("City", "District") else None
            for body, title in chain + _implicit(s, between, named):
                add_relation(out, s, [Candidate(m.name, 0.8, "named with the role")], True, _role_predicate(title), body,
                             role=title, base_confidence=0.7)
            org, chain = None, []
            continue
        implied = [pair for t in titles[1:] for pair in _implicit(s, t)]
        for body, title in chain + [(org, titles[0])] + implied:
            add_relation(out, s, [Candidate(m.name, 0.9, "named with the role")], True, _role_predicate(title), body,
                         role=title, base_confidence=0.85)
        chain = []


_MAYOR = re.compile(r"(?:^|[,，、:：])(?P<title>[\u4e00-\u9fff]{0,2}(?P<level>[市区县])长)、?$")


def _implicit(s: Sentence, text: str, named: Mention | None = None) -> list[tuple[Mention, str]]:
    """The government a mayor's title at the end of ``text`` (市长, 副区长) stands for: that
    of the place of its level named right before the title (宣城市副市长X), else of the
    one the article names most often."""
    title = _MAYOR.search(text)
    if title is None:
        return []
    cls = "City" if title["level"] == "市" else "District"
    place = named.name if named is not None and named.cls == cls and text == title[0] else s.finder.topic_of(cls)
    if place is None:
        return []
    name = place if place.endswith(("市", "区", "县")) else place + title["level"]
    return [(Mention(0, 0, name + "人民政府", "GovernmentBody", "implicit", 0, s.index), title["title"])]


_TITLE_THEN = re.compile(r"[\u4e00-\u9fff]{1,8}、")


def _role_predicate(title: str) -> str:
    return "leads" if title.endswith(ROLE_HEADS) else "memberOf" if title.endswith(CUES["member"]) else "affiliatedWith"


def _anchored(out: list[Relation], s: Sentence) -> None:
    """依托X / 以X和Y…为依托: the subject relies on each named thing."""
    for cue in _ANCHOR.finditer(s.text):
        span_end = cue.end() if cue["what"] is None else cue.end("what")
        span_start = cue.end() if cue["what"] is None else cue.start("what")
        things = [m for m in s.mentions if span_start <= m.start - s.base < span_end and m.cls not in ("Person",)]
        if cue["what"] is None:
            things = things[:1]
        if not things:
            continue
        subjects, explicit = s.subjects(cue.start(), AGENTS | {"Project"})
        for thing in things:
            add_relation(out, s, subjects, explicit, "anchoredOn", thing, base_confidence=0.65)


def _located(out: list[Relation], s: Sentence, enums: list[Enumeration]) -> None:
    """在PLACE成立/设立 (the body set up there is located there) and PLACE集聚A、B等企业."""
    items = [m for e in enums for a, b in e.items for m in s.mentions if m.start == a and m.end == b]
    for verb in _FOUNDED_IN.finditer(s.text):
        place = s.at(verb.start("place"))
        if place is None or place.cls not in PLACES or place.end - s.base != verb.end("place"):
            continue
        things = s.after(verb.end(), _LOCATABLE) or [m for m in [s.nearest_left(verb.start(), _LOCATABLE)] if m]
        for thing in things[:1]:
            add_relation(out, s, [Candidate(thing.name, 0.85, "set up there")], True, "locatedIn", place,
                         base_confidence=0.75)
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


def _cooperation(out: list[Relation], s: Sentence) -> None:
    for m in _COOPERATE.finditer(s.text):
        objects = [x for x in s.mentions if m.start("objs") <= x.start - s.base < m.end("objs") and x.cls in AGENTS - {"Region"}]
        if not objects:
            continue
        subjects, explicit = s.subjects(m.start(), AGENTS)
        for obj in objects:
            add_relation(out, s, subjects, explicit, "cooperatesWith", obj)


def _verbs(out: list[Relation], s: Sentence, pattern: re.Pattern[str], predicate: str, classes: set[str]) -> None:
    """SUBJECT + cue + OBJECT(s) of the classes: a cue inside a name (…成立大会) is no verb,
    a cue that only describes its object (此次成立的X) takes no subject from elsewhere, and
    the national strategy everyone carries out (推进长三角一体化) is no one's project."""
    for verb in pattern.finditer(s.text):
        if s.at(verb.start()) is not None:
            continue
        end = _chained(s, verb.end())
        objects, at = s.after(end, classes), verb.start()
        if not objects:
            objects, at = _for(s, verb.start(), classes)
        objects = [o for o in objects if not any(_governs(s, t, end, o) for t in s.finder.tokens[s.index])
                   and not (predicate == "implements" and STRATEGY_PATTERN.fullmatch(o.text))]
        if not objects:
            continue
        subjects, explicit = s.subjects(at, AGENTS)
        meeting = _meeting(s, at)
        if meeting is not None and not explicit:
            subjects, explicit = [Candidate(meeting.name, 0.8, "the meeting")], True
        if not explicit and s.text.startswith("的", verb.end()):
            continue
        listed = s.coordinated(s.nearest_left(at, AGENTS)) if explicit and meeting is None else []
        for obj in objects:
            said = "launches" if predicate == "establishes" and obj.cls == "Policy" else predicate  # 发起…倡议
            add_relation(out, s, subjects, explicit, said, obj)
            for other in listed[:-1]:  # A、B、C等…发布X: each of the listed
                add_relation(out, s, [Candidate(other.name, 0.8, "listed with the subject")], True, said, obj)


def _governs(s: Sentence, token: Token, end: int, obj: Mention) -> bool:
    """Whether a verb between a cue (ending at local ``end``) and an object takes the object
    from the cue: a verb outside names, not inside an earlier item of a list (推进A、新建B等
    工程建设: 新建 is inside the first item, the cue still governs B)."""
    if token.tag != "v" or not end <= token.start - s.base < obj.start - s.base:
        return False
    if any(m.start <= token.start < m.end for m in s.mentions):
        return False
    return "、" not in s.text[token.end - s.base:obj.start - s.base]


def _for(s: Sentence, local: int, classes: set[str]) -> tuple[list[Mention], int]:
    """The things a verb is done for, named between 为 and the verb in its clause
    (为同济大学…研究院揭牌), and where the verb's subject is to be looked for (before 为)."""
    clause = s.finder.clause_start(s.index, local + s.base) - s.base
    opening = s.text.rfind("为", clause, local)
    if opening < 0:
        return [], local
    return [m for m in s.mentions if opening < m.start - s.base and m.end - s.base <= local and m.cls in classes], opening


def _chained(s: Sentence, local: int) -> int:
    """Past a second verb that shares the first one's object (审议并通过了X, 审议通过X)."""
    at = local + (1 if s.text[local:local + 1] in ("并", "和") else 0)
    verb = next((t for t in s.finder.tokens[s.index] if t.start - s.base == at and t.tag == "v"), None)
    if verb is None:
        return local
    end = verb.end - s.base
    return end + 1 if s.text[end:end + 1] == "了" else end


def _meeting(s: Sentence, local: int) -> Mention | None:
    """The event meant when the sentence before ``local`` speaks of the meeting without
    naming it (会上发布了…, 会议审议通过了…: ``SubjectFinder.event_meant``)."""
    before = s.text[:local]
    opening = SUFFIX_PATTERN.match(before)
    if opening and SUFFIXES[opening[0]] == "Event" and s.at(0) is None:
        return s.finder.event_meant(s.base, opening[0])
    return s.finder.event_meant(s.base) if any(cue in before for cue in CUES["meeting"]) else None


def _signing(out: list[Relation], s: Sentence) -> None:
    for verb in _SIGN.finditer(s.text):
        documents = [m for m in s.after(verb.end(), {"Policy"})]
        clause = s.finder.clause_start(s.index, verb.start() + s.base) - s.base
        agents = [m for m in s.mentions if clause <= m.start - s.base < verb.start() and m.cls in AGENTS]
        for doc in documents:
            for agent in agents:
                add_relation(out, s, [Candidate(agent.name, 0.85, "signatory")], True, "signs", doc)
        for other in agents[1:]:
            add_relation(out, s, [Candidate(agents[0].name, 0.8, "co-signatory")], True, "cooperatesWith", other, base_confidence=0.6)


def _support(out: list[Relation], s: Sentence, mentions: list[Mention]) -> None:
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
        add_relation(out, s, subjects, explicit, "supports", target)


def _achieved(out: list[Relation], s: Sentence, enums: list[Enumeration]) -> None:
    for enum in enums:
        if enum.head != "成果" or not enum.strong:
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
