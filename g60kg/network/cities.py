"""Projections of the graph into networkx: the entity graph, the city network in layers
and the bipartite city–organization graph.

Everything is read through SPARQL (``kg.query`` and ``kg.table``; the queries are the
``.rq`` files in ``g60kg/network/projections/``), so the same code runs on the embedded
store and on a remote endpoint. The entity graph and the entity table are built in
``g60kg.network.entities``. The city network is built in two steps that can be repeated
cheaply on subsets of the evidence (the bootstrap and leave-one-source-out of
``g60kg.analysis.verdict``):

1. ``city_evidence`` fetches the fact tables once: members, places, location facts, ties.
2. ``tie_table`` turns the facts that survive (all, or all but some sources') into ties
   between member cities; ``city_layers`` sums the ties into one weighted graph per layer.

How facts become ties between cities:

- An entity belongs to a member city through ``g60:locatedIn`` / ``g60:partOf`` chains
  (and ``g60:affiliatedWith`` for people). A body that two or more member cities
  established together (the corridor's joint office) is a *joint body*: it belongs to all
  of its founders, so its seat gives no city a tie of its own.
- A fact between two member cities (``松江 cooperatesWith 芜湖``, ``嘉兴 adjacentTo 杭州``), or
  between an entity of one member city and another member city (a firm with a branch
  there), is a *direct* tie.
- Otherwise the fact affiliates a city with a *hub* (the alliance, park, event, policy or
  project it points to; for ``hostedBy``, the alliance that is hosted). Cities affiliated
  with the same hub share a tie. The seat of an organization or project counts as an
  affiliation (an enclave park run by 芜湖 in 松江 ties 芜湖 to 松江); the seat of a government
  body does not (a park designated by an office is not tied to the office's city), nor
  does the venue of an event or the place of a policy (hosting a meeting is not a tie to
  its guests). A place is never a hub: two cities that each cooperate with a third place
  are not tied by it.
  A hub every member city belongs to is marked ``corridor_wide``.
- Users' link counts (``g60kg/loaders/links.py``) are ties of their own layer, weighted by
  their count.

Each tie weighs 1 (a link: its count), however many sources state it: more sources make a
tie more certain, not heavier. Every edge carries its ties, the statement IRIs behind
them (``facts``), the statements that place its ends (``located_by``) and their sources.

>>> import g60kg
>>> kg = g60kg.open_graph("memory"); _ = kg.build()
>>> layers = city_layers(city_evidence(kg))
>>> sorted(layers["infrastructure"].neighbors("g60place:songjiang"))[:2]
['g60place:hangzhou', 'g60place:hefei']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from g60kg.errors import G60Error
from g60kg.network.entities import entity_graph, entity_table
from g60kg.network.projection import Queryable, projection_query
from g60kg.loaders.links import LAYERS

__all__ = ["LAYERS", "NETWORKS", "RESOLUTIONS", "projection_query", "CityEvidence", "city_evidence", "resolve_member",
           "city_map",
           "tie_table", "city_layers", "city_network", "entity_graph", "bipartite_city_org"]

NETWORKS = {"nine-cities": "g60corridor:g60", "sw-five": "g60org:sw-shanghai-industry-innovation-chain-alliance"}
RESOLUTIONS = ("district", "shanghai")
_SYMMETRIC = {"g60:cooperatesWith", "g60:adjacentTo"}
_SEATED = {"g60:Organization", "g60:Project"}  # hubs whose seat is an affiliation (not government bodies)
_TIE_COLUMNS = ["layer", "a", "b", "tail", "head", "kind", "tie", "hub", "weight", "facts", "groups", "located_by",
                "sources", "corridor_wide"]


def _grouped(frame: pd.DataFrame, keys: list[str], values: list[str]) -> list[tuple[tuple, tuple[tuple, ...]]]:
    """The rows grouped by ``keys``, in key order, with the distinct values of each
    ``values`` column in each group, sorted: the rows are sorted once by pandas, and a
    group is a run of them (most groups are one row, whose values need no set).

    >>> _grouped(pd.DataFrame({"k": ["b", "a", "b", "b"], "v": [3, 2, 1, 3]}), ["k"], ["v"])
    [(('a',), ((2,),)), (('b',), ((1, 3),))]
    """
    if frame.empty:
        return []
    rows = frame.drop_duplicates([*keys, *values]).sort_values([*keys, *values], kind="stable")
    starts = np.flatnonzero(~rows.duplicated(keys).to_numpy()).tolist()
    ends = [*starts[1:], len(rows)]
    heads = list(zip(*(rows[c].to_numpy()[starts].tolist() for c in keys)))
    columns = [rows[c].tolist() for c in values]
    found = []
    for key, start, end in zip(heads, starts, ends):
        if end - start == 1:
            found.append((key, tuple((column[start],) for column in columns)))
        else:
            found.append((key, tuple(tuple(sorted(set(column[start:end]))) for column in columns)))
    return found


def _facts(frame: pd.DataFrame, s: str, p: str, o: str) -> pd.DataFrame:
    """Fill the fact column: the statement IRI, or ``source|s|p|o`` for a fact without one."""
    missing = frame["fact"].isna()
    frame = frame.copy()
    frame.loc[missing, "fact"] = (frame["source"] + "|" + frame[s] + "|" + frame[p] + "|" + frame[o])[missing]
    return frame


def _without_counted_triples(ties: pd.DataFrame) -> pd.DataFrame:
    """The rows of ties.rq less the plain rows of a triple that a link count of the same
    source states (a count row has a ``weight``): the count is the tie, once.

    >>> t = pd.DataFrame({"s": ["a", "a", "a"], "p": ["p"] * 3, "o": ["b"] * 3, "source": ["x", "x", "y"],
    ...                   "weight": [None, 3.0, None]})
    >>> _without_counted_triples(t)[["source", "weight"]].values.tolist()
    [['x', 3.0], ['y', nan]]
    """
    counted = ties["weight"].notna().to_numpy()
    if not counted.any():
        return ties
    triples = pd.MultiIndex.from_frame(ties[["s", "p", "o", "source"]])
    return ties[counted | ~triples.isin(triples[counted])]


def _one_row_per_fact(ties: pd.DataFrame) -> pd.DataFrame:
    """The rows of ties.rq as one per fact and source, sorted: its least quote, its roles
    (sorted, joined by `` | ``; ``''`` for none), a start and a weight.

    >>> t = pd.DataFrame({"layer": ["x"] * 3, "s": ["a"] * 3, "p": ["p"] * 3, "o": ["b", "c", "c"], "fact": [None] * 3,
    ...                   "source": ["s"] * 3, "quote": [None, "q2", "q1"], "role": [None, "r2", "r1"],
    ...                   "start": [None] * 3, "weight": [None] * 3})
    >>> one = _one_row_per_fact(t)
    >>> one[["o", "role"]].values.tolist(), one["quote"].iloc[1]
    ([['b', ''], ['c', 'r1 | r2']], 'q1')
    """
    keys = ["layer", "s", "p", "o", "fact", "source"]
    repeated = ties.duplicated(keys, keep=False)
    ties = ties.assign(role=ties["role"].where(ties["role"].notna(), ""))
    if repeated.any():
        merged = ties[repeated].groupby(keys, dropna=False, sort=False).agg(
            quote=("quote", "min"), role=("role", lambda roles: " | ".join(sorted({r for r in roles if r}))),
            start=("start", "first"), weight=("weight", "first")).reset_index()
        ties = pd.concat([ties[~repeated], merged], ignore_index=True)
    return ties.sort_values(["layer", "s", "p", "o", "source"], kind="stable", ignore_index=True)


@dataclass
class CityEvidence:
    """The fact tables a city network is built from, fetched once by SPARQL."""

    network: str
    resolution: str
    members: list[str]
    member_facts: pd.DataFrame
    places: pd.DataFrame
    locations: pd.DataFrame
    ties: pd.DataFrame
    entities: pd.DataFrame
    sources: pd.DataFrame
    aggregated: dict[str, str] = field(default_factory=dict)

    def label(self, node: str, lang: str = "zh") -> str:
        """The name of a place (``zh`` or ``en``), or its id when the data has none."""
        column = "zh" if lang == "zh" else "en"
        if node in self.places.index and isinstance(self.places.at[node, column], str):
            return self.places.at[node, column]
        return node.split(":", 1)[-1]


def city_evidence(kg: Queryable, *, network: str = "nine-cities", resolution: str = "district") -> CityEvidence:
    """Fetch what the city network of ``network`` (``nine-cities``, ``sw-five`` or the
    CURIE of a corridor or alliance) needs, at a ``resolution``: ``district`` keeps
    松江区 as a node; ``shanghai`` merges it (and every other Shanghai district) into 上海市.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> len(city_evidence(kg).members), city_evidence(kg, network="sw-five").members
    (9, ['g60place:songjiang'])
    """
    if resolution not in RESOLUTIONS:
        raise ValueError(f"unknown resolution {resolution!r}; expected one of {RESOLUTIONS}")
    iri = NETWORKS.get(network, network)
    members = kg.query(projection_query("members"))
    members = _facts(members[members["network"] == iri], "place", "network", "network")
    places = kg.query(projection_query("places")).set_index("place")
    locations = _facts(kg.query(projection_query("locations")), "entity", "rel", "target")
    locations = locations.sort_values(["entity", "rel", "target", "source"], kind="stable", ignore_index=True)
    ties = _facts(_one_row_per_fact(_without_counted_triples(kg.query(projection_query("ties")))), "s", "p", "o")
    entities = entity_table(kg).drop_duplicates("entity").set_index("entity")
    sources = kg.query(projection_query("sources")).set_index("source")
    nodes = sorted(set(members["place"]))
    aggregated: dict[str, str] = {}
    if resolution == "shanghai":
        cities = set(places.index[places["class"] == "g60:City"])
        up = locations[locations["rel"].isin(["g60:partOf", "g60:locatedIn"]) & locations["target"].isin(cities)]
        for place in nodes:
            if places.at[place, "class"] == "g60:District":
                parents = sorted(set(up.loc[up["entity"] == place, "target"]))
                if parents:
                    aggregated[place] = parents[0]
        nodes = sorted({aggregated.get(p, p) for p in nodes})
    return CityEvidence(network, resolution, nodes, members, places, locations, ties, entities, sources, aggregated)


def resolve_member(evidence: CityEvidence, city: str) -> str:
    """A member node of ``evidence`` from an id, a CURIE or a name (松江区, 松江, Songjiang);
    at Shanghai resolution a district resolves to its city.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> resolve_member(city_evidence(kg, resolution="shanghai"), "松江")
    'g60place:shanghai'
    """
    places = evidence.places
    wanted = city.strip()
    candidates = {wanted, "g60" + wanted.replace("/", ":", 1)}
    for node in places.index:
        zh, en = str(places.at[node, "zh"]), str(places.at[node, "en"])
        names = {node, zh, en, zh.rstrip("市区"), en.removesuffix(" District")}
        if candidates & names or wanted.lower() in {n.lower() for n in names}:
            node = evidence.aggregated.get(node, node)
            if node in evidence.members:
                return node
            raise G60Error(f"{city} is not a member of {evidence.network} in the data; members: "
                           f"{', '.join(evidence.label(m) for m in evidence.members) or 'none'}")
    raise G60Error(f"unknown place {city!r}; expected an id such as place/songjiang or a name such as 松江区")


def _joint_bodies(ties: pd.DataFrame, members: set[str]) -> set[str]:
    """Bodies that two or more member cities established together."""
    made = ties[(ties["p"] == "g60:establishes") & ties["s"].isin(members)]
    counts = made.groupby("o")["s"].nunique()
    return set(counts.index[counts >= 2])


def city_map(evidence: CityEvidence, *, drop_sources: Iterable[str] = ()) -> dict[str, dict[str, tuple[str, ...]]]:
    """Entity → {member city: the location statements that place it there}, following
    locatedIn/partOf/affiliatedWith chains (the shortest, breadth first from each city);
    joint bodies belong to no single city. One call serves every table of an analysis:
    pass it on (``tie_table``, ``g60kg.network.roles.role_table``).

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> m = city_map(city_evidence(kg))
    >>> list(m["g60org:g60-wuhu-innovation-center"]), "g60org:g60-joint-office" in m
    (['g60place:songjiang'], False)
    """
    drop = set(drop_sources)
    members = set(evidence.members)
    locations = evidence.locations[~evidence.locations["source"].isin(drop)]
    ties = evidence.ties[~evidence.ties["source"].isin(drop)]
    joint = _joint_bodies(ties, members | set(evidence.aggregated))
    placed_in: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # a place -> the entities placed in it, with facts
    for (entity, target), (facts,) in _grouped(locations, ["entity", "target"], ["fact"]):
        if entity not in joint and entity not in members:
            placed_in.setdefault(target, []).append((entity, facts))
    mapping: dict[str, dict[str, tuple[str, ...]]] = {}
    for city in members:
        reached: dict[str, tuple[str, ...]] = {city: ()}
        level = [city]
        while level:
            below = []
            for place in level:
                for entity, facts in placed_in.get(place, ()):
                    if entity in reached:
                        continue
                    above = reached[place]
                    reached[entity] = tuple(sorted({*facts, *above})) if above else facts
                    mapping.setdefault(entity, {})[city] = reached[entity]
                    below.append(entity)
            level = below
    return mapping


def tie_table(evidence: CityEvidence, *, drop_sources: Iterable[str] = (), corridor_wide: bool = True,
              mapping: dict[str, dict[str, tuple[str, ...]]] | None = None) -> pd.DataFrame:
    """The ties between member cities that the facts (less those of ``drop_sources``)
    support: one row per tie and pair of cities, with the facts a tie needs (``groups``:
    one tuple of alternative statements per side; an empty tuple is a seat, which the
    location facts give) and whether its hub ties every member (``corridor_wide``).
    ``mapping`` is the ``city_map`` of the same evidence and sources, when the caller
    has it already.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> t = tie_table(city_evidence(kg))
    >>> pair = (t["layer"] == "enterprise") & (t["a"] == "g60place:songjiang") & (t["b"] == "g60place:wuhu")
    >>> t[pair][["tail", "head"]].drop_duplicates().values.tolist()
    [['g60place:wuhu', 'g60place:songjiang']]
    """
    drop = set(drop_sources)
    members = set(evidence.members)
    if mapping is None:
        mapping = city_map(evidence, drop_sources=drop)
    ties = evidence.ties[~evidence.ties["source"].isin(drop)]
    top = evidence.entities["top"].to_dict()
    seated = {e for e, t in top.items() if t in _SEATED} - set(
        evidence.entities.index[evidence.entities["class"] == "g60:GovernmentBody"])

    def cities(x: str) -> dict[str, tuple[str, ...]]:
        return {x: ()} if x in members else mapping.get(x, {})

    rows: list[dict] = []
    links = ties[ties["weight"].notna()]
    for r in links.itertuples():
        for a, la in cities(r.s).items():
            for b, lb in cities(r.o).items():
                if a != b:
                    rows.append(_row(r.layer, a, b, "", "", "link", f"{r.layer}|link|{r.fact}", "", float(r.weight),
                                     ((r.fact,),), la + lb, (r.source,)))
    plain = ties[ties["weight"].isna()]
    affiliations: dict[tuple[str, str], dict[str, dict]] = {}
    for (layer, s, p, o), (facts, sources) in _grouped(plain, ["layer", "s", "p", "o"], ["fact", "source"]):
        hub, other = (s, o) if p == "g60:hostedBy" else (o, s)
        if hub in members or top.get(hub) == "g60:Place":
            for a, la in cities(s).items():
                for b, lb in cities(o).items():
                    if a != b:
                        tail, head = ("", "") if p in _SYMMETRIC else (a, b)
                        rows.append(_row(layer, a, b, tail, head, "direct", f"{layer}|direct|{s}|{p}|{o}", "", 1.0,
                                         (facts,), la + lb, sources))
            continue
        for city, located in cities(other).items():
            entry = affiliations.setdefault((layer, hub), {}).setdefault(
                city, {"facts": set(), "located": set(), "sources": set(), "seat": False})
            entry["facts"].update(facts)
            entry["located"].update(located)
            entry["sources"].update(sources)
    for (layer, hub), by_city in affiliations.items():
        for city, located in (mapping.get(hub, {}) if hub in seated else {}).items():
            entry = by_city.setdefault(city, {"facts": set(), "located": set(), "sources": set(), "seat": False})
            entry["seat"] = True
            entry["located"].update(located)
        wide = len(members) >= 3 and members <= set(by_city)
        for a, b in combinations(sorted(by_city), 2):
            ea, eb = by_city[a], by_city[b]
            seat_a, seat_b = ea["seat"] and not ea["facts"], eb["seat"] and not eb["facts"]
            tail, head = (b, a) if seat_a and not seat_b else (a, b) if seat_b and not seat_a else ("", "")
            groups = tuple(tuple(sorted(e["facts"])) if not (e["seat"] and not e["facts"]) else () for e in (ea, eb))
            rows.append(_row(layer, a, b, tail, head, "shared", f"{layer}|shared|{hub}", hub, 1.0, groups,
                             tuple(sorted(ea["located"] | eb["located"])), tuple(sorted(ea["sources"] | eb["sources"])),
                             wide))
    table = pd.DataFrame(rows, columns=_TIE_COLUMNS)
    if not corridor_wide:
        table = table[~table["corridor_wide"]]
    return table.sort_values(["layer", "a", "b", "tie"], kind="stable").reset_index(drop=True)


def _row(layer: str, a: str, b: str, tail: str, head: str, kind: str, tie: str, hub: str, weight: float,
         groups: tuple, located: tuple, sources: tuple, wide: bool = False) -> dict:
    a, b = sorted((a, b))
    facts = tuple(sorted({f for g in groups for f in g}))
    return dict(layer=layer, a=a, b=b, tail=tail, head=head, kind=kind, tie=tie, hub=hub, weight=weight, facts=facts,
                groups=groups, located_by=tuple(sorted(set(located))), sources=sources, corridor_wide=wide)


def _empty_layer(evidence: CityEvidence, layer: str, directed: bool) -> nx.Graph:
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph.update(layer=layer, network=evidence.network, resolution=evidence.resolution)
    for node in evidence.members:
        lat = lon = None
        if node in evidence.places.index:
            lat, lon = evidence.places.at[node, "lat"], evidence.places.at[node, "lon"]
        graph.add_node(node, label=evidence.label(node), label_en=evidence.label(node, "en"),
                       cls=evidence.places.at[node, "class"] if node in evidence.places.index else None,
                       lat=None if pd.isna(lat) else float(lat), lon=None if pd.isna(lon) else float(lon))
    return graph


def city_layers(evidence: CityEvidence, ties: pd.DataFrame | None = None, *, directed: bool = False,
                layers: Iterable[str] = LAYERS) -> dict[str, nx.Graph]:
    """One weighted graph per layer over every member city (isolated ones included):
    edge ``weight`` (sum of its ties), ``distance`` (1/weight, for path measures),
    ``ties``, ``facts`` (statement IRIs), ``located_by`` and ``sources``. With
    ``directed``, a tie with a direction (A's firm or city acts in B) is one arc and the
    others are two.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> g = city_layers(city_evidence(kg))["enterprise"]
    >>> g.number_of_nodes(), g.edges["g60place:songjiang", "g60place:wuhu"]["weight"] >= 1
    (9, True)
    """
    ties = tie_table(evidence) if ties is None else ties
    graphs = {layer: _empty_layer(evidence, layer, directed) for layer in layers}
    for r in ties.itertuples():
        if r.layer not in graphs:
            continue
        graph = graphs[r.layer]
        arcs = [(r.tail, r.head)] if directed and r.tail else [(r.a, r.b), (r.b, r.a)] if directed else [(r.a, r.b)]
        for u, v in arcs:
            if not graph.has_edge(u, v):
                graph.add_edge(u, v, weight=0.0, ties=[], facts=set(), located_by=set(), sources=set())
            data = graph.edges[u, v]
            data["weight"] += r.weight
            data["ties"].append(r.tie)
            data["facts"].update(r.facts)
            data["located_by"].update(r.located_by)
            data["sources"].update(r.sources)
    for graph in graphs.values():
        for _, _, data in graph.edges(data=True):
            data["distance"] = 1.0 / data["weight"]
            for key in ("facts", "located_by", "sources"):
                data[key] = sorted(data[key])
    return graphs


def city_network(kg: Queryable, *, network: str = "nine-cities", resolution: str = "district",
                 layer: str | None = None, directed: bool = False) -> nx.Graph | dict[str, nx.Graph]:
    """The city network of ``kg``: every layer (a dict), or one ``layer``.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> ("g60place:shanghai", "g60place:wuhu") in city_network(kg, resolution="shanghai", layer="enterprise").edges()
    True
    """
    graphs = city_layers(city_evidence(kg, network=network, resolution=resolution), directed=directed)
    return graphs if layer is None else graphs[layer]


def bipartite_city_org(evidence: CityEvidence) -> nx.Graph:
    """Member cities (``bipartite=0``) and the organizations tied to them
    (``bipartite=1``): located there (``kind="locatedIn"``, through the location chain)
    or linked to the city by a layer's fact (``kind`` = the predicate).

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> b = bipartite_city_org(city_evidence(kg))
    >>> b.edges["g60org:g60-wuhu-innovation-center", "g60place:wuhu"]["kinds"]
    ['g60:operates']
    """
    members = set(evidence.members)
    orgs = set(evidence.entities.index[evidence.entities["top"] == "g60:Organization"])
    graph = nx.Graph()
    for city in evidence.members:
        graph.add_node(city, bipartite=0, label=evidence.label(city), label_en=evidence.label(city, "en"))

    def link(org: str, city: str, kind: str, facts: Iterable[str]) -> None:
        if org not in graph:
            row = evidence.entities.loc[org]
            graph.add_node(org, bipartite=1, label=row["zh"] or row["en"] or org, label_en=row["en"] or "",
                           cls=row["class"])
        if not graph.has_edge(org, city):
            graph.add_edge(org, city, kinds=[], facts=set())
        data = graph.edges[org, city]
        if kind not in data["kinds"]:
            data["kinds"].append(kind)
        data["facts"].update(facts)

    for entity, by_city in city_map(evidence).items():
        if entity in orgs:
            for city, facts in by_city.items():
                link(entity, city, "locatedIn", facts)
    for r in evidence.ties[evidence.ties["weight"].isna()].itertuples():
        for org, city in ((r.s, r.o), (r.o, r.s)):
            if org in orgs and city in members:
                link(org, city, r.p, [r.fact])
    for _, _, data in graph.edges(data=True):
        data["facts"] = sorted(data["facts"])
    return graph
