"""The embedded store's DataFrames are read from SPARQL TSV in bulk (``tsv_frame``); the
SPARQL JSON reader (``to_frame``, a remote store's) reads every term on its own. Both
must give the same frame: for every named query on the bundled graph, and for terms of
every kind with hostile text."""

from __future__ import annotations

import pandas as pd
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import g60kg
from g60kg.ontology import PROLOGUE
from g60kg.queries import catalog
from g60kg.store.results import solutions_frame, to_frame

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("name", sorted(catalog()))
def test_every_named_query_gives_the_frame_of_its_json_results(bundled: g60kg.KnowledgeGraph, name: str) -> None:
    query = catalog()[name]
    for values in ({}, {p.name: p.example for p in query.parameters}):
        terms = query.bind(values, bundled._resolve)
        fast = bundled.store.frame(PROLOGUE + query.text, terms)
        assert len(fast), f"{name} {values}: no rows to compare"
        pd.testing.assert_frame_equal(fast, to_frame(bundled.store.select(PROLOGUE + query.text, terms)))


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
TERMS = st.one_of(
    st.none(),
    TEXT.map(ox.Literal),
    st.tuples(TEXT, st.sampled_from(["zh", "en", "zh-hans"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    st.integers(-10**12, 10**12).map(ox.Literal),
    st.decimals(-10**6, 10**6, places=3).map(lambda d: ox.Literal(str(d), datatype=ox.NamedNode(XSD + "decimal"))),
    st.floats(allow_nan=False, allow_infinity=False).map(ox.Literal),
    st.booleans().map(ox.Literal),
    st.dates().map(lambda d: ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "date"))),
    st.sampled_from(["https://w3id.org/g60kg/id/place/wuhu", "http://example.org/a#b", "urn:x:1"]).map(ox.NamedNode),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TERMS, TERMS), min_size=1, max_size=6))
def test_terms_of_every_kind_give_the_frame_of_their_json(rows: list[tuple]) -> None:
    store = ox.Store()
    for i, (a, b) in enumerate(rows):  # each row's terms as objects of its own subject
        subject = ox.NamedNode(f"http://example.org/row/{i}")
        for predicate, term in (("a", a), ("b", b)):
            if term is not None:
                store.add(ox.Quad(subject, ox.NamedNode(f"http://example.org/{predicate}"), term))
    query = ("SELECT ?a ?b WHERE { ?row ?any ?value OPTIONAL { ?row <http://example.org/a> ?a } "
             "OPTIONAL { ?row <http://example.org/b> ?b } } ORDER BY ?row")
    fast = solutions_frame(store.query(query))
    pd.testing.assert_frame_equal(fast, to_frame(store.query(query).serialize(format=ox.QueryResultsFormat.JSON)))
