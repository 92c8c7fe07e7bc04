"""Paging through a query's rows at each layer: the text rewrite (``g60kg.queries.paging``),
the Python API (``kg.query(..., limit=, offset=)``), the CLI (``g60kg query --limit
--offset``) and the endpoint's named queries (``?limit=&offset=``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main
from g60kg.errors import QueryError
from g60kg.queries.paging import page, page_params
from g60kg.server.app import Endpoint
from g60kg.server.security import Policy
from g60kg.store.ordering import run_ordered, split_page

# A total order (every row told apart), so a page is that slice of the whole result.
ORDERED = "SELECT ?s ?o ?g WHERE { GRAPH ?g { ?s a ?o } } ORDER BY ?s ?o ?g"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data built into a store directory (closed again, for the endpoint)."""
    path = tmp_path_factory.mktemp("paged") / "kg.oxigraph"
    g60kg.open_graph(str(path)).build(validate=False)
    return path


@pytest.fixture(scope="module")
def endpoint(store: Path) -> Iterator[Endpoint]:
    served = Endpoint(store, Policy(max_rows=100), workers=1)
    yield served
    served.close()


def _rows(frame) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return [tuple(map(str, row)) for row in frame.itertuples(index=False)]


@pytest.mark.parametrize("text, limit, offset, expected", [
    ("SELECT * { ?s ?p ?o }", 10, 0, "SELECT * { ?s ?p ?o }\nLIMIT 10"),
    ("SELECT * { ?s ?p ?o } # LIMIT 3", None, 4, "SELECT * { ?s ?p ?o } # LIMIT 3\nOFFSET 4"),
    ("SELECT * { ?s ?p ?o } LIMIT 25 OFFSET 5", 10, 20, "SELECT * { ?s ?p ?o } \nLIMIT 5 OFFSET 25"),
    ("SELECT * { ?s ?p ?o } LIMIT 25", 10, 30, "SELECT * { ?s ?p ?o } \nLIMIT 0 OFFSET 30"),
    ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 3 } ?s ?q 'LIMIT 9' }", 2, 0,
     "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 3 } ?s ?q 'LIMIT 9' }\nLIMIT 2"),
    ("SELECT ?s { ?s ?p ?o } ORDER BY ?s VALUES ?s { <a> }", 1, 1,
     "SELECT ?s { ?s ?p ?o } ORDER BY ?s \nLIMIT 1 OFFSET 1\nVALUES ?s { <a> }"),
])
def test_a_page_is_written_into_the_query_as_limit_and_offset(text: str, limit: int | None, offset: int,
                                                              expected: str) -> None:
    assert page(text, limit=limit, offset=offset) == expected


@pytest.mark.parametrize("limit, offset", [(-1, 0), (1, -2), (1.5, 0), (True, 0)])
def test_a_bad_page_is_refused_with_what_was_expected(limit, offset) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError, match="must be a whole number, 0 or more"):
        page("SELECT * { ?s ?p ?o }", limit=limit, offset=offset)


def test_page_parameters_leave_a_querys_own_parameters_of_those_names() -> None:
    assert page_params({"limit": "5", "offset": " 7 ", "city": "芜湖"}) == ({"city": "芜湖"}, 5, 7)
    assert page_params({"limit": "5"}, taken={"limit"}) == ({"limit": "5"}, None, 0)
    with pytest.raises(QueryError, match="offset must be a whole number"):
        page_params({"offset": "-3"})


@pytest.mark.parametrize("text, expected", [
    ("SELECT * { ?s ?p ?o } ORDER BY ?s\nLIMIT 10 OFFSET 20", ("SELECT * { ?s ?p ?o } ORDER BY ?s\n", 20, 10)),
    ("SELECT * { ?s ?p ?o } OFFSET 3 # the rest", ("SELECT * { ?s ?p ?o } ", 3, None)),
    ("SELECT * { ?s ?p ?o } LIMIT 2 VALUES ?s { <a> }", ("SELECT * { ?s ?p ?o } LIMIT 2 VALUES ?s { <a> }", 0, None)),
    ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 2 } }", ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 2 } }", 0, None)),
])
def test_a_final_page_is_split_from_the_query(text: str, expected: tuple) -> None:  # type: ignore[type-arg]
    assert split_page(text) == expected


def test_an_ordered_page_is_sorted_in_python_then_cut_and_the_row_limit_counts_the_page() -> None:
    import pyoxigraph as ox

    store, sent = ox.Store(), []

    def run(text: str):  # type: ignore[no-untyped-def]
        sent.append(text)
        return store.query(text)

    def limited(rows):  # type: ignore[no-untyped-def]
        rows = list(rows)
        assert len(rows) <= 2, "the row limit counts the page, not the rows it was cut from"
        return rows

    query = "SELECT ?n WHERE { VALUES ?n { 5 3 1 4 2 } } ORDER BY DESC(?n)\nLIMIT 2 OFFSET 1"
    page_rows = run_ordered(run, query, limited=limited)
    assert [row[0].value for row in page_rows] == ["4", "3"]
    assert sent == ["SELECT ?n WHERE { VALUES ?n { 5 3 1 4 2 } } "]  # the store neither sorts nor cuts


def test_pages_of_the_api_are_slices_of_the_whole_result(bundled: g60kg.KnowledgeGraph) -> None:
    whole = _rows(bundled.query(ORDERED))
    assert len(whole) > 1000
    for start in (0, 40, len(whole) - 25):
        assert _rows(bundled.query(ORDERED, limit=40, offset=start)) == whole[start:start + 40]
    assert _rows(bundled.query(ORDERED, offset=len(whole) - 3)) == whole[-3:]
    assert bundled.query(ORDERED, offset=len(whole)).empty


def test_a_named_query_pages_in_the_api(bundled: g60kg.KnowledgeGraph) -> None:
    whole = bundled.query("search-names")
    first, second = (bundled.query("search-names", limit=70, offset=o) for o in (0, 70))
    assert len(first) == len(second) == 70
    rows = {*_rows(first), *_rows(second)}
    assert len(rows) == 140 and rows <= set(_rows(whole))


def test_the_cli_prints_one_page(store: Path, bundled: g60kg.KnowledgeGraph) -> None:
    result = CliRunner().invoke(main, ["query", ORDERED, "--store", str(store), "--limit", "3", "--offset", "5",
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    printed = list(csv.reader(io.StringIO(result.output)))
    whole = bundled.query(ORDERED)
    assert printed[0] == list(whole.columns)
    assert printed[1:] == [list(row) for row in _rows(whole)[5:8]]
    refused = CliRunner().invoke(main, ["query", ORDERED, "--store", str(store), "--limit", "-1"])
    assert refused.exit_code != 0 and "--limit" in refused.output


def test_the_endpoint_pages_a_named_query_past_its_row_limit(endpoint: Endpoint,
                                                             bundled: g60kg.KnowledgeGraph) -> None:
    whole = bundled.query("search-names")
    assert len(whole) > 100  # more than the endpoint's row limit: refused unless paged
    refused = endpoint.named("search-names", {"format": "csv"}, None)
    assert refused.status == 400 and "limit" in refused.body.decode()
    pages = [endpoint.named("search-names", {"limit": "90", "offset": str(o), "format": "csv"}, None)
             for o in range(0, len(whole), 90)]
    assert {p.status for p in pages} == {200}
    rows = [row for p in pages for row in list(csv.reader(io.StringIO(p.body.decode())))[1:]]
    assert len(rows) == len(whole)
    with pytest.raises(QueryError, match="limit must be a whole number"):
        endpoint.named("search-names", {"limit": "all"}, None)
