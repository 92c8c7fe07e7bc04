"""The entities of the graph and the typed relations between them, read through SPARQL
in bulk, and the entity graph they make.

At a million triples a projection's cost is in moving rows: on an on-disk store every
term a result row carries is a lookup, and every Python object made per row is paid for
again by the garbage collector. So the queries (``g60kg/network/projections/``) ask only
for what the graph needs; the store writes their results as SPARQL CSV, which pandas' C
parser reads (``KnowledgeGraph.table``); two tables are fetched at a time (the store
writes one on a core of its own while Python reads another); entities are matched as
integer codes; each table of facts becomes edges while the next ones are fetched (a
triple is stored once, so a fact is in one table); and the garbage collector is paused
while the graph is filled:

- ``types.rq``: every class asserted of a resource; the entities (of a class under one of
  ``TOP_CLASSES``), their top classes and their most specific classes are found here,
  with the class tree of ``subclasses.rq``;
- ``labels.rq``: the Chinese and English names;
- ``relations.rq``, once for each named graph and g60 object property with facts
  (``fact-graphs.rq``) whose values can be entities (``ranges.rq``: not
  ``g60:sector``): the subject and object of every fact, which counts once for each
  source of the graph (a graph that several sources share counts for each of them);
- ``statements.rq``: the statement nodes behind the facts, with their sources; their
  quotes (``statement-quotes.rq``) only when they are asked for.
"""

from __future__ import annotations

import gc
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Iterable, Iterator

import networkx as nx
import numpy as np
import pandas as pd
import pyoxigraph as ox

from g60kg.store.prebind import prebind
from g60kg.network.projection import Queryable, projection_query
from g60kg.store.results import shorten, shortened
from g60kg.ontology import PREFIXES

__all__ = ["ENTITY_TOPS", "TOP_CLASSES", "entity_table", "entity_graph"]

ENTITY_TOPS = ("g60:Organization", "g60:Place", "g60:Person")
# The classes whose members are entities, with the top class they fall under.
TOP_CLASSES = tuple(PREFIXES["g60"] + name for name in
                    ("Organization", "Place", "Person", "Project", "Policy", "Event", "Achievement"))
_WORKERS = 2  # tables fetched at a time
_LANGS = ("zh", "en")
_CODES = ["s", "p", "o", "source"]


@contextmanager
def _fetcher(kg: Queryable) -> Iterator:
    """``fetch(name, **terms)``: a future of the table of projection query ``name``, the
    ``terms`` (pyoxigraph terms) written in for their variables."""
    pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="g60kg-table")

    def fetch(name: str, **terms: ox.NamedNode | ox.Literal) -> Future:
        return pool.submit(kg.table, prebind(projection_query(name), terms))

    try:
        yield fetch
    finally:
        pool.shutdown(cancel_futures=True)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large graph is built, then hand the
    new objects to its oldest generation without a pass over them (``gc.freeze`` then
    ``gc.unfreeze``). Building makes a few container objects per edge; the collector
    would walk the growing graph again and again, freeing nothing (most of the time of
    building it), before settling it in the oldest generation, where it is now."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def _broader(direct: pd.DataFrame) -> pd.DataFrame:
    """Each class with each of its broader classes, any number of steps up (``class``,
    ``broader``), from the one-step pairs of ``subclasses.rq``.

    >>> _broader(pd.DataFrame({"class": ["a", "b"], "broader": ["b", "c"]})).values.tolist()
    [['a', 'b'], ['a', 'c'], ['b', 'c']]
    """
    pairs = direct[["class", "broader"]].drop_duplicates()
    while True:
        step = pairs.merge(pairs, left_on="broader", right_on="class", suffixes=("", "_up"))
        step = pd.DataFrame({"class": step["class"], "broader": step["broader_up"]})
        more = pd.concat([pairs, step[step["class"] != step["broader"]]]).drop_duplicates()
        if len(more) == len(pairs):
            return pairs.sort_values(["class", "broader"], ignore_index=True)
        pairs = more


def _off_graph(ranges: pd.DataFrame, tree: pd.DataFrame, tops: set[str]) -> set[str]:
    """The object properties (full IRIs) whose values cannot be nodes of a graph of
    ``tops`` (short names): each of their ranges is a class that is no top, under none
    and over none (``ranges.rq``; ``tree``: ``_broader``).

    >>> tree = pd.DataFrame({"class": ["http://e/Firm"], "broader": ["http://e/Agent"]})
    >>> ranges = pd.DataFrame({"p": ["http://e/sector", "http://e/owns"], "range": ["http://e/Sector", "http://e/Firm"]})
    >>> _off_graph(ranges, tree, {"http://e/Agent"})
    {'http://e/sector'}
    """
    if ranges.empty:
        return set()
    short = pd.DataFrame({"class": shortened(tree["class"]), "broader": shortened(tree["broader"])})
    near = set(tops) | set(short.loc[short["broader"].isin(tops), "class"]) | set(short.loc[short["class"].isin(tops), "broader"])
    kept = shortened(ranges["range"]).isin(near)
    return set(ranges["p"]) - set(ranges.loc[kept, "p"])


def _classes(types: pd.DataFrame, tree: pd.DataFrame) -> pd.DataFrame:
    """The most specific classes of each entity (``types.rq``; ``tree``: ``_broader``):
    ``entity``, ``class``, ``top`` (short) and ``iri`` (the entity's), sorted."""
    # A resource is an entity when its class is a top class or under one.
    under = pd.concat([pd.DataFrame({"class": TOP_CLASSES, "broader": TOP_CLASSES}), tree])
    under = under[under["broader"].isin(TOP_CLASSES)].rename(columns={"broader": "top"})
    types = types.merge(under, on="class")
    # A class is not the most specific when the entity also has one of its subclasses,
    # which only an entity of two classes or more can have.
    several = types["entity"].duplicated(keep=False).to_numpy().copy()
    single = not several.any()
    if not single:
        shared = types[several]
        narrower = shared[["entity", "class"]].drop_duplicates().merge(tree, on="class")
        broader = pd.MultiIndex.from_arrays([narrower["entity"], narrower["broader"]])
        several[several] = pd.MultiIndex.from_arrays([shared["entity"], shared["class"]]).isin(broader)
        types = types[~several].drop_duplicates()
    table = pd.DataFrame({"entity": shortened(types["entity"]), "class": shortened(types["class"]),
                          "top": shortened(types["top"]), "iri": types["entity"]})
    return table.sort_values("entity" if single else ["entity", "class", "top"], ignore_index=True)


def _names(iris: pd.Series, labels: pd.DataFrame) -> dict[str, list[str | None]]:
    """The Chinese and English name of each entity IRI (the first in code-point order
    where two sources give two, so every store gives the same), or ``None``."""
    names = {}
    labels = labels.sort_values(["entity", "label"], kind="stable")
    for lang in _LANGS:
        named = labels[labels["lang"] == lang].drop_duplicates("entity")
        found = pd.Index(named["entity"]).get_indexer(iris)
        names[lang] = np.append(named["label"].to_numpy(dtype=object), None)[found].tolist()
    return names


def entity_table(kg: Queryable) -> pd.DataFrame:
    """Every entity with its most specific class (one row for each, where it has two),
    its top class and its Chinese and English names (``None`` where it has none), sorted
    by entity, class and top.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> entity_table(kg).set_index("entity").loc["g60place:wuhu"].tolist()
    ['g60:City', 'g60:Place', '芜湖市', 'Wuhu']
    """
    with _fetcher(kg) as fetch:
        types, tree, labels = fetch("types"), fetch("subclasses"), fetch("labels")
        table = _classes(types.result(), _broader(tree.result()))
        names = _names(table["iri"], labels.result())
        return table.drop(columns="iri").assign(**{lang: pd.Series(v, dtype=object) for lang, v in names.items()})


class _Coder:
    """Integer codes of the fact tables' columns, in the order of the short names (so
    that sorting codes sorts names): entities (the graph's nodes, by IRI; -1 for any
    other), predicates and sources (``fact-graphs.rq``)."""

    def __init__(self, nodes: pd.DataFrame, graphs: pd.DataFrame) -> None:
        self.nodes = pd.Index(nodes["iri"])
        self.names = {"s": nodes["entity"].tolist(), "o": nodes["entity"].tolist()}
        self.node_names = np.asarray(self.names["s"], dtype=object)
        self.names["p"] = sorted(set(shortened(graphs["p"])))
        self.names["source"] = sorted(set(graphs["source"]))
        self._index = {c: pd.Index(self.names[c]) for c in ("p", "source")}

    def code(self, column: str, values: pd.Series) -> np.ndarray:
        """The codes of full IRIs (``s``, ``o``, ``p``) or of source names."""
        if column in ("s", "o"):
            return self.nodes.get_indexer(values)
        return self._index[column].get_indexer(shortened(values) if column == "p" else values)


def _graph_sources(graphs: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """The sources of each graph and predicate of ``fact-graphs.rq``, in order of rows.

    >>> _graph_sources(pd.DataFrame({"g": ["g1", "g1", "g2"], "p": ["p", "p", "p"], "source": ["a", "b", "b"]}))
    {('g1', 'p'): ['a', 'b'], ('g2', 'p'): ['b']}
    """
    sources: dict[tuple[str, str], list[str]] = {}
    for g, p, source in zip(graphs["g"].tolist(), graphs["p"].tolist(), graphs["source"].tolist()):
        sources.setdefault((g, p), []).append(source)
    return sources


def _add_facts(graph: nx.MultiDiGraph, coder: _Coder, predicate: str, sources: list[str], table: pd.DataFrame, *,
               quotes: bool, merge: bool) -> None:
    """The edges of one table of ``relations.rq`` (one predicate, one graph, whose
    sources are ``sources``) between nodes, in order of subject and object, keyed by the
    predicate's local name, with ``predicate``, sorted ``facts`` (``source|s|p|o`` for
    each source: ``_add_statements`` puts statement nodes in their place) and
    ``sources``, and with ``quotes`` an empty list of ``quotes``. With ``merge`` (the
    predicate had a table before) an edge that is there already gains the new facts and
    sources."""
    s, o = coder.code("s", table["s"]), coder.code("o", table["o"])
    kept = (s >= 0) & (o >= 0)
    s, o = s[kept], o[kept]
    order = np.lexsort((o, s))
    subjects, objects = coder.node_names[s[order]].tolist(), coder.node_names[o[order]].tolist()
    p = shorten(predicate)
    key, sources = p.split(":", 1)[-1], sorted(set(sources))
    add, one = graph.add_edge, sources[0] if len(sources) == 1 else None
    for a, b in zip(subjects, objects):
        ids = [f"{one}|{a}|{p}|{b}"] if one else sorted(f"{source}|{a}|{p}|{b}" for source in sources)
        if merge and graph.has_edge(a, b, key):
            data = graph[a][b][key]
            data["facts"], data["sources"] = sorted({*data["facts"], *ids}), sorted({*data["sources"], *sources})
        elif quotes:
            add(a, b, key, predicate=p, facts=ids, sources=sources[:], quotes=[])
        else:
            add(a, b, key, predicate=p, facts=ids, sources=sources[:])


def _statement_codes(coder: _Coder, found: pd.DataFrame, said: pd.DataFrame | None) -> pd.DataFrame:
    """The statement nodes of ``statements.rq`` between nodes, as codes with their short
    ``fact`` IRI and, with ``said`` (``statement-quotes.rq``), their ``quote``."""
    table = pd.DataFrame({"s": coder.code("s", found["s"]), "p": coder.code("p", found["p"]),
                          "o": coder.code("o", found["o"]), "source": coder.code("source", found["source"]),
                          "fact": shortened(found["fact"])})
    if said is not None:
        quotes = pd.DataFrame({"fact": shortened(said["fact"]), "quote": said["quote"]})
        table["quote"] = table[["fact"]].merge(quotes, on="fact", how="left")["quote"].to_numpy()
    return table[(table[_CODES] >= 0).all(axis=1)]


def _add_statements(graph: nx.MultiDiGraph, coder: _Coder, statements: pd.DataFrame, quotes: bool) -> None:
    """Each statement node of ``_statement_codes`` in place of the ``source|s|p|o`` id of
    the fact it states (the facts of a source that has none keep theirs), and with
    ``quotes`` its quote on the edge."""
    names = {c: np.asarray(coder.names[c], dtype=object)[statements[c].to_numpy()].tolist() for c in _CODES}
    said = statements["quote"].tolist() if "quote" in statements else [None] * len(statements)
    stated: dict[tuple[str, str, str, str], list[tuple[str, object]]] = {}
    for a, p, b, source, fact, quote in zip(names["s"], names["p"], names["o"], names["source"],
                                           statements["fact"].tolist(), said):
        stated.setdefault((a, p, b, source), []).append((fact, quote))
    for (a, p, b, source), found in stated.items():
        key = p.split(":", 1)[-1]
        default = f"{source}|{a}|{p}|{b}"
        if not graph.has_edge(a, b, key) or default not in graph[a][b][key]["facts"]:
            continue
        data = graph[a][b][key]
        data["facts"] = sorted({*data["facts"], *(fact for fact, _ in found)} - {default})
        if quotes:
            data["quotes"] = sorted({*data["quotes"], *(q for _, q in found if isinstance(q, str))})


def entity_graph(kg: Queryable, *, tops: Iterable[str] = ENTITY_TOPS, quotes: bool = False) -> nx.MultiDiGraph:
    """Organizations (alliances and parks among them), places and people (or the
    entities under other ``tops``), with their typed relations: nodes carry ``label``,
    ``label_en``, ``cls`` (the most specific class) and ``top``; edges are keyed by
    predicate and carry ``predicate``, ``facts`` (statement IRIs, or ``source|s|p|o``
    for a fact without a statement node) and ``sources``, and with ``quotes`` the quotes
    of their statement nodes (``quotes``).

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> g = entity_graph(kg)
    >>> g.nodes["g60org:g60-laser-alliance"]["cls"], "hostedBy" in g["g60org:g60-laser-alliance"]["g60org:soochow-university"]
    ('g60:Alliance', True)
    """
    keep = set(tops)
    with _collector_paused(), _fetcher(kg) as fetch:
        graphs, tree, ranges = fetch("fact-graphs"), fetch("subclasses"), fetch("ranges")
        types, labels = fetch("types"), fetch("labels")
        graphs, tree = graphs.result(), _broader(tree.result())
        skip = _off_graph(ranges.result(), tree, keep)
        parts = [(p, sources, fetch("relations", g=ox.NamedNode(g), p=ox.NamedNode(p)))
                 for (g, p), sources in sorted(_graph_sources(graphs).items(), key=lambda item: item[0][::-1])
                 if p not in skip]
        found, said = fetch("statements"), fetch("statement-quotes") if quotes else None
        nodes = _classes(types.result(), tree)
        nodes = nodes[nodes["top"].isin(keep)].drop_duplicates("entity")
        graph = nx.MultiDiGraph()
        add = graph.add_node
        for entity, cls, top in zip(nodes["entity"].tolist(), nodes["class"].tolist(), nodes["top"].tolist()):
            add(entity, label=None, label_en=None, cls=cls, top=top)  # the names come when their table does
        coder = _Coder(nodes, graphs)
        done: set[str] = set()
        for predicate, sources, future in parts:  # each table as it comes, while the next are fetched
            _add_facts(graph, coder, predicate, sources, future.result(), quotes=quotes, merge=predicate in done)
            done.add(predicate)
        names = _names(nodes["iri"], labels.result())
        for (node, data), zh, en in zip(graph.nodes(data=True), names["zh"], names["en"]):
            data["label"], data["label_en"] = zh or en or node, en or ""
        _add_statements(graph, coder, _statement_codes(coder, found.result(), said.result() if said else None), quotes)
    return graph
