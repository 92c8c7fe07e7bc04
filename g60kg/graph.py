"""The Python face of g60kg: one object over a store, one method per capability."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import pyoxigraph as ox

from g60kg.errors import QueryError
from g60kg.store.counts import graph_stats
from g60kg.store.embedded import Store
from g60kg.store.formats import GRAPH_FORMATS
from g60kg.store.kinds import DEFAULT_STORE, open_store
from g60kg.validation.validate import ValidationReport, validate_store
from g60kg.loaders.mapping import TableInput
from g60kg.ontology import PROLOGUE

if TYPE_CHECKING:  # the builder, pandas and networkx load when first used, not with the CLI
    import networkx as nx
    import pandas as pd
    import rdflib

    from g60kg.build.builder import BuildReport

__all__ = ["KnowledgeGraph", "open_graph", "DEFAULT_STORE"]

_QUERY_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class KnowledgeGraph:
    """The corridor graph in a store: build it, query it, validate it, export it.

    >>> kg = open_graph("memory")
    >>> kg.build().issues
    []
    >>> kg.query("SELECT ?name WHERE { g60place:songjiang rdfs:label ?name FILTER(lang(?name)='en') }")["name"].tolist()
    ['Songjiang District']
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def location(self) -> str:
        """Where the graph lives (``memory``, a directory, or an endpoint URL)."""
        return self.store.location

    def build(self, inputs: Iterable[str | Path | TableInput] = (), *, strict: bool = False, bundled: bool = True,
              validate: bool = True, progress: Callable[[str], None] | None = None) -> BuildReport:
        """Rebuild the graph from the bundled data plus ``inputs`` (see ``g60kg.build.builder``)."""
        from g60kg.build.builder import build

        return build(inputs, store=self.store, strict=strict, bundled=bundled, validate=validate, progress=progress)

    def query(self, name_or_text: str, *, limit: int | None = None, offset: int = 0,
              **params: object) -> pd.DataFrame:
        """Run a named query (see ``g60kg.queries.catalog``; missing parameters take
        their defaults) or the text of a SELECT or ASK query (the project's prefixes are
        predeclared; ``params`` bind its variables to pyoxigraph terms or plain values),
        and return a DataFrame with typed columns. Parameters are bound as typed RDF
        terms, never pasted into the text; an entity parameter takes a name or alias
        (looked up through ``g60:nameKey``), an id such as ``place/jiaxing``, a CURIE or
        an IRI. A syntax error names line and column. ``limit`` and ``offset`` give one
        page of a SELECT query's rows (``g60kg.queries.paging``): the store returns only
        that page.

        >>> kg = open_graph("memory"); _ = kg.build()
        >>> "g60org:buaa-wuhu-aviation-park" in kg.query("entities-in-city", city="芜湖", **{"class": "g60:Park"})["entity"].tolist()
        True
        >>> len(kg.query("search-names", limit=5, offset=10))
        5
        """
        from g60kg.queries import catalog
        from g60kg.queries.paging import page

        queries = catalog()
        if name_or_text in queries:
            named = queries[name_or_text]
            sparql, bindings = named.text, named.bind({k: str(v) for k, v in params.items()}, self._resolve)
        elif _QUERY_NAME.fullmatch(name_or_text.strip()):
            raise QueryError(f"no named query {name_or_text.strip()!r}; known: {', '.join(queries)}")
        else:
            sparql = name_or_text
            bindings = {k: v if isinstance(v, (ox.NamedNode, ox.Literal)) else ox.Literal(v) for k, v in params.items()}
        try:
            return self.store.frame(PROLOGUE + page(sparql, limit=limit, offset=offset), bindings)
        except SyntaxError as exc:
            raise QueryError(_located(str(exc), sparql)) from exc

    def table(self, sparql: str) -> pd.DataFrame:
        """The results of the text of a SELECT query (the project's prefixes predeclared)
        as text columns: IRIs in full, literals by their lexical form, unbound as ``''``
        (``Store.table``). For large projections, where ``query``'s typed terms cost.

        >>> kg = open_graph("memory"); _ = kg.build()
        >>> wuhu = "SELECT ?city ?name WHERE { ?city g60:lat 31.3525 ; rdfs:label ?name FILTER(lang(?name) = 'en') }"
        >>> kg.table(wuhu).to_dict("records")
        [{'city': 'https://w3id.org/g60kg/id/place/wuhu', 'name': 'Wuhu'}]
        """
        try:
            return self.store.table(PROLOGUE + sparql)
        except SyntaxError as exc:
            raise QueryError(_located(str(exc), sparql)) from exc

    def _resolve(self, name: str) -> list[ox.NamedNode]:
        """Every entity one of whose names or aliases has the same key as ``name``."""
        from g60kg.text.normalize import name_key

        found = self.store.select(PROLOGUE + "SELECT DISTINCT ?entity ?key WHERE { ?entity g60:nameKey ?key }",
                                  {"key": ox.Literal(name_key(name))})
        return [ox.NamedNode(row["entity"]["value"]) for row in json.loads(found)["results"]["bindings"]]

    def remove_source(self, source: str) -> int:
        """Remove one source: its named graph (every fact, statement and observation it
        alone supports) and its registry entry; what it states with other sources stays,
        theirs now (``g60kg.build.sharing``), and the containment index is rewritten
        (``g60kg.build.within``). Returns the number of triples removed.

        >>> kg = open_graph("memory"); _ = kg.build()
        >>> kg.remove_source("seed-songjiang-g60") > 1000
        True
        >>> kg.query("SELECT * WHERE { ?s g60:centralNodeOf ?o }").empty
        True
        """
        from g60kg.build.sharing import remove_source
        from g60kg.build.within import write_within

        removed = remove_source(self.store, source)
        write_within(self.store)
        return removed

    def network(self, view: str = "cities", **options: object) -> nx.Graph | dict[str, nx.Graph]:
        """A networkx projection of the graph: ``cities`` (one layer per kind of tie, or
        ``layer=``; ``network=``, ``resolution=``: see ``g60kg.network.cities.city_network``)
        or ``entities`` (organizations, places and people with typed edges).

        >>> kg = open_graph("memory"); _ = kg.build()
        >>> sorted(kg.network("cities"))
        ['enterprise', 'infrastructure', 'institutional', 'knowledge']
        """
        from g60kg.network.cities import city_network, entity_graph

        if view == "cities":
            return city_network(self, **options)  # type: ignore[arg-type]
        if view == "entities":
            return entity_graph(self, **options)  # type: ignore[arg-type]
        raise ValueError(f"unknown view {view!r}; expected 'cities' or 'entities'")

    def centrality(self, *, layer: str = "multiplex", network: str = "nine-cities", resolution: str = "district",
                   backend: str | None = None, engine: str = "networkx") -> pd.DataFrame:
        """Every centrality of every city in one layer of the city network (or the
        multiplex aggregate of all layers), one column per measure; ``backend`` goes to
        networkx's dispatch, ``engine="igraph"`` computes the same numbers in C.

        >>> kg = open_graph("memory"); _ = kg.build()
        >>> "betweenness" in kg.centrality(layer="infrastructure").columns
        True
        """
        from g60kg.analysis.centrality import centrality_table, multiplex_aggregate

        layers = self.network("cities", network=network, resolution=resolution)
        graph = multiplex_aggregate(layers) if layer == "multiplex" else layers[layer]  # type: ignore[index]
        return centrality_table(graph, backend=backend, engine=engine)

    def visualize(self, view: str = "graph", *, focus: str | None = None, hops: int = 1, lang: str = "zh",
                  size_by: str = "degree", classes: Iterable[str] | None = None, city: str | None = None,
                  layers: Iterable[str] | None = None, path: str | Path | None = None) -> Path | str:
        """A self-contained interactive page (offline) of a view: ``graph``, ``cities``,
        ``ego`` (``focus`` by name or alias, ``hops``) or ``alliances``; written to
        ``path``, or returned as HTML that Jupyter shows inline (``g60kg.viz.visualize``).

        >>> kg = open_graph("memory"); _ = kg.build()
        >>> "腾讯长三角人工智能超算中心" in kg.visualize("ego", focus="腾讯长三角AI超算中心")
        True
        """
        from g60kg.viz import visualize

        return visualize(self, view, focus=focus, hops=hops, lang=lang, size_by=size_by, classes=classes, city=city,
                         layers=layers, path=path)

    def validate(self) -> ValidationReport:
        """SHACL validation of the whole graph."""
        return validate_store(self.store)

    def export(self, fmt: str = "nq") -> bytes:
        """The graph serialized as ``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld`` or ``xml``
        (``nq`` sorted, so equal graphs give equal bytes)."""
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(GRAPH_FORMATS)}")
        data = self.store.dump(fmt)
        if fmt in ("nq", "nt"):
            lines = sorted({line for line in data.decode("utf-8").split("\n") if line})
            return "".join(line + "\n" for line in lines).encode("utf-8")
        return data

    def stats(self) -> dict[str, object]:
        """Triples, named graphs and entities per class."""
        quads, graphs, classes = graph_stats(self.store)
        return {"triples": quads, "graphs": graphs, "classes": classes}

    def balance(self) -> pd.DataFrame:
        """How evenly the graph describes each member of the corridor, one row each:
        the entities located in it by class (``member-balance``), the organizations
        among them, the fact statements about them and their distinct sources, and its
        ties per layer of the city network (how many other members it is tied to).

        >>> kg = open_graph("memory"); _ = kg.build()
        >>> table = kg.balance()
        >>> len(table), int(table.loc["g60place:songjiang", "organizations"]) > 10, "ties institutional" in table
        (9, True, True)
        """
        from g60kg.network.cities import city_network

        rows = self.query("member-balance")
        names = rows.drop_duplicates("member").set_index("member")[["name_zh", "name_en"]]
        classes = rows.pivot_table(index="member", columns="class", values="entities", aggfunc="sum", fill_value=0)
        organizations = self.table(_ORGANIZATION_CLASSES)["class"].str.rsplit("#", n=1).str[-1]
        totals = self.query(_MEMBER_TOTALS).set_index("member")
        table = names.join(classes[[c for c in classes if c in set(organizations)]].sum(axis=1).rename("organizations"))
        table = table.join(totals).join(classes)
        for layer, graph in city_network(self).items():  # type: ignore[union-attr]
            table[f"ties {layer}"] = [graph.degree(m) if m in graph else 0 for m in table.index]
        return table.fillna(0).rename_axis("member")

    @property
    def dataset(self) -> rdflib.Dataset:
        """An rdflib ``Dataset`` over the same store, for code written against rdflib."""
        return self.store.dataset


# Organization and its subclasses, any number of steps down.
_ORGANIZATION_CLASSES = "SELECT DISTINCT ?class WHERE { ?class rdfs:subClassOf* g60:Organization }"
# Per member: fact statements about the entities located in it, and their distinct sources.
_MEMBER_TOTALS = """
SELECT ?member (COUNT(DISTINCT ?fact) AS ?facts) (COUNT(DISTINCT ?src) AS ?sources) WHERE {
  { SELECT DISTINCT ?member WHERE { ?member g60:partOf ?corridor . ?corridor a g60:Corridor .
                                    ?member a ?memberClass . VALUES ?memberClass { g60:City g60:District } } }
  ?place g60:partOf* ?member .
  ?entity g60:locatedIn|g60:heldIn ?place .
  ?fact rdf:subject ?entity ; prov:wasDerivedFrom ?src .
}
GROUP BY ?member"""


def open_graph(location: str | Path = "memory", *, create: bool = True, **options: str) -> KnowledgeGraph:
    """Open the graph at a location: ``memory``, a directory, or a SPARQL endpoint URL;
    ``create=False`` refuses a directory that holds no graph yet.

    >>> open_graph("memory").location
    'memory'
    """
    return KnowledgeGraph(open_store(location, create=create, **options))


def _located(message: str, sparql: str) -> str:
    """A parse error with the line and column counted in the user's text, not ours."""
    offset = PROLOGUE.count("\n")
    match = re.search(r"(?:error at )?(\d+):(\d+):?\s*", message)
    if match:
        line = int(match[1]) - offset
        detail = message[: match.start()] + message[match.end():]
        return f"SPARQL syntax error at line {line}, column {match[2]}: {detail.strip()}"
    return f"SPARQL syntax error: {message}"
