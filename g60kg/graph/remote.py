"""A SPARQL 1.1 server as the store (Oxigraph server, Virtuoso, GraphDB, Fuseki, QLever…).

Talks the SPARQL 1.1 Protocol over HTTP with the standard library: queries ask for JSON
results explicitly (some servers answer SELECT in RDF/XML otherwise), name the dataset
with ``default-graph-uri``/``named-graph-uri`` (so Oxigraph's separate default graph and
Virtuoso's system graphs do not leak in), and loads go as ``INSERT DATA`` in chunks into
staging graphs that one final update moves into place.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Mapping

import pandas as pd
import pyoxigraph as ox
import rdflib

from g60kg.errors import StoreError
from g60kg.graph.prebind import prebind
from g60kg.graph.results import to_frame
from g60kg.graph.store import GRAPH_FORMATS, serialize
from g60kg.ontology import PREFIXES

__all__ = ["RemoteStore"]

OUR_GRAPHS = PREFIXES["g60graph"]
CHUNK = 2000


class RemoteStore:
    """A store on a SPARQL endpoint.

    ``url`` is the query endpoint; ``update_url`` the update endpoint (default: the same
    URL); ``user``/``password`` authenticate updates (HTTP Basic or Digest, as the server
    asks).
    """

    def __init__(self, url: str, *, update_url: str | None = None, user: str | None = None,
                 password: str | None = None, graph_prefix: str = OUR_GRAPHS, timeout: float = 300) -> None:
        self.location = url
        self.url = url
        self.update_url = update_url or url
        self.graph_prefix = graph_prefix
        self.timeout = timeout
        self._auth = (user, password)
        handlers: list[urllib.request.BaseHandler] = []
        if user is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, self.update_url, user, password or "")
            handlers += [urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)]
        self._opener = urllib.request.build_opener(*handlers)
        self._graphs: list[str] | None = None
        self._live_prefix: str | None = None
        self.merged_graph = f"{graph_prefix}union"

    # -- HTTP -------------------------------------------------------------------------
    def _post(self, url: str, form: list[tuple[str, str]], accept: str) -> bytes:
        body = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(url, data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise StoreError(f"{url} answered {exc.code}: {detail}") from exc
        except urllib.error.URLError as exc:
            raise StoreError(f"cannot reach {url}: {exc.reason}") from exc

    def graphs(self) -> list[str]:
        """The named graphs of g60kg on the server (live ones, not staging)."""
        if self._graphs is None:
            data = json.loads(self._post(self.url, [("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")],
                                         "application/sparql-results+json"))
            self._graphs = sorted(b["g"]["value"] for b in data["results"]["bindings"]
                                  if b["g"]["value"].startswith(self.graph_prefix))
        return self._graphs

    def _dataset_form(self) -> list[tuple[str, str]]:
        """The union graph as the default graph, the sources' graphs as named graphs."""
        graphs = self.graphs()
        union = self.merged_graph
        named = [g for g in graphs if g != union]
        default = [union] if union in graphs else named
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    # -- the Store interface ----------------------------------------------------------
    def select(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> bytes:
        """Results as SPARQL JSON; bound variables are written into the query as escaped
        terms (``g60kg.graph.prebind``), the same semantics as the embedded store's."""
        query = prebind(sparql, bindings or {})
        return self._post(self.url, [("query", query), *self._dataset_form()], "application/sparql-results+json")

    def construct(self, sparql: str, fmt: str = "ttl") -> bytes:
        data = self._post(self.url, [("query", sparql), *self._dataset_form()], "application/n-triples")
        if fmt == "nt":
            return data
        return ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=GRAPH_FORMATS[fmt])

    def update(self, sparql: str) -> None:
        self._post(self.update_url, [("update", sparql)], "*/*")
        self._graphs = None

    def load(self, nquads: bytes | Path) -> None:
        if isinstance(nquads, Path):
            nquads = nquads.read_bytes()
        if self._live_prefix:
            nquads = nquads.replace(b"<" + self._live_prefix.encode(), b"<" + self.graph_prefix.encode())
        by_graph: dict[str, list[str]] = defaultdict(list)
        for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
            triple = f"{quad.subject} {quad.predicate} {quad.object} ."
            graph = f"<{self.merged_graph}>" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
            by_graph[graph].append(triple)
        for graph, triples in by_graph.items():
            for start in range(0, len(triples), CHUNK):
                body = "\n".join(triples[start:start + CHUNK])
                self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")

    def frame(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> pd.DataFrame:
        return to_frame(self.select(sparql, bindings))

    def dump(self, fmt: str) -> bytes:
        data = json.loads(self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
        quads = [ox.Quad(*(_term(b[v]) for v in ("s", "p", "o")), _term(b["g"])) for b in data["results"]["bindings"]]
        return serialize(quads, fmt)

    def staging(self) -> "RemoteStore":
        token = uuid.uuid4().hex[:8]
        stage = RemoteStore(self.url, update_url=self.update_url, user=self._auth[0], password=self._auth[1],
                            graph_prefix=f"{self.graph_prefix.rstrip('/').rsplit('/', 1)[0]}/staging-{token}/", timeout=self.timeout)
        stage._live_prefix = self.graph_prefix
        return stage

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

        store = SPARQLUpdateStore(self.url, self.update_url, returnFormat="json", auth=self._auth if self._auth[0] else None)
        return rdflib.Dataset(store=store)


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
