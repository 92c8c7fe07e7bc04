"""A real SPARQL server as the store: Oxigraph server (PyPI ``oxigraph``) on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

import g60kg


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    beside = Path(sys.executable).with_name("oxigraph")  # the venv's own, when it is not on PATH
    binary = str(beside) if beside.exists() else shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph") / "db"
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"oxigraph server did not start: {process.stderr.read().decode()[:500]}")
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(oxigraph_server: str) -> g60kg.KnowledgeGraph:
    kg = g60kg.open_graph(f"{oxigraph_server}/query", update_url=f"{oxigraph_server}/update")
    report = kg.build()
    assert report.issues == [] and report.validation.conforms
    return kg


def test_build_on_a_server_gives_the_same_graph_as_embedded(remote: g60kg.KnowledgeGraph,
                                                           bundled: g60kg.KnowledgeGraph) -> None:
    assert remote.export("nq") == bundled.export("nq")
    assert remote.stats() == bundled.stats()


def test_queries_see_only_our_graphs_with_named_graphs_intact(remote: g60kg.KnowledgeGraph,
                                                             bundled: g60kg.KnowledgeGraph) -> None:
    q = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a g60:Observation } } GROUP BY ?g ORDER BY ?g"""
    assert remote.query(q).equals(bundled.query(q))
    plain = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a g60:City }"
    assert remote.query(plain)["n"].tolist() == [9]


def test_rebuild_replaces_the_graphs_and_removes_staging(remote: g60kg.KnowledgeGraph, oxigraph_server: str,
                                                         tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://e/a> <http://e/b> <http://e/c> .\n")
    remote.build([extra])
    graphs = remote.store.graphs()
    assert "https://w3id.org/g60kg/graph/file-extra" in graphs
    remote.build()
    everything = g60kg.open_graph(f"{oxigraph_server}/query")
    names = everything.store.client.post(f"{oxigraph_server}/query",
                                   [("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")],
                                   "text/csv").decode()
    assert "file-extra" not in names and "staging-" not in names


def test_a_failed_build_leaves_the_server_graph(remote: g60kg.KnowledgeGraph, tmp_path: Path) -> None:
    before = remote.export("nq")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://w3id.org/g60kg/id/obs/x> a <https://w3id.org/g60kg/ontology#Observation> .\n")
    with pytest.raises(g60kg.ValidationError):
        remote.build([broken], strict=True)
    assert remote.export("nq") == before
