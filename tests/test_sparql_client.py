"""The SPARQL protocol client against a server that drops a kept-alive connection."""

from __future__ import annotations

import http.server
import threading
from typing import Iterator

import pytest

from g60kg.errors import StoreError
from g60kg.store.sparql_client import SparqlClient

ANSWER = b'{"head": {"vars": []}, "boolean": true}'


class _DropsSecondRequest(http.server.BaseHTTPRequestHandler):
    """Answers the first request of each connection and keeps it alive; on the second
    request of a connection, closes it without an answer (as a server or proxy whose
    idle timeout fell between the two does)."""

    protocol_version = "HTTP/1.1"
    received: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(self.requestline)
        self.served = getattr(self, "served", 0) + 1
        if self.served > 1:
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def dropping() -> Iterator[tuple[str, list[str]]]:
    received: list[str] = []
    handler = type("Handler", (_DropsSecondRequest,), {"received": received})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", received
    server.shutdown()
    server.server_close()


def test_a_query_is_sent_again_on_a_new_connection_when_a_kept_alive_one_was_dropped(dropping) -> None:
    url, received = dropping
    client = SparqlClient(url, timeout=10)
    assert [client.select("ASK {}")["boolean"] for _ in range(3)] == [True, True, True]
    assert len(received) == 5  # the second and third queries each met a dropped connection once


def test_an_update_is_never_sent_twice(dropping) -> None:
    url, received = dropping
    client = SparqlClient(url, timeout=10)
    client.update("INSERT DATA { <http://e/a> <http://e/b> 1 }")
    with pytest.raises(StoreError, match="cannot reach"):
        client.update("INSERT DATA { <http://e/a> <http://e/b> 2 }")
    assert len(received) == 2
