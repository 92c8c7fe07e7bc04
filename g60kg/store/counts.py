"""How big a graph is: triples, named graphs, and entities per class."""

from __future__ import annotations

from g60kg.ontology import PREFIXES
from g60kg.store.embedded import Store

__all__ = ["graph_stats"]

_STATS = """
SELECT ?class (COUNT(*) AS ?n) WHERE {
  { SELECT DISTINCT ?e ?class WHERE { GRAPH ?g { ?e a ?class } FILTER (?g != <https://w3id.org/g60kg/graph/ontology>) } }
} GROUP BY ?class"""



def graph_stats(store: Store) -> tuple[int, int, dict[str, int]]:
    """Triples, named graphs, and entities per g60 class (outside the ontology graph).

    >>> from g60kg.store import open_store
    >>> graph_stats(open_store("memory"))
    (0, 0, {})
    """
    quads, graphs = store.sizes()
    classes = store.table(_STATS)  # the classes' IRIs in full; g60's are kept by local name
    classes = classes[classes["class"].str.startswith(PREFIXES["g60"])].sort_values("class")
    names = classes["class"].str.removeprefix(PREFIXES["g60"])
    return quads, graphs, dict(zip(names, classes["n"].astype(int)))
