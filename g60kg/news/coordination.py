"""Relations that lists, events and names state rather than a verb between two names:
the corridor's members listed with it (包括A、B、C九个城市), a province written before its
cities (浙江嘉兴、杭州), an event held in a place (在X举行), hosted (由A、B主办) or attended
(A、B出席), the corridor along the expressway named with it, a city's honorary titles, and
what a name implies (上海市松江区: located in 上海市; 中国科学院上海分院: part of
中国科学院). Every cue is a word of ``gazetteer.CUES``.
"""

from __future__ import annotations

import re

from g60kg.news.entities import Mention, nested_mentions
from g60kg.news.gazetteer import CITY_TITLE_PATTERN, CUES, EXPRESSWAY_PATTERN, SUFFIX_PATTERN, SUFFIXES
from g60kg.news.relations import Relation, Sentence, add_relation
from g60kg.news.subjects import AGENTS, ORGS, Candidate, SubjectFinder
from g60kg.news.text import Article

__all__ = ["find_coordinated"]

_MEMBERS = {"City", "District"}
_PLACES = {"City", "District", "Province"}
_SEPARATORS = {"、", ",", "和", "及", "与", "以及", ""}
_COUNT_AFTER = re.compile(r"等?(?:[\d一二三四五六七八九十]+)个?(?:城市|城|市|地)")
_HELD = "|".join(CUES["held"])
_HOSTS = re.compile("|".join(CUES["hosts"]))
_GUIDES = re.compile("|".join(CUES["guides"]))
_ATTENDS = re.compile("|".join(CUES["attends"]))


def find_coordinated(article: Article, mentions: list[Mention], finder: SubjectFinder) -> list[Relation]:
    """Relations from lists, events and names in the whole article.

    >>> from g60kg.news import extract
    >>> x = extract("长三角G60科创走廊包括上海市松江区、嘉兴、杭州九个城市。", link=None)
    >>> sorted((r.subject, r.predicate, r.object) for r in x.relations if r.predicate in ("partOf", "locatedIn"))[:2]
    [('上海市松江区', 'locatedIn', '上海市'), ('上海市松江区', 'partOf', '长三角G60科创走廊')]
    """
    out: list[Relation] = []
    corridor: Mention | None = None
    events: list[Mention] = []
    for index in range(len(article.sentences)):
        s = Sentence(index, article, mentions, finder)
        corridors = [m for m in s.mentions if m.cls == "Corridor"]
        if corridors:
            corridor = max(corridors, key=lambda m: len(m.name))
        runs = _runs(s, _PLACES)
        _members(out, s, runs, corridor, bool(corridors))
        _provinces(out, s, runs)
        events += [m for m in s.mentions if m.cls == "Event"]
        event = next((m for m in s.mentions if m.cls == "Event"), events[-1] if events else None)
        _organised(out, s)
        _city_titles(out, s)
        for road in (m for m in s.mentions if EXPRESSWAY_PATTERN.fullmatch(m.text)):
            for named in corridors[:1]:  # 以G60高速为纽带, 得名于G60沪昆高速的G60科创走廊
                add_relation(out, s, [Candidate(named.name, 0.85, "named after it")], True, "anchoredOn", road,
                             base_confidence=0.7)
        if event is not None:
            _held(out, s)
            _hosted(out, s, event)
            _attended(out, s)
    _implied_by_names(out, article, mentions)
    return out


def _runs(s: Sentence, classes: set[str]) -> list[list[Mention]]:
    """Maximal runs of mentions of the classes joined only by separators (A、B和C)."""
    runs: list[list[Mention]] = []
    for m in s.mentions:
        if m.cls not in classes:
            continue
        if runs and s.text[runs[-1][-1].end - s.base:m.start - s.base] in _SEPARATORS:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _members(out: list[Relation], s: Sentence, runs: list[list[Mention]], corridor: Mention | None,
             named_here: bool) -> None:
    """Three or more member places listed where the corridor is named (or counted: 九城)."""
    if corridor is None:
        return
    for run in runs:
        places = [m for m in run if m.cls in _MEMBERS]
        counted = bool(_COUNT_AFTER.match(s.text, run[-1].end - s.base))
        if len(places) < 3 or not (named_here or counted):
            continue
        for place in places:
            out.append(Relation([Candidate(place.name, 0.85, "listed")], "partOf", corridor.name, s.index,
                                place.start, place.end, "", 0.7 if named_here else 0.6))


def _provinces(out: list[Relation], s: Sentence, runs: list[list[Mention]]) -> None:
    """浙江嘉兴、杭州: the cities after a province written before them are in it."""
    for run in runs:
        province = None
        for previous, m in zip([None, *run], run):
            if m.cls == "Province":
                province = m
            elif province is not None and m.cls == "City" and (previous is not province or previous.end == m.start):
                out.append(Relation([Candidate(m.name, 0.85, "listed after its province")], "locatedIn", province.name,
                                    s.index, m.start, m.end, "", 0.7))
            elif previous is province:
                province = None


def _held(out: list[Relation], s: Sentence) -> None:
    """(在)PLACE举行/召开/举办: the event named in the clause is held there."""
    for place in (m for m in s.mentions if m.cls in _PLACES):
        local = place.end - s.base
        verb = re.match(r"(?:" + _HELD + r")(的)?", s.text[local:])
        if verb is None or not (verb[1] or s.text[:place.start - s.base].endswith("在")):
            continue
        after = [m for m in s.after(local, {"Event"})]
        before = s.nearest_left(place.start - s.base, {"Event"})
        event = after[0] if verb[1] and after else before or (after[0] if after else None)
        if event is not None:
            out.append(Relation([Candidate(event.name, 0.85, "held there")], "heldIn", place.name, s.index,
                                place.start, place.end, "", 0.75))


_ORGANISES = re.compile("|".join(c for c in CUES["held"] if c != "举行"))  # 举行 takes no object


def _organised(out: list[Relation], s: Sentence) -> None:
    """A举办/召开B(、C): the body that opens the clause (not a venue after 在), else the
    sentence's subject, hosts each event named after the cue in the clause; a cue that
    only describes the event (在X召开的B) names no organiser."""
    for cue in _ORGANISES.finditer(s.text):
        events = s.after(cue.end(), {"Event"})
        if not events:
            continue
        clause = s.finder.clause_start(s.index, cue.start() + s.base) - s.base
        agents = [m for m in s.mentions if clause <= m.start - s.base and m.end - s.base <= cue.start()
                  and m.cls in AGENTS and not s.text[:m.start - s.base].endswith("在")]
        opener = s.finder.sentence_subject(s.index)
        if agents:
            subjects, explicit = [Candidate(agents[0].name, 0.8, "organiser")], True
        elif opener is not None and not s.text.startswith("的", cue.end()):  # 在X召开的会议: no organiser said
            subjects, explicit = [Candidate(opener.name, 0.7, "sentence subject")], False
        else:
            continue
        for event in events:
            add_relation(out, s, subjects, explicit, "hosts", event, base_confidence=0.6)


def _city_titles(out: list[Relation], s: Sentence) -> None:
    """The state's honorary titles of cities (全国文明城市、国家森林城市) named in a sentence
    that names one city: the city holds each."""
    titles = [m for m in s.mentions if m.cls == "Achievement" and CITY_TITLE_PATTERN.fullmatch(m.text)]
    cities = {m.name: m for m in s.mentions if m.cls == "City"}
    if not titles or len(cities) != 1:
        return
    city = next(iter(cities.values()))
    for title in titles:
        add_relation(out, s, [Candidate(city.name, 0.8, "the city of the sentence")], True, "designatedAs", title,
                     base_confidence=0.65)


def _hosted(out: list[Relation], s: Sentence, event: Mention) -> None:
    """由A、B主办 / A、B联合举办: each listed body hosts the event of the sentence (or the
    last one named, or the one a bare 大赛/会议 opening the sentence means); 由A、B指导:
    each supports it."""
    bare = SUFFIX_PATTERN.match(s.text)
    if bare and SUFFIXES[bare[0]] == "Event" and s.at(0) is None:  # 大赛由九城市联合举办
        event = s.finder.event_meant(s.base, bare[0]) or event
    for cue in _HOSTS.finditer(s.text):
        for host in _by(s, cue.start(), event, required=False):
            add_relation(out, s, [Candidate(host.name, 0.85, "host")], True, "hosts", event, base_confidence=0.7)
    for cue in _GUIDES.finditer(s.text):  # 由A、B指导: each guides, so supports, the event
        for body in _by(s, cue.start(), event, required=True):
            add_relation(out, s, [Candidate(body.name, 0.8, "guide")], True, "supports", event, base_confidence=0.65)


def _by(s: Sentence, local: int, event: Mention, *, required: bool) -> list[Mention]:
    """The bodies named before a cue at ``local`` in its clause, after 由 when there is one
    (required or not), the event itself left out."""
    clause = s.finder.clause_start(s.index, local + s.base) - s.base
    opening = s.text.rfind("由", clause, local)
    if opening < 0 and required:
        return []
    start = opening + 1 if opening >= 0 else clause
    return [m for m in s.mentions if start <= m.start - s.base and m.end - s.base <= local
            and m.cls in AGENTS and m is not event]


def _attended(out: list[Relation], s: Sentence) -> None:
    """A、B出席/参加 (the event): who is named before the cue in the sentence attends the
    event after it, else the sentence's event, else the story's (the first named; also
    for a bare 参加会议); a body named as a person's employer does not attend for them."""
    for cue in _ATTENDS.finditer(s.text):
        bare = SUFFIX_PATTERN.match(s.text, cue.end())
        story = (s.finder.event_meant(cue.end() + s.base, bare[0])
                 if bare and SUFFIXES[bare[0]] == "Event" and s.at(cue.end()) is None else None)
        here = next((m for m in s.mentions if m.cls == "Event"), None)
        target = story or next(iter(s.after(cue.end(), {"Event"})), here or s.finder.first({"Event"}))
        if target is None:
            continue
        people = [m for m in s.mentions if m.end - s.base <= cue.start() and m.cls == "Person"]
        since = _after_last_verb(s, cue.start())
        bodies = [m for m in s.mentions if since <= m.start - s.base and m.end - s.base <= cue.start()
                  and m.cls in AGENTS and m is not target and not _employs(s, m)]
        if not people and not bodies:
            subjects, explicit = s.subjects(cue.start(), AGENTS)
            add_relation(out, s, subjects, explicit, "participatesIn", target, base_confidence=0.6)
        for who in people + bodies:
            add_relation(out, s, [Candidate(who.name, 0.8, "attends")], True, "participatesIn", target,
                         base_confidence=0.65)


def _employs(s: Sentence, body: Mention) -> bool:
    """Whether a body is named as the employer of the person after it (科技厅调研员周剑;
    A委员会主任、B院院士C: titles of several bodies before one person): then the person,
    not the body, is the one present."""
    following = [m for m in s.mentions if m.start >= body.end]
    person = next((m for m in following if m.cls not in ORGS), None)  # past other bodies of the titles
    if person is None or person.cls != "Person":
        return False
    return bool(re.fullmatch(r"[\u4e00-\u9fff、]{1,24}", s.text[body.end - s.base:person.start - s.base]))


def _after_last_verb(s: Sentence, local: int) -> int:
    """Where the subjects of a verb at ``local`` can start: after the last verb before it
    that is not inside a name nor part of a noun phrase (负责同志), else the sentence's start
    (A、B等负责人,C负责同志等共聚一堂: A, B and C)."""
    inside = [(m.start, m.end) for m in s.mentions]
    tokens = s.finder.tokens[s.index]
    verbs = [t.end - s.base for k, t in enumerate(tokens) if t.tag == "v" and t.end - s.base <= local
             and not any(a <= t.start < b for a, b in inside)
             and not (k + 1 < len(tokens) and tokens[k + 1].tag == "n")]  # 负责同志: a verb in a noun phrase
    return verbs[-1] if verbs else 0


def _implied_by_names(out: list[Relation], article: Article, mentions: list[Mention]) -> None:
    """A place written before a place contains it; a parent named first owns the rest,
    whether its name ends as a parent's does or the article names it on its own
    (杭绍甬智慧高速公路 … 杭绍甬智慧高速公路杭绍段)."""
    seen: set[str] = set()
    named = {m.name: m for m in mentions
             if m.cls not in _PLACES | {"Corridor", "Region", "Person", "Policy"} and len(m.name) >= 3}
    for m in mentions:
        if m.name in seen:
            continue
        seen.add(m.name)
        owners = [n for n in named.values() if m.name.startswith(n.name) and len(m.name) - len(n.name) >= 2
                  and m.cls != "Policy" and (m.cls == "Event") == (n.cls == "Event")  # an event is part of an event
                  and SUFFIXES.get(m.name[len(n.name):]) != "Enterprise"]  # 普洛药业 + 股份有限公司: the same firm
        for inner in nested_mentions([m]) + owners[-1:]:
            if inner.cls == "Corridor":
                continue
            predicate = "locatedIn" if m.cls in _PLACES and inner.cls in _PLACES else "partOf"
            out.append(Relation([Candidate(m.name, 0.9, "named so")], predicate, inner.name, m.sentence, m.start,
                                m.end, "", 0.8))
