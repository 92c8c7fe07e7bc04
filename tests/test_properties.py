"""Properties that hold for any input hypothesis can think of: binding a variable in the
text means what SPARQL's VALUES means, every text survives N-Quads escaping, Chinese
numerals read as cn2an reads them, and every row of a user's table is loaded or
reported."""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import USER_MAPPING
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import g60kg
from g60kg.loaders.nquads import escape_text
from g60kg.store.prebind import prebind
from g60kg.text.numbers import parse_chinese_number

E = "http://e/"
_NODES = [ox.NamedNode(E + n) for n in "abcd"]
_VALUES = [*_NODES, ox.Literal("x"), ox.Literal('say "hi"\n'), ox.Literal("3", datatype=ox.NamedNode(
    "http://www.w3.org/2001/XMLSchema#integer")), ox.Literal("松江", language="zh")]
_QUERIES = [
    "SELECT ?s ?v WHERE { ?s <http://e/p> ?v }",
    "SELECT ?s WHERE { ?s <http://e/p> ?v FILTER(?v != <http://e/a>) }",
    "PREFIX ex: <http://e/> SELECT ?s WHERE { ?s ex:by ?v }",
    "SELECT ?v (COUNT(?s) AS ?n) WHERE { ?s ?p ?v } GROUP BY ?v",
    "SELECT ?s ?v WHERE { ?s <http://e/p> ?v } ORDER BY ?v ?s",
    "SELECT ?s WHERE { { SELECT ?v WHERE { ?x <http://e/p> ?v } } ?s <http://e/by> ?v }",
    "SELECT ?v ?n WHERE { { SELECT ?v (COUNT(?s) AS ?n) WHERE { ?s ?p ?v } GROUP BY ?v } }",
    "SELECT * WHERE { VALUES ?v { <http://e/a> \"x\" } ?s <http://e/p> ?v }",
    "SELECT ?s WHERE { ?s <http://e/p> ?o OPTIONAL { ?o <http://e/by> ?v } FILTER(BOUND(?v)) }",
    "SELECT ?s ?o WHERE { ?s <http://e/p> ?v OPTIONAL { ?v <http://e/by> ?o } }",
    "SELECT ?s WHERE { ?s <http://e/p> ?v MINUS { ?v <http://e/by> ?o } }",
    "SELECT ?s WHERE { ?s <http://e/p> ?o FILTER NOT EXISTS { ?o <http://e/by> ?v } }",
    "SELECT ?s ?v WHERE { { ?s <http://e/p> ?v } UNION { ?s <http://e/by> ?o } }",
    "SELECT ?s WHERE { { ?s <http://e/p> ?v } UNION { ?s <http://e/by> ?o } ?s <http://e/p> ?v }",
    "SELECT ?s ?o WHERE { { ?s <http://e/p> ?v } UNION { ?s <http://e/by> ?x } OPTIONAL { ?v <http://e/by> ?o } }",
    "SELECT ?s ?o WHERE { { ?s <http://e/p> ?v } UNION { ?v <http://e/by> ?s } OPTIONAL { ?v <http://e/p> ?o } }",
]


def _rows(store: ox.Store, sparql: str) -> Counter[tuple[str, ...]]:
    result = store.query(sparql)
    return Counter(tuple(str(row[v]) if row[v] is not None else "" for v in result.variables) for row in result)


@settings(max_examples=300, deadline=None)
@given(triples=st.lists(st.tuples(st.sampled_from(_NODES), st.sampled_from([E + "p", E + "by"]),
                                   st.sampled_from(_VALUES)), max_size=12),
       query=st.sampled_from(_QUERIES), value=st.sampled_from(_VALUES))
def test_a_binding_written_into_the_text_means_what_values_means(triples, query, value) -> None:
    store = ox.Store()
    store.extend(ox.Quad(s, ox.NamedNode(p), o) for s, p, o in triples)
    bound = prebind(query, {"v": value})
    assert _rows(store, bound) == _rows(store, f"{query}\nVALUES ?v {{ {value} }}"), bound


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_text_survives_n_quads_escaping(text: str) -> None:
    line = f'<http://e/s> <http://e/p> "{escape_text(text)}" <http://e/g> .\n'
    [quad] = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    assert quad.object.value == text


@settings(deadline=None)  # the first example loads cn2an; a busy machine is no failure
@given(st.integers(min_value=0, max_value=10**15))
def test_chinese_numerals_read_as_cn2an_reads_them(number: int) -> None:
    cn2an = pytest.importorskip("cn2an")
    for written in (cn2an.an2cn(number), cn2an.an2cn(number, "low")):
        assert parse_chinese_number(written) == Decimal(number) == Decimal(cn2an.cn2an(written, "strict")), written


_CELL = st.one_of(st.text(max_size=8), st.sampled_from(["2018", "2018-09", "2018-02-30", "19x1", "1e5", "-3", "", "芜湖"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_CELL, _CELL, _CELL, _CELL, st.sampled_from(["my-list", "my-list", "nosuch", ""])),
                     min_size=1, max_size=6))
def test_every_row_of_a_users_table_is_loaded_or_reported(rows) -> None:
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "firms.csv"
        with table.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["企业名称", "城市", "成立日期", "注册资本万元", "来源"])
            for i, (name, city, founded, capital, source) in enumerate(rows):
                writer.writerow([f"F{i:03d}{name}", city, founded, capital, source])
        (Path(folder) / "firms.yaml").write_text(USER_MAPPING, encoding="utf-8")
        kg = g60kg.open_graph("memory")
        report = kg.build([Path(folder) / "firms.yaml"], bundled=False, validate=False)
        labels = kg.query("SELECT ?l WHERE { ?e a g60:Enterprise ; rdfs:label ?l }")["l"].astype(str).tolist()
    reported = {issue.where.row for issue in report.issues}
    for i in range(len(rows)):
        loaded = any(label.startswith(f"F{i:03d}") for label in labels)
        assert loaded or (i + 2) in reported, f"row {i + 2} was neither loaded nor reported"
