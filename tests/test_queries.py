"""Named queries: the catalog's headers, parameter binding, injection, the CLI, and the
expected rows of every query on the bundled graph."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main
from g60kg.errors import InputError, QueryError
from g60kg.graph.knowledge_graph import _PROLOGUE
from g60kg.graph.prebind import prebind
from g60kg.queries import catalog, catalog_table, named_query
from g60kg.queries.catalog import parse_header

ROOT = Path(__file__).resolve().parents[1]
INJECTION = '"} DELETE WHERE {?s ?p ?o} #'


def rows(frame: pd.DataFrame, *columns: str) -> set[tuple]:
    """The rows of some columns as a set of tuples (missing values as None)."""
    return {tuple(None if pd.isna(v) else v for v in row) for row in frame[list(columns)].itertuples(index=False)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("queries") / "store"
    assert CliRunner().invoke(main, ["build", "--store", str(store)]).exit_code == 0
    return store


# -- the catalog -------------------------------------------------------------------------

def test_the_catalog_has_at_least_fifteen_queries_sorted_by_name() -> None:
    names = list(catalog())
    assert len(names) >= 15 and names == sorted(names)


@pytest.mark.parametrize("name", sorted(catalog()))
def test_every_header_is_complete_and_every_parameter_is_projected(name: str) -> None:
    query = named_query(name)
    assert query.title_zh and query.title_en and len(query.description) > 30
    assert re.search(r"[\u4e00-\u9fff]", query.title_zh) and query.title_en.isascii()
    projection = re.search(r"(?is)^\s*SELECT\b(.*?)\bWHERE\b", re.sub(r"(?m)^#.*$", "", query.text))
    assert projection, "a named query is a SELECT query"
    for parameter in query.parameters:
        assert parameter.description and parameter.example
        assert re.search(rf"\?{parameter.name}\b", projection[1]), f"{parameter.name} is not in the projection"
        parameter.term(parameter.default)  # the default has the declared type


def test_a_header_without_titles_names_the_file() -> None:
    with pytest.raises(InputError, match=r"x\.rq: the header lacks title_en"):
        parse_header("x", "# title_zh: 城市\n# description: all cities\nSELECT ?c WHERE { ?c a g60:City }")


def test_a_parameter_of_an_unknown_type_names_it() -> None:
    text = "# title_zh: 城市\n# title_en: c\n# description: d\n# param: n\n#   type: float\n#   default: 1\n#   example: 2\n#   description: n\n"
    with pytest.raises(InputError, match=r"x\.rq:n: parameter n has type 'float'"):
        parse_header("x", text + "SELECT ?n WHERE {}")


def test_catalog_table_lists_names_titles_and_parameters() -> None:
    table = catalog_table()
    row = table.set_index("name").loc["entities-in-city"]
    assert row["title_zh"] == "某城市的某类实体"
    assert row["parameters"] == "city (entity) = place/songjiang, class (iri) = g60:Enterprise"


# -- binding -----------------------------------------------------------------------------

def test_bind_converts_each_type_and_names_the_parameter_on_error() -> None:
    query = named_query("entities-in-city")
    terms = query.bind({"city": "g60place:hefei"})
    assert terms == {"city": ox.NamedNode("https://w3id.org/g60kg/id/place/hefei"),
                     "class": ox.NamedNode("https://w3id.org/g60kg/ontology#Enterprise")}
    with pytest.raises(QueryError, match=r"parameter class: expected an IRI .* got 'Enterprise'"):
        query.bind({"class": "Enterprise"})
    with pytest.raises(QueryError, match="parameter city: expected a name, an alias, an id"):
        query.bind({"city": "嘉兴"})  # a name needs the graph to resolve it


def test_unknown_parameter_lists_the_valid_ones(bundled: g60kg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"entities-in-city has no parameter 'town'; its parameters: city, class"):
        bundled.query("entities-in-city", town="松江")


def test_unknown_query_name_lists_the_known_ones(bundled: g60kg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"no named query 'cities'; known: .*entities-in-city"):
        bundled.query("cities")


def test_entity_names_and_aliases_resolve_through_the_graph(bundled: g60kg.KnowledgeGraph) -> None:
    by_alias = bundled.query("entities-in-city", city="松江")
    by_id = bundled.query("entities-in-city", city="place/songjiang")
    by_iri = bundled.query("entities-in-city", city="https://w3id.org/g60kg/id/place/songjiang")
    assert by_alias.equals(by_id) and by_id.equals(by_iri)
    with pytest.raises(QueryError, match="parameter city: no entity is named '火星'"):
        bundled.query("entities-in-city", city="火星")


@pytest.mark.parametrize("name", sorted(catalog()))
def test_prebinding_in_the_text_gives_the_rows_of_native_binding(bundled: g60kg.KnowledgeGraph, name: str) -> None:
    """What a SPARQL server receives (terms written into the text) answers as the
    embedded store does with native bindings, example values included."""
    query = named_query(name)
    for values in ({}, {p.name: p.example for p in query.parameters}):
        terms = query.bind(values, bundled._resolve)
        native = bundled.store.select(_PROLOGUE + query.text, terms)
        written = bundled.store.select(prebind(_PROLOGUE + query.text, terms))
        assert json.loads(native)["results"] == json.loads(written)["results"]


def test_prebind_escapes_the_value_and_leaves_strings_and_iris_alone() -> None:
    text = 'SELECT ?x WHERE { ?s <http://e/?x> "?x" FILTER(?x = ?s) } GROUP BY ?x'
    bound = prebind(text, {"x": ox.Literal(INJECTION)})
    assert bound == ('SELECT ("\\"} DELETE WHERE {?s ?p ?o} #" AS ?x) WHERE { ?s <http://e/?x> "?x" '
                     'FILTER("\\"} DELETE WHERE {?s ?p ?o} #" = ?s) } GROUP BY ("\\"} DELETE WHERE {?s ?p ?o} #")')


# -- injection ---------------------------------------------------------------------------

def test_an_injected_value_is_a_value(tmp_path: Path) -> None:
    kg = g60kg.open_graph("memory")
    kg.build()
    before = len(kg.store)
    for name, query in catalog().items():
        for parameter in query.parameters:
            if parameter.type == "string":
                assert kg.query(name, **{parameter.name: INJECTION}).empty, name
    with pytest.raises(QueryError, match="parameter city: no entity is named"):
        kg.query("entities-in-city", city=INJECTION)
    with pytest.raises(QueryError, match="parameter class: expected an IRI"):
        kg.query("entities-in-city", **{"class": INJECTION})
    text = kg.query("SELECT ?s ?v WHERE { ?s rdfs:label ?v }", v=INJECTION)
    assert text.empty and len(kg.store) == before


def test_an_injected_value_from_the_command_line_is_a_value(built: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = CliRunner().invoke(main, ["query", count, "--store", str(built), "--format", "csv"]).output
    string_param = next((q.name, p.name) for q in catalog().values() for p in q.parameters if p.type == "string")
    result = CliRunner().invoke(main, ["query", string_param[0], "--store", str(built), "--format", "json",
                                       "--param", f"{string_param[1]}={INJECTION}"])
    assert result.exit_code == 0 and json.loads(result.output) == []
    refused = CliRunner().invoke(main, ["query", "entities-in-city", "--store", str(built), "--param", f"city={INJECTION}"])
    assert refused.exit_code == 1 and "parameter city: no entity is named" in refused.output
    after = CliRunner().invoke(main, ["query", count, "--store", str(built), "--format", "csv"]).output
    assert before == after and int(before.split()[-1]) > 10_000


# -- the command line --------------------------------------------------------------------

def test_queries_lists_every_named_query() -> None:
    result = CliRunner().invoke(main, ["queries", "--format", "csv"])
    assert result.exit_code == 0
    listed = pd.read_csv(__import__("io").StringIO(result.output))
    assert listed["name"].tolist() == list(catalog())


def test_query_runs_a_named_query_with_parameters(built: Path) -> None:
    result = CliRunner().invoke(main, ["query", "entities-in-city", "--store", str(built), "--param", "city=芜湖",
                                       "--param", "class=g60:Organization", "--format", "json"])
    assert result.exit_code == 0, result.output
    entities = {row["entity"] for row in json.loads(result.output)}
    assert {"g60org:chery-nev-tech", "g60org:g60-robot-alliance"} <= entities


def test_query_param_without_equals_is_a_usage_error(built: Path) -> None:
    result = CliRunner().invoke(main, ["query", "entities-in-city", "--store", str(built), "--param", "city"])
    assert result.exit_code == 2 and "expected NAME=VALUE, got 'city'" in result.output


def test_a_syntax_error_in_a_file_names_line_and_column(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("SELECT ?s\nWHERE { ?s ?p }", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "--file", str(path), "--store", str(built)])
    assert result.exit_code == 1 and "SPARQL syntax error at line 2, column" in result.output


# -- expected rows on the bundled graph --------------------------------------------------

def test_entities_in_city(bundled: g60kg.KnowledgeGraph) -> None:
    frame = bundled.query("entities-in-city")
    assert {"g60org:kuka-robotics-shanghai", "g60org:keda-zhineng", "g60org:hengchi-new-energy"} <= set(frame["entity"])
    assert set(frame["city"]) == {"g60place:songjiang"} and set(frame["class"]) == {"g60:Enterprise"}
    keda = frame.set_index("entity").loc["g60org:keda-zhineng"]
    assert keda["name_zh"] == "科大智能" and keda["sources"] == "seed-songjiang-g60 | al-cri-2019-ai-alliance"
    wuhu = bundled.query("entities-in-city", city="芜湖", **{"class": "g60:Organization"})
    assert rows(wuhu, "entity", "name_zh") >= {("g60org:chery-nev-tech", "奇瑞新能源汽车技术有限公司"),
                                                ("g60org:g60-robot-alliance", "G60科创走廊机器人产业联盟")}
    shanghai = bundled.query("entities-in-city", city="上海市")
    assert set(frame["entity"]) <= set(shanghai["entity"])  # Songjiang is part of Shanghai
