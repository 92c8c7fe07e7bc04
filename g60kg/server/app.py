"""The HTTP side of the endpoint: routes, and the glue between the protocol, the policy
and the worker pool. Standard library ``http.server``, one thread per connection; every
query runs in a worker process (``g60kg.server.pool``)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from g60kg.errors import Busy, G60Error, QueryError, Refused, StoreError, TimedOut
from g60kg.graph import KnowledgeGraph
from g60kg.store.prebind import prebind
from g60kg.ontology import PREFIXES
from g60kg.queries import catalog
from g60kg.queries.paging import page, page_params
from g60kg.server.entity import entity_answer
from g60kg.server.openapi import openapi_document
from g60kg.server.pages import STATIC_TYPES, catalog_json, page_html, static_file
from g60kg.server.pool import Answer, WorkerPool
from g60kg.server.protocol import SparqlRequest, negotiate, read_request
from g60kg.server.security import Policy

__all__ = ["Endpoint", "make_server"]

MAX_BODY = 1 << 20  # bytes of a POSTed query or update
_TEXT = "text/plain; charset=utf-8"
_JSON = "application/json; charset=utf-8"
# On every answer: no sniffing, no framing by another site, no referrer sent on.
_SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                     "Referrer-Policy": "no-referrer", "Cross-Origin-Resource-Policy": "same-origin"}
_PAGE_POLICY = "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"


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
        self.pool = WorkerPool(path, size=workers)
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
        params, limit, offset = page_params(params, taken={p.name for p in query.parameters})
        fmt = params.pop("format", None) if all(p.name != "format" for p in query.parameters) else None
        bindings = query.bind(params, self._graph._resolve)
        # Terms written into the text, as the embedded store does: Oxigraph plans from them.
        text = page(prebind(query.text, bindings), limit=limit, offset=offset)
        return self.run({"op": "query", "text": text, "formats": negotiate(accept, fmt)})

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms wait for an ACK

    def version_string(self) -> str:
        """The ``Server`` header: the name only, no versions to look up flaws by."""
        return "g60kg"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        if not self.server.quiet:
            super().log_message(format, *args)

    def _send(self, status: int, media_type: str, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in _SECURITY_HEADERS.items():
            self.send_header(key, value)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, data: Any) -> None:
        self._send(200, _JSON, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    def _answer(self, answer: Answer) -> None:
        media = answer.media_type if "charset" in answer.media_type else f"{answer.media_type}; charset=utf-8"
        self._send(answer.status, media, answer.body, {"Vary": "Accept"})

    def _body(self) -> bytes:
        given = (self.headers.get("Content-Length") or "0").strip()
        if not given.isdigit() or len(given) > 12:
            self.close_connection = True
            raise Refused(400, f"Content-Length must be a number of bytes, got {given[:20]!r}")
        length = int(given)
        if length > MAX_BODY:
            self.close_connection = True  # the body stays unread
            raise Refused(413, f"the request body has {length} bytes; this server takes at most {MAX_BODY}")
        return self.rfile.read(length) if length else b""

    def _route(self) -> None:
        url = urlsplit(self.path)
        endpoint = self.server.endpoint
        endpoint.policy.check_host(self.headers.get("Host"))
        body = self._body()
        if url.path == "/sparql":
            request = read_request(self.command, url.query, self.headers.get("Content-Type"), body)
            self._answer(endpoint.sparql(request, self.headers.get("Accept"), self.headers.get("Authorization")))
        elif self.command not in ("GET", "HEAD"):
            raise Refused(405, f"{self.command} is for /sparql only")
        elif url.path == "/":
            self._send(200, "text/html; charset=utf-8", self.server.page, {"Content-Security-Policy": _PAGE_POLICY})
        elif url.path.startswith("/static/") and static_file(url.path[8:]) is not None:
            self._send(200, STATIC_TYPES[url.path[8:]], static_file(url.path[8:]) or b"")
        elif url.path == "/queries":
            self._json(catalog_json(endpoint.queries))
        elif url.path.startswith("/queries/"):
            params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            self._answer(endpoint.named(url.path[len("/queries/"):], params, self.headers.get("Accept")))
        elif url.path == "/openapi.json":
            self._json(self.server.openapi)
        elif url.path.startswith("/id/"):
            fmt = parse_qs(url.query).get("format", [None])[-1]
            status, media, body = entity_answer(url.path, self.headers.get("Accept"), fmt, endpoint.run)
            self._send(status, media, body, {"Vary": "Accept"})
        else:
            raise Refused(404, f"nothing at {url.path}; try / (the query page), /sparql, /queries or /openapi.json")

    def _handle(self) -> None:
        try:
            self._route()
        except Refused as exc:
            self._error(exc.status, exc)
        except (TimedOut, Busy) as exc:
            self._error(503, exc, {"Retry-After": "1"} if isinstance(exc, Busy) else None)
        except StoreError as exc:
            self._error(500, exc)
        except G60Error as exc:  # bad parameters of a named query
            self._error(400, exc)
        except Exception as exc:  # noqa: BLE001 (the client gets a line, the log the whole story)
            self.log_error("unexpected %s: %s", type(exc).__name__, exc)
            self._error(500, Exception("the server failed on this request; its log says why"))

    def _error(self, status: int, reason: Exception, headers: Mapping[str, str] | None = None) -> None:
        self._send(status, _TEXT, f"{reason}\n".encode("utf-8"), headers)

    do_GET = do_POST = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], endpoint: Endpoint, *, quiet: bool) -> None:
        from g60kg._version import __version__

        super().__init__(address, _Handler)
        self.endpoint = endpoint
        self.quiet = quiet
        self.openapi = openapi_document(endpoint.queries, __version__)
        settings = {"prefixes": PREFIXES, "timeout": endpoint.policy.timeout, "max_rows": endpoint.policy.max_rows,
                    "allow_update": endpoint.policy.allow_update}
        self.page = page_html(endpoint.queries, settings)

    def server_close(self) -> None:
        super().server_close()
        self.endpoint.close()


def make_server(store: str | Path, policy: Policy, *, host: str = "127.0.0.1", port: int = 8060, workers: int = 2,
                quiet: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for the store directory ``store`` (port 0: a free one; its
    ``server_address`` says which); call ``serve_forever()`` to run it.

    >>> import tempfile, pyoxigraph as ox, threading, urllib.request
    >>> folder = tempfile.mkdtemp(); ox.Store(folder).flush()
    >>> server = make_server(folder, Policy(), port=0, workers=1, quiet=True)
    >>> thread = threading.Thread(target=server.serve_forever); thread.start()
    >>> url = "http://127.0.0.1:%d/sparql?query=ASK%%7B%%7D&format=csv" % server.server_address[1]
    >>> urllib.request.urlopen(url).read()
    b'true'
    >>> server.shutdown(); server.server_close()
    """
    path = Path(store)
    if str(store) == "memory" or str(store).startswith(("http://", "https://")):
        raise StoreError(f"serve needs a store directory, not {store}; build one with g60kg build --store DIR")
    if not path.is_dir():
        raise StoreError(f"no store at {path}; build one first with g60kg build --store {path}")
    return _Server((host, port), Endpoint(path, policy, workers=workers), quiet=quiet)
