"""A SPARQL 1.1 server as the store (Oxigraph server, Virtuoso, GraphDB, Fuseki, QLever…).

Every query names its dataset with ``default-graph-uri``/``named-graph-uri``: the merged
graph of g60kg (``g60graph:union``, where the store copies every triple it loads) as the
default graph and, for a query with a ``GRAPH`` pattern, its sources' graphs as named
graphs (a query without one gets none: hundreds of graph IRIs in every request are work
for the server that such a query does not need). Servers
disagree on what an unnamed dataset is (Oxigraph: its own default graph, alone;
Virtuoso: every graph on the server, its system graphs included), so g60kg never leaves
it to them. Loads go as ``INSERT DATA`` in chunks into staging graphs that one final
update moves into place. The HTTP side is ``g60kg.store.sparql_client``.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Mapping

import pandas as pd
import pyoxigraph as ox
import rdflib

from g60kg.store.prebind import names_graphs, prebind
from g60kg.store.results import csv_table, to_frame
from g60kg.store.sparql_client import SparqlClient
from g60kg.store.embedded import LocalStore
from g60kg.store.formats import GRAPH_FORMATS, serialize
from g60kg.ontology import PREFIXES

__all__ = ["RemoteStore"]

OUR_GRAPHS = PREFIXES["g60graph"]
CHUNK = 2000


class RemoteStore:
    """A store on a SPARQL endpoint.

    ``url`` is the query endpoint; ``update_url`` the update endpoint (default: the same
    URL); ``user``/``password`` are sent when the server asks (HTTP Digest or Basic).

    >>> RemoteStore("http://127.0.0.1:1/sparql").merged_graph
    'https://w3id.org/g60kg/graph/union'
    """

    def __init__(self, url: str, *, update_url: str | None = None, user: str | None = None,
                 password: str | None = None, graph_prefix: str = OUR_GRAPHS, timeout: float = 300) -> None:
        self.location = url
        self.client = SparqlClient(url, update_url=update_url, user=user, password=password, timeout=timeout)
        self.graph_prefix = graph_prefix
        self.merged_graph = f"{graph_prefix}union"
        self.load_threads = 1  # one update at a time: servers lock per transaction anyway
        self.load_batch = 0  # load sends its own requests of CHUNK triples: no need to join chunks
        self._graphs: list[str] | None = None
        self._live_prefix: str | None = None
        self._replica: LocalStore | None = None

    def graphs(self) -> list[str]:
        """The named graphs of g60kg on the server (live ones, not staging)."""
        if self._graphs is None:
            # The filter is not only tidier: without it Virtuoso 7.2 takes ~40 s for a
            # DISTINCT over every graph of the server, with it a few milliseconds.
            query = (f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                     f"FILTER(STRSTARTS(STR(?g), {ox.Literal(self.graph_prefix)})) }}")
            self._graphs = sorted(row["g"]["value"] for row in self.client.select(query)["results"]["bindings"])
        return self._graphs

    def _dataset(self, sparql: str) -> list[tuple[str, str]]:
        """The merged graph as the default graph and, when ``sparql`` has a ``GRAPH``
        pattern, the sources' graphs as named graphs (a store not built yet: an empty
        default graph, not the server's own)."""
        graphs = self.graphs()
        named = [g for g in graphs if g != self.merged_graph]
        default = named if named and self.merged_graph not in graphs else [self.merged_graph]
        named = named if names_graphs(sparql) else []
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    # -- the Store interface ----------------------------------------------------------
    def _results(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None) -> dict:
        return self.client.select(prebind(sparql, bindings or {}), self._dataset(sparql))

    def select(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> bytes:
        """Results as SPARQL JSON, terms normalized (``g60kg.store.sparql_client``);
        bound variables are written into the query as escaped terms
        (``g60kg.store.prebind``), the same semantics as the embedded store's."""
        return json.dumps(self._results(sparql, bindings), ensure_ascii=False).encode("utf-8")

    def frame(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> pd.DataFrame:
        return to_frame(self._results(sparql, bindings))

    def table(self, sparql: str) -> pd.DataFrame:
        return csv_table(self.client.select_csv(sparql, self._dataset(sparql)))

    def construct(self, sparql: str, fmt: str = "ttl") -> bytes:
        data = self.client.construct(sparql, self._dataset(sparql))
        if fmt == "nt":
            return data
        return ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=GRAPH_FORMATS[fmt])

    def update(self, sparql: str) -> None:
        self.client.update(sparql)
        self._graphs = None

    def load(self, nquads: bytes | Path) -> None:
        """Add N-Quads: each quad into its graph, and its triple into the merged graph."""
        if isinstance(nquads, Path):
            nquads = nquads.read_bytes()
        if self._replica is not None:
            self._replica.load(nquads)
        self._send("INSERT DATA", nquads)

    def unload(self, nquads: bytes) -> None:
        """Remove quads, and their triples from the merged graph (the build and
        ``remove_source`` hold each triple in one graph: it is in no other)."""
        if self._replica is not None:
            self._replica.unload(nquads)
        self._send("DELETE DATA", nquads)

    def _send(self, operation: str, nquads: bytes) -> None:
        """Quads to the server by graph, a staging store's under its own graph names
        (only the graphs are renamed: a graph's IRI inside a triple stays the live one)."""
        by_graph: dict[str, list[str]] = defaultdict(list)
        merged = by_graph[f"<{self.merged_graph}>"]
        live = f"<{self._live_prefix}" if self._live_prefix else None
        for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
            triple = f"{quad.subject} {quad.predicate} {quad.object} ."
            merged.append(triple)
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                graph = str(quad.graph_name)
                if live and graph.startswith(live):
                    graph = f"<{self.graph_prefix}{graph[len(live):]}"
                by_graph[graph].append(triple)
        for graph, triples in by_graph.items():
            for start in range(0, len(triples), CHUNK):
                body = "\n".join(triples[start:start + CHUNK])
                self.update(f"{operation} {{ GRAPH {graph} {{\n{body}\n}} }}")

    def sizes(self) -> tuple[int, int]:
        counts = self.frame("SELECT (COUNT(*) AS ?quads) (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(counts["quads"].iloc[0]), int(counts["graphs"].iloc[0])

    def dump(self, fmt: str) -> bytes:
        rows = self._results("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", None)["results"]["bindings"]
        return serialize((ox.Quad(*(_term(row[v]) for v in ("s", "p", "o")), _term(row["g"])) for row in rows), fmt)

    def staging(self) -> "RemoteStore":
        token = uuid.uuid4().hex[:8]
        client = self.client
        stage = RemoteStore(client.url, update_url=client.update_url, user=client.user, password=client.password,
                            graph_prefix=f"{self.graph_prefix.rstrip('/').rsplit('/', 1)[0]}/staging-{token}/",
                            timeout=client.timeout)
        stage._live_prefix = self.graph_prefix
        stage._replica = LocalStore(None)
        return stage

    @property
    def replica(self) -> LocalStore:
        """An embedded copy of the graph, where validation runs: for a staging store,
        what was loaded into it; otherwise a copy of the server's graph. Validation then
        does not depend on the server's SPARQL (Virtuoso 7.2 answers property paths
        inside ``FILTER NOT EXISTS`` wrongly for some nodes)."""
        if self._replica is None:
            copy = LocalStore(None)
            copy.load(self.dump("nq"))
            return copy
        return self._replica

    def commit(self, staging: "RemoteStore") -> None:
        """One update request: drop the live graphs, move each staging graph into place."""
        staged = staging.graphs()
        live = set(self.graphs())
        operations = [f"DROP SILENT GRAPH <{g}>" for g in sorted(live)]
        operations += [f"MOVE SILENT GRAPH <{g}> TO GRAPH <{self.graph_prefix}{g[len(staging.graph_prefix):]}>"
                       for g in staged]
        if operations:
            self.update(" ;\n".join(operations))
        self._graphs = None

    def discard(self, staging: "RemoteStore") -> None:
        operations = [f"DROP SILENT GRAPH <{g}>" for g in staging.graphs()]
        if operations:
            self.update(" ;\n".join(operations))

    @property
    def dataset(self) -> rdflib.Dataset:
        from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

        client = self.client
        auth = (client.user, client.password or "") if client.user else None
        return rdflib.Dataset(store=SPARQLUpdateStore(client.url, client.update_url, returnFormat="json", auth=auth))


def _term(binding: dict[str, str]) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)
