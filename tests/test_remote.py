"""Real SPARQL servers as the store: Oxigraph server and Virtuoso, each on loopback.

Every test runs against both (``tests/servers.py`` starts them from a temporary
directory): the same build, the same rows from every named query, the same central-node
analysis as the embedded store, atomic rebuilds, and clear errors.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Iterator

import pandas as pd
import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main
from g60kg.errors import InputError, StoreError
from g60kg.network.entities import entity_graph
from g60kg.analysis.claim import central_node_claim
from g60kg.analysis.report import write_report
from g60kg.analysis.verdict import central_node
from g60kg.queries import catalog
from servers import Server, start_oxigraph, start_virtuoso

pytestmark = pytest.mark.slow  # real servers / kernels: `pytest -m "not slow"` leaves them out

STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}


@pytest.fixture(scope="module", params=sorted(STARTERS))
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def remote(server: Server) -> g60kg.KnowledgeGraph:
    kg = g60kg.open_graph(server.query_url, **server.options)
    report = kg.build()
    assert report.issues == [] and report.validation.conforms
    return kg


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


def _comparable(nquads: bytes) -> list[str]:
    """Sorted N-Quads lines; WKT coordinates to 6 significant digits, because Virtuoso
    keeps a WKT literal as its own geometry, some points in single precision
    (120.153 comes back as 120.15299987793) and without trailing zeros."""
    lines = nquads.decode("utf-8").splitlines()
    return sorted(_NUMBER.sub(lambda m: f"{float(m[0]):.6g}", line) if "geosparql#wktLiteral" in line else line
                  for line in lines)


def test_build_on_a_server_gives_the_same_graph_as_embedded(remote: g60kg.KnowledgeGraph,
                                                           bundled: g60kg.KnowledgeGraph) -> None:
    ours, theirs = bundled.export("nq"), remote.export("nq")
    assert _comparable(theirs) == _comparable(ours)
    assert remote.stats() == bundled.stats()
    text = theirs.decode("utf-8")  # the round trips this covers
    for needle in ("XMLSchema#decimal>", "XMLSchema#date>", "XMLSchema#integer>", '"@zh ', "geosparql#wktLiteral>"):
        assert needle in text, needle
    assert "高新技术企业" in text and "\\u" not in text


def test_queries_see_only_our_graphs_with_named_graphs_intact(remote: g60kg.KnowledgeGraph,
                                                             bundled: g60kg.KnowledgeGraph) -> None:
    q = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a g60:Observation } } GROUP BY ?g ORDER BY ?g"""
    assert remote.query(q).equals(bundled.query(q))
    plain = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a g60:City }"
    assert remote.query(plain)["n"].tolist() == [9]
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # Virtuoso's system graphs stay out
    assert remote.query(everything).equals(bundled.query(everything))


def test_a_query_names_the_graphs_only_when_it_has_a_graph_pattern(remote: g60kg.KnowledgeGraph,
                                                                   bundled: g60kg.KnowledgeGraph,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of named-graph IRIs in a request are work for the server: a query without
    a GRAPH pattern goes with the merged graph alone, and gives the same rows."""
    client = remote.store.client
    sent: list[list[tuple[str, str]]] = []
    post = client.post

    def recording(url: str, form: list[tuple[str, str]], accept: str, **options: bool) -> bytes:
        sent.append(form)
        return post(url, form, accept, **options)

    monkeypatch.setattr(client, "post", recording)
    ours = remote.store.graphs()
    for name, graphs in (("sectors", 0), ("source-contributions", len(ours) - 1)):
        text = catalog()[name].text
        assert ("GRAPH " in text) == bool(graphs), name  # what each query stands for
        sent.clear()
        assert _rows(remote.query(name), text) == _rows(bundled.query(name), text), name
        named = [value for key, value in sent[-1] if key == "named-graph-uri"]
        assert len(named) == graphs and set(named) <= set(ours), name
        assert [v for k, v in sent[-1] if k == "default-graph-uri"] == [remote.store.merged_graph], name


_CONCAT = re.compile(r'GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?\?\w+\s*;\s*separator\s*=\s*"([^"]*)"\s*\)\s*AS\s+\?(\w+)', re.I)


def _rows(frame: pd.DataFrame, sparql: str) -> list[tuple]:
    """The rows as a sorted list, the parts of each GROUP_CONCAT sorted: SPARQL leaves
    both orders to the engine (Virtuoso sorts literals of different languages apart)."""
    frame = frame.copy()
    for separator, column in _CONCAT.findall(sparql):
        frame[column] = frame[column].map(lambda v: separator.join(sorted(v.split(separator))) if isinstance(v, str) else v)
    return sorted((tuple(row) for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False)),
                  key=repr)


# Virtuoso 7.2 loses zero-length matches of a property path (?place g60:partOf* ?city)
# when ?place comes out of a UNION beside a second path in the same group: 59 of 62 rows.
_VIRTUOSO_PATHS = {"multi-city-organizations"}


@pytest.mark.parametrize("name", sorted(catalog()))
def test_every_named_query_gives_the_rows_of_the_embedded_store(remote: g60kg.KnowledgeGraph, server: Server,
                                                                bundled: g60kg.KnowledgeGraph, name: str,
                                                                request: pytest.FixtureRequest) -> None:
    if server.name == "virtuoso" and name in _VIRTUOSO_PATHS:  # strict: a Virtuoso that gets it right fails this
        request.applymarker(pytest.mark.xfail(strict=True, reason="Virtuoso 7.2 drops zero-length property-path "
                                                                  "matches in this query (docs/servers.md)"))
    query = catalog()[name]
    for params in ({}, {p.name: p.example for p in query.parameters}):
        ours, theirs = bundled.query(name, **params), remote.query(name, **params)
        assert list(theirs.columns) == list(ours.columns) and list(theirs.dtypes) == list(ours.dtypes)
        assert _rows(theirs, query.text) == _rows(ours, query.text), params


def test_tables_and_the_entity_graph_are_those_of_the_embedded_store(remote: g60kg.KnowledgeGraph,
                                                                     bundled: g60kg.KnowledgeGraph) -> None:
    # The server writes the CSV (Virtuoso quotes every IRI and ends lines with \n alone).
    tricky = 'SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) { (<http://e/x> "a, \\"b\\"\\nc" 3) (<http://e/y> UNDEF "z") } }'
    expected = [{"a": "http://e/x", "b": 'a, "b"\nc', "c": "3"}, {"a": "http://e/y", "b": "", "c": "z"}]
    assert sorted(remote.table(tricky).to_dict("records"), key=repr) == expected
    empty = remote.table("SELECT ?a ?b WHERE { FILTER (false) }")
    assert list(empty.columns) == ["a", "b"] and empty.empty
    ours, theirs = entity_graph(bundled, quotes=True), entity_graph(remote, quotes=True)
    assert theirs.number_of_edges() == ours.number_of_edges() > 100
    assert list(theirs.nodes(data=True)) == list(ours.nodes(data=True))
    assert list(theirs.edges(keys=True, data=True)) == list(ours.edges(keys=True, data=True))


def test_the_query_command_on_a_server(remote: g60kg.KnowledgeGraph, server: Server,
                                       bundled: g60kg.KnowledgeGraph) -> None:
    example = {p.name: p.example for p in catalog()["alliance-members"].parameters}
    pairs = [arg for name, value in example.items() for arg in ("--param", f"{name}={value}")]
    result = CliRunner().invoke(main, ["query", "alliance-members", *pairs, "--format", "csv",
                                       "--store", server.query_url, *server.cli_options])
    assert result.exit_code == 0, result.output
    expected = bundled.query("alliance-members", **example)
    assert len(expected) >= 2
    assert sorted(result.output.strip().splitlines()) == sorted(expected.to_csv(index=False).strip().splitlines())


_TABLES = ("layers", "values", "bootstrap", "central_share", "leave_one_layer_out", "leave_one_source_out", "null")


def test_the_central_node_analysis_gives_the_same_tables(remote: g60kg.KnowledgeGraph, server: Server,
                                                         bundled: g60kg.KnowledgeGraph, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", "central-node", "--centrality", "--bootstrap", "50", "--null", "20",
                                       "--replicates", "100", "--out", str(tmp_path), "--store", server.query_url,
                                       *server.cli_options])
    assert result.exit_code == 0, result.output
    claim = central_node_claim(bundled, city="松江区", n=100, seed=0).to_dict()
    saved = json.loads((tmp_path / "claim.json").read_text(encoding="utf-8"))
    assert (saved["summary"], saved["standings"], saved["layers"]) == (claim["summary"], claim["standings"],
                                                                       json.loads(json.dumps(claim["layers"])))
    ours = central_node(bundled, city="松江区", n_boot=50, n_null=20, seed=0)
    theirs = json.loads((tmp_path / "verdict.json").read_text(encoding="utf-8"))
    assert (theirs["verdict"], theirs["reasons"], theirs["missing"]) == (ours.verdict, ours.reasons, ours.missing)
    for name in _TABLES:  # compared as written, so both went through the same CSV round trip
        expected = pd.read_csv(io.StringIO(getattr(ours, name).to_csv(index=False)))
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / f"{name}.csv"), expected, obj=name)
    assert remote.centrality().equals(bundled.centrality())


def test_rebuild_replaces_the_graphs_and_removes_staging(remote: g60kg.KnowledgeGraph, server: Server,
                                                         tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://e/a> <http://e/b> <http://e/c> .\n")
    remote.build([extra])
    assert "https://w3id.org/g60kg/graph/file-extra" in remote.store.graphs()
    remote.build()
    names = remote.store.client.post(server.query_url, [("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                                        "FILTER(CONTAINS(STR(?g), 'g60kg')) }")], "text/csv").decode()
    assert "file-extra" not in names and "staging-" not in names and "graph/union" in names


def test_a_failed_build_leaves_the_server_graph(remote: g60kg.KnowledgeGraph, server: Server, tmp_path: Path,
                                                user_table) -> None:
    before = remote.export("nq")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://w3id.org/g60kg/id/obs/x> a <https://w3id.org/g60kg/ontology#Observation> .\n")
    with pytest.raises(g60kg.ValidationError):
        remote.build([broken], strict=True)
    bad_row = user_table("甲公司,嘉兴市,2020-13-45,100,my-list\n")
    with pytest.raises(InputError, match="firms.csv"):
        remote.build([bad_row], strict=True)
    assert remote.export("nq") == before
    assert not [g for g in remote.store.client.select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), 'staging-')) }")["results"]["bindings"]]


@pytest.mark.parametrize("server", ["virtuoso"], indirect=True)
def test_wrong_or_missing_credentials_give_a_clear_error(remote: g60kg.KnowledgeGraph, server: Server) -> None:
    before = remote.stats()
    wrong = g60kg.open_graph(server.query_url, update_url=server.update_url, user="dba", password="not-the-password")
    with pytest.raises(StoreError, match=r"refused user 'dba' \(HTTP 401\): check --user and --password"):
        wrong.build()
    anonymous = g60kg.open_graph(server.query_url, update_url=server.update_url)
    with pytest.raises(StoreError, match=r"needs credentials \(HTTP 401\): give --user and --password"):
        anonymous.build()
    public = g60kg.open_graph(server.query_url)  # updates sent to the read-only /sparql
    with pytest.raises(StoreError, match="send updates to /sparql-auth"):
        public.build()
    result = CliRunner().invoke(main, ["build", "--store", server.query_url, "--update-url", server.update_url,
                                       "--user", "dba", "--password", "wrong"])
    assert result.exit_code == 1 and "refused user 'dba'" in result.output and "Traceback" not in result.output
    assert remote.stats() == before


def test_results_a_server_cuts_short_are_an_error(tmp_path: Path) -> None:
    small = start_virtuoso(tmp_path, max_rows=100)
    try:
        kg = g60kg.open_graph(small.query_url, **small.options)
        kg.store.load(b"".join(b'<http://e/s%d> <http://e/p> "%d" <https://w3id.org/g60kg/graph/t> .\n' % (i, i)
                               for i in range(150)))
        assert len(kg.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 99")) == 99
        with pytest.raises(StoreError, match=r"as many rows as its limit allows \(100\).*ResultSetMaxRows"):
            kg.query("SELECT ?s WHERE { ?s ?p ?o }")
        with pytest.raises(StoreError, match="may be cut short"):
            kg.export("nq")
    finally:
        small.stop()


def test_validate_and_report_commands_on_a_server(remote: g60kg.KnowledgeGraph, server: Server,
                                                  bundled: g60kg.KnowledgeGraph, tmp_path: Path) -> None:
    runner, options = CliRunner(), ["--store", server.query_url, *server.cli_options]
    validated = runner.invoke(main, ["validate", *options])
    assert validated.exit_code == 0 and validated.output.startswith("conforms: 0 violations"), validated.output
    assert validated.output == bundled.validate().text(50) + "\n"
    result = runner.invoke(main, ["report", "--replicates", "50", "--out", str(tmp_path / "server"), *options])
    assert result.exit_code == 0, result.output
    write_report(bundled, tmp_path / "embedded", n=50)
    timing = re.compile(r"\d+\.\d+ (s\b|秒)")  # how long each run took is all that may differ
    theirs, ours = ((tmp_path / side / "report.md").read_text(encoding="utf-8") for side in ("server", "embedded"))
    assert timing.sub("", theirs) == timing.sub("", ours)
