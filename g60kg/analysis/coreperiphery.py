"""Core–periphery fit of a layer (Borgatti and Everett 1999, the discrete model).

The ideal pattern ties every pair with at least one core member and no pair of
peripheral ones; the fit is the Pearson correlation between the layer's tie weights and
that pattern, over all pairs, for the best core (every subset is tried up to 16 cities;
beyond, a greedy search adds or drops one city at a time). A star fits with its hub as
the core and correlation 1; a complete or empty graph has no core (fit NaN).
"""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import numpy as np

__all__ = ["core_periphery"]

EXHAUSTIVE = 16


def _fit(weights: np.ndarray, core: np.ndarray, upper: tuple[np.ndarray, np.ndarray]) -> float:
    pattern = (core[:, None] | core[None, :])[upper].astype(float)
    if np.ptp(pattern) == 0:
        return float("nan")
    return float(np.corrcoef(weights, pattern)[0, 1])


def core_periphery(graph: nx.Graph, nodes: list[str] | None = None) -> dict:
    """The best core of ``graph`` (directed graphs made symmetric) and its fit.

    >>> result = core_periphery(nx.star_graph(4))
    >>> result["core"], result["fit"]
    ([0], 1.0)
    """
    nodes = list(graph) if nodes is None else nodes
    matrix = nx.to_numpy_array(graph, nodelist=nodes, weight="weight")
    matrix = matrix + matrix.T if graph.is_directed() else matrix
    upper = np.triu_indices(len(nodes), 1)
    weights = matrix[upper]
    best: tuple[float, tuple[int, ...]] = (float("-inf"), ())
    if len(nodes) < 3 or np.ptp(weights) == 0:
        return {"core": [], "fit": float("nan")}
    if len(nodes) <= EXHAUSTIVE:
        for size in range(1, len(nodes)):
            for core in combinations(range(len(nodes)), size):
                mask = np.zeros(len(nodes), dtype=bool)
                mask[list(core)] = True
                fit = _fit(weights, mask, upper)
                if fit == fit and fit > best[0] + 1e-12:
                    best = (fit, core)
    else:
        mask = np.zeros(len(nodes), dtype=bool)
        mask[int(matrix.sum(axis=1).argmax())] = True
        current = _fit(weights, mask, upper)
        improved = True
        while improved:
            improved = False
            for i in range(len(nodes)):
                mask[i] = not mask[i]
                fit = _fit(weights, mask, upper) if 0 < mask.sum() < len(nodes) else float("nan")
                if fit == fit and fit > current + 1e-12:
                    current, improved = fit, True
                else:
                    mask[i] = not mask[i]
        best = (current, tuple(np.flatnonzero(mask)))
    return {"core": [nodes[i] for i in best[1]], "fit": round(best[0], 12)}
