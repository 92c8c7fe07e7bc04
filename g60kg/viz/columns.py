"""The nodes and edges of a page as columns: one list per field, nodes and classes,
layers, cities and relations referred to by number, so a page of 100,000 nodes is a few
arrays the browser parses in a fraction of a second (pyvis writes one JSON object per
node and edge, each repeating its keys, colours and options).

A page script turns the columns back into vis-network's objects, and only for what it
draws. Each node also belongs to a *group*, its first city and its class, which a page
too large for its screen draws as one node until the reader opens it
(``docs/visualize.md``, "Large graphs").
"""

from __future__ import annotations

import bisect
import math
import re
from typing import Any, Hashable, Iterable

import networkx as nx

from g60kg.viz.quotes import table_cells

# Node radius and label size at zoom 1: from the MIN of the smallest node to MIN + SPAN of the largest.
SIZE_MIN, SIZE_SPAN, LABEL_MIN, LABEL_SPAN = 8, 22, 11, 15

__all__ = ["SIZE_MIN", "SIZE_SPAN", "LABEL_MIN", "LABEL_SPAN", "shares", "Quotes", "keyed_edges", "layer_of", "group_of", "node_columns", "edge_columns", "source_years"]


class Quotes:
    """Each quote once (``[text, source, cells or None]``), referred to by its index from
    the rows of every node and edge it backs, so a quote behind many facts is written once.

    >>> quotes = Quotes()
    >>> quotes.rows({"evidence": [["说", "s1", "f1"], ["说", "s1", "f2"]]})
    {'rows': [[0, 'f1'], [0, 'f2']], 'more': 0}
    """

    def __init__(self) -> None:
        self.table: list[list[Any]] = []
        self._index: dict[tuple[str, str], int] = {}

    def rows(self, data: dict) -> dict[str, Any]:
        """``{"rows": [[quote index, fact in words], ...], "more": n}`` of an element's ``evidence``."""
        rows = []
        for quote, source, fact in data["evidence"]:
            key = (str(quote), str(source))
            if key not in self._index:
                self._index[key] = len(self.table)
                self.table.append([key[0], key[1], table_cells(key[0])])
            rows.append([self._index[key], str(fact)])
        return {"rows": rows, "more": int(data.get("evidence_more", 0))}


def keyed_edges(graph: nx.Graph) -> Iterable[tuple[Hashable, Hashable, Hashable, dict]]:
    """``(u, v, key, data)`` of every edge; the key is None in a graph without keys.

    >>> [e[:3] for e in keyed_edges(nx.Graph([(1, 2)]))]
    [(1, 2, None)]
    """
    if graph.is_multigraph():
        return graph.edges(keys=True, data=True)
    return ((u, v, None, data) for u, v, data in graph.edges(data=True))


def layer_of(key: Hashable, data: dict) -> str:
    """The layer of an edge: its ``layer``, else its key, else ``edge``.

    >>> layer_of(None, {"layer": "rail"}), layer_of("investsIn", {}), layer_of(None, {})
    ('rail', 'investsIn', 'edge')
    """
    return str(data.get("layer") or key or "edge")


def group_of(data: dict, ids: dict[Hashable, str]) -> tuple[str, str]:
    """The group a node belongs to: its first city (``""`` for none) and its class.

    >>> group_of({"cities": ["g60place:wuhu", "g60place:hefei"], "cls": "g60:Enterprise"}, {})
    ('g60place:wuhu', 'g60:Enterprise')
    >>> group_of({}, {})
    ('', 'node')
    """
    cities = list(data.get("cities", ()))
    return (ids.get(cities[0], str(cities[0])) if cities else "", str(data.get("cls") or "node"))


def shares(graph: nx.Graph, sizes: dict[Hashable, float]) -> dict[Hashable, float]:
    """Each node's place between the smallest (0) and the largest (1) drawn size: the
    square root of its measure over the largest, so areas follow the measure (0.4 for
    all without a measure).

    >>> shares(nx.path_graph(2), {0: 1.0, 1: 4.0}), shares(nx.path_graph(1), {})
    ({0: 0.5, 1: 1.0}, {0: 0.4})
    """
    top = max(sizes.values(), default=0.0) or 1.0
    return {node: math.sqrt(max(sizes.get(node, 0.0), 0.0) / top) if sizes else 0.4 for node in graph}


def _ordinal(rank: int, lang: str) -> str:
    """``3rd`` / ``第 3``.

    >>> [_ordinal(r, "en") for r in (1, 2, 3, 4, 11, 12, 13, 21, 112)], _ordinal(3, "zh")
    (['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '112th'], '第 3')
    """
    if lang == "zh":
        return f"第 {rank}"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def _in_words(graph: nx.Graph, sizes: dict[Hashable, float], by: str, template: str, lang: str) -> list[str]:
    """Each node's ties and its rank among the nodes of its class, in words (``template``
    with ``ties``, ``by``, ``rank``, ``n`` and ``cls``): ``45 ties; 3rd of 9 City by degree``."""
    ties = {node: graph.degree(node) - graph.number_of_edges(node, node) for node in graph}
    score = sizes or ties
    by_class: dict[str, list[float]] = {}
    for node, data in graph.nodes(data=True):
        by_class.setdefault(str(data.get("cls") or "node"), []).append(score[node])
    for values in by_class.values():
        values.sort()
    words = []
    for node, data in graph.nodes(data=True):
        values = by_class[str(data.get("cls") or "node")]
        rank = 1 + len(values) - bisect.bisect_right(values, score[node])  # 1 + how many score higher
        words.append(template.format(ties=f"{ties[node]:,}", by=by, rank=_ordinal(rank, lang), n=f"{len(values):,}",
                                     cls=str(data.get("cls_name") or str(data.get("cls") or "node").split(":")[-1])))
    return words


def node_columns(graph: nx.Graph, ids: dict[Hashable, str], sizes: dict[Hashable, float], classes: list[str],
                 cities: list[str], pos: dict | None, words: tuple[str, str, str], quotes: Quotes
                 ) -> tuple[dict[str, list], list[list[Any]], dict[str, dict]]:
    """The nodes as columns, the groups (``[city index or -1, class index, members]``)
    and the quotes of each node by id. ``classes`` and ``cities`` are the ids the
    columns number; ``words`` is the template, the measure's name and the language of
    each node's ties in words.

    >>> g = nx.Graph([("a", "b")]); g.nodes["a"].update(cls="x", cities=["c"])
    >>> cols, groups, _ = node_columns(g, {"a": "a", "b": "b"}, {}, ["x", "node"], ["c"], None,
    ...                                ("{ties}", "ties", "en"), Quotes())
    >>> cols["cls"], cols["cities"], cols["group"], groups
    ([0, 1], [[0], []], [0, 1], [[0, 0, 1], [-1, 1, 1]])
    """
    share = shares(graph, sizes)
    class_index = {c: i for i, c in enumerate(classes)}
    city_index = {c: i for i, c in enumerate(cities)}
    group_index: dict[tuple[str, str], int] = {}
    groups: list[list[Any]] = []
    cols: dict[str, list] = {k: [] for k in ("id", "label", "names", "cls", "cities", "size", "font", "measure", "group")}
    facts = {}
    for node, data in graph.nodes(data=True):
        label = str(data.get("label") or node)
        key = group_of(data, ids)
        if key not in group_index:
            group_index[key] = len(groups)
            groups.append([city_index.get(key[0], -1), class_index[key[1]], 0])
        groups[group_index[key]][2] += 1
        cols["id"].append(ids[node])
        cols["label"].append(label)
        cols["names"].append([n for n in dict.fromkeys(map(str, data.get("names", ()))) if n != label])
        cols["cls"].append(class_index[key[1]])
        cols["cities"].append([city_index[ids.get(c, str(c))] for c in data.get("cities", ())])
        cols["size"].append(round(SIZE_MIN + SIZE_SPAN * share[node], 1))
        cols["font"].append(round(LABEL_MIN + LABEL_SPAN * share[node]))
        cols["measure"].append(float(f"{sizes[node]:.4g}") if node in sizes else None)
        cols["group"].append(group_index[key])
        if data.get("evidence"):
            facts[ids[node]] = quotes.rows(data)
    cols["words"] = _in_words(graph, sizes, words[1], words[0], words[2])
    if pos is not None:
        # whole pixels: vis-network keeps no more (it truncates a position it is given)
        cols["x"] = [round(pos[node][0]) for node in graph]
        cols["y"] = [round(pos[node][1]) for node in graph]
    return cols, groups, facts


def source_years(sources: dict[str, list[str]]) -> dict[str, int]:
    """The year each source was published, where its date gives one.

    >>> source_years({"a": ["t", "p", "2019-10-26", ""], "b": ["t", "p", "", ""]})
    {'a': 2019}
    """
    return {sid: int(row[2][:4]) for sid, row in sources.items() if len(row) > 2 and re.match(r"\d{4}", str(row[2]))}


def _year(data: dict, published: dict[str, int]) -> int | None:
    """The year of a tie: its own ``year``, else the year its first source was published."""
    if data.get("year") is not None:
        return int(data["year"])
    return min((published[s] for s in data.get("sources", ()) if s in published), default=None)


def edge_columns(graph: nx.Graph, layers: list[str], quotes: Quotes, published: dict[str, int]
                 ) -> tuple[dict[str, list], list[str], dict[int, dict]]:
    """The edges as columns (``from`` and ``to`` are node numbers, in the graph's node
    order), the relations they name (``relation`` numbers them) and the quotes of each
    edge by number. An edge whose data names its ``head`` (one of its ends) points to it
    (``to``), drawn as an arrow (``arrow``), whether or not the graph is directed.

    >>> g = nx.MultiGraph(); _ = g.add_edge("a", "b", key="rail", year=2019); _ = g.add_edge("b", "a", key="road")
    >>> cols, relations, _ = edge_columns(g, ["rail", "road"], Quotes(), {})
    >>> cols["from"], cols["to"], cols["layer"], cols["year"], relations
    ([0, 0], [1, 1], [0, 1], [2019, None], ['rail', 'road'])
    """
    index = {node: i for i, node in enumerate(graph)}
    layer_index = {layer: i for i, layer in enumerate(layers)}
    relation_index: dict[str, int] = {}
    cols: dict[str, list] = {k: [] for k in ("from", "to", "layer", "weight", "year", "relation", "arrow")}
    facts = {}
    for i, (u, v, key, data) in enumerate(keyed_edges(graph)):
        label = str(data.get("label") or key or "")
        if data.get("head") is not None and data["head"] == u:
            u, v = v, u
        cols["arrow"].append(int(data.get("head") is not None))
        cols["from"].append(index[u])
        cols["to"].append(index[v])
        cols["layer"].append(layer_index[layer_of(key, data)])
        cols["weight"].append(round(float(data.get("weight", 1.0)), 4))
        cols["year"].append(_year(data, published))
        cols["relation"].append(relation_index.setdefault(label, len(relation_index)))
        if data.get("evidence"):
            facts[i] = quotes.rows(data)
    if not any(cols["arrow"]):
        del cols["arrow"]
    return cols, list(relation_index), facts

