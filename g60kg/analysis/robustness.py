"""How far a city's centrality survives changes to the evidence: standing per layer, an
edge bootstrap over facts, leave one layer out, leave one source out, and null models.

Functions over the objects of ``g60kg.network.cities`` (evidence, tie tables, layer
graphs) returning DataFrames; ``g60kg.analysis.verdict`` puts them together.

The rule for "the central node of a layer" is the same everywhere: the city ranked first,
alone, on a majority of the measures in ``MEASURES`` (4 of 7). A layer without such a
city has no single centre (a complete graph of equal ties, for instance).

>>> import networkx as nx
>>> from g60kg.analysis.centrality import centrality_table
>>> leader(centrality_table(nx.star_graph(4)))
0
"""

from __future__ import annotations

from typing import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from g60kg.analysis.centrality import MEASURES, centrality_matrix, centrality_table, multiplex_aggregate, ranks
from g60kg.network.cities import CityEvidence, city_layers, tie_table

__all__ = ["leader", "standing", "informative_layers", "edge_bootstrap", "bootstrap_summary", "leave_one_layer_out",
           "leave_one_source_out", "null_model"]

BATCH = 100  # bootstrap replicates drawn at a time


def _firsts(table: pd.DataFrame, measures: Iterable[str]) -> tuple[pd.Series, pd.Series]:
    """Per node: on how many measures it is first alone, and first at all (ties included)."""
    first = ranks(table[list(measures)]) == 1
    alone = first & (first.sum(axis=0) == 1)
    return alone.sum(axis=1), first.sum(axis=1)


def _leader_of(matrix: np.ndarray, nodes: list) -> str | None:
    """``leader`` on a measures × nodes array."""
    values = np.round(matrix, 9)
    first = values == values.max(axis=1, keepdims=True)
    alone = (first & (first.sum(axis=1, keepdims=True) == 1)).sum(axis=0)
    return nodes[int(alone.argmax())] if alone.size and alone.max() >= len(matrix) // 2 + 1 else None


def leader(table: pd.DataFrame, measures: Iterable[str] = MEASURES) -> str | None:
    """The node first alone on a majority of ``measures``, or None (no single centre)."""
    measures = list(measures)
    alone, _ = _firsts(table, measures)
    if alone.empty or alone.max() < len(measures) // 2 + 1:
        return None
    return alone.index.tolist()[int(np.argmax(alone.to_numpy()))]


def standing(table: pd.DataFrame, city: str, measures: Iterable[str] = MEASURES) -> str:
    """A city's standing in one graph, in words: ``central``, ``shares the top``,
    ``not central`` or ``no single centre``.

    >>> import networkx as nx
    >>> from g60kg.analysis.centrality import centrality_table
    >>> standing(centrality_table(nx.complete_graph(4)), 0)
    'shares the top'
    """
    measures = list(measures)
    top = leader(table, measures)
    _, first = _firsts(table, measures)
    if top == city:
        return "central"
    if first.get(city, 0) >= len(measures) // 2 + 1:
        return "shares the top"
    return "not central" if top is not None else "no single centre"


def informative_layers(layers: Mapping[str, nx.Graph], *, min_edges: int = 2, min_nodes: int = 3) -> list[str]:
    """Layers with at least ``min_edges`` ties reaching at least ``min_nodes`` cities: the
    others cannot rank cities."""
    keep = []
    for name, graph in layers.items():
        touched = sum(1 for _, d in graph.degree() if d > 0)
        if graph.number_of_edges() >= min_edges and touched >= min_nodes:
            keep.append(name)
    return keep


def _graph(nodes: list[str], edges: list[tuple[str, str]], weights: np.ndarray) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for (u, v), w in zip(edges, weights.tolist()):
        if w > 0:
            graph.add_edge(u, v, weight=w, distance=1.0 / w)
    return graph


def edge_bootstrap(evidence: CityEvidence, ties: pd.DataFrame, *, layers: Iterable[str], n_boot: int = 1000,
                   seed: int = 0, backend: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resample the facts behind the ties with replacement, ``n_boot`` times (seeded):
    a replicate keeps a tie when each of its sides keeps at least one fact (a seat is
    kept: location facts are not resampled), rebuilds each layer and their multiplex
    aggregate, and ranks every city. Returns (values: replicate, layer, measure, city,
    value, rank; leaders: replicate, layer, leader).
    """
    layers = list(layers)
    nodes = list(evidence.members)
    sub = ties[ties["layer"].isin(layers)].reset_index(drop=True)
    facts = sorted({f for groups in sub["groups"] for g in groups for f in g})
    index = {f: i for i, f in enumerate(facts)}
    group_rows, owners = [], []
    for i, groups in enumerate(sub["groups"]):
        for g in groups:
            if g:
                group_rows.append([index[f] for f in g])
                owners.append(i)
    # Sparse incidence (fact groups × facts, ties × fact groups, ties × city pairs) and
    # replicates drawn in batches: memory grows with the facts, not with their square.
    member = sparse.csr_matrix((np.ones(sum(map(len, group_rows)), dtype=np.int32),
                                (np.repeat(np.arange(len(group_rows)), [len(r) for r in group_rows]),
                                 [f for row in group_rows for f in row])), shape=(len(group_rows), len(facts)))
    owner = sparse.csr_matrix((np.ones(len(owners), dtype=np.int32), (owners, np.arange(len(group_rows)))),
                              shape=(len(sub), len(group_rows)))
    rng = np.random.default_rng(seed)
    alive = np.zeros((n_boot, len(sub)), dtype=bool)
    for start in range(0, n_boot, BATCH):
        count = min(BATCH, n_boot - start)
        drawn = np.zeros((len(facts), count), dtype=np.int32)
        if facts:
            drawn[rng.integers(0, len(facts), size=(count, len(facts))), np.arange(count)[:, None]] = 1
        group_dead = (member @ drawn) == 0
        alive[start:start + count] = (owner @ group_dead.astype(np.int32) == 0).T
    weighted = alive * sub["weight"].to_numpy()[None, :]
    per_layer: dict[str, tuple[list[tuple[str, str]], np.ndarray]] = {}
    for layer in layers:
        rows = sub.index[sub["layer"] == layer].to_numpy()
        pairs = sorted(set(zip(sub.loc[rows, "a"], sub.loc[rows, "b"])))
        where = {p: k for k, p in enumerate(pairs)}
        columns = [where[(a, b)] for a, b in zip(sub.loc[rows, "a"], sub.loc[rows, "b"])]
        onto = sparse.csr_matrix((np.ones(len(rows)), (np.arange(len(rows)), columns)), shape=(len(rows), len(pairs)))
        per_layer[layer] = (pairs, np.asarray((onto.T @ weighted[:, rows].T).T) if len(rows) else np.zeros((n_boot, 0)))
    names = [*layers, "multiplex"]
    values = np.zeros((n_boot, len(names), len(MEASURES), len(nodes)))
    leaders: list[tuple[int, str, str | None]] = []
    cache: dict[tuple, tuple[np.ndarray, str | None]] = {}

    def table_of(key: tuple, build) -> tuple[np.ndarray, str | None]:
        if key not in cache:
            matrix = centrality_matrix(build(), nodes, backend=backend)
            cache[key] = (matrix, _leader_of(matrix, nodes))
        return cache[key]

    for r in range(n_boot):
        graphs = {}
        for layer in layers:
            pairs, w = per_layer[layer]
            graphs[layer] = (pairs, w[r])
        for k, name in enumerate(names):
            if name == "multiplex":
                pairs, shares = [], []
                for layer in layers:
                    p, w = graphs[layer]
                    top = w.max() if len(w) else 0.0
                    pairs += p
                    shares += list(w / top) if top else list(w)
                merged: dict[tuple[str, str], float] = {}
                for p, s in zip(pairs, shares):
                    merged[p] = merged.get(p, 0.0) + s
                edges, w = list(merged), np.array(list(merged.values()))
            else:
                edges, w = graphs[name]
            key = (name, tuple(np.round(w, 9).tolist()))
            matrix, top = table_of(key, lambda e=edges, x=w: _graph(nodes, e, x))
            values[r, k] = matrix
            leaders.append((r, name, top))
    rep, lay, mea, cit = np.meshgrid(np.arange(n_boot), np.arange(len(names)), np.arange(len(MEASURES)),
                                     np.arange(len(nodes)), indexing="ij")
    long = pd.DataFrame({"replicate": rep.ravel(), "layer": np.array(names)[lay.ravel()],
                         "measure": np.array(MEASURES)[mea.ravel()], "city": np.array(nodes)[cit.ravel()],
                         "value": values.ravel()})
    rounded = long["value"].round(9)
    long["rank"] = rounded.groupby([long["replicate"], long["layer"], long["measure"]]).rank(
        ascending=False, method="min").astype(int)
    return long, pd.DataFrame(leaders, columns=["replicate", "layer", "leader"])


def bootstrap_summary(values: pd.DataFrame, leaders: pd.DataFrame, *, level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Intervals per layer, measure and city (rank and value: median and the central
    ``level`` interval; ``p_top``: share of replicates ranked first), and the share of
    replicates in which each city is the layer's central node."""
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    grouped = values.groupby(["layer", "measure", "city"], sort=False)
    summary = grouped.agg(rank_median=("rank", "median"), rank_lo=("rank", lambda s: s.quantile(lo)),
                          rank_hi=("rank", lambda s: s.quantile(hi)), value_median=("value", "median"),
                          value_lo=("value", lambda s: s.quantile(lo)), value_hi=("value", lambda s: s.quantile(hi)),
                          p_top=("rank", lambda s: float((s == 1).mean()))).reset_index()
    n = leaders["replicate"].nunique() or 1
    shares = (leaders.fillna({"leader": "(none)"}).groupby(["layer", "leader"]).size() / n).rename("share").reset_index()
    return summary, shares


def leave_one_layer_out(layers: Mapping[str, nx.Graph], city: str, *, backend: str | None = None) -> pd.DataFrame:
    """The multiplex aggregate without each layer in turn: its central node and the
    city's standing and median rank over the measures."""
    rows = []
    for out in layers:
        rest = {k: g for k, g in layers.items() if k != out}
        table = centrality_table(multiplex_aggregate(rest), backend=backend)
        rows.append({"left_out": out, "layers": ", ".join(rest) or "(none)", "leader": leader(table),
                     "standing": standing(table, city), "median_rank": float(ranks(table).loc[city].median())})
    return pd.DataFrame(rows, columns=["left_out", "layers", "leader", "standing", "median_rank"])


def leave_one_source_out(evidence: CityEvidence, *, layers: Iterable[str], city: str, sources: Iterable[str],
                         corridor_wide: bool = True, backend: str | None = None) -> pd.DataFrame:
    """Drop each source's facts in turn (ties and location facts alike), rebuild the
    layers and their aggregate: per source and graph, the ties lost, the central node
    and the city's standing and median rank."""
    layers = list(layers)
    full = tie_table(evidence, corridor_wide=corridor_wide)
    base = full[full["layer"].isin(layers)]
    rows = []
    for source in sources:
        ties = tie_table(evidence, drop_sources=[source], corridor_wide=corridor_wide)
        graphs = city_layers(evidence, ties, layers=layers)
        graphs["multiplex"] = multiplex_aggregate(graphs)
        kept = ties[ties["layer"].isin(layers)]
        lost = len(base) - len(kept)
        lost_city = int(((base["a"] == city) | (base["b"] == city)).sum() - ((kept["a"] == city) | (kept["b"] == city)).sum())
        for name, graph in graphs.items():
            table = centrality_table(graph, backend=backend)
            rows.append({"source": source, "graph": name, "ties_lost": lost, "city_ties_lost": lost_city,
                         "leader": leader(table), "standing": standing(table, city),
                         "median_rank": float(ranks(table).loc[city].median())})
    return pd.DataFrame(rows, columns=["source", "graph", "ties_lost", "city_ties_lost", "leader", "standing",
                                       "median_rank"])


def _percentile(observed: float, null: np.ndarray) -> float:
    return float(100.0 * ((null < observed - 1e-12).mean() + 0.5 * (np.abs(null - observed) <= 1e-12).mean()))


def null_model(graph: nx.Graph, city: str, *, n: int = 500, seed: int = 0, backend: str | None = None) -> pd.DataFrame:
    """Where the city's values fall among random graphs like this one (percentile, 50 =
    typical, 100 = above every random graph):

    - ``rewire``: degree-preserving rewiring (``nx.double_edge_swap``, 10 swaps per
      edge) of the unweighted graph; degree is fixed, so the path and spectral measures
      are tested. Not applicable when no swap is possible (a star, a complete graph).
    - ``weights``: the observed weights shuffled over the observed edges; tests whether
      the city holds the heavier ties. Not applicable when all weights are equal.
    """
    rng = np.random.default_rng(seed)
    rows = []
    binary = nx.Graph()
    binary.add_nodes_from(graph)
    binary.add_edges_from(graph.edges())
    tested = ["betweenness", "closeness", "harmonic", "eigenvector", "pagerank"]
    observed = centrality_table(binary, measures=tested, weight=None, distance=None, backend=backend).loc[city]
    samples, why = [], ""
    m = binary.number_of_edges()
    try:
        for _ in range(n):
            g = binary.copy()
            nx.double_edge_swap(g, nswap=10 * m, max_tries=100 * m + 100, seed=int(rng.integers(2**31)))
            samples.append(g)
    except (nx.NetworkXError, nx.NetworkXAlgorithmError):
        samples, why = [], "no degree-preserving swap is possible in this graph (complete, star-shaped or too small)"
    if m < 2:
        samples, why = [], "fewer than two edges"
    cache: dict[frozenset, pd.Series] = {}
    for measure in tested:
        if samples:
            values = []
            for g in samples:
                key = frozenset(frozenset(e) for e in g.edges())
                if key not in cache:
                    cache[key] = centrality_table(g, measures=tested, weight=None, distance=None, backend=backend).loc[city]
                values.append(cache[key][measure])
            null = np.array(values)
            rows.append({"model": "rewire", "measure": measure, "observed": observed[measure],
                         "null_mean": float(null.mean()), "percentile": _percentile(observed[measure], null), "n": n,
                         "note": ""})
        else:
            rows.append({"model": "rewire", "measure": measure, "observed": observed[measure], "null_mean": np.nan,
                         "percentile": np.nan, "n": 0, "note": f"not applicable: {why or 'no swap possible'}"})
    weights = np.array([d.get("weight", 1.0) for _, _, d in graph.edges(data=True)])
    weighted = ["strength", "eigenvector", "pagerank", "betweenness", "closeness"]
    real = centrality_table(graph, measures=weighted, backend=backend).loc[city]
    edges = list(graph.edges())
    if len(weights) >= 2 and np.ptp(weights) > 0:
        draws = {measure: [] for measure in weighted}
        for _ in range(n):
            g = nx.Graph()
            g.add_nodes_from(graph)
            for (u, v), w in zip(edges, rng.permutation(weights).tolist()):
                g.add_edge(u, v, weight=w, distance=1.0 / w)
            table = centrality_table(g, measures=weighted, backend=backend).loc[city]
            for measure in weighted:
                draws[measure].append(table[measure])
        for measure in weighted:
            null = np.array(draws[measure])
            rows.append({"model": "weights", "measure": measure, "observed": real[measure],
                         "null_mean": float(null.mean()), "percentile": _percentile(real[measure], null), "n": n,
                         "note": ""})
    else:
        rows.append({"model": "weights", "measure": "strength", "observed": real["strength"], "null_mean": np.nan,
                     "percentile": np.nan, "n": 0, "note": "not applicable: all ties weigh the same"})
    return pd.DataFrame(rows, columns=["model", "measure", "observed", "null_mean", "percentile", "n", "note"])
