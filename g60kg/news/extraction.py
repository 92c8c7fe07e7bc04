"""From an article's text to candidate entities, statistics and relations."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from g60kg.news.entities import (
    Mention, find_mentions, nested_mentions, self_references, settle, short_forms,
)
from g60kg.news.linking import Link, Linker, bundled_store
from g60kg.news.lists import Enumeration, find_lists
from g60kg.news.coordination import find_coordinated
from g60kg.news.relations import Relation, find_relations, unique_relations
from g60kg.news.sequence import MODEL, find_names
from g60kg.news.spans import learned_mentions
from g60kg.news.statistics import Statistic, find_statistics
from g60kg.news.subjects import SubjectFinder
from g60kg.news.tagger import Token, tag_many, tagger_name
from g60kg.news.text import Article, clean_article

if TYPE_CHECKING:
    from g60kg.store.embedded import Store

__all__ = ["Entity", "Extraction", "extract"]

_PLACE_CLASSES = {"District", "City", "Province", "Town"}
_RULE_CONFIDENCE = {"title": 0.85, "model": 0.75, "nested": 0.8, "suffix": 0.8, "list": 0.75,
                    "gazetteer": 0.9, "byline": 0.85, "quote": 0.7, "role": 0.85, "short form": 0.7, "tagger": 0.6}


@dataclass
class Entity:
    """An entity named in the article: its mentions, class and link to the graph."""

    name: str
    cls: str
    mentions: list[Mention]
    confidence: float
    link: Link | None = None

    @property
    def aliases(self) -> list[str]:
        return sorted({m.text for m in self.mentions} - {self.name})


@dataclass
class Extraction:
    """Everything found in one article."""

    article: Article
    tokens: list[list[Token]]
    mentions: list[Mention]
    lists: list[Enumeration]
    entities: list[Entity]
    statistics: list[Statistic]
    relations: list[Relation]
    tagger: str
    linked_to: str
    links: dict[str, Link] = field(default_factory=dict)


def _entities(mentions: list[Mention], linker: Linker) -> list[Entity]:
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:  # 南湖 and 南湖区 are one place
        key = m.name[:-1] if m.cls in _PLACE_CLASSES and len(m.name) > 2 and m.name[-1] in "区市县省" else m.name
        groups[key].append(m)
    out = []
    for group in groups.values():
        name = max((m.name for m in group), key=len)
        for m in group:
            if m.name != name:
                m.canonical = name
        votes: Counter[str] = Counter()
        for m in group:
            votes[m.cls] += m.priority + (0.5 if m.rule != "tagger" else 0)
        cls = votes.most_common(1)[0][0]
        confidence = max(_RULE_CONFIDENCE.get(m.rule, 0.6) for m in group)
        confidence = min(0.95, confidence + 0.02 * (len(group) - 1))
        out.append(Entity(name, cls, group, round(confidence, 2), linker.link(name, cls)))
    return sorted(out, key=lambda e: e.mentions[0].start)


def extract(text: str, *, link: str | Store | None = "bundled", tagger: str = "auto",
            model: str | Path | None = MODEL) -> Extraction:
    """Candidate facts of one article (Chinese text).

    ``link``: ``"bundled"`` links names to the bundled curated graph, a store location
    or a ``Store`` to the graph there, ``None`` links nothing. Linking never finds a
    mention; it only fills the link column. ``model``: the learned name model
    (``g60kg.news.sequence``; the shipped one by default), or ``None`` for rules only.

    >>> x = extract("星海科技有限公司在松江成立。", link=None)
    >>> [(e.name, e.cls) for e in x.entities], [(r.subject, r.predicate, r.object) for r in x.relations]
    ([('星海科技有限公司', 'Enterprise'), ('松江', 'District')], [('星海科技有限公司', 'locatedIn', '松江')])
    """
    article = clean_article(text)
    tokens = tag_many([(s.text, s.start) for s in article.sentences], prefer=tagger)
    lists: list[Enumeration] = []
    candidates: list[Mention] = []
    for index, sentence in enumerate(article.sentences):
        found = find_lists(sentence.text, tokens[index], sentence.start)
        lists += found
        found_here = find_mentions(sentence.text, tokens[index], found, index, sentence.start)
        if model is not None:
            spans = find_names(sentence.text, tokens[index], sentence.start, model=model)
            found_here += learned_mentions(sentence.text, tokens[index], spans, found_here, index, sentence.start)
        candidates += found_here
    mentions = settle(candidates)
    sentence_of = [0] * (len(article.text) + 1)
    for index, sentence in enumerate(article.sentences):
        for pos in range(sentence.start, sentence.end):
            sentence_of[pos] = index
    mentions = self_references(short_forms(article.text, mentions, sentence_of))
    if link == "bundled":
        store, linked_to = bundled_store(), "bundled graph"
    elif link is None:
        store, linked_to = None, "none"
    elif isinstance(link, str):
        from g60kg.store.kinds import open_store

        store, linked_to = open_store(link, create=False), link
    else:
        store, linked_to = link, link.location
    linker = Linker(store)
    entities = _entities(mentions + nested_mentions(mentions), linker)
    finder = SubjectFinder(article, mentions, tokens)
    statistics = find_statistics(article, tokens, mentions, finder)
    relations = unique_relations(find_relations(article, mentions, lists, finder) +
                                 find_coordinated(article, mentions, finder))
    links = {e.name: e.link for e in entities if e.link is not None}
    return Extraction(article, tokens, mentions, lists, entities, statistics, relations, tagger_name(tagger), linked_to, links)
