"""Named queries rewritten for speed give the rows of the text they replace.

``tests/query_references/NAME.rq`` is the former text of a named query, kept as the
statement of what it means; the current ``g60kg/queries/NAME.rq`` must give the same rows
(as a multiset, with its parameters' defaults and examples) on the bundled graph and on
the bundled graph plus a generated corridor (``benchmarks/generate.py``). A value that
``GROUP_CONCAT`` joins is compared as the set of its parts: the order of its parts is the
store's plan's, which a rewrite may change.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

import g60kg
from g60kg.ontology import PROLOGUE
from g60kg.queries import named_query

HERE = Path(__file__).resolve().parent
REFERENCES = sorted((HERE / "query_references").glob("*.rq"))
JOINED = {"city_names": "、"}  # GROUP_CONCAT columns of the references, by separator


@pytest.fixture(scope="module")
def corridor(tmp_path_factory: pytest.TempPathFactory) -> g60kg.KnowledgeGraph:
    """The bundled graph plus a generated corridor of 500 enterprises, in memory."""
    spec = importlib.util.spec_from_file_location("generate", HERE.parent / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(generate)  # type: ignore[union-attr]
    kg = g60kg.open_graph("memory")
    kg.build(generate.write_dataset(0.5, tmp_path_factory.mktemp("corridor")), validate=False)
    return kg


def _rows(kg: g60kg.KnowledgeGraph, text: str, terms: dict) -> Counter:
    results = json.loads(kg.store.select(PROLOGUE + text, terms))
    names = results["head"]["vars"]

    def cell(name: str, binding: dict) -> object:
        value = binding.get(name)
        if value is None:
            return None
        if name in JOINED:
            return frozenset(value["value"].split(JOINED[name]))
        return tuple(sorted(value.items()))

    return Counter(tuple(cell(n, b) for n in names) for b in results["results"]["bindings"])


@pytest.mark.parametrize("reference", REFERENCES, ids=[p.stem for p in REFERENCES])
@pytest.mark.parametrize("graph", ["bundled", "corridor"])
def test_a_rewritten_query_gives_the_rows_of_its_former_text(reference: Path, graph: str,
                                                            request: pytest.FixtureRequest) -> None:
    kg = request.getfixturevalue(graph)
    query = named_query(reference.stem)
    for values in ({}, {p.name: p.example for p in query.parameters}):
        terms = query.bind(values, kg._resolve)
        expected = _rows(kg, reference.read_text(encoding="utf-8"), terms)
        assert expected, f"{reference.stem} {values}: no rows to compare"
        assert _rows(kg, query.text, terms) == expected, f"{reference.stem} {values}"


_INDEX = "SELECT ?place ?outer WHERE { GRAPH g60graph:within { ?place g60:within ?outer } }"
_WALKED = """SELECT DISTINCT ?place ?outer WHERE {
  { ?x g60:locatedIn|g60:partOf ?place } UNION { ?place a g60:City } UNION { ?place a g60:District }
  ?place (g60:locatedIn|g60:partOf)* ?outer }"""


def _pairs(kg: g60kg.KnowledgeGraph, text: str) -> set[tuple[str, str]]:
    return set(kg.query(text).itertuples(index=False, name=None))


def test_the_containment_index_is_the_walk_it_replaces_after_every_kind_of_build(
        bundled: g60kg.KnowledgeGraph, corridor: g60kg.KnowledgeGraph) -> None:
    """The index the rewritten queries read (``g60kg.build.within``) holds what walking
    g60:locatedIn|g60:partOf gives from each place that holds anything and from each
    city and district: after a build of the bundled data, of a larger one,
    a rebuild of a smaller one into the same store, and a source's removal."""
    for kg in (bundled, corridor):
        assert _pairs(kg, _INDEX) == _pairs(kg, _WALKED)
    kg = g60kg.open_graph("memory")
    kg.build(validate=False)
    kg.build(bundled=False, validate=False)  # a rebuild replaces the index with the new graph's
    assert _pairs(kg, _INDEX) == _pairs(kg, _WALKED) == set()
    kg.build(validate=False)
    before = _pairs(kg, _INDEX)
    kg.remove_source("seed-songjiang-g60")
    after = _pairs(kg, _INDEX)
    assert after == _pairs(kg, _WALKED) and after != before
