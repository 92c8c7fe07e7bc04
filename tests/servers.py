"""Real SPARQL servers for the tests, started on loopback from a temporary directory:
Oxigraph server (PyPI ``oxigraph``) and Virtuoso open source (Debian
``virtuoso-opensource-7-bin``). Each runs until its ``Server.stop()``.
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from g60kg.errors import StoreError
from g60kg.server.process import free_port, g60kg_command, g60kg_env, serve_in_child, stop, wait_until_answered

__all__ = ["Server", "start_oxigraph", "start_virtuoso", "Recorder", "serve", "free_port", "g60kg_command",
           "g60kg_env", "CITIES", "ROOMY", "MAX_ROWS", "CROSS_JOIN"]

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""


@dataclass
class Server:
    """A running server: its query and update endpoints, the credentials updates need."""

    name: str
    query_url: str
    update_url: str
    user: str | None
    password: str | None
    process: subprocess.Popen

    @property
    def options(self) -> dict[str, str]:
        """The keyword options of ``g60kg.open_graph`` for this server."""
        extra = {"update_url": self.update_url, "user": self.user, "password": self.password}
        return {k: v for k, v in extra.items() if v is not None}

    @property
    def cli_options(self) -> list[str]:
        """The same as command-line options."""
        return [f"--{k.replace('_', '-')}={v}" for k, v in self.options.items()]

    def stop(self) -> None:
        """Stop the server and wait for it."""
        stop(self.process)


def _wait(process: subprocess.Popen, probe: str, what: str, log: Path | None = None) -> None:
    """Wait until ``probe`` answers; fail the test with the server's own words if it
    exits or stays silent."""
    try:
        wait_until_answered(probe, process, what)
    except StoreError as exc:
        output = log.read_text(errors="replace") if log and log.exists() else ""
        pytest.fail(f"{exc}: {output[-1500:]}")


def start_oxigraph(directory: Path) -> Server:
    """Oxigraph server with its store in ``directory``."""
    beside = Path(sys.executable).with_name("oxigraph")  # the venv's own, when it is not on PATH
    binary = str(beside) if beside.exists() else shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    port = free_port()
    log = directory / "oxigraph.log"
    process = subprocess.Popen([binary, "serve", "--location", str(directory / "db"), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    base = f"http://127.0.0.1:{port}"
    _wait(process, f"{base}/query?query=ASK%7B%7D", "oxigraph server", log)
    return Server("oxigraph", f"{base}/query", f"{base}/update", None, None, process)


def start_virtuoso(directory: Path, *, max_rows: int = 1_000_000) -> Server:
    """Virtuoso with a fresh database in ``directory``; updates go to ``/sparql-auth``
    as the ``dba`` user (HTTP Digest). ``max_rows`` is its ``ResultSetMaxRows``."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.fail("virtuoso-t is not installed: run `bash scripts/install-system.sh` "
                    "(Debian package virtuoso-opensource-7-bin)")
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    process = subprocess.Popen([binary, "+configfile", str(ini), "+foreground"], cwd=directory,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    _wait(process, f"{base}/sparql?query=ASK%7B%7D", "virtuoso", directory / "virtuoso.log")
    return Server("virtuoso", f"{base}/sparql", f"{base}/sparql-auth", "dba", "dba", process)


class Recorder(http.server.BaseHTTPRequestHandler):
    """A stand-in for a host inside the network: answers every request with one
    SPARQL solution and lists it in ``hits``."""

    hits: list[str] = []

    def _answer(self) -> None:
        type(self).hits.append(f"{self.command} {self.path}")
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"internal"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


# --- the project's own endpoint, ``g60kg serve`` ----------------------------------------
CITIES = """SELECT ?city ?name ?en WHERE {
  ?city a g60:City ; rdfs:label ?name , ?en .
  FILTER (lang(?name) = "zh" && lang(?en) = "en")
} ORDER BY ?city"""
ROOMY = 120.0  # the time limit every request of the shared server stays under, however busy the machine
MAX_ROWS = 500  # the shared server's row limit
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def serve(store: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``g60kg serve --port 0 --quiet ARGS`` and yield its base URL."""
    try:
        process, url = serve_in_child(store, "--quiet", *args, env=env)
    except StoreError as exc:
        pytest.fail(str(exc))
    yield url
    stop(process, grace=10)
