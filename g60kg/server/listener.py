"""The endpoint's HTTP server: uvicorn running the ASGI application (``g60kg.server.app``)
on a socket this module binds, so a server started on port 0 knows its port before it
serves, with the connection-level limits of ``g60kg.server.limits``.

uvicorn's HTTP/1.1 connection (``h11``) is kept, with five changes: past
``max_connections`` a new connection gets ``503`` with ``Retry-After`` and is closed; a
request must arrive whole within ``read_timeout`` (else ``408``), so a client that
trickles bytes cannot hold a connection; an answer whose client stops taking it (the
server's send buffer full for ``send_timeout``) is dropped with its connection, so a
client that never reads cannot hold one either; a request that is not valid HTTP gets an answer
that says what was wrong (``431`` for headers past ``max_header_bytes``); and these
answers carry the same security headers as the application's.
"""

from __future__ import annotations

import asyncio
import http
import socket
import sys
import threading
from functools import partial
from pathlib import Path
from typing import IO, Any, Sequence

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from g60kg.errors import StoreError
from g60kg.server.app import SECURITY_HEADERS, make_app
from g60kg.server.endpoint import Endpoint
from g60kg.server.limits import Limits
from g60kg.server.security import Policy

__all__ = ["HttpServer", "make_server"]

# What h11 says of a malformed request, in the words a client can act on.
_PLAIN = {"bad Content-Length": "Content-Length must be a number of bytes",
          "Receive buffer too long": "the request line and headers pass {max_header_bytes} bytes, this server's limit"}
_READING = (h11.IDLE, h11.SEND_BODY)


def _raw_answer(status: int, text: str, extra: dict[str, str] | None = None) -> bytes:
    """A whole HTTP/1.1 answer that closes the connection, written without h11 (which
    may be in an error state by then)."""
    body = f"{text}\n".encode("utf-8")
    headers = {**SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(body)),
               "Connection": "close", **(extra or {})}
    lines = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class _Connection(H11Protocol):
    """One client connection, under the endpoint's ``Limits``."""

    def __init__(self, *args: Any, limits: Limits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.limit_concurrency = None  # the cap is checked when a connection opens, with a Retry-After
        self._reading: asyncio.TimerHandle | None = None
        self._sending: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self._refuse(503, f"this server holds {self.limits.max_connections} connections already; try again "
                              "shortly", {"Retry-After": str(self.limits.retry_after)})
        else:
            self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_watch()
        self._taken()
        super().connection_lost(exc)

    def pause_writing(self) -> None:
        """The send buffer is full: the client must take some of it within ``send_timeout``."""
        super().pause_writing()
        if self._sending is None:
            self._sending = self.loop.call_later(self.limits.send_timeout, self._not_reading)

    def resume_writing(self) -> None:
        super().resume_writing()
        self._taken()

    def _taken(self) -> None:
        if self._sending is not None:
            self._sending.cancel()
            self._sending = None

    def _not_reading(self) -> None:
        """Drop the connection and what it had left to send (``close`` would wait for the
        client to read it); the answer being written then ends as for a client that left."""
        self._sending = None
        self.transport.abort()

    def _watch(self) -> None:
        """Time the arrival of the request being read (from its connection, or from the
        answer to the one before); stop when it is whole."""
        if self.transport.is_closing() or self.conn.their_state not in _READING:
            self._stop_watch()
        elif self._reading is None:
            self._reading = self.loop.call_later(self.limits.read_timeout, self._too_slow)

    def _stop_watch(self) -> None:
        if self._reading is not None:
            self._reading.cancel()
            self._reading = None

    def _too_slow(self) -> None:
        self._reading = None
        if self.conn.their_state is h11.IDLE and not self.conn.trailing_data[0]:
            self.transport.close()  # idle between requests: closed as a keep-alive would be
        else:
            self._refuse(408, f"the request did not arrive within {self.limits.read_timeout:g} s")

    def send_400_response(self, msg: str) -> None:
        """Answer a request h11 could not read (called while its error is handled)."""
        error = sys.exc_info()[1]
        status = getattr(error, "error_status_hint", 400)
        reason = str(error) if error is not None else msg
        plain = _PLAIN.get(reason, "the request is not valid HTTP/1.1").format(**vars(self.limits))
        self._refuse(status, f"{plain} ({reason})" if reason not in plain else plain)

    def _refuse(self, status: int, text: str, extra: dict[str, str] | None = None) -> None:
        self._stop_watch()
        if not self.transport.is_closing():
            self.transport.write(_raw_answer(status, text, extra))
            self.transport.close()


def _room_for(connections: int) -> None:
    """Raise this process's limit on open files (soft, up to the hard limit) so that
    ``connections`` sockets fit beside the workers' pipes and the store's files."""
    try:
        import resource
    except ImportError:  # not a POSIX system
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


class HttpServer:
    """The endpoint on a listening socket; ``serve_forever()`` runs it until
    ``shutdown()`` (from another thread) or a signal; ``server_close()`` then stops the
    query workers. ``server_address`` is the bound address and port."""

    def __init__(self, endpoint: Endpoint, *, host: str, port: int, limits: Limits, cors: Sequence[str] = (),
                 access_log: IO[str] | None = None) -> None:
        self.endpoint = endpoint
        _room_for(limits.max_connections)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP named, not left 0: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on the
        # connections of a socket that says it is TCP; with it on, an answer written in two parts (head,
        # body) waited for the client's delayed acknowledgement, 40 ms on Linux.
        self.socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((host, port))
            self.socket.listen(limits.backlog)  # from now on connections wait in the backlog, even before serving
        except OSError as exc:
            self.socket.close()
            endpoint.close()
            raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        self.server_address: tuple[str, int] = self.socket.getsockname()[:2]
        config = uvicorn.Config(
            make_app(endpoint, limits=limits, cors=cors, access_log=access_log),
            http=partial(_Connection, limits=limits),  # type: ignore[arg-type]
            ws="none", lifespan="off", proxy_headers=False, interface="asgi3", log_config=None, access_log=False,
            log_level="warning", server_header=False, backlog=limits.backlog, timeout_keep_alive=int(limits.keep_alive),
            h11_max_incomplete_event_size=limits.max_header_bytes, timeout_graceful_shutdown=5)
        self._uvicorn = uvicorn.Server(config)
        self._done = threading.Event()

    def serve_forever(self) -> None:
        """Answer requests until shut down."""
        try:
            self._uvicorn.run(sockets=[self.socket])
        finally:
            self._done.set()

    def shutdown(self) -> None:
        """Stop serving (from another thread) and wait until the server has stopped."""
        self._uvicorn.should_exit = True
        self._done.wait()

    def server_close(self) -> None:
        """Close the socket and stop the query workers."""
        self.socket.close()
        self.endpoint.close()


def make_server(store: str | Path, policy: Policy, *, host: str = "127.0.0.1", port: int = 8060, workers: int = 2,
                limits: Limits = Limits(), cors: Sequence[str] = (), access_log: IO[str] | None = None) -> HttpServer:
    """An HTTP server for the store directory ``store`` (port 0: a free one; its
    ``server_address`` says which); call ``serve_forever()`` to run it. ``cors`` and
    ``access_log`` are as for ``g60kg.server.app.make_app``.

    >>> import tempfile, pyoxigraph as ox, threading, urllib.request
    >>> folder = tempfile.mkdtemp(); ox.Store(folder).flush()
    >>> server = make_server(folder, Policy(), port=0, workers=1)
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
    return HttpServer(Endpoint(path, policy, workers=workers), host=host, port=port, limits=limits, cors=cors,
                      access_log=access_log)
