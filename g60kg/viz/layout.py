"""Where the nodes go: at their coordinates, computed in Python for large graphs, or left
to the browser's physics for small ones.

In headless Chromium, vis-network's physics takes about 5 ms per node to settle (1.6 s
for 300 nodes, 5.5 s for 1,000), so above ``LARGE`` nodes the layout is computed here
(igraph's grid Fruchterman–Reingold: 0.4 s for 20,000 nodes; the page is then ready in
0.35 s at 1,000 nodes) and the page starts with its physics off. Without igraph (the
``fast`` extra), graphs up to ``BROWSER_MAX`` nodes are still left to the browser.
"""

from __future__ import annotations

import math
import random
from typing import Callable, Hashable, Mapping

import networkx as nx

from g60kg.errors import G60Error

__all__ = ["LARGE", "BROWSER_MAX", "SPREAD", "projection", "geographic", "computed", "positions"]

LARGE = 300  # above this many nodes the layout is computed in Python
BROWSER_MAX = 2000  # without igraph, the largest graph left to the browser's physics
SPREAD = 40.0  # pixels between neighbours, roughly, in a computed layout


def projection(coordinates: Mapping[Hashable, tuple[float, float]], *,
               width: float = 900.0) -> Callable[[float, float], tuple[float, float]]:
    """The page position of a ``(lon, lat)``: an equirectangular projection around the
    centre of ``coordinates`` (east to the right, north up) that spans ``width`` pixels.

    >>> to_page = projection({"a": (120.0, 30.0), "b": (122.0, 30.0)}, width=200)
    >>> [round(v) for v in to_page(121.0, 31.0)]
    [0, -115]
    """
    lons = [lon for lon, _ in coordinates.values()] or [0.0]
    lats = [lat for _, lat in coordinates.values()] or [0.0]
    lon0, lat0 = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    squeeze = math.cos(math.radians(lat0))
    span = max((max(lons) - min(lons)) * squeeze, max(lats) - min(lats), 1e-9)
    scale = width / span
    return lambda lon, lat: ((lon - lon0) * squeeze * scale, -(lat - lat0) * scale)


def geographic(coordinates: Mapping[Hashable, tuple[float, float]], *, width: float = 900.0) -> dict[Hashable, tuple[float, float]]:
    """Page positions of ``(lon, lat)`` pairs (see ``projection``).

    >>> pos = geographic({"songjiang": (121.23, 31.03), "hefei": (117.23, 31.82)}, width=400)
    >>> [tuple(round(v) for v in p) for p in pos.values()]
    [(200, 46), (-200, -46)]
    """
    to_page = projection(coordinates, width=width)
    return {node: to_page(lon, lat) for node, (lon, lat) in coordinates.items()}


def computed(graph: nx.Graph, *, seed: int = 60) -> dict[Hashable, tuple[float, float]]:
    """A force-directed layout computed in Python (igraph's Fruchterman–Reingold on a
    grid, seeded), scaled to about ``SPREAD`` pixels per neighbour.

    >>> pos = computed(nx.path_graph(3))
    >>> len(pos), all(isinstance(x, float) for p in pos.values() for x in p)
    (3, True)
    """
    try:
        import igraph
    except ImportError as exc:
        raise G60Error(f"a page of {graph.number_of_nodes():,} nodes needs its layout computed in Python: "
                       "pip install 'g60kg[fast]' (python-igraph)") from exc
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    edges = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v}
    simple = igraph.Graph(n=len(nodes), edges=sorted(edges))
    if not nodes:
        return {}
    igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = simple.layout_fruchterman_reingold(niter=200)  # on a grid above 1,000 nodes
    finally:
        igraph.set_random_number_generator(random)
    xs, ys = zip(*coords.coords)
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = SPREAD * math.sqrt(len(nodes)) * 1.5 / span
    return {node: (float(x * scale), float(y * scale)) for node, (x, y) in zip(nodes, coords.coords)}


def positions(graph: nx.Graph) -> dict[Hashable, tuple[float, float]] | None:
    """Fixed positions for the page: the nodes' own ``x`` and ``y`` when every node has
    them, a computed layout above ``LARGE`` nodes (where igraph is installed, and
    always above ``BROWSER_MAX``), otherwise None (the browser lays the graph out with
    its physics, then switches it off).

    >>> positions(nx.path_graph(3)) is None
    True
    >>> g = nx.Graph(); g.add_node("a", x=1.0, y=2.0)
    >>> positions(g)
    {'a': (1.0, 2.0)}
    """
    if graph.number_of_nodes() and all("x" in d and "y" in d for _, d in graph.nodes(data=True)):
        return {node: (float(d["x"]), float(d["y"])) for node, d in graph.nodes(data=True)}
    if graph.number_of_nodes() > LARGE:
        try:
            return computed(graph)
        except G60Error:
            if graph.number_of_nodes() > BROWSER_MAX:
                raise
    return None
