"""The endpoint's bounds on its clients, each met for real over loopback: a full queue
(503 with Retry-After), too many connections, too large a body (413) or headers (431), a
request that trickles in (408), a client that stops reading its answer, a query past the
memory limit; answers kept for identical requests; CORS only where asked for; the access
log's lines; the token compared in constant time.

Most servers here run in this process (``make_server`` in a thread), so their limits can
be small enough to meet quickly; the ``--cors`` option is checked through ``g60kg serve``.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import socket
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote

import anyio
import httpx
import pytest

from g60kg.server import Limits, Policy, make_server
from g60kg.server.limits import Gate
from g60kg.server.accesslog import FIELDS
from servers import CROSS_JOIN, ROOMY, serve

ORIGIN = "https://kg.example.org"


@contextmanager
def running(store: Path, policy: Policy, limits: Limits, log: io.StringIO | None = None) -> Iterator[str]:
    """``make_server`` over ``store`` with one worker, serving in a thread; yields its base URL."""
    server = make_server(store, policy, port=0, workers=1, limits=limits, access_log=log)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def tight(built_store: Path) -> Iterator[tuple[str, io.StringIO]]:
    """A server with small limits (no queue, four connections, 8 KiB of headers, 4 KiB of
    body, three seconds to send a request) and an access log in memory."""
    log = io.StringIO()
    limits = Limits(queue=0, max_connections=4, max_header_bytes=8192, max_body_bytes=4096, read_timeout=3)
    with running(built_store, Policy(timeout=3), limits, log) as base:
        yield base, log


def _exchange(base: str, data: bytes, *, whole: bool = True) -> bytes:
    """Send ``data`` on a new connection (without its last byte unless ``whole``) and read
    until the server closes it."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    answer = b""
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        try:
            connection.sendall(data if whole else data[:-1])
            while chunk := connection.recv(65536):
                answer += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass  # the server closed first: what it sent before is the answer
    return answer


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


_ASKED = itertools.count()


def _new_ask() -> dict[str, str]:
    """The parameters of an ``ASK`` no request asked before: it needs a worker (the answer
    to one asked before may be kept, and a kept answer needs none)."""
    return {"query": f"ASK {{ FILTER ({next(_ASKED)} >= 0) }}"}


def _until(done: Callable[[], bool]) -> None:
    """Wait until ``done()`` holds, asking every 50 ms, for at most ``ROOMY`` seconds (a
    bound no busy machine reaches: the caller's assertion then says what did not happen)."""
    deadline = time.monotonic() + ROOMY
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)


@contextmanager
def _held(base: str, query: str) -> Iterator[tuple[httpx.Response | None, list[httpx.Response]]]:
    """A request for ``query`` holding the only worker of a server with no queue: yields
    the ``503`` a new request got once it held it (None if it ended first) and the list
    its answer is put in; on leaving, waits for that answer."""
    held: list[httpx.Response] = []

    def hold() -> None:  # until it gets the worker rather than a 503 itself
        while not held or "retry-after" in held[-1].headers:
            held.append(httpx.get(f"{base}/sparql", params={"query": query}, timeout=60))

    holder = threading.Thread(target=hold)
    holder.start()
    refused = None
    try:
        with httpx.Client(timeout=30) as client:
            while refused is None and holder.is_alive():
                response = client.get(f"{base}/sparql", params=_new_ask())
                refused = response if response.status_code == 503 else None
                time.sleep(0.05)
        yield refused, held
    finally:
        holder.join()


def test_a_full_queue_gets_503_with_retry_after(tight: tuple[str, io.StringIO]) -> None:
    base, _ = tight
    with _held(base, CROSS_JOIN) as (refused, _), httpx.Client(timeout=30) as client:
        assert refused is not None and refused.headers["retry-after"] == "1"
        assert "every query worker is busy" in refused.text
        assert client.get(f"{base}/queries").status_code == 200  # pages need no worker: never queued
    assert httpx.get(f"{base}/sparql", params=_new_ask(), timeout=30).status_code == 200


def test_a_kept_answer_needs_no_worker_and_identical_requests_share_one(tight: tuple[str, io.StringIO]) -> None:
    base, _ = tight
    named = f"{base}/queries/sectors"
    first = httpx.get(named, timeout=30)
    shared = f"{CROSS_JOIN} # asked by two clients at once"
    with _held(base, shared) as (refused, held), httpx.Client(timeout=60) as client:
        assert refused is not None and "every query worker is busy" in refused.text
        kept = client.get(named)
        other = client.get(named, params={"limit": "2"})  # not asked before: it needs the busy worker
        # The held query again: it waits for the answer under way, not for a worker.
        twin = client.get(f"{base}/sparql", params={"query": shared})
    assert (first.status_code, kept.status_code, kept.content) == (200, 200, first.content)
    assert other.status_code == 503 and "every query worker is busy" in other.text
    assert twin.status_code == 503 and "ran past 3 s" in twin.text and twin.text == held[-1].text


def test_a_freed_worker_goes_to_the_first_in_line_while_the_line_moves_else_to_the_last() -> None:
    async def order(wait: float, held: float) -> list[str]:
        """Who enters, in turn, when three wait behind one holding the only place for ``held`` s."""
        gate, entered = Gate(running=1, waiting=5, wait=wait), []

        async def enter(name: str) -> None:
            async with gate.slot():
                entered.append(name)

        async with anyio.create_task_group() as tasks:
            async with gate.slot():
                for name in ("first", "second", "third"):
                    tasks.start_soon(enter, name)
                    await anyio.sleep(0.01)  # each in line before the next
                await anyio.sleep(held)
        return entered

    assert anyio.run(order, 60.0, 0.0) == ["first", "second", "third"]
    # The first has waited past half the wait (1.2 of 2 s): the newest go first.
    assert anyio.run(order, 2.0, 1.2) == ["third", "second", "first"]


def test_a_request_that_waits_past_the_queue_wait_gets_503_with_retry_after(built_store: Path) -> None:
    limits = Limits(queue=5, queue_wait=0.5)
    with running(built_store, Policy(timeout=2), limits) as base, httpx.Client(timeout=30) as client:
        runaway = threading.Thread(target=lambda: httpx.get(f"{base}/sparql", params={"query": CROSS_JOIN}, timeout=60))
        runaway.start()
        waited = None
        while waited is None and runaway.is_alive():  # until the runaway holds the only worker
            response = client.get(f"{base}/sparql", params=_new_ask())
            waited = response if response.status_code == 503 else None
        runaway.join()
        assert waited is not None and waited.headers["retry-after"] == "1" and "stayed busy for 0.5 s" in waited.text
        assert client.get(f"{base}/sparql", params=_new_ask()).status_code == 200


def test_connections_past_the_cap_get_503_and_are_closed(tight: tuple[str, io.StringIO]) -> None:
    base, _ = tight
    host, port = base.removeprefix("http://").rsplit(":", 1)
    held = [socket.create_connection((host, int(port)), timeout=10) for _ in range(4)]
    try:
        time.sleep(0.2)  # the server accepts them
        answer = _exchange(base, b"GET /queries HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _status(answer) == 503 and b"Retry-After: 1" in answer and b"connections already" in answer
    finally:
        for connection in held:
            connection.close()
    _until(lambda: httpx.get(f"{base}/queries", timeout=30).status_code != 503)  # the server has seen them close
    assert httpx.get(f"{base}/queries", timeout=30).status_code == 200


def test_a_body_past_the_limit_gets_413(tight: tuple[str, io.StringIO]) -> None:
    base, _ = tight
    declared = _exchange(base, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                               b"Content-Length: 2000000\r\n\r\n")
    assert _status(declared) == 413 and b"4096 bytes" in declared and b"connection: close" in declared.lower()
    chunk = b"#" * 5000  # a comment: a query of 5000 bytes sent without a length
    chunked = _exchange(base, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                              b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n")
    assert _status(chunked) == 413
    small = httpx.post(f"{base}/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert small.status_code == 200


def test_headers_past_the_limit_get_431_with_the_security_headers(tight: tuple[str, io.StringIO]) -> None:
    base, _ = tight
    request = b"GET /queries HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 9000 + b"\r\n\r\n"
    for answer in (_exchange(base, request), _exchange(base, request, whole=False)):  # read whole, or in pieces
        assert _status(answer) == 431 and b"8192 bytes" in answer
        assert b"x-frame-options: deny" in answer.lower() and b"server: g60kg" in answer.lower()
    assert httpx.get(f"{base}/queries", headers={"X-Padding": "a" * 4000}).status_code == 200


def test_a_request_that_trickles_in_gets_408(tight: tuple[str, io.StringIO]) -> None:
    base, _ = tight
    answer = _exchange(base, b"GET /queries HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", whole=False)
    assert _status(answer) == 408 and b"within 3 s" in answer
    body = _exchange(base, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: 10\r\n\r\nASK {}", whole=False)  # the headers whole, the body not
    assert _status(body) == 408
    prompt = _exchange(base, b"GET /queries HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert _status(prompt) == 200


def _answer_on(connection: socket.socket) -> bytes:
    """What ``connection`` receives until the server closes or drops it."""
    answer = b""
    try:
        while chunk := connection.recv(65536):
            answer += chunk
    except ConnectionResetError:
        pass
    return answer


def _served_together(base: str, count: int) -> bool:
    """Whether ``count`` connections open at once are each answered ``200``."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    connections = [socket.create_connection((host, int(port)), timeout=ROOMY) for _ in range(count)]
    try:
        for connection in connections:
            connection.sendall(b"GET /queries HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return all(_answer_on(connection).startswith(b"HTTP/1.1 200") for connection in connections)
    finally:
        for connection in connections:
            connection.close()


def test_a_client_that_stops_reading_is_dropped_and_the_others_are_served(built_store: Path) -> None:
    limits = Limits(max_connections=3, send_timeout=2)
    with running(built_store, Policy(timeout=ROOMY), limits) as base:
        host, port = base.removeprefix("http://").rsplit(":", 1)
        everything = quote("CONSTRUCT WHERE { ?s ?p ?o }")  # the whole graph: megabytes of N-Triples
        stalled = []
        for _ in range(2):  # two clients ask for it and read none of it
            connection = socket.socket()
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            connection.settimeout(ROOMY)
            connection.connect((host, int(port)))
            connection.sendall(f"GET /sparql?query={everything}&format=nt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            stalled.append(connection)
        try:
            assert httpx.get(f"{base}/sparql", params=_new_ask(), timeout=ROOMY).status_code == 200  # meanwhile
            # Dropped after 2 s of their full buffers, their places are free: three at once are served,
            # though neither client has closed its end.
            _until(lambda: _served_together(base, 3))
            assert _served_together(base, 3)
            for connection in stalled:
                head, _, body = _answer_on(connection).partition(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: *(\d+)", head)[1])  # type: ignore[index]
                assert head.startswith(b"HTTP/1.1 200") and length > 1_000_000 and len(body) < length
        finally:
            for connection in stalled:
                connection.close()


def test_answers_are_sent_without_waiting_for_acknowledgements(built_store: Path) -> None:
    # Nagle's algorithm off on each connection: an answer written in two parts (head, body)
    # would otherwise wait for the client's delayed acknowledgement (40 ms on Linux).
    server = make_server(built_store, Policy(), port=0, workers=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with httpx.Client(timeout=ROOMY) as client:
            assert client.get(f"http://127.0.0.1:{server.server_address[1]}/queries").status_code == 200
            connections = list(server._uvicorn.server_state.connections)  # the kept-alive one
            options = [c.transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                       for c in connections]
        assert len(options) == 1 and options[0] != 0
    finally:
        server.shutdown()
        server.server_close()


def test_the_access_log_has_one_json_line_per_request(tight: tuple[str, io.StringIO]) -> None:
    base, log = tight
    before = len(log.getvalue().splitlines())
    answer = httpx.get(f"{base}/sparql", params={"query": "ASK {}", "format": "csv"})
    missing = httpx.get(f"{base}/no-such-page")
    # A line is written once the answer is sent, which may be after the client read it.
    _until(lambda: len(log.getvalue().splitlines()) >= before + 2)
    lines = [json.loads(line) for line in log.getvalue().splitlines()[before:]]
    assert [tuple(line) for line in lines] == [FIELDS, FIELDS]
    first, second = lines
    assert (first["method"], first["path"], first["status"], first["bytes"]) == ("GET", "/sparql", 200,
                                                                                  len(answer.content))
    assert first["query"] == "query=ASK+%7B%7D&format=csv" and first["client"] == "127.0.0.1" and first["ms"] >= 0
    assert datetime.fromisoformat(first["time"]).tzinfo is not None
    assert (second["path"], second["status"], second["bytes"]) == ("/no-such-page", 404, len(missing.content))


def test_a_query_past_the_memory_limit_is_stopped(built_store: Path) -> None:
    sort = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 5"
    with running(built_store, Policy(timeout=120, max_memory=300), Limits()) as base, httpx.Client(timeout=150) as client:
        stopped = client.get(f"{base}/sparql", params={"query": sort})
        assert stopped.status_code == 503 and "more memory than this server's limit" in stopped.text
        assert client.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_cors_headers_only_for_the_origins_given(built_store: Path, server: str, client: httpx.Client) -> None:
    def allowed(base: str, origin: str) -> str | None:
        response = client.get(f"{base}/sparql", params={"query": "ASK {}"}, headers={"Origin": origin})
        assert response.status_code == 200
        return response.headers.get("access-control-allow-origin")

    assert allowed(server, ORIGIN) is None  # off by default
    for base in serve(built_store, "--cors", ORIGIN):
        assert allowed(base, ORIGIN) == ORIGIN and allowed(base, "https://other.example") is None
        preflight = client.options(f"{base}/sparql", headers={
            "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type"})
        assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_the_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    from g60kg.errors import Refused
    from g60kg.server import security

    compared: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", spy)
    policy = Policy(allow_update=True, token="a-long-server-token")
    with pytest.raises(Refused, match="does not match"):
        policy.check_update("CLEAR ALL", "Bearer short")
    policy.check_update("CLEAR ALL", "Bearer a-long-server-token")
    assert len(compared) == 2 and all(len(a) == len(b) == 32 for a, b in compared)  # digests: lengths tell nothing
