"""The endpoint's logic, without HTTP: SPARQL protocol requests and named queries under
a policy, answered by a pool of worker processes (``g60kg.server.pool``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pyoxigraph as ox

from g60kg.errors import QueryError, Refused
from g60kg.graph import KnowledgeGraph
from g60kg.ontology import PREFIXES
from g60kg.queries import catalog
from g60kg.queries.paging import page, page_params
from g60kg.server.pool import Answer, WorkerPool
from g60kg.server.protocol import SparqlRequest, negotiate
from g60kg.server.security import Policy
from g60kg.store.prebind import prebind

__all__ = ["Endpoint"]


class _PoolStore:
    """The worker pool seen as a read-only store, so the graph's own name lookup
    (entity parameters given by name) runs through it."""

    merged_graph = None

    def __init__(self, endpoint: "Endpoint") -> None:
        self.endpoint = endpoint
        self.location = str(endpoint.pool.path)

    def select(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> bytes:
        answer = self.endpoint.run({"op": "query", "text": prebind(sparql, bindings or {}), "formats": {"results": "json"}})
        if answer.status != 200:
            raise QueryError(answer.body.decode("utf-8"))
        return answer.body


class Endpoint:
    """The endpoint's logic, without HTTP: SPARQL protocol requests and named queries,
    under a policy, answered by a pool of workers over the store at ``path``.

    >>> import tempfile, pyoxigraph as ox
    >>> folder = tempfile.mkdtemp(); ox.Store(folder).flush()
    >>> endpoint = Endpoint(folder, Policy(), workers=1)
    >>> endpoint.sparql(SparqlRequest("query", "ASK { ?s ?p ?o }"), "text/csv", None).body
    b'false'
    >>> endpoint.close()
    """

    def __init__(self, path: str | Path, policy: Policy, *, workers: int = 2) -> None:
        self.policy = policy
        self.pool = WorkerPool(path, size=workers, max_mb=policy.max_memory)
        self.queries = catalog()
        self._graph = KnowledgeGraph(_PoolStore(self))  # type: ignore[arg-type]

    def run(self, request: dict[str, Any]) -> Answer:
        """One query request in a worker, under the time and row limits."""
        request = {"prefixes": PREFIXES, "max_rows": self.policy.max_rows, **request}
        return self.pool.query(request, timeout=self.policy.timeout)

    def sparql(self, request: SparqlRequest, accept: str | None, authorization: str | None) -> Answer:
        """Answer a protocol request (the project's prefixes are predeclared)."""
        if request.operation == "update":
            self.policy.check_update(request.text, authorization)
            return self.pool.update({"op": "update", "text": request.text, "prefixes": PREFIXES},
                                    timeout=self.policy.timeout)
        self.policy.check_query(request.text)
        return self.run({"op": "query", "text": request.text, "formats": negotiate(accept, request.format),
                         "default_graph": request.default_graph, "named_graph": request.named_graph})

    def named(self, name: str, params: Mapping[str, str], accept: str | None) -> Answer:
        """Answer the named query ``name`` with its parameters given as text (missing
        ones take their defaults; ``format`` picks the answer's format unless the query
        has a parameter of that name)."""
        query = self.queries.get(name)
        if query is None:
            raise Refused(404, f"no named query {name!r}; the catalog is at /queries")
        names = {p.name for p in query.parameters}
        params, limit, offset = page_params(params, taken=names)
        # The parameters the endpoint reads itself are taken out here, before the rest are
        # bound as the query's own: ``format`` (unless the query has a parameter of that name).
        fmt = params.pop("format", None) if "format" not in names else None
        bindings = query.bind(params, self._graph._resolve)
        # Terms written into the text, as the embedded store does: Oxigraph plans from them.
        text = page(prebind(query.text, bindings), limit=limit, offset=offset)
        return self.run({"op": "query", "text": text, "formats": negotiate(accept, fmt)})

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()
