"""Links from names found in an article to entities already in a graph, by the
normalized name keys (``g60:nameKey``) the graph holds for every name and alias.

Linking only labels mentions that were found without the graph; it never finds one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from g60kg.loaders.normalize import name_key, place_keys
from g60kg.ontology import PREFIXES

if TYPE_CHECKING:
    from g60kg.graph.knowledge_graph import KnowledgeGraph

__all__ = ["Link", "Linker", "bundled_graph"]

_QUERY = """
SELECT ?e ?key ?class ?label WHERE {
  ?e g60:nameKey ?key .
  OPTIONAL { ?e a ?c . FILTER(STRSTARTS(STR(?c), STR(g60:))) BIND(STRAFTER(STR(?c), "#") AS ?class) }
  OPTIONAL { ?e rdfs:label ?label . FILTER(lang(?label) = "zh") }
}"""


@dataclass(frozen=True)
class Link:
    """An entity of the graph: id (``place/songjiang``), Chinese name and class."""

    id: str
    name: str
    cls: str


class Linker:
    """Name key → entity of a graph; keys shared by two entities link to neither."""

    def __init__(self, kg: KnowledgeGraph | None = None) -> None:
        self.by_key: dict[str, Link] = {}
        if kg is None:
            return
        frame = kg.query(_QUERY).fillna("")
        owners: dict[str, set[str]] = {}
        info: dict[str, Link] = {}
        base = PREFIXES["g60id"]
        for iri, key, cls, label in frame[["e", "key", "class", "label"]].itertuples(index=False):
            prefix, _, local = str(iri).partition(":")
            full = PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else str(iri)
            ident = full.removeprefix(base)
            owners.setdefault(str(key), set()).add(ident)
            if ident not in info or (not info[ident].name and label):
                info[ident] = Link(ident, str(label), str(cls))
        self.by_key = {k: info[next(iter(v))] for k, v in owners.items() if len(v) == 1}

    def link(self, name: str, cls: str = "") -> Link | None:
        """The graph's entity of that name, or None (also when linking is off).

        >>> Linker().link("松江") is None
        True
        """
        if not self.by_key:
            return None
        found = self.by_key.get(name_key(name))
        if found is None and cls in ("District", "City", "Town", "Province", "Region", ""):
            found = next((self.by_key[k] for k in sorted(place_keys(name)) if k in self.by_key), None)
        return found


def bundled_graph(*, without: tuple[str, ...] = ()) -> KnowledgeGraph:
    """The bundled curated graph in memory, optionally without some sources (the
    benchmark leaves out the article it scores)."""
    from g60kg.graph.knowledge_graph import open_graph

    kg = open_graph("memory")
    kg.build(validate=False)
    for source in without:
        kg.remove_source(source)
    return kg
