"""The containment index: which place lies within which, written at the end of a build.

A query that asks what lies in a city walks ``(g60:locatedIn|g60:partOf)*`` from the
city down to every organization in it, which at a million triples costs a tenth of a
second per walk and some queries walk it six times. The places that anything is located
in or part of are few (a few dozen at scale 100, against a hundred thousand
organizations), so the build writes, for each of them and for every city and district,
every place it lies within (itself included) as ``?place g60:within ?outer`` into the
graph ``g60graph:within``, which no source stands behind and the registry does not list.
Then, for a city or district ``?city``,

    ?x (g60:locatedIn|g60:partOf)* ?city

is ``?x (g60:locatedIn|g60:partOf) ?in . ?in g60:within ?city`` (one step from each
organization, with no walk) or ``?x g60:within ?city`` (the places in it, itself
included): plain triple patterns, which every server answers alike (Virtuoso 7.2 mixes
up a ``BIND`` in a ``UNION`` joined to a sub-query, and drops zero-length path matches).
``write_within`` replaces the graph, so the build calls it on its staging store and
``KnowledgeGraph.remove_source`` after a removal.
"""

from __future__ import annotations

import pyoxigraph as ox

from g60kg.ontology import PREFIXES
from g60kg.store.embedded import Store

__all__ = ["WITHIN_GRAPH", "WITHIN", "within_quads", "write_within"]

WITHIN_GRAPH = ox.NamedNode(PREFIXES["g60graph"] + "within")
WITHIN = ox.NamedNode(PREFIXES["g60"] + "within")
_PLACED = f"<{PREFIXES['g60']}locatedIn>|<{PREFIXES['g60']}partOf>"
_CITIES = f"VALUES ?class {{ <{PREFIXES['g60']}City> <{PREFIXES['g60']}District> }} ?place a ?class"
_PAIRS = (f"SELECT DISTINCT ?place ?outer WHERE {{ {{ SELECT DISTINCT ?place WHERE {{ {{ ?x {_PLACED} ?place }} "
          f"UNION {{ {_CITIES} }} }} }} ?place ({_PLACED})* ?outer FILTER (!isLiteral(?place) && !isLiteral(?outer)) }}")


def within_quads(store: ox.Store) -> list[ox.Quad]:
    """The quads of ``g60graph:within`` for the graph in ``store`` (read as the union of
    its graphs: the index's own triples are of no step it walks).

    >>> s = ox.Store()
    >>> g, e = PREFIXES["g60graph"] + "a", PREFIXES["g60id"]
    >>> s.load(f'<{e}org/x> <{PREFIXES["g60"]}locatedIn> <{e}place/d> <{g}> .\\n'
    ...        f'<{e}place/d> <{PREFIXES["g60"]}partOf> <{e}place/c> <{g}> .\\n'.encode(), format=ox.RdfFormat.N_QUADS)
    >>> s.load(f'<{e}place/e> <{PREFIXES["rdf"]}type> <{PREFIXES["g60"]}District> <{g}> .\\n'.encode(),
    ...        format=ox.RdfFormat.N_QUADS)
    >>> sorted(f"{q.subject.value[len(e):]} {q.object.value[len(e):]}" for q in within_quads(s))
    ['place/c place/c', 'place/d place/c', 'place/d place/d', 'place/e place/e']
    """
    solutions = store.query(_PAIRS, use_default_graph_as_union=True)
    return [ox.Quad(row["place"], WITHIN, row["outer"], WITHIN_GRAPH) for row in solutions]


def write_within(store: Store) -> int:
    """Replace ``g60graph:within`` in ``store`` by the index of its graph (read from its
    replica, the store itself when embedded); return how many triples it holds.

    >>> from g60kg.store.embedded import LocalStore
    >>> s = LocalStore(None)
    >>> s.load(f'<http://e/x> <{PREFIXES["g60"]}locatedIn> <http://e/c> <{PREFIXES["g60graph"]}a> .\\n'.encode())
    >>> write_within(s), write_within(s)
    (1, 1)
    """
    replica = store.replica.oxigraph  # a server's: one copy, read twice
    old = list(replica.quads_for_pattern(None, None, None, WITHIN_GRAPH))
    if old:
        store.unload(ox.serialize(old, format=ox.RdfFormat.N_QUADS))
    quads = within_quads(replica)
    if quads:
        store.load(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return len(quads)
