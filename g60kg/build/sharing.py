"""One copy of each triple: what several sources state lives in a graph they share.

Each source's facts live in its named graph ``g60graph:<source>``. A triple that two or
more sources state is kept once, in the graph ``g60graph:<a>+<b>…`` (the sources' ids,
sorted), and the source registry (``g60graph:sources``) says which sources every such
graph is derived from (``prov:wasDerivedFrom``), as it does for each source's own graph.
So the union of the named graphs, which queries see as their default graph, holds each
triple once (an RDF merge, with no copy of it beside the graphs), and a fact's sources
are those of the graph that holds it:

    GRAPH ?g { ?s ?p ?o }  ?g prov:wasDerivedFrom ?source .

Loaders write every fact into its source's graph; the build then moves the triples
that several graphs hold into shared graphs (``share``), looking only at the subjects
that have quads in more than one graph (``g60kg.loaders.nquads.SubjectGraphs``).
``KnowledgeGraph.remove_source`` undoes it for one source.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox

from g60kg.store.embedded import Store
from g60kg.ontology import PREFIXES

__all__ = ["share", "shared_graph", "registry", "remove_source", "DERIVED_FROM"]

DERIVED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_GRAPHS = PREFIXES["g60graph"]
_SOURCES = ox.NamedNode(_GRAPHS + "sources")
# Graphs that no source stands behind: a triple they hold is theirs alone.
_FIXED = (ox.NamedNode(_GRAPHS + "ontology"), _SOURCES)


def shared_graph(sources: Iterable[str]) -> ox.NamedNode:
    """The graph of the triples that exactly these sources state (a source's own graph
    when there is one).

    >>> shared_graph(["seed", "cctv"]).value
    'https://w3id.org/g60kg/graph/cctv+seed'
    """
    return ox.NamedNode(_GRAPHS + "+".join(sorted(set(sources))))


def registry(graph: ox.NamedNode, sources: Iterable[str]) -> list[ox.Quad]:
    """The registry's quads that derive ``graph`` from ``sources``.

    >>> [str(q.object) for q in registry(shared_graph(["a", "b"]), ["a", "b"])]
    ['<https://w3id.org/g60kg/id/source/a>', '<https://w3id.org/g60kg/id/source/b>']
    """
    return [ox.Quad(graph, DERIVED_FROM, ox.NamedNode(PREFIXES["g60src"] + s), _SOURCES) for s in sorted(set(sources))]


def share(store: Store, subjects: Iterable[str]) -> int:
    """Move every triple of ``subjects`` (N-Quads IRIs) that more than one named graph of
    ``store`` holds into the graph its sources share, and register that graph; return
    how many triples moved. A triple that the ontology or the registry also holds stays
    there alone. The store's replica is read (the store itself when embedded).

    >>> from g60kg.store.embedded import LocalStore
    >>> s = LocalStore(None)
    >>> g = "https://w3id.org/g60kg/graph/"
    >>> s.load(f'<http://e/x> <http://e/p> "1" <{g}a> .\\n<http://e/x> <http://e/p> "1" <{g}b> .\\n'.encode())
    >>> share(s, ["<http://e/x>"]), sorted(str(q.graph_name) for q in s.oxigraph)
    (1, ['<https://w3id.org/g60kg/graph/a+b>', '<https://w3id.org/g60kg/graph/sources>', '<https://w3id.org/g60kg/graph/sources>'])
    """
    replica = store.replica.oxigraph
    removed: list[ox.Quad] = []
    added: list[ox.Quad] = []
    registered: set[ox.NamedNode] = set()
    for subject in sorted(s for s in subjects if s.startswith("<")):
        graphs: dict[ox.Triple, list[ox.NamedNode]] = defaultdict(list)
        for quad in replica.quads_for_pattern(ox.NamedNode(subject[1:-1]), None, None, None):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs[quad.triple].append(quad.graph_name)
        for triple, holders in graphs.items():
            if len(holders) < 2:
                continue
            fixed = [g for g in _FIXED if g in holders]
            if fixed:
                keep = fixed[0]
            else:
                sources = [part for g in holders for part in g.value[len(_GRAPHS):].split("+")]
                keep = shared_graph(sources)
                if keep not in registered:
                    registered.add(keep)
                    added += registry(keep, sources)
            removed += [ox.Quad(triple.subject, triple.predicate, triple.object, g) for g in holders if g != keep]
            if keep not in holders:
                added.append(ox.Quad(triple.subject, triple.predicate, triple.object, keep))
    if removed:
        store.unload(ox.serialize(removed, format=ox.RdfFormat.N_QUADS))
    if added:
        store.load(ox.serialize(added, format=ox.RdfFormat.N_QUADS))
    return sum(1 for quad in added if quad.graph_name != _SOURCES)


def remove_source(store: Store, source: str) -> int:
    """Remove one source from ``store``: its graph, its registry entry, and its part in
    the graphs it shares, whose triples move to the graph of the sources that remain
    (as a build without it would have them). Returns the number of triples removed.

    >>> from g60kg.store.embedded import LocalStore
    >>> s = LocalStore(None)
    >>> s.load(f'<http://e/x> <http://e/p> "1" <{_GRAPHS}a> .\\n<http://e/x> <http://e/p> "1" <{_GRAPHS}b> .\\n'
    ...        f'<http://e/x> <http://e/p> "2" <{_GRAPHS}a> .\\n'.encode())
    >>> _ = share(s, ["<http://e/x>"])
    >>> remove_source(s, "a"), sorted(f"{q.object} {q.graph_name}" for q in s.oxigraph)
    (1, ['"1" <https://w3id.org/g60kg/graph/b>'])
    """
    graph, node = ox.NamedNode(_GRAPHS + source), ox.NamedNode(PREFIXES["g60src"] + source)
    removed = int(store.frame(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")["n"].iloc[0])
    shared = _quads(store, f"GRAPH {_SOURCES} {{ ?graph {DERIVED_FROM} {node} }} FILTER (?graph != {graph}) "
                           f"GRAPH ?graph {{ ?s ?p ?o }} BIND (?graph AS ?g)")
    entry = _quads(store, f"GRAPH {_SOURCES} {{ ?s ?p ?o }} BIND ({_SOURCES} AS ?g) "
                          f"FILTER (?s = {node} || EXISTS {{ GRAPH {_SOURCES} {{ ?s {DERIVED_FROM} {node} }} }})")
    moved: list[ox.Quad] = []
    for quad in shared:
        rest = [s for s in quad.graph_name.value[len(_GRAPHS):].split("+") if s != source]
        target = shared_graph(rest)
        moved.append(ox.Quad(quad.subject, quad.predicate, quad.object, target))
        if len(rest) > 1:
            moved += registry(target, rest)
    if shared or entry:
        store.unload(ox.serialize(shared + entry, format=ox.RdfFormat.N_QUADS))
    merged = f"DELETE {{ GRAPH <{store.merged_graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} ;\n" \
        if store.merged_graph else ""
    store.update(f"{merged}DROP SILENT GRAPH {graph}")
    if moved:
        store.load(ox.serialize(moved, format=ox.RdfFormat.N_QUADS))
    return removed


def _quads(store: Store, where: str) -> list[ox.Quad]:
    """The quads ``?s ?p ?o ?g`` that a group pattern binds."""
    solutions = ox.parse_query_results(store.select(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}"),
                                       format=ox.QueryResultsFormat.JSON)
    return [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in solutions]
