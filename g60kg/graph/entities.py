"""The entities of the graph and the typed relations between them, read through SPARQL
in bulk, and the entity graph they make.

At a million triples a projection's cost is in moving rows: on an on-disk store every
term a result row carries is a lookup, and every Python object made per row is paid for
again by the garbage collector. So the queries (``g60kg/graph/projections/``) ask only
for what the graph needs, the store writes their results as SPARQL CSV that pandas' C
parser reads (``KnowledgeGraph.table``), rows are grouped and sorted as whole columns,
and the graph is filled in one pass with the collector paused:

- ``types.rq``: every class asserted of an entity, with its top class; the most specific
  one is chosen here, with the class tree of ``subclasses.rq``;
- ``labels.rq``: the Chinese and English names;
- ``relations.rq``, once for each g60 object property (``properties.rq``): the subject,
  object and named graph of every fact;
- ``statements.rq``: the statement nodes behind the facts; their quotes
  (``statement-quotes.rq``) only when they are asked for.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterable, Iterator

import networkx as nx
import numpy as np
import pandas as pd
import pyoxigraph as ox

from g60kg.graph.prebind import prebind
from g60kg.graph.projection import Queryable, graph_source, projection_query
from g60kg.graph.results import shorten, shortened

__all__ = ["ENTITY_TOPS", "entity_table", "entity_graph"]

ENTITY_TOPS = ("g60:Organization", "g60:Place", "g60:Person")
_FACT = ["s", "p", "o", "source"]


def entity_table(kg: Queryable) -> pd.DataFrame:
    """Every entity with its most specific class (one row for each, where it has two),
    its top class and its Chinese and English names (``None`` where it has none), sorted
    by entity, class and top.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> entity_table(kg).set_index("entity").loc["g60place:wuhu"].tolist()
    ['g60:City', 'g60:Place', '芜湖市', 'Wuhu']
    """
    types = kg.table(projection_query("types"))
    tree = kg.table(projection_query("subclasses"))
    # A class is not the most specific when the entity also has one of its subclasses.
    narrower = types[["entity", "class"]].drop_duplicates().merge(tree, on="class")
    broader = pd.MultiIndex.from_arrays([narrower["entity"], narrower["broader"]])
    table = types[~pd.MultiIndex.from_arrays([types["entity"], types["class"]]).isin(broader)].drop_duplicates()
    labels = kg.table(projection_query("labels"))
    labels = labels[labels["entity"].isin(set(table["entity"]))].drop_duplicates(["entity", "lang"])
    names = {lang: labels[labels["lang"] == lang].set_index("entity")["label"] for lang in ("zh", "en")}
    table = pd.DataFrame({"entity": shortened(table["entity"]), "class": shortened(table["class"]),
                          "top": shortened(table["top"]),
                          **{lang: _or_none(table["entity"].map(names[lang])) for lang in ("zh", "en")}})
    return table.sort_values(["entity", "class", "top"], ignore_index=True)


def _or_none(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), None)


def _facts(kg: Queryable) -> pd.DataFrame:
    """One row per fact (short ``s``, ``p``, ``o``) and ``source``."""
    text = projection_query("relations")
    parts = []
    for iri in kg.table(projection_query("properties"))["p"]:
        # Written into the text, not bound: a bound variable would be written on every row.
        part = kg.table(prebind(text, {"p": ox.NamedNode(iri)}))
        parts.append(part.assign(p=shorten(iri)))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["s", "o", "g", "p"], dtype=object)
    return pd.DataFrame({"s": shortened(rows["s"]), "p": rows["p"], "o": shortened(rows["o"]),
                         "source": graph_source(rows["g"])})


def _statements(kg: Queryable, quotes: bool) -> pd.DataFrame:
    """The statement nodes behind the facts: ``s``, ``p``, ``o``, ``source``, ``fact``
    and, with ``quotes``, ``quote`` (``None`` where it has none)."""
    found = kg.table(projection_query("statements"))
    table = pd.DataFrame({c: shortened(found[c]) for c in ("s", "p", "o", "fact")})
    table["source"] = graph_source(found["g"])
    if quotes:
        said = kg.table(projection_query("statement-quotes"))
        said = pd.DataFrame({"fact": shortened(said["fact"]), "source": graph_source(said["g"]), "quote": said["quote"]})
        table = table.merge(said, on=["fact", "source"], how="left")
        table["quote"] = _or_none(table["quote"])
    return table


def _edges(rows: pd.DataFrame, quotes: bool) -> Iterator[tuple]:
    """``(s, o, p, facts, sources[, quotes])`` for each distinct ``(s, p, o)`` of the fact
    rows, in that order, each list sorted."""
    codes = [pd.factorize(rows[c], sort=True)[0] for c in ("s", "p", "o")]
    order = np.lexsort(codes[::-1])
    codes = [c[order] for c in codes]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (codes[0][1:] != codes[0][:-1]) | (codes[1][1:] != codes[1][:-1]) | (codes[2][1:] != codes[2][:-1])
    first = np.flatnonzero(starts)
    columns = ["s", "o", "p", "fact", "source"] + (["quote"] if quotes else [])
    s, o, p, facts, sources, *said = (rows[c].to_numpy()[order].tolist() for c in columns)
    for start, end in zip(first.tolist(), [*first[1:].tolist(), len(order)]):
        if end - start == 1:
            edge = (s[start], o[start], p[start], [facts[start]], [sources[start]])
        else:
            edge = (s[start], o[start], p[start], sorted(set(facts[start:end])), sorted(set(sources[start:end])))
        if quotes:
            edge += (sorted({q for q in said[0][start:end] if q is not None}),)
        yield edge


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building a large graph makes a few container
    objects per edge, and the collector would walk the growing graph again and again,
    freeing nothing (most of the time of building it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    with _collector_paused():
        entities = entity_table(kg)
        entities = entities[entities["top"].isin(keep)].drop_duplicates("entity")
        nodes = set(entities["entity"])
        rows = _facts(kg)
        rows = rows[rows["s"].isin(nodes) & rows["o"].isin(nodes)]
        statements = _statements(kg, quotes)
        rows = rows.merge(statements, on=_FACT, how="left")
        missing = rows["fact"].isna().to_numpy()
        rows["fact"] = np.where(missing, rows["source"] + "|" + rows["s"] + "|" + rows["p"] + "|" + rows["o"],
                                rows["fact"])
        graph = nx.MultiDiGraph()
        graph.add_nodes_from((entity, {"label": zh or en or entity, "label_en": en or "", "cls": cls, "top": top})
                             for entity, cls, top, zh, en
                             in zip(*(entities[c].tolist() for c in ("entity", "class", "top", "zh", "en"))))
        add = graph.add_edge
        keys = {p: p.split(":", 1)[-1] for p in set(rows["p"])}
        for s, o, p, facts, sources, *said in _edges(rows, quotes):
            add(s, o, keys[p], predicate=p, facts=facts, sources=sources, **({"quotes": said[0]} if quotes else {}))
    return graph
