"""Every measure against networkx and against values a person can check by hand, on the
Krackhardt kite and the Florentine families."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from g60kg.analysis import centrality as c

KITE = nx.krackhardt_kite_graph()  # 0 Andre … 3 Diane, 5 Fernando, 6 Garth, 7 Heather, 8 Ike, 9 Jane
FLORENCE = nx.florentine_families_graph()


@pytest.mark.parametrize("graph", [KITE, FLORENCE], ids=["kite", "florentine"])
@pytest.mark.parametrize("ours, reference", [
    (c.degree, nx.degree_centrality),
    (c.betweenness, nx.betweenness_centrality),
    (c.closeness, nx.closeness_centrality),
    (c.harmonic, nx.harmonic_centrality),
    (lambda g: c.eigenvector(g), lambda g: nx.eigenvector_centrality(g, max_iter=1000, tol=1e-9)),
    (c.pagerank, nx.pagerank),
], ids=["degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank"])
def test_each_measure_equals_networkx(graph, ours, reference) -> None:
    got, expected = ours(graph), reference(graph)
    assert got.keys() == expected.keys()
    assert all(math.isclose(got[n], expected[n], rel_tol=1e-9, abs_tol=1e-12) for n in graph)


def test_kite_by_hand() -> None:
    # Diane (3) has six of nine possible ties; Heather (7) lies on 14 of the 36 paths
    # between the other nine; Fernando and Garth (5, 6) are 14 steps from the rest.
    assert c.degree(KITE)[3] == pytest.approx(6 / 9)
    assert c.betweenness(KITE)[7] == pytest.approx(14 / 36)
    assert c.closeness(KITE)[5] == pytest.approx(9 / 14) and c.closeness(KITE)[6] == pytest.approx(9 / 14)
    assert c.betweenness(KITE)[9] == 0.0
    assert max(c.betweenness(KITE), key=c.betweenness(KITE).get) == 7
    assert max(c.degree(KITE), key=c.degree(KITE).get) == 3


def test_florentine_medici_by_hand() -> None:
    # The Medici are tied to 6 of the 14 other families and broker about half of all
    # shortest paths (Padgett and Ansell's reading of the marriage network).
    degree, between = c.degree(FLORENCE), c.betweenness(FLORENCE)
    assert degree["Medici"] == pytest.approx(6 / 14)
    assert between["Medici"] == pytest.approx(0.5219, abs=1e-4)
    assert max(between, key=between.get) == "Medici" and max(degree, key=degree.get) == "Medici"
    with_pucci = FLORENCE.copy()
    with_pucci.add_node("Pucci")  # the family without marriage ties, which networkx leaves out
    assert c.harmonic(with_pucci)["Pucci"] == 0.0 and c.closeness(with_pucci)["Pucci"] == 0.0


def test_strength_sums_weights_and_path_measures_read_distances() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=4.0, distance=0.25)
    graph.add_edge("b", "c", weight=1.0, distance=1.0)
    graph.add_edge("a", "c", weight=1.0, distance=1.0)
    assert c.strength(graph) == {"a": 5.0, "b": 5.0, "c": 2.0}
    assert c.strength(graph, weight=None) == {"a": 2.0, "b": 2.0, "c": 2.0}
    # The heavy a–b tie is short, so the path b→a→c (1.25) does not beat b–c (1.0).
    assert c.betweenness(graph, weight="distance") == nx.betweenness_centrality(graph, weight="distance")
    assert c.closeness(graph, distance="distance")["a"] == pytest.approx(2 / 1.25)


def test_backend_is_passed_to_networkx_dispatch() -> None:
    assert c.betweenness(KITE, backend="networkx") == nx.betweenness_centrality(KITE)
    assert c.pagerank(KITE, backend="networkx") == pytest.approx(nx.pagerank(KITE))
    with pytest.raises(ImportError, match="no-such-backend"):
        c.betweenness(KITE, backend="no-such-backend")


def test_table_says_when_betweenness_is_exact() -> None:
    table = c.centrality_table(KITE)
    assert list(table.columns) == list(c.MEASURES)
    assert table.attrs["betweenness"] == "exact (Brandes, all 10 nodes as sources)"
    sampled = c.centrality_table(KITE, k=4, seed=1)
    assert sampled.attrs["betweenness"].startswith("approximate (Brandes from 4 of 10")
    assert table.loc[7, "betweenness"] == pytest.approx(14 / 36)


def test_eigenvector_on_graphs_without_a_unique_answer() -> None:
    assert c.eigenvector(nx.empty_graph(3)) == {0: 0.0, 1: 0.0, 2: 0.0}
    split = c.eigenvector(nx.Graph([(0, 1), (2, 3)]))  # two equal components: the fallback stands in
    assert sum(v * v for v in split.values()) == pytest.approx(1.0)


def test_pagerank_is_a_distribution_and_hits_finds_hubs_and_authorities() -> None:
    assert sum(c.pagerank(FLORENCE).values()) == pytest.approx(1.0)
    hubs, authorities = c.hits(nx.DiGraph([("wuhu", "songjiang"), ("xuancheng", "songjiang")]))
    assert authorities["songjiang"] == pytest.approx(1.0) and hubs["songjiang"] == pytest.approx(0.0)
    assert c.hits(nx.DiGraph()) == ({}, {})
    assert c.hits_table(nx.DiGraph([("a", "b")])).loc["a"].tolist() == [1.0, 0.0]


def test_multiplex_normalizes_each_layer_by_its_largest_weight() -> None:
    counts = nx.Graph([("a", "b", {"weight": 300.0}), ("b", "c", {"weight": 100.0})])
    ties = nx.Graph([("a", "c", {"weight": 1.0})])
    merged = c.multiplex_aggregate({"knowledge": counts, "institutional": ties})
    assert merged.edges["a", "b"]["weight"] == pytest.approx(1.0)
    assert merged.edges["b", "c"]["weight"] == pytest.approx(1 / 3)
    assert merged.edges["a", "c"]["weight"] == 1.0 and merged.edges["a", "c"]["distance"] == 1.0
    raw = c.multiplex_aggregate({"knowledge": counts, "institutional": ties}, normalize=False)
    assert raw.edges["a", "b"]["weight"] == 300.0


def test_ranks_share_the_better_rank() -> None:
    table = pd.DataFrame({"m": [3.0, 3.0, 1.0], "n": [0.1, 0.2 + 1e-12, 0.2]}, index=["x", "y", "z"])
    assert c.ranks(table).to_dict("list") == {"m": [1, 1, 3], "n": [3, 1, 1]}


def test_eigenvector_fallback_is_sparse_and_fair_on_large_disconnected_graphs() -> None:
    # Two identical stars tie for the largest eigenvalue and 20,000 pairs trail: a dense
    # matrix of this graph would need 3 GB; the sparse fallback shares the lead evenly.
    graph = nx.disjoint_union_all([nx.star_graph(50), nx.star_graph(50), *[nx.path_graph(2)] * 20_000])
    values = c._leading_eigenvector(graph, None)
    assert values[0] == pytest.approx(values[51]) == pytest.approx(0.5)
    assert values[1] == pytest.approx(values[52]) and max(values[n] for n in range(102, 40_102)) < 1e-6
    assert math.fsum(v * v for v in values.values()) == pytest.approx(1.0)


def test_eigenvector_on_a_large_connected_graph_matches_networkx() -> None:
    graph = nx.barabasi_albert_graph(c.LARGE + 500, 2, seed=60)
    ours, reference = c.eigenvector(graph), nx.eigenvector_centrality_numpy(graph)
    assert max(abs(ours[n] - reference[n]) for n in graph) < 1e-9
