"""The endpoint ``g60kg serve``, started for real in a subprocess on a loopback port over a
store built from the bundled data, and talked to over HTTP (httpx): the SPARQL 1.1
protocol, updates, limits, named queries, the command line and HTTP hardening. Its pages
are in ``test_query_page.py``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pandas as pd
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main
from g60kg.ontology import PREFIXES, PROLOGUE
from g60kg.queries import catalog
from servers import CITIES, CROSS_JOIN, MAX_ROWS, Recorder, g60kg_command, g60kg_env, serve

TOKEN = "test-token-4f2a"
TIMEOUT = 2.0  # the limit runaway queries and updates meet


@pytest.fixture(scope="module")
def limited(built_store: Path) -> Iterator[str]:
    """A read-only server with a short time limit, for the queries that must be stopped."""
    yield from serve(built_store, "--timeout", str(TIMEOUT))


@pytest.fixture(scope="module")
def writable(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on its own copy of the store that takes updates with the token (given
    through the environment)."""
    copy = tmp_path_factory.mktemp("writable") / "kg.oxigraph"
    shutil.copytree(built_store, copy)
    yield from serve(copy, "--allow-update", "--timeout", str(TIMEOUT), env=g60kg_env(G60KG_TOKEN=TOKEN))


def _rows(results: ox.QuerySolutions) -> list[tuple[str, ...]]:
    return [tuple(str(s[v]) for v in results.variables) for s in results]


def _expected(bundled: g60kg.KnowledgeGraph, query: str) -> list[tuple[str, ...]]:
    return _rows(ox.parse_query_results(bundled.store.select(PROLOGUE + query), ox.QueryResultsFormat.JSON))


# --- the SPARQL 1.1 protocol -------------------------------------------------------------
@pytest.mark.parametrize("accept, fmt", [("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                                         ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                                         ("text/tab-separated-values", ox.QueryResultsFormat.TSV)])
def test_select_results_in_each_format_match_the_embedded_store(server: str, client: httpx.Client, accept: str,
                                                                 fmt: ox.QueryResultsFormat,
                                                                 bundled: g60kg.KnowledgeGraph) -> None:
    response = client.get(f"{server}/sparql", params={"query": CITIES}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    rows = _rows(ox.parse_query_results(response.content, fmt))
    assert rows == _expected(bundled, CITIES)
    assert len(rows) == 9 and ('"嘉兴市"@zh' in {r[1] for r in rows})


def test_select_results_as_csv(server: str, client: httpx.Client, bundled: g60kg.KnowledgeGraph) -> None:
    response = client.get(f"{server}/sparql", params={"query": CITIES}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    expected = json.loads(bundled.store.select(PROLOGUE + CITIES))["results"]["bindings"]
    assert rows[0] == ["city", "name", "en"]
    assert rows[1:] == [[b["city"]["value"], b["name"]["value"], b["en"]["value"]] for b in expected]


@pytest.mark.parametrize("accept, fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                         ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                         ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_construct_and_describe_in_each_graph_format(server: str, client: httpx.Client, accept: str,
                                                    fmt: ox.RdfFormat, bundled: g60kg.KnowledgeGraph) -> None:
    for query in ("CONSTRUCT { ?c rdfs:label ?name } WHERE { ?c a g60:City ; rdfs:label ?name }",
                  "DESCRIBE g60place:jiaxing"):
        response = client.get(f"{server}/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
        served = {(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=fmt)}
        embedded = {(q.subject, q.predicate, q.object)
                    for q in ox.parse(bundled.store.construct(PROLOGUE + query, "nt"), format=ox.RdfFormat.N_TRIPLES)}
        assert served == embedded and len(served) > 9


def test_ask(server: str, client: httpx.Client) -> None:
    yes = client.get(f"{server}/sparql", params={"query": "ASK { g60place:wuhu a g60:City }"})
    no = client.get(f"{server}/sparql", params={"query": "ASK { g60place:wuhu a g60:Enterprise }"})
    assert (yes.json()["boolean"], no.json()["boolean"]) == (True, False)


def test_post_as_a_form_and_as_the_query_itself(server: str, client: httpx.Client,
                                               bundled: g60kg.KnowledgeGraph) -> None:
    accept = {"Accept": "text/tab-separated-values"}
    form = client.post(f"{server}/sparql", data={"query": CITIES}, headers=accept)
    direct = client.post(f"{server}/sparql", content=CITIES.encode("utf-8"),
                         headers={**accept, "Content-Type": "application/sparql-query"})
    get = client.get(f"{server}/sparql", params={"query": CITIES}, headers=accept)
    assert form.status_code == direct.status_code == 200
    assert form.content == direct.content == get.content
    assert _rows(ox.parse_query_results(form.content, ox.QueryResultsFormat.TSV)) == _expected(bundled, CITIES)
    wrong = client.post(f"{server}/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert wrong.status_code == 415 and "application/sparql-query" in wrong.text


def test_negotiation_follows_quality_and_the_format_parameter(server: str, client: httpx.Client) -> None:
    def media(accept: str, **params: str) -> tuple[int, str]:
        response = client.get(f"{server}/sparql", params={"query": "ASK {}", **params}, headers={"Accept": accept})
        return response.status_code, response.headers["content-type"].split(";")[0]

    assert media("text/csv;q=0.4, application/sparql-results+xml;q=0.9") == (200, "application/sparql-results+xml")
    assert media("text/html, */*;q=0.1") == (200, "application/sparql-results+json")
    assert media("text/*") == (200, "text/csv")
    assert media("text/csv", format="tsv") == (200, "text/tab-separated-values")
    assert media("image/png")[0] == 406
    assert media("*/*", format="png")[0] == 400


def test_protocol_dataset_parameters(server: str, client: httpx.Client) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def number(query: str, **params: str) -> int:
        response = client.get(f"{server}/sparql", params={"query": query, **params}, headers={"Accept": "text/csv"})
        assert response.status_code == 200, response.text
        return int(response.text.split()[1])

    seed = PREFIXES["g60graph"] + "seed-songjiang-g60"
    assert 0 < number(count, **{"default-graph-uri": seed}) < number(count)
    assert number(named, **{"named-graph-uri": seed}) == 1 and number(named) > 10
    bad = client.get(f"{server}/sparql", params={"query": count, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400 and "default-graph-uri" in bad.text


def test_a_syntax_error_names_its_position(server: str, client: httpx.Client) -> None:
    response = client.get(f"{server}/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert response.text.startswith("SPARQL syntax error") and "at 3:" in response.text


# --- the policy: updates, SERVICE and LOAD, limits ----------------------------------------
def _count(client: httpx.Client, base: str, pattern: str) -> int:
    response = client.get(f"{base}/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"},
                          headers={"Accept": "text/csv"})
    return int(response.text.split()[1])


def test_a_read_only_server_refuses_updates(server: str, client: httpx.Client) -> None:
    before = _count(client, server, "?s ?p ?o")
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        response = client.post(f"{server}/sparql", data={"update": "CLEAR ALL"}, headers=headers)
        assert response.status_code == 403 and "read-only" in response.text
    assert client.get(f"{server}/sparql", params={"update": "CLEAR ALL"}).status_code == 405
    assert _count(client, server, "?s ?p ?o") == before > 10_000


def test_updates_need_the_token(writable: str, client: httpx.Client) -> None:
    insert = 'INSERT DATA { GRAPH <http://example.org/g> { g60place:wuhu rdfs:comment "测试 update" } }'
    pattern = 'GRAPH ?g { g60place:wuhu rdfs:comment "测试 update" }'
    missing = client.post(f"{writable}/sparql", data={"update": insert})
    wrong = client.post(f"{writable}/sparql", data={"update": insert}, headers={"Authorization": "Bearer nope"})
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert "Authorization: Bearer" in missing.text and "does not match" in wrong.text
    assert _count(client, writable, pattern) == 0
    ok = client.post(f"{writable}/sparql", data={"update": insert}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 204, ok.text
    assert _count(client, writable, pattern) == 1  # the readers see the change
    delete = client.post(f"{writable}/sparql", content=f"DELETE DATA {insert[len('INSERT DATA'):]}".encode(),
                         headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"})
    assert delete.status_code == 204 and _count(client, writable, pattern) == 0


def test_service_and_load_are_refused(server: str, writable: str, client: httpx.Client) -> None:
    service = client.get(f"{server}/sparql", params={
        "query": f"SELECT * WHERE {{\n  service <{server}/sparql> {{ ?s ?p ?o }} }} LIMIT 1"})
    assert service.status_code == 403 and f"SERVICE <{server}/sparql> at line 2, column 3" in service.text
    load = client.post(f"{writable}/sparql", data={"update": f"LOAD <{server}/sparql?query=CONSTRUCT%7B%7D%7B%7D>"},
                       headers={"Authorization": f"Bearer {TOKEN}"})
    assert load.status_code == 403 and "LOAD" in load.text


@pytest.mark.parametrize("how", ["get", "post-query", "post-form"])
def test_escaped_bypasses_reach_no_other_host_by_any_method(server: str, client: httpx.Client, internal: str,
                                                            how: str) -> None:
    before = len(Recorder.hits)
    for query in (rf"SELECT * WHERE {{ ?s <http://e/\u0041#> ?o . SERVICE SILENT <{internal}> {{ ?x ?y ?z }} }}",
                  rf"SELECT * WHERE {{ ?s ?p ?o }} # \u0022\nSELECT * {{ SERVICE <{internal}> {{ ?x ?y ?z }} }}",
                  rf'SELECT * WHERE {{ BIND("\u0022" AS ?a) SERVICE <{internal}> {{ ?x ?y ?z }} }}'):
        if how == "get":
            response = client.get(f"{server}/sparql", params={"query": query})
        elif how == "post-query":
            response = client.post(f"{server}/sparql", content=query.encode(),
                                   headers={"Content-Type": "application/sparql-query"})
        else:  # what a cross-site HTML form sends
            response = client.post(f"{server}/sparql", data={"query": query})
        assert response.status_code in (400, 403), response.text
        assert "internal" not in response.text
    assert len(Recorder.hits) == before


def test_the_words_service_and_load_in_strings_comments_and_names_are_allowed(server: str,
                                                                             client: httpx.Client) -> None:
    query = ('SELECT ?SERVICE ?load WHERE {  # SERVICE <http://example.org/> LOAD\n'
             '  BIND ("SERVICE <http://example.org/sparql> { }" AS ?SERVICE)\n'
             "  BIND ('''LOAD <http://example.org/>''' AS ?load) }")
    response = client.get(f"{server}/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    assert response.text.splitlines()[1] == "SERVICE <http://example.org/sparql> { },LOAD <http://example.org/>"


def test_a_runaway_query_is_stopped_and_the_server_keeps_answering(limited: str, client: httpx.Client) -> None:
    server = limited
    outcome: dict[str, object] = {}

    def runaway() -> None:
        response = client.get(f"{server}/sparql", params={"query": CROSS_JOIN})
        outcome.update(status=response.status_code, text=response.text)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    meanwhile = client.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert meanwhile.status_code == 200
    thread.join()
    assert outcome["status"] == 503 and f"ran past {TIMEOUT:g} s, this server's time limit" in str(outcome["text"])
    assert client.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_an_update_past_the_time_limit_writes_nothing(writable: str, client: httpx.Client) -> None:
    update = "INSERT { ?a <http://example.org/pair> ?d } WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } }"
    response = client.post(f"{writable}/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 503 and "time limit" in response.text
    assert _count(client, writable, "GRAPH ?g { ?a <http://example.org/pair> ?d }") == 0
    assert _count(client, writable, "?a <http://example.org/pair> ?d") == 0


def test_the_row_limit(server: str, client: httpx.Client) -> None:
    over = client.get(f"{server}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert over.status_code == 400 and f"more than {MAX_ROWS} rows" in over.text and "LIMIT" in over.text
    at = client.get(f"{server}/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"})
    assert at.status_code == 200 and len(at.json()["results"]["bindings"]) == MAX_ROWS
    graph = client.get(f"{server}/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert graph.status_code == 400 and "triples" in graph.text


# --- named queries and the OpenAPI document -------------------------------------------------
def test_a_named_query_over_http_gives_the_rows_of_kg_query(server: str, client: httpx.Client,
                                                            bundled: g60kg.KnowledgeGraph) -> None:
    params = {"city": "芜湖", "class": "g60:Park"}
    expected = bundled.query("entities-in-city", **params)
    as_json = client.get(f"{server}/queries/entities-in-city", params=params)
    assert as_json.status_code == 200 and as_json.headers["content-type"].startswith("application/sparql-results+json")
    entities = [row["entity"]["value"] for row in as_json.json()["results"]["bindings"]]
    assert [e.replace(PREFIXES["g60org"], "g60org:") for e in entities] == expected["entity"].tolist()
    assert PREFIXES["g60org"] + "buaa-wuhu-aviation-park" in entities
    by_accept = client.get(f"{server}/queries/entities-in-city", params=params, headers={"Accept": "text/csv"})
    by_format = client.get(f"{server}/queries/entities-in-city", params={**params, "format": "csv"})
    assert by_accept.text == by_format.text
    assert [row["entity"] for row in csv.DictReader(io.StringIO(by_format.text))] == entities


def test_named_query_errors(server: str, client: httpx.Client) -> None:
    unknown = client.get(f"{server}/queries/no-such-query")
    assert unknown.status_code == 404 and "/queries" in unknown.text
    bad_name = client.get(f"{server}/queries/entities-in-city", params={"town": "x"})
    assert bad_name.status_code == 400 and "its parameters: city, class" in bad_name.text
    nobody = client.get(f"{server}/queries/entities-in-city", params={"city": '"} DELETE WHERE {?s ?p ?o} #'})
    assert nobody.status_code == 400 and "no entity is named" in nobody.text
    assert _count(client, server, "?s ?p ?o") > 10_000


def test_the_catalog_and_the_openapi_document(server: str, client: httpx.Client) -> None:
    from openapi_spec_validator import validate

    queries = catalog()
    listed = client.get(f"{server}/queries").json()
    assert [q["name"] for q in listed] == list(queries)
    document = client.get(f"{server}/openapi.json").json()
    validate(document)
    for name, query in queries.items():
        operation = document["paths"][f"/queries/{name}"]["get"]
        by_name = {p["name"]: p for p in operation["parameters"]}
        assert set(by_name) == {p.name for p in query.parameters} | {"format"}
        for p in query.parameters:
            assert str(by_name[p.name]["schema"]["default"]) == p.default
            assert str(by_name[p.name]["example"]) == p.example
    assert {"get", "post"} <= set(document["paths"]["/sparql"])


def test_the_graph_api_runs_against_the_endpoint(server: str, bundled: g60kg.KnowledgeGraph) -> None:
    remote = g60kg.open_graph(f"{server}/sparql")

    def settled(frame: pd.DataFrame) -> pd.DataFrame:  # GROUP_CONCAT's order is each store's own
        lists = [c for c in ("sources",) if c in frame]
        return frame.assign(**{c: frame[c].map(lambda v: " | ".join(sorted(v.split(" | "))) if isinstance(v, str) else v)
                               for c in lists})

    for name in ("entities-in-city", "achievements", "source-contributions"):
        assert settled(remote.query(name)).equals(settled(bundled.query(name)))
    assert remote.stats() == bundled.stats()


def test_service_is_allowed_when_asked_for(built_store: Path, server: str, client: httpx.Client) -> None:
    for federated in serve(built_store, "--allow-service"):
        query = f"SELECT ?n WHERE {{ SERVICE <{server}/sparql> {{ g60place:wuhu rdfs:label ?n }} }} ORDER BY ?n"
        response = client.get(f"{federated}/sparql", params={"query": PROLOGUE + query}, headers={"Accept": "text/csv"})
        assert response.status_code == 200, response.text
        assert response.text.split() == ["n", "Wuhu", "芜湖市"]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_a_worker_does_not_outlive_a_killed_server(built_store: Path, client: httpx.Client) -> None:
    process = subprocess.Popen(g60kg_command("serve", "--store", str(built_store), "--port", "0", "--quiet", "--timeout", "1"),
                               env=g60kg_env(), stdout=subprocess.PIPE, text=True)
    base = process.stdout.readline().split(" at ", 1)[1].split("/ ", 1)[0]  # type: ignore[union-attr]

    def runaway() -> None:
        with pytest.raises(httpx.HTTPError):  # the server dies before it answers
            client.get(f"{base}/sparql", params={"query": CROSS_JOIN})

    threading.Thread(target=runaway, daemon=True).start()
    time.sleep(0.5)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    assert len(children) == 2
    process.kill()
    process.wait()

    def alive(pid: str) -> bool:
        stat = Path(f"/proc/{pid}/stat")
        return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"

    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in children)


# --- the command line ------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (["--store", "memory"], "serve needs a store directory"),
    (["--store", "no/such/store"], "no store at no/such/store"),
    (["--allow-update"], "updates need a token"),
])
def test_serve_refuses_to_start_with_a_clear_reason(args: list[str], message: str, built_store: Path) -> None:
    if "--store" not in args:
        args = ["--store", str(built_store), *args]
    result = CliRunner().invoke(main, ["serve", *args], env={"G60KG_TOKEN": ""})
    assert result.exit_code != 0 and message in result.output


# --- HTTP hardening ------------------------------------------------------------------------
def test_every_answer_denies_framing_and_names_no_version(server: str, client: httpx.Client) -> None:
    for response in (client.get(f"{server}/"), client.get(f"{server}/sparql", params={"query": "ASK {}"}),
                     client.get(f"{server}/nothing-here")):
        assert response.headers["server"] == "g60kg"
        assert response.headers["x-frame-options"] == "DENY" and response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in client.get(f"{server}/").headers["content-security-policy"]


def test_head_is_answered_like_get_without_a_body(server: str, client: httpx.Client) -> None:
    for path in ("/", "/queries", "/openapi.json"):
        get, head = client.get(f"{server}{path}"), client.head(f"{server}{path}")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]


def test_a_host_name_the_server_does_not_answer_to_is_refused(server: str, client: httpx.Client) -> None:
    refused = client.get(f"{server}/sparql", params={"query": "ASK {}"}, headers={"Host": "rebound.example"})
    assert refused.status_code == 421 and "rebound.example" in refused.text
    port = server.rsplit(":", 1)[1]
    assert client.get(f"{server}/", headers={"Host": f"localhost:{port}"}).status_code == 200


@pytest.mark.parametrize("request_bytes", [
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nContent-Length: abc\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nContent-Length: -5\r\n\r\n",
])
def test_a_malformed_content_length_gets_a_400(server: str, client: httpx.Client, request_bytes: bytes) -> None:
    import socket

    host, port = server.removeprefix("http://").rsplit(":", 1)
    answer = b""
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request_bytes)
        while chunk := connection.recv(4096):  # the server closes the connection after its answer
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400") and b"Content-Length must be a number" in answer
    assert client.get(f"{server}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_huge_number_parameter_gets_an_answer(server: str, client: httpx.Client) -> None:
    response = client.get(f"{server}/queries/multi-city-organizations", params={"min_cities": "9" * 5000})
    assert response.status_code in (200, 400), response.text
    assert client.get(f"{server}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_after_a_build_every_worker_serves_the_new_graph(built_store: Path, tmp_path: Path, client: httpx.Client) -> None:
    store = tmp_path / "kg.oxigraph"
    shutil.copytree(built_store, store)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def counts(base: str, times: int) -> set[str]:
        return {client.get(f"{base}/sparql", params={"query": count}, headers={"Accept": "text/csv"}).text
                for _ in range(times)}

    # Each worker asked (no answer kept), and a server that keeps answers: both see the new graph.
    for workers in serve(store, "--workers", "3", "--cache", "0"):
        for keeping in serve(store):
            before = counts(workers, 6) | counts(keeping, 2)
            (tmp_path / "extra.ttl").write_text("<http://example.org/a> <http://example.org/b> 1, 2, 3 .\n",
                                                encoding="utf-8")
            subprocess.run(g60kg_command("build", "--store", str(store), str(tmp_path / "extra.ttl")), env=g60kg_env(),
                           check=True, capture_output=True, timeout=300)
            after = counts(workers, 9) | counts(keeping, 2)
            assert len(before) == 1 and len(after) == 1 and after != before


def test_an_answer_that_changes_at_each_run_is_not_kept(server: str, client: httpx.Client) -> None:
    draws = {client.get(f"{server}/sparql", params={"query": "SELECT (RAND() AS ?r) {}", "format": "csv"}).text
             for _ in range(3)}
    assert len(draws) == 3
