"""Who a figure or a fact is about when the sentence does not say: ranked candidates
from the clause, the sentence's subject, the sentences before it, the section's and
the article's topic (the place or organisation named most often)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from g60kg.news.entities import Mention
from g60kg.news.gazetteer import CUES, SUFFIX_PATTERN
from g60kg.news.tagger import Token
from g60kg.news.text import Article

__all__ = ["Candidate", "SubjectFinder", "AGENTS", "STAT_SUBJECTS"]

PLACES = {"District", "City", "Town", "Region", "Province", "Corridor"}
ORGS = {"Organization", "Enterprise", "ResearchPlatform", "Lab", "Institute", "InnovationCenter", "University",
        "GovernmentBody", "Alliance", "Park", "Committee"}
AGENTS = PLACES | ORGS
STAT_SUBJECTS = AGENTS | {"Project", "Policy", "Achievement", "Event"}
_THIS = re.compile("(?:" + "|".join(CUES["this"]) + ")(?P<what>" + SUFFIX_PATTERN.pattern + ")")
_CLAUSE = re.compile(r"[,，;；:：。!?！？]")


@dataclass(frozen=True)
class Candidate:
    """A possible subject: the entity's name, a score in [0, 1] and why."""

    name: str
    score: float
    why: str


class SubjectFinder:
    """Ranks subjects for positions of an article."""

    def __init__(self, article: Article, mentions: list[Mention], tokens: list[list[Token]]) -> None:
        self.article = article
        self.tokens = tokens
        self.by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            self.by_sentence.setdefault(m.sentence, []).append(m)
        self.classes: dict[str, set[str]] = {}  # name -> the classes it was found with
        for m in mentions:
            self.classes.setdefault(m.name, set()).add(m.cls)
        weight = Counter()
        section_weight: dict[int, Counter[str]] = {}
        for m in mentions:
            if m.cls in PLACES - {"Region", "Corridor"}:
                section = article.sentences[m.sentence].section
                weight[m.name] += 1
                section_weight.setdefault(section, Counter())[m.name] += 1
        self.document_topic = [n for n, _ in weight.most_common(2)]
        self.section_topic = {s: [n for n, _ in c.most_common(1)] for s, c in section_weight.items()}

    def corridor(self, index: int) -> Mention | None:
        """The corridor as named in the sentence, else as last named before it, else first
        named after it."""
        named = [m for i in sorted(self.by_sentence) for m in self.by_sentence[i] if m.cls == "Corridor"]
        here = [m for m in named if m.sentence == index]
        before = [m for m in named if m.sentence < index]
        if here or before:
            return max(here, key=lambda m: len(m.name)) if here else before[-1]
        return named[0] if named else None

    def _last_ending(self, pos: int, word: str) -> Mention | None:
        before = [m for i in sorted(self.by_sentence) for m in self.by_sentence[i] if m.end <= pos and m.name.endswith(word)]
        return before[-1] if before else None

    def _clause_before(self, index: int, start: int, allowed: set[str]) -> Mention | None:
        """The subject of the nearest clause before the one starting at ``start`` that has
        one of its own (a clause opening with 其 refers further back), within the sentence."""
        sentence = self.article.sentences[index]
        while start > sentence.start:
            previous = self.clause_start(index, start - 1)
            if not self.article.text[previous:start].startswith(CUES["its"]):
                found = self._before_verb(index, previous, allowed, start)
                if found is not None:
                    return found
            start = previous
        return None

    def topic_of(self, cls: str) -> str | None:
        """The name of the class named most often in the article (its longest form on a tie)."""
        counts = Counter(m.name for i in self.by_sentence for m in self.by_sentence[i] if m.cls == cls)
        return max(counts, key=lambda n: (counts[n], len(n))) if counts else None

    def event_meant(self, pos: int, word: str = "") -> Mention | None:
        """The event a bare word before clean offset ``pos`` means (大赛由…举办, 参加会议):
        the last one named whose name ends with it, else the story's (the first named)."""
        named = self._last_ending(pos, word) if word else None
        return named if named is not None and named.cls == "Event" else self.first({"Event"})

    def first(self, classes: set[str]) -> Mention | None:
        """The first mention of the classes in the article."""
        return next((m for i in sorted(self.by_sentence) for m in self.by_sentence[i] if m.cls in classes), None)

    def sentence_subject(self, index: int, allowed: set[str] = AGENTS) -> Mention | None:
        """The entity a sentence opens with, before its first verb."""
        return self._before_verb(index, self.article.sentences[index].start, allowed)

    def _before_verb(self, index: int, start: int, allowed: set[str], end: int | None = None) -> Mention | None:
        verbs = [t.start for t in self.tokens[index] if t.tag == "v" and t.start >= start and (end is None or t.start < end)]
        first_verb = verbs[0] if verbs else (end if end is not None else 10**9)
        for m in self.by_sentence.get(index, []):
            if start <= m.start and m.end <= first_verb and m.cls in allowed:
                return m
        return None

    def clause_start(self, index: int, pos: int) -> int:
        sentence = self.article.sentences[index]
        local = sentence.text[: pos - sentence.start]
        cuts = [m.end() for m in _CLAUSE.finditer(local)]
        return sentence.start + (cuts[-1] if cuts else 0)

    def candidates(self, index: int, pos: int, allowed: set[str] = AGENTS, *, limit: int = 4) -> list[Candidate]:
        """Ranked subjects for something said at clean offset ``pos`` of sentence ``index``."""
        out: list[Candidate] = []

        def add(name: str | None, score: float, why: str) -> None:
            if name and all(c.name != name for c in out):
                out.append(Candidate(name, score, why))

        start = self.clause_start(index, pos)
        before = self.article.text[start:pos]
        ref = _THIS.search(before)
        if ref:  # 本次联盟确定55家…: the alliance named before
            named = self._last_ending(start + ref.start(), ref["what"])
            add(named.name if named else None, 0.85, "named before")
        clause = None if before.startswith(CUES["its"]) else self._before_verb(index, start, allowed, pos)
        add(clause.name if clause else None, 0.8, "clause")
        if clause is None:  # …长三角地区…,其制造业规模占全国1/4、信息产业…1/3: the topic carries on
            earlier = self._clause_before(index, start, allowed)
            add(earlier.name if earlier else None, 0.75, "clause before")
        opener = self.sentence_subject(index, allowed)
        add(opener.name if opener else None, 0.7, "sentence")
        sentence = self.article.sentences[index]
        for back in range(index - 1, max(-1, index - 6), -1):
            previous = self.article.sentences[back]
            if previous.paragraph != sentence.paragraph:
                break
            subject = self.sentence_subject(back, allowed)
            if subject:
                add(subject.name, 0.55, "previous sentence")
                break
        for name in self.section_topic.get(sentence.section, []):
            if self.classes.get(name, set()) & allowed:
                add(name, 0.45, "section topic")
        for name in self.document_topic:
            add(name, 0.35, "article topic")
        return out[:limit]
