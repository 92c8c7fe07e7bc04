"""What a page needs to say about the nodes and edges of a view, fetched once by SPARQL:
names and aliases, the names of classes and relations, the quotes and sources behind
every fact, and the member city each entity belongs to.

The quotes come from one query pushed down to the store
(``g60kg/network/projections/quotes.rq``: every statement node with its quote, and every
observation), not one query per node, so a page of thousands of entities costs the same
few queries as a page of ten.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from g60kg.network.cities import CityEvidence, Queryable, city_evidence, city_map, projection_query
from g60kg.text.normalize import name_key

__all__ = ["LAYER_NAMES", "Catalog", "fetch_catalog", "layer_of_predicates"]

# Names of the layers of ties (``ties.rq``), of the facts that place an entity
# (``locations.rq``) and of every other relation, in Chinese and English.
LAYER_NAMES = {"institutional": ("制度", "institutional"), "enterprise": ("企业", "enterprise"),
               "infrastructure": ("基础设施", "infrastructure"), "knowledge": ("知识", "knowledge"),
               "location": ("所在地", "location"), "other": ("其他关系", "other relations"),
               "coordination": ("协调（→ 主办、机构所在地、飞地所在地）", "coordination (→ host, seat, enclave host)"),
               "alliance-lead": ("联盟牵头（→ 牵头城市）", "alliance lead (→ lead city)")}


@functools.lru_cache(maxsize=1)
def layer_of_predicates() -> dict[str, str]:
    """The layer of each relation, read from the projection queries (the one place it is
    fixed): the layers of ``ties.rq``, ``location`` for the facts of ``locations.rq``.

    >>> layers = layer_of_predicates()
    >>> layers["g60:hasBranchIn"], layers["g60:adjacentTo"], layers["g60:locatedIn"]
    ('enterprise', 'infrastructure', 'location')
    """
    layers = dict(re.findall(r'\((g60:\w+) "(\w+)"\)', projection_query("ties")))
    placing = re.search(r"VALUES \?rel \{([^}]*)\}", projection_query("locations"))
    for predicate in placing[1].split() if placing else ():
        layers.setdefault(predicate, "location")
    return layers


@dataclass
class Catalog:
    """Names, term labels, quotes, sources and member cities of one graph."""

    names: pd.DataFrame
    terms: pd.DataFrame
    quotes: pd.DataFrame
    evidence: CityEvidence
    placed: dict[str, dict[str, tuple[str, ...]]]

    def cities(self, entity: str) -> list[str]:
        """The member cities an entity belongs to (a member city: itself)."""
        return sorted(self.placed.get(entity, ()))

    def label(self, entity: str, lang: str = "zh") -> str:
        """An entity's name in ``lang`` (``zh`` or ``en``), else in the other, else its id."""
        return self._labels["zh" if lang == "zh" else "en"].get(entity, entity.split(":", 1)[-1])

    @functools.cached_property
    def _labels(self) -> dict[str, dict[str, str]]:
        labels = self.names[self.names["kind"] == "label"]
        found = {}
        for lang in ("zh", "en"):
            order = labels.assign(other=labels["lang"] != lang).sort_values(["other", "name"], kind="stable")
            found[lang] = dict(order.drop_duplicates("entity")[["entity", "name"]].itertuples(index=False))
        return found

    @functools.cached_property
    def all_names(self) -> dict[str, list[str]]:
        """Every name and alias of every entity (for the search box), labels first."""
        shown = self.names[self.names["kind"] != "key"].sort_values(["entity", "kind"], ascending=[True, False])
        return shown.groupby("entity", sort=False)["name"].agg(lambda s: list(dict.fromkeys(s))).to_dict()

    @functools.cached_property
    def _terms(self) -> dict[str, dict[str, str]]:
        return {lang: {t: v for t, v in self.terms[lang].items() if isinstance(v, str)} for lang in ("zh", "en")}

    def term(self, term: str, lang: str = "zh") -> str:
        """The label of a class or relation (``g60:Enterprise`` → 企业 / Enterprise)."""
        return self._terms["zh" if lang == "zh" else "en"].get(term, term.split(":", 1)[-1])

    def describe(self, s: str, p: str, o: str, lang: str = "zh") -> str:
        """A fact in words: ``腾讯长三角人工智能超算中心 位于 松江区``."""
        if p == "rdf:type":
            return f"{self.label(s, lang)}: {self.term(o, lang)}"
        other = self.label(o, lang) if ":" in o and not o.startswith("g60:") else o
        return f"{self.label(s, lang)} {self.term(p, lang)} {other}"

    @functools.cached_property
    def _facts(self) -> dict[str, tuple[str, str, str, str, str]]:
        """Statement → (quote, source, subject, predicate, object)."""
        q = self.quotes
        return dict(zip(q["fact"], zip(q["quote"], q["source"], q["s"], q["p"], q["o"].astype(str))))

    @functools.cached_property
    def _by_entity(self) -> dict[str, list[str]]:
        """Entity → its statements, those it is the subject of first."""
        q = self.quotes.assign(other=self.quotes["s"] != self.quotes["entity"])
        q = q.sort_values(["entity", "other", "source", "fact"], kind="stable")
        return q.groupby("entity", sort=False)["fact"].agg(list).to_dict()

    def _evidence(self, facts: Iterable[str], lang: str, limit: int | None) -> tuple[list[list[str]], int]:
        """Rows ``[quote, source, fact in words]``, one per quote and source, at most
        ``limit`` (None: all), and how many more there are."""
        rows, seen = [], set()
        for fact in facts:
            found = self._facts.get(fact)
            if found is None or found[:2] in seen:
                continue
            seen.add(found[:2])
            if limit is None or len(rows) < limit:
                rows.append([found[0], found[1], self.describe(*found[2:], lang)])
        return rows, len(seen) - len(rows)

    def entity_evidence(self, entity: str, lang: str = "zh", limit: int | None = None) -> tuple[list[list[str]], int]:
        """The quotes behind an entity's facts (its own facts first), at most ``limit``
        (None: all), and how many more there are."""
        return self._evidence(self._by_entity.get(entity, ()), lang, limit)

    def fact_evidence(self, facts: Iterable[str], lang: str = "zh", limit: int | None = None) -> tuple[list[list[str]], int]:
        """The quotes of some statements (by IRI), at most ``limit`` (None: all), and how many more."""
        return self._evidence(facts, lang, limit)

    def sources(self) -> dict[str, list[str]]:
        """Each source: ``[title, publisher, date, url]`` (empty strings where unknown)."""
        table = self.evidence.sources.reindex(columns=["title", "publisher", "date", "url"]).fillna("").astype(str)
        return {sid: list(row) for sid, row in zip(table.index, table.itertuples(index=False))}

    def find(self, text: str) -> list[str]:
        """Entities known by ``text``: an id (``org/tencent``), a CURIE, or any name or
        alias, compared by normalized key (case, width, spaces, company suffixes)."""
        wanted = text.strip()
        ids = {wanted, "g60" + wanted.replace("/", ":", 1)}
        entities = set(self.names["entity"])
        exact = sorted(ids & entities)
        if exact:
            return exact
        key = name_key(wanted)
        names = self.names
        hits = names[(names["name"] == wanted) | ((names["kind"] == "key") & (names["name"] == key))
                     | names["name"].map(lambda n: bool(key) and name_key(n) == key)]
        return sorted(set(hits["entity"]))


def fetch_catalog(kg: Queryable) -> Catalog:
    """Names, labels, quotes, sources and member cities of ``kg`` (a handful of queries).

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> catalog = fetch_catalog(kg)
    >>> catalog.find("腾讯长三角AI超算中心"), catalog.cities("g60org:tencent-ai-supercomputing-center")
    (['g60org:tencent-ai-supercomputing-center'], ['g60place:songjiang'])
    >>> rows, more = catalog.entity_evidence("g60org:tencent-ai-supercomputing-center")
    >>> rows[0][1], "超算中心" in rows[0][0]
    ('seed-songjiang-g60', True)
    """
    names = kg.query(projection_query("names")).fillna("")
    terms = kg.query(projection_query("terms")).set_index("term")
    quotes = kg.query(projection_query("quotes"))
    evidence = city_evidence(kg)
    placed = city_map(evidence)
    placed.update({member: {member: ()} for member in evidence.members})
    return Catalog(names, terms, quotes, evidence, placed)
