"""Where the nodes go: at their coordinates, computed in Python for large graphs, or left
to the browser's physics for small ones.

A large graph whose nodes fall in several groups (a city and a class: see
``g60kg.viz.columns.group_of``) is laid out group by group (``grouped``): each group a
disc, so a page too large for its screen can draw a group as one node at the disc's
centre and open it in place, every member where it will stay.

In headless Chromium, vis-network's physics takes about 5 ms per node to settle (1.6 s
for 300 nodes, 5.5 s for 1,000), so above ``LARGE`` nodes the layout is computed here
(igraph's grid Fruchterman–Reingold: 0.4 s for 20,000 nodes; the page is then ready in
0.35 s at 1,000 nodes) and the page starts with its physics off. Without igraph (the
``fast`` extra), graphs up to ``BROWSER_MAX`` nodes are still left to the browser.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING, Callable, Hashable, Mapping

import networkx as nx

from g60kg.errors import G60Error
from g60kg.viz.columns import group_of

if TYPE_CHECKING:
    import numpy as np

__all__ = ["LARGE", "BROWSER_MAX", "SPREAD", "projection", "geographic", "computed", "grouped", "positions"]

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


_GOLDEN = math.pi * (3 - math.sqrt(5))  # radians between consecutive seeds of a sunflower
_GAP = 6.0  # pixels between the rims of neighbours in a group
def _apart(centres: np.ndarray, radii: np.ndarray, gap: float, rounds: int = 300) -> np.ndarray:
    """The ``centres`` moved, each pair half of its overlap at a time, until no two discs
    of ``radii`` come closer than ``gap`` (or ``rounds`` are done)."""
    import numpy as np

    centres = centres.copy()
    need = radii[:, None] + radii[None, :] + gap
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        delta = centres[:, None, :] - centres[None, :, :]
        dist = np.sqrt((delta ** 2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        overlap = np.clip(need - dist, 0.0, None)
        if not overlap.any():
            break
        unit = delta / np.maximum(dist, 1e-9)[:, :, None]
        centres += (unit * (overlap / 2)[:, :, None]).sum(axis=1)
    return centres


def grouped(graph: nx.Graph, group: Mapping[Hashable, Hashable], *, radius: Mapping[Hashable, float] | None = None,
            seed: int = 60) -> dict[Hashable, tuple[float, float]]:
    """Each ``group`` of nodes as a disc: its members on a sunflower spiral, the largest
    (by ``radius``, the drawn radius in pixels; else by degree) in the middle, each given
    room for its size; the discs placed by a spring layout of the graph of groups
    (weighted by the ties between them), then pushed apart until none overlaps another.

    >>> g = nx.Graph([(1, 2), (2, 3), (3, 4)])
    >>> pos = grouped(g, {1: "a", 2: "a", 3: "b", 4: "b"})
    >>> centre = lambda *ns: [sum(pos[n][i] for n in ns) / len(ns) for i in (0, 1)]
    >>> math.dist(centre(1, 2), centre(3, 4)) > 2 * math.dist(pos[1], pos[2]) > 0
    True
    """
    import numpy as np

    degree = dict(graph.degree())
    radius = radius or {node: SPREAD / 4 for node in graph}
    members: dict[Hashable, list[Hashable]] = {}
    for node in sorted(graph, key=lambda n: (-radius[n], -degree[n])):  # stable: ties keep the graph's order
        members.setdefault(group[node], []).append(node)
    keys = list(members)
    between = nx.Graph()
    between.add_nodes_from(keys)
    for u, v in graph.edges():
        a, b = group[u], group[v]
        if a != b:
            ties = between[a][b]["ties"] + 1 if between.has_edge(a, b) else 1
            between.add_edge(a, b, ties=ties, weight=math.log1p(ties))
    offsets, radii = {}, []
    for key in keys:
        area = 0.0
        for i, node in enumerate(members[key]):
            cell = (2 * radius[node] + _GAP) ** 2
            r = math.sqrt((area + cell / 2) / math.pi) if i else 0.0
            area += cell
            offsets[node] = (r * math.cos(i * _GOLDEN), r * math.sin(i * _GOLDEN))
        radii.append(math.sqrt(area / math.pi) + SPREAD / 2)
    spring = nx.spring_layout(between, weight="weight", seed=seed)
    start = np.array([spring[k] for k in keys], dtype=float)
    start *= math.sqrt(sum(r * r for r in radii)) * 1.5 / max(float(np.abs(start).max()), 1e-9)
    centres = _apart(start, np.array(radii), SPREAD) if len(keys) > 1 else start
    where = dict(zip(keys, centres))
    return {node: (float(where[group[node]][0] + dx), float(where[group[node]][1] + dy)) for node, (dx, dy) in offsets.items()}


def positions(graph: nx.Graph, *, radius: Mapping[Hashable, float] | None = None
              ) -> dict[Hashable, tuple[float, float]] | None:
    """Fixed positions for the page: the nodes' own ``x`` and ``y`` when every node has
    them; above ``LARGE`` nodes, the layout by groups (``grouped``, ``radius`` the drawn
    radius of each node) where the nodes
    fall in several groups, else a computed layout (where igraph is installed, and
    always above ``BROWSER_MAX``); otherwise None (the browser lays the graph out with
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
        group = {node: group_of(data, {}) for node, data in graph.nodes(data=True)}
        if len(set(group.values())) > 1:
            return grouped(graph, group, radius=radius)
        try:
            return computed(graph)
        except G60Error:
            if graph.number_of_nodes() > BROWSER_MAX:
                raise
    return None
