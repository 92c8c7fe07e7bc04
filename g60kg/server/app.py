"""The endpoint as an ASGI application (Starlette): routes, the answers' headers, and the
glue between HTTP, the endpoint's logic (``g60kg.server.endpoint``) and the gate that
bounds how many requests use the query workers at once (``g60kg.server.limits``).

Layers, outermost first: the access log (``g60kg.server.accesslog``); the guard, which
checks ``Host`` and puts the security headers on every answer; CORS, only when origins
are given; the routes. A route that needs the store first looks for the answer to an
identical request (``g60kg.server.cache``); else it waits at the gate, then runs in a
thread, since a worker's answer is read by blocking calls.
"""

from __future__ import annotations

import json
import logging
from typing import IO, Any, Awaitable, Callable, Mapping, Sequence

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from g60kg.errors import Busy, G60Error, Refused, StoreError, TimedOut
from g60kg.ontology import PREFIXES
from g60kg.server.accesslog import AccessLog
from g60kg.server.cache import Answers, Reply, repeatable
from g60kg.server.endpoint import Endpoint
from g60kg.server.entity import entity_answer
from g60kg.server.limits import Gate, Limits
from g60kg.server.openapi import openapi_document
from g60kg.server.pages import STATIC_TYPES, catalog_json, page_html, static_file
from g60kg.server.pool import Answer
from g60kg.server.protocol import read_request

__all__ = ["make_app", "SECURITY_HEADERS"]

_TEXT = "text/plain; charset=utf-8"
_JSON = "application/json; charset=utf-8"
_PAGE_POLICY = "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
# On every answer: the name without a version, no sniffing, no framing by another site,
# no referrer sent on, and a content policy that allows nothing from elsewhere.
SECURITY_HEADERS = {"Server": "g60kg", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                    "Referrer-Policy": "no-referrer", "Cross-Origin-Resource-Policy": "same-origin",
                    "Content-Security-Policy": _PAGE_POLICY}
_log = logging.getLogger("g60kg.server")


def _response(status: int, media_type: str, body: bytes, headers: Mapping[str, str] | None = None) -> Response:
    return Response(body, status, {"Content-Type": media_type, **(headers or {})})


def _sent(reply: Reply) -> Response:
    """A fresh response for ``reply`` (a kept reply is sent to many clients, and the CORS
    layer writes into a response's headers)."""
    return _response(reply.status, reply.media_type, reply.body, dict(reply.headers))


def _text(status: int, reason: object, headers: Mapping[str, str] | None = None) -> Reply:
    return Reply(status, _TEXT, f"{reason}\n".encode("utf-8"), tuple((headers or {}).items()))


def _error(status: int, reason: object, headers: Mapping[str, str] | None = None) -> Response:
    return _sent(_text(status, reason, headers))


def _answer(answer: Answer) -> Reply:
    media = answer.media_type if "charset" in answer.media_type else f"{answer.media_type}; charset=utf-8"
    return Reply(answer.status, media, answer.body, (("Vary", "Accept"),))


def _failure(exc: Exception, retry_after: int) -> Reply:
    """The answer to a request that failed: its status and one line saying why."""
    if isinstance(exc, Refused):
        return _text(exc.status, exc)
    if isinstance(exc, Busy):
        return _text(503, exc, {"Retry-After": str(retry_after)})
    if isinstance(exc, TimedOut):
        return _text(503, exc)
    if isinstance(exc, StoreError):
        return _text(500, exc)
    if isinstance(exc, G60Error):  # bad parameters of a named query
        return _text(400, exc)
    _log.error("unexpected %s: %s", type(exc).__name__, exc, exc_info=exc)
    return _text(500, "the server failed on this request; its log says why")


async def _body(request: Request, limit: int) -> bytes:
    """The request's body, refused (``413``, and the connection closed) past ``limit``
    bytes, whether it says its length or not."""
    too_big = Refused(413, f"the request body passes {limit} bytes, this server's limit")
    declared = request.headers.get("content-length")
    if declared is not None and int(declared) > limit:  # the HTTP layer checked it is a number
        raise too_big
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise too_big
    except ClientDisconnect as exc:  # the client left, or the read time ran out (the 408 is sent already)
        raise Refused(400, "the connection closed before the request body arrived") from exc
    return bytes(body)


class _Routes:
    """The handlers, each bound to one endpoint, gate and set of limits."""

    def __init__(self, endpoint: Endpoint, limits: Limits) -> None:
        from g60kg._version import __version__

        self.endpoint, self.limits = endpoint, limits
        self.gate = Gate(running=endpoint.pool.size, waiting=limits.queue, wait=limits.queue_wait)
        self.answers = Answers(limits.cache_bytes, state=endpoint.pool.state)
        self.openapi = json.dumps(openapi_document(endpoint.queries, __version__), ensure_ascii=False, indent=1)
        policy = endpoint.policy
        settings = {"prefixes": PREFIXES, "timeout": policy.timeout, "max_rows": policy.max_rows,
                    "allow_update": policy.allow_update}
        self.page_html = page_html(endpoint.queries, settings)
        self.catalog = json.dumps(catalog_json(endpoint.queries), ensure_ascii=False, indent=1)

    async def _store(self, key: tuple[object, ...] | None, work: Callable[[], Reply]) -> Response:
        """The answer kept for ``key`` (everything the answer depends on; None: never kept,
        as for an update or a query that calls ``RAND``); else run ``work`` (blocking calls
        to the workers) in a thread once the gate lets it."""
        async def compute() -> Reply:
            try:
                async with self.gate.slot():
                    return await anyio.to_thread.run_sync(work)
            except Exception as exc:  # noqa: BLE001 (each failure is answered; _failure logs the unexpected)
                return _failure(exc, self.limits.retry_after)
        return _sent(await (compute() if key is None else self.answers.get(key, compute)))

    async def sparql(self, request: Request) -> Response:
        try:
            body = await _body(request, self.limits.max_body_bytes) if request.method == "POST" else b""
            parsed = read_request(request.method, request.scope["query_string"].decode("latin-1"),
                                  request.headers.get("content-type"), body)
        except Refused as exc:
            return _error(exc.status, exc, {"Connection": "close"} if exc.status == 413 else None)
        accept, authorization = request.headers.get("accept"), request.headers.get("authorization")
        key = None if parsed.operation == "update" or not repeatable(parsed.text) else (
            "sparql", parsed.text, _listed(parsed.default_graph), _listed(parsed.named_graph), parsed.format, accept)
        return await self._store(key, lambda: _answer(self.endpoint.sparql(parsed, accept, authorization)))

    async def named(self, request: Request) -> Response:
        # Every parameter passes through, its last value kept; the endpoint takes out its own.
        name, accept = request.path_params["name"], request.headers.get("accept")
        params = dict(request.query_params.items())
        query = self.endpoint.queries.get(name)
        key = ("named", name, tuple(sorted(params.items())), accept) if query and repeatable(query.text) else None
        return await self._store(key, lambda: _answer(self.endpoint.named(name, params, accept)))

    async def entity(self, request: Request) -> Response:
        path, accept = request.scope["raw_path"].decode("latin-1"), request.headers.get("accept")
        fmt = request.query_params.get("format")
        return await self._store(("entity", path, accept, fmt), lambda: _answer(Answer(*entity_answer(
            path, accept, fmt, self.endpoint.run, max_rows=self.endpoint.policy.max_rows))))

    async def page(self, request: Request) -> Response:
        return _response(200, "text/html; charset=utf-8", self.page_html)

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        found = static_file(name)
        if found is None:
            return _not_found(request)
        return _response(200, STATIC_TYPES[name], found)

    async def queries(self, request: Request) -> Response:
        return _response(200, _JSON, self.catalog.encode("utf-8"))

    async def openapi_json(self, request: Request) -> Response:
        return _response(200, _JSON, self.openapi.encode("utf-8"))


def _listed(values: list[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def _not_found(request: Request) -> Response:
    return _error(404, f"nothing at {request.url.path}; try / (the query page), /sparql, /queries or /openapi.json")


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such path, a method a path does not take), in words."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 405:
        return _error(405, f"{request.method} is for /sparql only", getattr(exc, "headers", None))  # with Allow
    return _not_found(request) if status == 404 else _error(status, exc)


class _Guard:
    """Refuse a request whose request line and headers pass ``max_header_bytes`` (``431``;
    the HTTP layer refuses them too when they arrive in pieces) or whose ``Host`` the
    server does not answer to (``421``), and put :data:`SECURITY_HEADERS` on every answer."""

    def __init__(self, app: ASGIApp, *, endpoint: Endpoint, limits: Limits) -> None:
        self.app, self.policy, self.limits = app, endpoint.policy, limits
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]

    def _refusal(self, scope: Scope) -> Response | None:
        size = len(scope["raw_path"]) + len(scope["query_string"]) + sum(len(k) + len(v) + 4 for k, v in scope["headers"])
        if size > self.limits.max_header_bytes:
            return _error(431, f"the request line and headers pass {self.limits.max_header_bytes} bytes, this server's "
                               "limit", {"Connection": "close"})
        try:
            self.policy.check_host(dict(scope["headers"]).get(b"host", b"").decode("latin-1"))
        except Refused as exc:
            return _error(exc.status, exc)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = {k for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.headers if h[0] not in given)]
            await send(message)

        refusal = self._refusal(scope)
        await (refusal or self.app)(scope, receive, secured)


def make_app(endpoint: Endpoint, *, limits: Limits = Limits(), cors: Sequence[str] = (),
             access_log: IO[str] | None = None) -> ASGIApp:
    """The ASGI application of ``endpoint``: the SPARQL protocol at ``/sparql``, the named
    queries at ``/queries/NAME``, the page at ``/``, entities at ``/id/...``. ``cors``:
    the origins whose pages may read its answers (``*``: any; none: no CORS headers);
    ``access_log``: a stream for one JSON line per request.

    >>> import tempfile, pyoxigraph as ox, httpx
    >>> from g60kg.server.security import Policy
    >>> folder = tempfile.mkdtemp(); ox.Store(folder).flush()
    >>> endpoint = Endpoint(folder, Policy(hosts=frozenset({"testserver"})), workers=1)
    >>> async def ask():
    ...     transport = httpx.ASGITransport(app=make_app(endpoint))
    ...     async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
    ...         answer = await client.get("/sparql", params={"query": "ASK {}", "format": "csv"})
    ...         return answer.status_code, answer.text, answer.headers["x-frame-options"]
    >>> anyio.run(ask)
    (200, 'true', 'DENY')
    >>> endpoint.close()
    """
    routes = _Routes(endpoint, limits)
    middleware = [Middleware(AccessLog, stream=access_log)] if access_log is not None else []
    middleware.append(Middleware(_Guard, endpoint=endpoint, limits=limits))
    if cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors), allow_methods=["GET", "HEAD", "POST"],
                                     allow_headers=["Accept", "Content-Type", "Authorization"]))
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {HTTPException: _http_error}
    return Starlette(routes=[
        Route("/", routes.page),
        Route("/sparql", routes.sparql, methods=["GET", "HEAD", "POST"]),
        Route("/queries", routes.queries),
        Route("/queries/{name}", routes.named),
        Route("/openapi.json", routes.openapi_json),
        Route("/static/{name}", routes.static),
        Route("/id/{rest:path}", routes.entity),
    ], middleware=middleware, exception_handlers=handlers)
