"""Links from names found in an article to entities already in a graph, by the
normalized name keys (``g60:nameKey``) the graph holds for every name and alias.

Linking only labels mentions that were found without the graph; it never finds one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from g60kg.ontology import PREFIXES, PROLOGUE
from g60kg.text.normalize import name_key, place_keys

if TYPE_CHECKING:
    from g60kg.store.embedded import Store

__all__ = ["Link", "Linker", "bundled_store"]

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
    """Name key → entity of the graph in a store; keys shared by two entities link to
    neither."""

    def __init__(self, store: Store | None = None) -> None:
        self.by_key: dict[str, Link] = {}
        if store is None:
            return
        frame = store.frame(PROLOGUE + _QUERY).fillna("")
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


def bundled_store(*, without: tuple[str, ...] = ()) -> Store:
    """The bundled curated graph in a memory store, optionally without some sources (the
    benchmark leaves out the article it scores).

    >>> Linker(bundled_store()).link("松江").id
    'place/songjiang'
    """
    from g60kg.build.builder import build
    from g60kg.build.sharing import remove_source
    from g60kg.store.kinds import open_store

    store = open_store("memory")
    build(store=store, validate=False)
    for source in without:
        remove_source(store, source)
    return store
