"""The views of the graph a page can show, each a networkx graph built from the
projections of ``g60kg.network.cities`` and annotated for the page:

- ``graph``: the entity graph (organizations, places, people; ``kg.network("entities")``);
- ``cities``: the member cities at their coordinates, one edge per layer of ties
  (``kg.network("cities")``), width by weight, and the coordination roles of the
  analysis (``g60kg.network.roles``: guest → host, member → seat, home → enclave host;
  member → alliance lead) as arrows;
- ``ego``: an entity found by any name or alias, with everything within ``hops`` ties
  (projects, policies, events and achievements included);
- ``alliances``: the alliances, every entity tied to one, and the member cities those
  sit in.
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path
from typing import Iterable

import networkx as nx

from g60kg.errors import G60Error
from g60kg.network.cities import Queryable, city_layers, entity_graph
from g60kg.network.roles import ROLE_LAYERS, role_layers, role_table
from g60kg.network.roles_evidence import role_evidence
from g60kg.analysis.report import COLOURS
from g60kg.viz.catalog import LAYER_NAMES, Catalog, fetch_catalog, layer_of_predicates
from g60kg.viz.basemap import basemap
from g60kg.viz.layout import geographic
from g60kg.viz.page import Page, graph_page

__all__ = ["VIEWS", "ALL_TOPS", "view_graph", "visualize"]

VIEWS = ("graph", "cities", "ego", "alliances")
ALL_TOPS = ("g60:Organization", "g60:Place", "g60:Person", "g60:Project", "g60:Policy", "g60:Event", "g60:Achievement")
_LAYER_COLOURS = {**COLOURS, "location": "#a0a0a0", "other": "#c9b38a"}
_TITLES = {"graph": ("长三角G60科创走廊知识图谱", "The G60 corridor knowledge graph"),
           "cities": ("九城市网络：各关系层", "The corridor's cities, layer by layer"),
           "ego": ("{name}：{hops} 步以内", "{name}: within {hops} ties"),
           "alliances": ("联盟、成员及其所在城市", "Alliances, their members and their cities")}


def _text(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _annotate(graph: nx.Graph, catalog: Catalog, lang: str) -> nx.Graph:
    """Names, classes, cities and quotes of the nodes; layers, names and quotes of the edges."""
    layer_of = layer_of_predicates()
    for node, data in graph.nodes(data=True):
        data["label"] = catalog.label(node, lang)
        data["names"] = catalog.all_names.get(node, [data["label"]])
        data["cls_name"] = catalog.term(data.get("cls") or "", lang)
        data["cities"] = catalog.cities(node)
        data["evidence"], data["evidence_more"] = catalog.entity_evidence(node, lang)
    for _, _, data in graph.edges(data=True):
        predicate = data.get("predicate", "")
        data.setdefault("layer", layer_of.get(predicate, "other"))
        data["label"] = catalog.term(predicate, lang)
        data["evidence"], data["evidence_more"] = catalog.fact_evidence(data.get("facts", ()), lang)
    used = {d["layer"] for _, _, d in graph.edges(data=True)}
    graph.graph["layers"] = {k: (_text(LAYER_NAMES[k], lang), _LAYER_COLOURS[k]) for k in LAYER_NAMES if k in used}
    return graph


def _common(graph: nx.Graph, catalog: Catalog, lang: str, title: str, view: str) -> nx.Graph:
    graph.graph.update(title=title, view=view, sources=catalog.sources(),
                       city_names={m: catalog.evidence.label(m, lang) for m in catalog.evidence.members})
    return graph


def _roles(kg: Queryable, graph: nx.MultiGraph, catalog: Catalog, lang: str) -> None:
    """The role layers of the analysis as arrows towards the distinguished city (host,
    seat, enclave host, lead), each naming its mechanisms and citing their facts."""
    evidence = role_evidence(kg, cities=catalog.evidence)  # the city tables the catalog already fetched
    for layer, layer_graph in role_layers(role_table(evidence), catalog.evidence.members).items():
        for u, v, data in layer_graph.edges(data=True):
            mechanisms = "、".join(dict.fromkeys(catalog.label(m, lang) for m in data["mechanisms"]))
            rows, more = catalog.fact_evidence(data["facts"], lang)
            graph.add_edge(u, v, key=f"{layer}→{v}", layer=layer, head=v,  # keyed apart from the arc back weight=float(data["weight"]), sources=data["sources"],
                           label=f"{_text(LAYER_NAMES[layer], lang)}：{mechanisms}", evidence=rows, evidence_more=more)


def _cities(kg: Queryable, catalog: Catalog, lang: str) -> nx.MultiGraph:
    """The member cities at their coordinates, one edge per layer and pair of cities, and
    the role arrows."""
    evidence = catalog.evidence
    places = evidence.places
    located = places.reindex(evidence.members)[["lon", "lat"]].dropna()
    coordinates = {m: (float(lon), float(lat)) for m, lon, lat in located.itertuples()}
    pos = geographic(coordinates)
    missing = [m for m in evidence.members if m not in pos]
    bottom = max((y for _, y in pos.values()), default=0.0) + 150
    pos.update({m: (-300.0 + 150 * i, bottom) for i, m in enumerate(missing)})
    graph = nx.MultiGraph()
    for member in evidence.members:
        graph.add_node(member, cls=places.at[member, "class"] if member in places.index else "g60:City",
                       x=pos[member][0], y=pos[member][1])
    _annotate(graph, catalog, lang)
    shared = []
    for layer, layer_graph in city_layers(evidence).items():
        common = _everywhere(layer_graph, len(evidence.members))
        if common:
            shared.append({"layer": layer, "ties": [catalog.label(t.split("|")[2], lang) for t in sorted(common)]})
        for u, v, data in layer_graph.edges(data=True):
            ties = list(data.get("ties", ()))
            rest = [t for t in ties if t not in common]
            if ties and not rest:
                continue  # only what every member shares: drawn once, as the background
            weight = float(data.get("weight", 1.0)) * (len(rest) / len(ties) if ties else 1.0)
            rows, more = catalog.fact_evidence(data["facts"], lang)
            graph.add_edge(u, v, key=layer, **{**data, "weight": weight}, layer=layer,
                           label=_text(LAYER_NAMES[layer], lang), evidence=rows, evidence_more=more)
    _roles(kg, graph, catalog, lang)
    graph.graph["shared"] = shared
    graph.graph["basemap"] = basemap(coordinates)
    graph.graph["layers"] = {k: (_text(LAYER_NAMES[k], lang), _LAYER_COLOURS[k]) for k in (*city_layers(evidence), *ROLE_LAYERS)}
    if missing:
        names = "、".join(evidence.label(m, lang) for m in missing)
        graph.graph["note"] = (f"数据中没有坐标，排在下方：{names}。" if lang == "zh"
                               else f"No coordinates in the data, placed below: {names}.")
    return graph


def _everywhere(layer: nx.Graph, members: int) -> set[str]:
    """The ties (``ties`` of the edges) that every pair of the ``members`` has: what the
    whole corridor shares, rather than a tie between two of its cities."""
    pairs = members * (members - 1) // 2
    if members < 3 or layer.number_of_edges() < pairs:
        return set()
    counts = Counter(t for _, _, d in layer.edges(data=True) for t in set(d.get("ties", ())))
    return {t for t, n in counts.items() if n == pairs and t.count("|") >= 2}


def _ego(kg: Queryable, catalog: Catalog, focus: str | None, hops: int) -> nx.MultiDiGraph:
    """Everything within ``hops`` ties of the entity named ``focus``."""
    if not focus:
        raise G60Error("the ego view needs an entity: --focus NAME (a name, an alias or an id such as org/tencent)")
    if hops < 0:
        raise G60Error(f"hops must be 0 or more, got {hops}")
    graph = entity_graph(kg, tops=ALL_TOPS)
    found = [e for e in catalog.find(focus) if e in graph]
    if not found:
        labels = {catalog.label(n): n for n in graph}
        near = [name for name in labels if focus in name or name in focus][:5]
        near += [n for n in difflib.get_close_matches(focus, list(labels), n=5, cutoff=0.4) if n not in near]
        hint = f"; did you mean {', '.join(near[:5])}?" if near else ""
        raise G60Error(f"no entity named {focus!r} in the graph{hint}")
    if len(found) > 1:
        raise G60Error(f"{focus!r} names {len(found)} entities: {', '.join(found)}; give one of these ids")
    sub = nx.ego_graph(graph, found[0], radius=hops, undirected=True)
    sub.graph["focus"] = found[0]
    return sub


def _alliances(kg: Queryable, catalog: Catalog) -> nx.MultiDiGraph:
    """Alliances, the entities tied to them, and the member cities those sit in."""
    graph = entity_graph(kg)
    alliances = {n for n, d in graph.nodes(data=True) if d["cls"] == "g60:Alliance"}
    view = nx.MultiDiGraph()
    view.add_nodes_from((a, graph.nodes[a]) for a in alliances)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if u in alliances or v in alliances:
            view.add_nodes_from([(u, graph.nodes[u]), (v, graph.nodes[v])])
            view.add_edge(u, v, key=key, **data)
    for node in [n for n, d in view.nodes(data=True) if d["top"] != "g60:Place"]:
        for city, facts in catalog.placed.get(node, {}).items():
            if not view.has_edge(node, city, "locatedIn"):
                view.add_node(city, **graph.nodes[city])
                view.add_edge(node, city, key="locatedIn", predicate="g60:locatedIn", facts=list(facts), layer="location")
    return view


def view_graph(kg: Queryable, view: str = "graph", *, focus: str | None = None, hops: int = 1, lang: str = "zh",
               catalog: Catalog | None = None) -> nx.MultiDiGraph | nx.MultiGraph:
    """The networkx graph a page of ``view`` shows (one of ``VIEWS``), its nodes and
    edges annotated with names, classes, cities, layers and the quotes behind them.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> ego = view_graph(kg, "ego", focus="腾讯长三角AI超算中心", hops=1)
    >>> ego.graph["focus"], "g60place:songjiang" in ego
    ('g60org:tencent-ai-supercomputing-center', True)
    >>> cities = view_graph(kg, "cities")
    >>> cities.number_of_nodes(), sorted({d["layer"] for _, _, d in cities.edges(data=True)})
    (9, ['alliance-lead', 'coordination', 'enterprise', 'infrastructure', 'institutional'])
    """
    if view not in VIEWS:
        raise G60Error(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    catalog = catalog or fetch_catalog(kg)
    title = _text(_TITLES[view], lang)
    if view == "cities":
        return _common(_cities(kg, catalog, lang), catalog, lang, title, view)
    graph = entity_graph(kg) if view == "graph" else _ego(kg, catalog, focus, hops) if view == "ego" \
        else _alliances(kg, catalog)
    if view == "ego":
        title = title.format(name=catalog.label(graph.graph["focus"], lang), hops=hops)
    return _common(_annotate(graph, catalog, lang), catalog, lang, title, view)


def _choose(wanted: Iterable[str] | None, known: dict[str, Iterable[str]], what: str) -> list[str] | None:
    """Ids of the ``wanted`` groups, each given by its id or any of its names."""
    if wanted is None:
        return None
    chosen = []
    for text in wanted:
        hits = [g for g, names in known.items() if text.strip().lower() in {str(n).lower() for n in (g, *names)}]
        if not hits:
            raise G60Error(f"no {what} {text!r} in this view; expected one of {', '.join(sorted(known))}")
        chosen.extend(hits)
    return chosen


def visualize(kg: Queryable, view: str = "graph", *, focus: str | None = None, hops: int = 1, lang: str = "zh",
              size_by: str = "degree", classes: Iterable[str] | None = None, city: str | None = None,
              layers: Iterable[str] | None = None, path: str | Path | None = None) -> Path | Page:
    """A self-contained page of one view (see ``view_graph``): written to ``path`` (its
    path returned), or returned as a ``Page`` (an HTML string Jupyter shows inline).
    ``classes`` (``Enterprise``, ``企业`` or ``g60:Enterprise``), ``city`` (a member
    city by name or id) and ``layers`` set what the page shows when it opens.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> page = visualize(kg, "cities", lang="en", layers=["enterprise"])
    >>> "Songjiang District" in page and '"layers":["enterprise"]' in page
    True
    """
    catalog = fetch_catalog(kg)
    graph = view_graph(kg, view, focus=focus, hops=hops, lang=lang, catalog=catalog)
    present = {str(d.get("cls")) for _, d in graph.nodes(data=True)}
    class_names = {c: {c.split(":", 1)[-1], catalog.term(c, "zh"), catalog.term(c, "en")} for c in present}
    layer_names = {layer: LAYER_NAMES.get(layer, ()) for layer in graph.graph.get("layers", {})}
    city_id = None
    if city:
        members = catalog.evidence.members
        hits = [m for m in catalog.find(city) if m in members]
        if not hits:
            raise G60Error(f"no member city {city!r}; expected one of "
                           f"{', '.join(catalog.evidence.label(m, lang) for m in members)}")
        city_id = hits[0]
    page = graph_page(graph, lang=lang, size_by=size_by, classes=_choose(classes, class_names, "class"), city=city_id,
                      layers=_choose(layers, layer_names, "layer"), focus=graph.graph.get("focus"))
    return page.save(path) if path is not None else page
