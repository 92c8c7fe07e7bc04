"""Is a layer's top city more than chance? Permutation tests with stated nulls, QAP
between layers, and Holm's correction for testing several layers at once.

The null of a layer is its *configuration*: every mechanism keeps its size (one host;
its number of member cities) and its date, and which cities fill it is drawn uniformly
from the network's members as of that date. The test statistic is the top score; its
p-value is the share of null draws whose top score reaches the observed one (plus one,
so p is never 0). Each mechanism draws from its own stream (seed and key), so adding a
mechanism changes no other mechanism's draws: a mechanism given to the top city can
only lower the p-value (the null top grows by at most what the observed top grows by).

>>> holm({"a": 0.01, "b": 0.04, "c": 0.5})
{'a': 0.03, 'b': 0.08, 'c': 0.5}
"""

from __future__ import annotations

from typing import Callable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from g60kg.analysis.uncertainty import key_hashes, stream, uniforms

__all__ = ["configuration_null", "top_p_value", "qap", "holm"]


def configuration_null(table: pd.DataFrame, members: list[str], eligible: Callable[[float], list[str]], *,
                       kind: str, n: int = 1000, seed: int = 0, cache: dict | None = None) -> np.ndarray:
    """Scores (n × members) of ``n`` corridors drawn from the configuration null of a
    two-mode ``table`` (columns ``mechanism``, ``city``, ``distinguished``, ``year``):
    in a ``role`` layer each mechanism's distinguished cities are redrawn (each gets
    1 / their number), in a ``membership`` layer all its cities (each gets their number
    less one), from ``eligible(year)``. Each mechanism's draws are a function of the seed,
    its key and the replicate only, so the null of a table less some mechanisms is this
    one less theirs.

    ``cache`` (a dict the caller keeps) holds each mechanism's draws once drawn, so that
    the nulls of many tables sharing mechanisms (a layer less one source, again and
    again) sum them instead of drawing them again; the scores are the same either way.

    >>> t = pd.DataFrame({"mechanism": ["m"], "city": ["a"], "distinguished": [True], "year": [2020.0]})
    >>> null = configuration_null(t, ["a", "b"], lambda year: ["a", "b"], kind="role", n=400)
    >>> null.sum(axis=1).tolist() == [1.0] * 400, bool(0.4 < null[:, 0].mean() < 0.6)
    (True, True)
    >>> cache = {}
    >>> bool((configuration_null(t, ["a", "b"], lambda year: ["a", "b"], kind="role", n=400, cache=cache) == null).all())
    True
    """
    index = {c: i for i, c in enumerate(members)}
    scores = np.zeros((n, len(members)))
    for (key, size), mechanisms in _configuration(table, kind):
        cities = [c for c in eligible(float("nan") if key == -1.0 else key) if c in index]
        pool = np.array([index[c] for c in cities], dtype=int)
        k = min(size, len(pool))
        if k == 0:
            continue
        value = 1.0 / k if kind == "role" else float(k - 1)
        if k == len(pool):  # every eligible city, in every draw
            scores[:, pool] += value * len(mechanisms)
            continue
        if cache is None:
            hashes = key_hashes(["null|" + m for m in mechanisms], seed)
            counts = sum(_counts(_subsets(hashes[start:start + _CHUNK], len(pool), k, n), len(pool))
                         for start in range(0, len(hashes), _CHUNK))
        else:
            counts = _cached(cache, mechanisms, tuple(cities), k, n, seed).sum(axis=0)
        scores[:, pool] += value * counts
    return scores


def _configuration(table: pd.DataFrame, kind: str) -> list[tuple[tuple[float, int], list[str]]]:
    """The mechanisms of ``table`` by (year, size), in that order: the year of a
    mechanism is that of its first dated row (-1 when none is dated), its size the number
    of its rows a draw fills (the distinguished ones in a ``role`` layer).

    >>> t = pd.DataFrame({"mechanism": ["n", "m", "m"], "city": ["a", "a", "b"], "distinguished": [True, True, False],
    ...                   "year": [2019.0, None, 2020.0]})
    >>> _configuration(t, "role"), _configuration(t, "membership")
    ([((2019.0, 1), ['n']), ((2020.0, 1), ['m'])], [((2019.0, 1), ['n']), ((2020.0, 2), ['m'])])
    """
    if table.empty:
        return []
    codes, names = pd.factorize(table["mechanism"], sort=True)
    counted = table["distinguished"].to_numpy(dtype=bool) if kind == "role" else np.ones(len(table), dtype=bool)
    sizes = np.bincount(codes, weights=counted, minlength=len(names)).astype(int)
    years = table["year"].to_numpy(dtype=float)
    dated = np.flatnonzero(~np.isnan(years))
    first, at = np.unique(codes[dated], return_index=True)
    keys = np.full(len(names), -1.0)
    keys[first] = years[dated[at]]
    groups: dict[tuple[float, int], list[str]] = {}
    for name, key, size in zip(names.tolist(), keys.tolist(), sizes.tolist()):
        groups.setdefault((key, size), []).append(name)
    return sorted(groups.items())


_CHUNK = 256  # mechanisms drawn at once


def _cached(cache: dict, mechanisms: list[str], pool: tuple[str, ...], k: int, n: int, seed: int) -> np.ndarray:
    """Each mechanism's draws (mechanisms × n × pool), taken from ``cache`` or drawn and
    kept there; a draw is keyed by everything it depends on."""
    keys = [(m, pool, k, n, seed) for m in mechanisms]
    missing = [key for key in keys if key not in cache]
    if missing:
        hashes = key_hashes(["null|" + key[0] for key in missing], seed)
        for start in range(0, len(missing), _CHUNK):
            chosen = _subsets(hashes[start:start + _CHUNK], len(pool), k, n)
            picked = np.zeros((len(chosen), n, len(pool)), dtype=np.uint8)
            np.put_along_axis(picked, chosen, 1, axis=2)
            cache.update(zip(missing[start:start + _CHUNK], picked))
    return np.stack([cache[key] for key in keys])


def _counts(chosen: np.ndarray, size: int) -> np.ndarray:
    """How often each city of the pool is picked in each replicate: (n × size)."""
    n = chosen.shape[1]
    flat = (np.arange(n)[None, :, None] * size + chosen).ravel()
    return np.bincount(flat, minlength=n * size).reshape(n, size)


def _subsets(hashes: np.ndarray, size: int, k: int, n: int) -> np.ndarray:
    """The ``k`` distinct cities (positions in a pool of ``size``) each mechanism (a hash)
    picks uniformly in each of ``n`` replicates: (mechanisms × n × k)."""
    u = uniforms(hashes, np.arange(n), k)  # mechanisms × replicates × k
    chosen = np.empty(u.shape, dtype=int)
    for j in range(k):  # the j-th pick is a rank among the cities not picked yet
        rank = np.minimum((u[:, :, j] * (size - j)).astype(int), size - j - 1)
        for taken in np.sort(chosen[:, :, :j], axis=2).transpose(2, 0, 1):
            rank += rank >= taken
        chosen[:, :, j] = rank
    return chosen


def top_p_value(observed: np.ndarray, null: np.ndarray, *, tolerance: float = 1e-9) -> float:
    """The p-value of the top observed score against the null's top scores.

    >>> top_p_value(np.array([5.0, 1.0]), np.array([[3.0, 3.0], [5.0, 1.0], [4.0, 2.0]]))
    0.5
    """
    top = float(observed.max()) if observed.size else 0.0
    reached = int((null.max(axis=1) >= top - tolerance).sum()) if null.size else 0
    return (1 + reached) / (1 + len(null))


def _matrix(graph: nx.Graph, nodes: list[str]) -> np.ndarray:
    matrix = nx.to_numpy_array(graph, nodelist=nodes, weight="weight")
    return matrix + matrix.T if graph.is_directed() else matrix


def qap(first: nx.Graph, second: nx.Graph, nodes: list[str], *, n: int = 1000, seed: int = 0) -> dict[str, float]:
    """Quadratic assignment procedure: the Pearson correlation of two layers' tie weights
    over the pairs of ``nodes`` (directed layers made symmetric), and its one-sided
    p-value against the same correlation with the second layer's nodes permuted.
    ``r`` is NaN (and p 1) where a layer has no variation.

    >>> g = nx.path_graph(6)
    >>> result = qap(g, g, list(g), n=200)
    >>> result["r"], result["p"] < 0.05
    (1.0, True)
    """
    a, b = _matrix(first, nodes), _matrix(second, nodes)
    upper = np.triu_indices(len(nodes), 1)
    x = a[upper]
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(b[upper]) == 0:
        return {"r": float("nan"), "p": 1.0, "n": 0}
    r = float(np.corrcoef(x, b[upper])[0, 1])
    rng = stream(seed, "qap")
    null = np.empty(n)
    for k in range(n):
        order = rng.permutation(len(nodes))
        null[k] = np.corrcoef(x, b[np.ix_(order, order)][upper])[0, 1]
    return {"r": round(r, 12), "p": (1 + int((null >= r - 1e-12).sum())) / (1 + n), "n": n}


def holm(p_values: Mapping[str, float]) -> dict[str, float]:
    """Holm's step-down adjustment: adjusted p-values controlling the family-wise error
    rate over the tests given (each non-decreasing in every raw p-value)."""
    order = sorted(p_values, key=lambda k: (p_values[k], k))
    m = len(order)
    adjusted, running = {}, 0.0
    for i, key in enumerate(order):
        running = max(running, min(1.0, (m - i) * p_values[key]))
        adjusted[key] = round(running, 12)
    return {k: adjusted[k] for k in p_values}
