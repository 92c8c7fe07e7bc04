"""Any networkx graph as one self-contained HTML page: vis-network inlined, a legend that
filters by class, one toggle per layer of edges, a city filter, a year slider, a search
box that finds a node by any of its names (Chinese included), and a side panel on click
with every quote and source behind a node or an edge (``docs/visualize.md``).

The nodes and edges are written as JSON straight from the graph (pyvis's ``add_edge``
and ``from_nx`` scan lists, so their time grows with the square of the edges), and the
page script is g60kg's own (pyvis's template links Bootstrap from a CDN and its select
menu garbles Chinese names). Small graphs are laid out by the browser's physics, which
is switched off once it settles; large ones (``g60kg.viz.layout.LARGE``) arrive laid out.
The page sets ``window.g60ready`` when it is drawn and its physics is done.

What the page reads from the graph (all optional): node ``label``, ``names`` (searched),
``cls`` and ``cls_name`` (legend), ``cities`` (node ids, for the city filter),
``evidence`` (``[quote, source, fact]`` rows) and ``evidence_more``, ``x``/``y``; edge
``layer``, ``weight``, ``label``, ``evidence``, ``year`` (else the earliest year of its
``sources``); graph ``title``, ``note``, ``view`` (the top bar marks it), ``sources``
(``{source: [title, publisher, date, url]}``), ``layers`` (``{layer: (name, colour)}``),
``class_colours`` (``{class: colour}``), ``city_names`` (``{city: name}``), ``basemap``
(``g60kg.viz.basemap.basemap``) and ``shared`` (``[{"layer", "ties": [names]}]``: ties
every node shares, drawn once as a shaded area).
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, Hashable, Iterable, Mapping

import networkx as nx

from g60kg.analysis.centrality import MEASURES
from g60kg.viz.assets import page_asset, vis_network
from g60kg.viz.columns import SIZE_MIN, SIZE_SPAN, Quotes, edge_columns, keyed_edges, layer_of, node_columns, shares, source_years
from g60kg.viz.layout import LARGE, positions
from g60kg.viz.wording import ICONS, MEASURE_NAMES, NAV, UI

__all__ = ["SIZE_MEASURES", "NAV", "Page", "graph_page"]

SIZE_MEASURES = ("none", *MEASURES)
# Ten hues a reader tells apart (Tableau 10); past ten groups, the hues repeat with another shape.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")
SHAPES = ("dot", "square", "triangle", "diamond", "star", "triangleDown", "hexagon")
FONT = "system-ui, 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif"
ARROWS_UP_TO = 5000  # edges; above it arrows are left out (they slow the first drawing)
LABELS_UP_TO = 30  # edges; up to this many, edges show their label, not only on hover
# Label sizes (g60kg.viz.columns): the smallest node's label LABEL_MIN px, the largest's LABEL_MIN + LABEL_SPAN
# at zoom 1. The page draws the node labels itself (static/labels.js), the larger first, each
# only where it overlaps no other; a label under LABEL_HIDE px on screen is left out until
# the reader zooms in.
LABEL_HIDE = 8
_NEVER = 10 ** 9  # px: vis-network draws no node label smaller than this, so none: the page draws them
# The page's own scripts, one idea each, inlined in this order (each uses only those before it;
# page.js ties them together).
SCRIPTS = ("dom.js", "columns.js", "labels.js", "map.js", "filters.js", "layout.js", "side.js", "search.js",
           "controls.js", "year.js", "hash.js", "export.js", "nav.js", "page.js")
# The browser's layout, on open (small graphs) and when the reader asks to re-lay out what is shown.
PHYSICS = {"enabled": True, "solver": "forceAtlas2Based",
           "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.2}}
class Page(str):
    """An HTML page: a string that Jupyter shows inline (in an iframe of its own text).

    >>> page = Page("<p>hi</p>")
    >>> page._repr_html_().startswith("<iframe srcdoc="), page
    (True, <g60kg page: 9 characters of HTML>)
    """

    height = 640

    def __repr__(self) -> str:
        return f"<g60kg page: {len(self):,} characters of HTML>"

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(str(self), quote=True)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{self.height}px;border:1px solid #ddd"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page (UTF-8) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self, encoding="utf-8")
        return path


def _sizes(graph: nx.Graph, size_by: str) -> dict[Hashable, float]:
    """The measure that sizes the nodes, on the undirected graph with parallel edges summed."""
    if size_by == "none":
        return {}
    if size_by not in SIZE_MEASURES:
        raise ValueError(f"unknown measure {size_by!r} to size nodes by; expected one of {', '.join(SIZE_MEASURES)}")
    from g60kg.analysis.centrality import centrality_table

    simple = nx.Graph()
    simple.add_nodes_from(graph)
    for u, v, data in graph.edges(data=True):
        if u != v:
            weight = float(data.get("weight", 1.0))
            if simple.has_edge(u, v):
                simple[u][v]["weight"] += weight
            else:
                simple.add_edge(u, v, weight=weight)
    large = graph.number_of_nodes() > LARGE and importlib.util.find_spec("igraph") is not None
    table = centrality_table(simple, measures=[size_by], weight="weight", distance=None,
                             engine="igraph" if large else "networkx")
    return {node: float(value) for node, value in table[size_by].items()}


def _palette(counts: Counter, names: dict[str, str], fixed: dict[str, str] | None = None) -> list[list[Any]]:
    """``[id, name, colour, count, shape]`` per group, the largest first: groups with a
    ``fixed`` colour keep it (as dots); the others take the ten hues in turn, the largest
    ten as dots, the next ten as squares, and so on, so no two groups look alike.

    >>> rows = _palette(Counter({f"c{i:02}": 20 - i for i in range(12)}), {"c00": "biggest"})
    >>> rows[0][:2], rows[0][4], rows[9][4], rows[10][4], rows[10][2] == rows[0][2]
    (['c00', 'biggest'], 'dot', 'dot', 'square', True)
    """
    styles = {group: (colour, SHAPES[0]) for group, colour in (fixed or {}).items()}
    taken = set(styles.values())
    free = ((hue, shape) for shape in SHAPES for hue in PALETTE if (hue, shape) not in taken)
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for group, _ in order:
        if group not in styles:
            styles[group] = next(free, (PALETTE[-1], SHAPES[-1]))
    return [[g, names.get(g, g), styles[g][0], n, styles[g][1]] for g, n in order]


def _groups(graph: nx.Graph) -> tuple[list[list[Any]], list[list[Any]]]:
    """The classes of the nodes and the layers of the edges: ``[id, name, colour, count]``."""
    class_counts = Counter(str(d.get("cls") or "node") for _, d in graph.nodes(data=True))
    class_names = {c: c.split(":", 1)[-1] for c in class_counts}
    class_names.update((str(d.get("cls") or "node"), str(d["cls_name"])) for _, d in graph.nodes(data=True) if d.get("cls_name"))
    classes = _palette(class_counts, class_names, graph.graph.get("class_colours"))
    declared = graph.graph.get("layers", {})
    layer_counts = Counter({layer: 0 for layer in declared})
    layer_counts.update(layer_of(k, d) for _, _, k, d in keyed_edges(graph))
    layers = _palette(layer_counts, {k: v[0] for k, v in declared.items()}, {k: v[1] for k, v in declared.items()})
    order = list(declared)
    layers.sort(key=lambda item: (order.index(item[0]) if item[0] in order else len(order), -item[3]))
    return classes, layers


def _json(data: object) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _options(n_nodes: int, n_edges: int, fixed: bool, directed: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14, "face": FONT, "strokeWidth": 3},
                  "scaling": {"label": {"drawThreshold": _NEVER}}},
        "edges": {"smooth": False, "font": {"size": 10, "face": FONT, "align": "middle", "strokeWidth": 3},
                  "arrows": {"to": {"enabled": directed and n_edges <= ARROWS_UP_TO, "scaleFactor": 0.5}},
                  "selectionWidth": 2},
        "layout": {"randomSeed": 60, "improvedLayout": not fixed and n_nodes <= 100},
        "interaction": {"hover": n_nodes <= LARGE, "tooltipDelay": 200, "keyboard": False,
                        "hideEdgesOnDrag": n_nodes > LARGE, "hideEdgesOnZoom": n_nodes > LARGE},
    }
    if fixed:
        options["physics"] = {"enabled": False}
    else:
        options["physics"] = {**PHYSICS, "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 100,
                                                           "fit": True}}
    return options


def _measure_name(measure: str, lang: str) -> str:
    return MEASURE_NAMES.get(measure, measure) if lang == "zh" else measure


def graph_page(graph: nx.Graph, *, title: str | None = None, lang: str = "zh", size_by: str = "degree",
               classes: Iterable[str] | None = None, city: str | None = None, layers: Iterable[str] | None = None,
               focus: Hashable | None = None, links: Mapping[str, str] | None = None) -> Page:
    """The page of ``graph``: nodes sized by a centrality (``size_by``: one of
    ``SIZE_MEASURES``), coloured by class; ``classes``, ``city`` and ``layers`` set
    which classes, which city and which layers the page opens with (the reader can
    change them); ``focus`` marks and selects one node. ``links`` are the pages of the
    top bar (``{"graph": "graph.html", ...}``; keys of ``NAV``, ``query`` included;
    default ``NAV``: the files ``g60kg`` writes side by side); the graph's ``view``
    names the one this page is.

    >>> page = graph_page(nx.Graph([("上海", "杭州", {"layer": "rail"})]), title="两城")
    >>> "<title>两城</title>" in page, '"label":["上海","杭州"]' in page
    (True, True)
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r}; expected 'zh' or 'en'")
    ui = {**{key: text[0 if lang == "zh" else 1] for key, text in UI.items()}, **ICONS}
    ids = {node: str(node) for node in graph}
    sizes = _sizes(graph, size_by)
    pos = positions(graph, radius={node: SIZE_MIN + SIZE_SPAN * s for node, s in shares(graph, sizes).items()})
    class_list, layer_list = _groups(graph)
    city_names = dict(graph.graph.get("city_names", {}))
    used = sorted({ids.get(c, str(c)) for _, d in graph.nodes(data=True) for c in d.get("cities", ())})
    for place in used:
        if place not in city_names:
            city_names[place] = str(graph.nodes[place].get("label", place)) if place in graph else place
    city_list = [[place, city_names[place]] for place in used]
    quotes = Quotes()
    nodes, groups, node_facts = node_columns(graph, ids, sizes, [c[0] for c in class_list], used, pos,
                                             (ui["in_words"], _measure_name(size_by, lang) if sizes else ui["ties_word"],
                                              lang), quotes)
    sources = graph.graph.get("sources", {})
    edges, relations, edge_facts = edge_columns(graph, [c[0] for c in layer_list], quotes, source_years(sources))
    n_nodes, n_edges = graph.number_of_nodes(), graph.number_of_edges()
    fixed = pos is not None
    all_xy = fixed and all("x" in d for _, d in graph.nodes(data=True))
    note = ui["fixed"] if all_xy else ui["computed"].format(n=f"{n_nodes:,}") if fixed else ui["physics"]
    ui["measure"] = f"{ui['measure']} ({_measure_name(size_by, lang)})"
    title = title or str(graph.graph.get("title") or "g60kg")
    data = {"nodes": nodes, "edges": edges, "relations": relations, "groups": groups, "classes": class_list,
            "layers": layer_list, "cities": city_list, "directed": graph.is_directed(),
            "basemap": graph.graph.get("basemap"), "shared": graph.graph.get("shared", []),
            "sources": sources, "quotes": quotes.table, "view": str(graph.graph.get("view", "")),
            "nav": [[key, ui["nav_" + key], href] for key, href in (NAV if links is None else links).items()],
            "facts": node_facts, "edgeFacts": edge_facts, "labelsUpTo": LABELS_UP_TO, "labelHide": LABEL_HIDE,
            "options": _options(n_nodes, n_edges, fixed, graph.is_directed()), "physics": PHYSICS, "ui": ui,
            "note": " ".join(x for x in (str(graph.graph.get("note", "")), note) if x),
            "initial": {"classes": None if classes is None else list(classes), "city": city,
                        "layers": None if layers is None else list(layers)},
            "focus": None if focus is None else ids[focus]}
    script, style = vis_network()
    from g60kg._version import __version__

    loading = ui["loading"].format(nodes=f"{n_nodes:,}", edges=f"{n_edges:,}")
    values = {"lang": lang, "loading": html.escape(loading), "version": __version__, "title": html.escape(title), "vis_css": style,
              "page_css": page_asset("page.css"), "vis_js": script, "data": _json(data),
              "scripts": "\n".join(f"<script>{page_asset(name)}</script>" for name in SCRIPTS)}
    return Page(re.sub(r"\{\{(\w+)\}\}", lambda m: values[m[1]], page_asset("page.html")))
