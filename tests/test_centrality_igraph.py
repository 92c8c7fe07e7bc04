"""The igraph engine gives the networkx reference values (unweighted graphs: exactly)."""

from __future__ import annotations

import networkx as nx
import pytest

from g60kg.analysis.centrality import centrality_table

GRAPHS = {
    "kite": nx.krackhardt_kite_graph(),
    "florentine": nx.florentine_families_graph(),
    "karate": nx.karate_club_graph(),
    "two components": nx.Graph([(0, 1), (1, 2), (3, 4), (4, 5), (5, 3)]),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_igraph_engine_matches_networkx(name: str) -> None:
    graph = GRAPHS[name]
    reference = centrality_table(graph, weight=None, distance=None)
    fast = centrality_table(graph, weight=None, distance=None, engine="igraph")
    assert list(fast.index) == list(reference.index)
    for measure in ("degree", "betweenness", "closeness", "harmonic"):
        assert fast[measure].tolist() == pytest.approx(reference[measure].tolist(), abs=1e-12), measure
    if nx.is_connected(graph):
        assert fast["eigenvector"].tolist() == pytest.approx(reference["eigenvector"].tolist(), abs=1e-6)
    assert fast["pagerank"].tolist() == pytest.approx(reference["pagerank"].tolist(), abs=1e-5)
    assert fast.attrs["betweenness"].startswith("exact")


def test_kite_values_by_hand() -> None:
    fast = centrality_table(nx.krackhardt_kite_graph(), weight=None, distance=None, engine="igraph")
    assert fast.loc[7, "betweenness"] == pytest.approx(14 / 36)  # Heather bridges the tail: 14 of 36 pairs
    assert fast["degree"].idxmax() == 3  # Diane has the most ties
