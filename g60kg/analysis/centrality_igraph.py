"""The measures of ``g60kg.analysis.centrality`` computed by python-igraph (C), for graphs
too large for networkx's Python loops: same definitions and normalizations as the
networkx reference, so the numbers agree within floating-point tolerance.

Install with ``pip install 'g60kg[fast]'``.

>>> import networkx as nx
>>> kite = nx.krackhardt_kite_graph()
>>> fast = igraph_table(kite, measures=["betweenness", "closeness"])
>>> round(float(fast.loc[7, "betweenness"]), 4), round(float(fast.loc[5, "closeness"]), 4)
(0.3889, 0.6429)
"""

from __future__ import annotations

import warnings
from typing import Iterable

import networkx as nx
import pandas as pd

__all__ = ["igraph_table", "to_igraph"]

IGRAPH_MEASURES = ("degree", "strength", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank")


def to_igraph(graph: nx.Graph, *, weight: str | None = "weight", distance: str | None = "distance"):  # type: ignore[no-untyped-def]
    """An undirected igraph copy of a networkx graph (parallel edges summed), with the
    ``weight`` and ``distance`` edge attributes where the graph has them; node order is
    ``list(graph)``.

    >>> to_igraph(nx.path_graph(3)).vcount()
    3
    """
    try:
        import igraph
    except ImportError as exc:  # pragma: no cover - the extra names the fix
        raise ImportError("python-igraph is not installed: pip install 'g60kg[fast]'") from exc
    nodes = list(graph)
    position = {node: i for i, node in enumerate(nodes)}
    simple = nx.Graph()
    simple.add_nodes_from(range(len(nodes)))
    for a, b, data in graph.edges(data=True):
        u, v = position[a], position[b]
        w = float(data.get(weight, 1.0)) if weight else 1.0
        d = float(data.get(distance, 1.0)) if distance else 1.0
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += w
            simple[u][v]["distance"] = min(simple[u][v]["distance"], d)
        else:
            simple.add_edge(u, v, weight=w, distance=d)
    edges = list(simple.edges(data=True))
    result = igraph.Graph(n=len(nodes), edges=[(u, v) for u, v, _ in edges], directed=False)
    result.es["weight"] = [d["weight"] for _, _, d in edges]
    result.es["distance"] = [d["distance"] for _, _, d in edges]
    return result


def igraph_table(graph: nx.Graph, *, measures: Iterable[str] = IGRAPH_MEASURES, weight: str | None = "weight",
                 distance: str | None = "distance") -> pd.DataFrame:
    """The table of ``centrality_table`` computed by igraph: degree as networkx's
    degree centrality, betweenness normalized by (n-1)(n-2)/2, closeness with
    networkx's Wasserman–Faust scaling for unreached nodes, harmonic unnormalized,
    eigenvector scaled to unit length, PageRank summing to 1 (damping 0.85). Betweenness
    is exact (Brandes, every node a source).
    """
    g = to_igraph(graph, weight=weight, distance=distance)
    n = g.vcount()
    has_distance = bool(distance) and g.ecount() > 0 and all(
        distance in d for _, _, d in graph.edges(data=True))
    dist = "distance" if has_distance else None
    w = "weight" if weight else None
    scale = 1.0 / (n - 1) if n > 1 else 0.0
    calls = {
        "degree": lambda: [d * scale for d in g.degree()],
        "strength": lambda: g.strength(weights=w),
        "betweenness": lambda: [b * 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0 for b in g.betweenness(weights=dist)],
        "closeness": lambda: _closeness(g, dist),
        "harmonic": lambda: [h * (n - 1) for h in g.harmonic_centrality(weights=dist, normalized=True)] if n > 1 else [0.0] * n,
        "eigenvector": lambda: _eigenvector(g, w),
        "pagerank": lambda: g.pagerank(weights=w, damping=0.85),
    }
    measures = list(measures)
    table = pd.DataFrame({m: calls[m]() for m in measures}, index=list(graph), columns=measures)
    table.attrs["betweenness"] = f"exact (Brandes in igraph, all {n} nodes as sources)"
    return table


def _closeness(g, dist: str | None) -> list[float]:  # type: ignore[no-untyped-def]
    """networkx's closeness: (r-1)/sum(d) scaled by (r-1)/(n-1) for r reachable nodes."""
    n = g.vcount()
    raw = g.closeness(weights=dist, normalized=True)  # (r-1)/sum(d) over the reachable nodes
    sizes = [len(c) for c in g.connected_components()]
    reach = [0] * n
    for component, size in zip(g.connected_components(), sizes):
        for v in component:
            reach[v] = size
    return [0.0 if (c != c or n < 2) else c * (reach[v] - 1) / (n - 1) for v, c in enumerate(raw)]


def _eigenvector(g, w: str | None) -> list[float]:  # type: ignore[no-untyped-def]
    """Unit-length eigenvector centrality; igraph's warning about disconnected graphs is
    the caller's to judge (networkx returns the same values without one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _unit(g.eigenvector_centrality(weights=w, scale=True))


def _unit(values: list[float]) -> list[float]:
    norm = sum(v * v for v in values) ** 0.5
    return [v / norm for v in values] if norm else values
