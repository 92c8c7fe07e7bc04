"""Centrality of the city network: one function per measure, networkx as the reference.

Every function takes a graph first and keyword options after, and returns a plain dict
``{node: value}``. ``backend=`` is handed to networkx's dispatch untouched (``None``:
networkx itself; an installed backend such as ``"parallel"`` or ``"graphblas"`` runs the
same call where it implements the algorithm). Path measures read ``distance`` (1/weight
in ``g60kg.network.cities``), the others ``weight``. ``centrality_table`` gathers the
measures of one graph and says whether its betweenness is exact.

>>> import networkx as nx
>>> star = nx.star_graph(3)
>>> betweenness(star)[0], degree(star)[0]
(1.0, 1.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

import networkx as nx
import pandas as pd

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MEASURES", "degree", "strength", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank", "hits",
           "multiplex_aggregate", "centrality_table", "centrality_matrix", "hits_table", "ranks", "betweenness_note"]

# The measures of ``centrality_table``, in the order reports show them.
MEASURES = ("degree", "strength", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank")
LARGE = 5_000  # nodes above which eigenvector centrality goes straight to the sparse eigensolver


def degree(graph: nx.Graph, *, backend: str | None = None) -> dict:
    """Degree centrality: the share of the other nodes a node is tied to.

    >>> degree(nx.path_graph(3))
    {0: 0.5, 1: 1.0, 2: 0.5}
    """
    return nx.degree_centrality(graph, backend=backend)


def strength(graph: nx.Graph, *, weight: str | None = "weight") -> dict:
    """Strength: the sum of the weights of a node's ties (its degree when ``weight`` is None).

    >>> g = nx.Graph([(0, 1, {"weight": 2.0}), (1, 2, {"weight": 3.0})])
    >>> strength(g)
    {0: 2.0, 1: 5.0, 2: 3.0}
    """
    return {node: float(value) for node, value in graph.degree(weight=weight)}


def betweenness(graph: nx.Graph, *, weight: str | None = None, k: int | None = None, seed: int | None = None,
                normalized: bool = True, backend: str | None = None) -> dict:
    """Betweenness: the share of shortest paths between other nodes that pass through a
    node (Brandes). Exact when ``k`` is None; with ``k``, estimated from ``k`` sampled
    sources (see ``betweenness_note``).

    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    return nx.betweenness_centrality(graph, k=k, normalized=normalized, weight=weight, seed=seed, backend=backend)


def closeness(graph: nx.Graph, *, distance: str | None = None, wf_improved: bool = True,
              backend: str | None = None) -> dict:
    """Closeness: the inverse mean distance to the nodes a node can reach, scaled by the
    share it can reach (Wasserman–Faust), so isolated nodes score 0.

    >>> closeness(nx.path_graph(3))[1]
    1.0
    """
    return nx.closeness_centrality(graph, distance=distance, wf_improved=wf_improved, backend=backend)


def harmonic(graph: nx.Graph, *, distance: str | None = None, backend: str | None = None) -> dict:
    """Harmonic centrality: the sum of inverse distances to every other node (0 for an
    unreachable one), well defined on disconnected graphs.

    >>> harmonic(nx.path_graph(3))
    {0: 1.5, 1: 2.0, 2: 1.5}
    """
    return nx.harmonic_centrality(graph, distance=distance, backend=backend)


def eigenvector(graph: nx.Graph, *, weight: str | None = None, max_iter: int = 1000, tol: float = 1e-9,
                backend: str | None = None) -> dict:
    """Eigenvector centrality (power iteration): a node is central when its neighbours
    are. A graph without edges gives 0 everywhere; on a disconnected graph, nodes outside
    the component with the largest eigenvalue tend to 0. Where the iteration does not
    converge (components that tie for the largest eigenvalue), and on graphs of more than
    ``LARGE`` nodes (where a thousand pure-Python iterations take minutes), the leading
    eigenvector of the symmetrized sparse adjacency matrix from scipy stands in (unit
    length, non-negative; the same vector where the answer is unique).

    >>> {n: round(v, 3) for n, v in eigenvector(nx.path_graph(3)).items()}
    {0: 0.5, 1: 0.707, 2: 0.5}
    >>> sorted(round(v, 3) for v in eigenvector(nx.Graph([(0, 1), (2, 3)])).values())
    [0.5, 0.5, 0.5, 0.5]
    """
    if graph.number_of_edges() == 0:
        return {node: 0.0 for node in graph}
    if graph.number_of_nodes() > LARGE and backend is None:
        return _leading_eigenvector(graph, weight)
    try:
        return nx.eigenvector_centrality(graph, max_iter=max_iter, tol=tol, weight=weight, backend=backend)
    except nx.PowerIterationFailedConvergence:
        return _leading_eigenvector(graph, weight)


def _leading_eigenvector(graph: nx.Graph, weight: str | None, ties: int = 8) -> dict:
    """The uniform vector projected onto the leading eigenspace of the symmetrized
    (sparse) adjacency matrix, unit length: components that tie for the largest
    eigenvalue share it by their size, the same on every run (up to ``ties`` of them)."""
    import numpy as np
    from scipy.sparse.linalg import eigsh

    nodes = list(graph)
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=weight, dtype=float)
    symmetric = (matrix + matrix.T) / 2
    if len(nodes) <= 2 * ties:  # small: every eigenvector, densely
        values, vectors = np.linalg.eigh(symmetric.toarray())
    else:
        values, vectors = eigsh(symmetric, k=ties, which="LA", v0=np.ones(len(nodes)))
    lead = vectors[:, values >= values.max() - 1e-9 * max(1.0, abs(values.max()))]
    projected = np.abs(lead @ (lead.T @ np.ones(len(nodes))))
    return dict(zip(nodes, (projected / np.linalg.norm(projected)).tolist()))


def pagerank(graph: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight", backend: str | None = None) -> dict:
    """PageRank (networkx's, with numpy and scipy): a random walker's long-run share of
    time at each node, teleporting with probability ``1 - alpha``.

    >>> {n: round(v, 3) for n, v in pagerank(nx.path_graph(3)).items()}
    {0: 0.257, 1: 0.486, 2: 0.257}
    """
    return nx.pagerank(graph, alpha=alpha, weight=weight, backend=backend)


def hits(graph: nx.Graph, *, max_iter: int = 1000, tol: float = 1e-8, backend: str | None = None) -> tuple[dict, dict]:
    """HITS hub and authority scores, for directed graphs: a hub points to good
    authorities, an authority is pointed to by good hubs. Zeros for a graph without edges.

    >>> hubs, authorities = hits(nx.DiGraph([("a", "b"), ("c", "b")]))
    >>> authorities["b"], hubs["a"] == hubs["c"]
    (1.0, True)
    """
    if graph.number_of_edges() == 0:
        zeros = {node: 0.0 for node in graph}
        return zeros, dict(zeros)
    return nx.hits(graph, max_iter=max_iter, tol=tol, backend=backend)


def multiplex_aggregate(layers: Mapping[str, nx.Graph], *, normalize: bool = True, weight: str = "weight") -> nx.Graph:
    """One graph from several layers over the same nodes: an edge's ``weight`` is the sum
    of its layers' weights, each divided by the largest weight of its layer when
    ``normalize`` (so a layer of counts in the hundreds does not drown a layer of single
    ties); ``layers`` records each layer's share and ``distance`` is 1/weight.

    >>> a = nx.Graph([(1, 2, {"weight": 4.0})]); b = nx.Graph([(1, 2, {"weight": 1.0}), (2, 3, {"weight": 2.0})])
    >>> m = multiplex_aggregate({"a": a, "b": b})
    >>> m.edges[1, 2]["weight"], m.edges[1, 2]["layers"]
    (1.5, {'a': 1.0, 'b': 0.5})
    """
    merged = nx.Graph()
    for name, graph in layers.items():
        merged.add_nodes_from(graph.nodes(data=True))
        top = max((d.get(weight, 1.0) for _, _, d in graph.edges(data=True)), default=0.0)
        for u, v, data in graph.edges(data=True):
            share = data.get(weight, 1.0) / top if normalize and top else data.get(weight, 1.0)
            if not merged.has_edge(u, v):
                merged.add_edge(u, v, weight=0.0, layers={})
            merged.edges[u, v]["weight"] += share
            merged.edges[u, v]["layers"][name] = share
    for _, _, data in merged.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return merged


def betweenness_note(graph: nx.Graph, k: int | None = None, seed: int | None = None) -> str:
    """Whether betweenness on ``graph`` is exact or sampled, in words.

    >>> betweenness_note(nx.path_graph(9))
    'exact (Brandes, all 9 nodes as sources)'
    """
    n = graph.number_of_nodes()
    if k is None or k >= n:
        return f"exact (Brandes, all {n} nodes as sources)"
    return f"approximate (Brandes from {k} of {n} nodes sampled as sources, seed {seed})"


def _calls(graph: nx.Graph, weight: str | None, distance: str | None, k: int | None, seed: int | None,
           backend: str | None) -> dict:
    if distance and graph.number_of_edges() and not all(distance in d for _, _, d in graph.edges(data=True)):
        distance = None
    return {
        "degree": lambda: degree(graph, backend=backend),
        "strength": lambda: strength(graph, weight=weight),
        "betweenness": lambda: betweenness(graph, weight=distance, k=k, seed=seed, backend=backend),
        "closeness": lambda: closeness(graph, distance=distance, backend=backend),
        "harmonic": lambda: harmonic(graph, distance=distance, backend=backend),
        "eigenvector": lambda: eigenvector(graph, weight=weight, backend=backend),
        "pagerank": lambda: pagerank(graph, weight=weight, backend=backend),
    }


def centrality_matrix(graph: nx.Graph, nodes: list, *, measures: Iterable[str] = MEASURES, weight: str | None = "weight",
                      distance: str | None = "distance", k: int | None = None, seed: int | None = None,
                      backend: str | None = None) -> np.ndarray:
    """The values of ``centrality_table`` as a measures × ``nodes`` array (no pandas: for
    the thousands of small graphs of a bootstrap).

    >>> centrality_matrix(nx.path_graph(3), [0, 1, 2], measures=["degree"]).tolist()
    [[0.5, 1.0, 0.5]]
    """
    import numpy as np

    calls = _calls(graph, weight, distance, k, seed, backend)
    rows = []
    for measure in measures:
        values = calls[measure]()
        rows.append([float(values.get(node, 0.0)) for node in nodes])
    return np.array(rows) + 0.0


def centrality_table(graph: nx.Graph, *, measures: Iterable[str] = MEASURES, weight: str | None = "weight",
                     distance: str | None = "distance", k: int | None = None, seed: int | None = None,
                     backend: str | None = None, engine: str = "networkx") -> pd.DataFrame:
    """Every measure of every node, one column per measure; ``attrs["betweenness"]``
    says whether betweenness is exact. Path measures use ``distance``, the others
    ``weight`` (``degree`` counts ties, ``strength`` sums them). ``engine="igraph"``
    computes the same measures in C for large graphs (``g60kg.analysis.centrality_igraph``).

    >>> table = centrality_table(nx.star_graph(2), weight=None, distance=None)
    >>> table.loc[0, ["degree", "betweenness"]].tolist(), table.attrs["betweenness"]
    ([1.0, 1.0], 'exact (Brandes, all 3 nodes as sources)')
    """
    if engine == "igraph":
        from g60kg.analysis.centrality_igraph import igraph_table

        return igraph_table(graph, measures=measures, weight=weight, distance=distance)
    measures, nodes = list(measures), list(graph)
    matrix = centrality_matrix(graph, nodes, measures=measures, weight=weight, distance=distance, k=k, seed=seed,
                               backend=backend)
    table = pd.DataFrame(matrix.T, index=nodes, columns=measures)
    table.attrs["betweenness"] = betweenness_note(graph, k, seed)
    return table


def hits_table(graph: nx.DiGraph, *, backend: str | None = None) -> pd.DataFrame:
    """HITS ``hub`` and ``authority`` of every node of a directed graph.

    >>> hits_table(nx.DiGraph([("a", "b")])).loc["b"].tolist()
    [0.0, 1.0]
    """
    hubs, authorities = hits(graph, backend=backend)
    nodes = list(graph)
    return pd.DataFrame({"hub": pd.Series(hubs).reindex(nodes), "authority": pd.Series(authorities).reindex(nodes)},
                        index=nodes).astype(float) + 0.0  # no negative zeros


def ranks(table: pd.DataFrame, *, decimals: int = 9) -> pd.DataFrame:
    """Rank of each node per column, 1 the highest; equal values (to ``decimals``) share
    the better rank, so a tie for first shows as several 1s.

    >>> ranks(pd.DataFrame({"m": [0.5, 0.9, 0.5]}, index=["a", "b", "c"]))["m"].tolist()
    [2, 1, 2]
    """
    return table.round(decimals).rank(ascending=False, method="min").astype(int)
