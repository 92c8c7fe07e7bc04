"""One copy of each triple (g60kg.build.sharing): what several sources state lives once,
in a graph they share, and removing a source leaves the graph a build without it makes."""

from __future__ import annotations

from pathlib import Path

import pytest

import g60kg

_MAPPING = """kind: entities
fields: {name: name, source: source, quote: quote}
defaults: {class: Enterprise}
properties:
  city: {property: g60:locatedIn, ref: place}
sources:
  my-list: {title: My list of firms, publisher: Me, language: zh}
"""
# 科大智能 in 松江, as the bundled seed article and an alliance report say too; one firm of its own.
_ROWS = "name,city,source,quote\n科大智能,松江,my-list,科大智能位于松江\n某某测试科技有限公司,嘉兴,my-list,某某测试科技有限公司在嘉兴\n"


@pytest.fixture()
def user_list(tmp_path: Path) -> Path:
    (tmp_path / "firms.mapping.yaml").write_text(_MAPPING, encoding="utf-8")
    table = tmp_path / "firms.csv"
    table.write_text(_ROWS, encoding="utf-8")
    return table


def _graphs_per_triple(kg: g60kg.KnowledgeGraph) -> int:
    """The most named graphs that hold one triple."""
    frame = kg.query("SELECT (MAX(?n) AS ?most) WHERE { SELECT (COUNT(?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                     "GROUP BY ?s ?p ?o }")
    return int(frame["most"].iloc[0])


def test_a_triple_that_several_sources_state_is_stored_once_in_their_shared_graph(user_list: Path) -> None:
    kg = g60kg.open_graph("memory")
    report = kg.build([user_list])
    assert report.issues == [] and report.validation.conforms
    assert _graphs_per_triple(kg) == 1
    assert kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["n"].iloc[0] == report.quads
    held = kg.query("""SELECT ?g (GROUP_CONCAT(?id; separator=" ") AS ?sources) WHERE {
        GRAPH ?g { g60org:keda-zhineng g60:locatedIn g60place:songjiang }
        GRAPH g60graph:sources { ?g prov:wasDerivedFrom ?src } BIND (STRAFTER(STR(?src), STR(g60src:)) AS ?id)
      } GROUP BY ?g""")
    assert len(held) == 1
    sources = ["al-cri-2019-ai-alliance", "ds-szse-a-share-list-2025", "my-list", "seed-songjiang-g60"]
    assert held["g"].iloc[0] == "g60graph:" + "+".join(sources)  # the exchange's list places it in Songjiang too
    assert sorted(held["sources"].iloc[0].split()) == sources
    # Each source keeps its own words about it, in its own graph.
    quotes = kg.query("""SELECT ?g ?quote WHERE { GRAPH ?g { ?fact rdf:subject g60org:keda-zhineng ;
        rdf:predicate g60:locatedIn ; g60:quote ?quote } }""")
    assert ("g60graph:my-list", "科大智能位于松江") in set(zip(quotes["g"], quotes["quote"]))
    # Every graph that holds facts is registered, a shared one with every source it names
    # (the ontology, the registry and the build's containment index stand for no source).
    unregistered = kg.query("""SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o }
        FILTER NOT EXISTS { GRAPH g60graph:sources { ?g prov:wasDerivedFrom ?src } }
        FILTER (?g NOT IN (g60graph:ontology, g60graph:sources, g60graph:within)) }""")
    assert unregistered.empty


def test_removing_a_source_leaves_the_graph_of_a_build_without_it(user_list: Path) -> None:
    without = g60kg.open_graph("memory")
    without.build()
    kg = g60kg.open_graph("memory")
    kg.build([user_list])
    removed = kg.remove_source("my-list")
    assert removed > 0  # its own firm and its statements
    assert kg.export("nq") == without.export("nq")


def test_removing_a_bundled_source_moves_what_it_shared_to_the_others() -> None:
    kg = g60kg.open_graph("memory")
    kg.build()
    said = """SELECT (COUNT(*) AS ?n) WHERE {
        GRAPH g60graph:sources { ?g prov:wasDerivedFrom g60src:al-cri-2019-ai-alliance } GRAPH ?g { ?s ?p ?o } }"""
    before = kg.query(said)["n"][0]
    kg.remove_source("seed-songjiang-g60")
    assert _graphs_per_triple(kg) == 1
    # The alliance report's word on 科大智能's place is now shared with the exchange's list alone.
    held = kg.query("SELECT ?g WHERE { GRAPH ?g { g60org:keda-zhineng g60:locatedIn g60place:songjiang } }")
    assert held["g"].tolist() == ["g60graph:al-cri-2019-ai-alliance+ds-szse-a-share-list-2025"]
    assert kg.query(said)["n"][0] == before  # nothing the alliance report states was lost with the seed
    left = kg.query("SELECT DISTINCT ?g WHERE { GRAPH g60graph:sources { ?g prov:wasDerivedFrom g60src:seed-songjiang-g60 } }")
    assert left.empty


def test_removing_the_first_source_of_an_entity_keeps_the_keys_the_others_give(tmp_path: Path) -> None:
    # Two lists name one firm; each list's graph holds the name keys of the names it gives
    # (they used to be in the graph of the first list alone, and left with it).
    tables = []
    for name, firm in (("a", "某某测试科技有限公司"), ("b", "某某测试科技有限公司")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "firms.mapping.yaml").write_text(_MAPPING.replace("my-list", name), encoding="utf-8")
        (folder / "firms.csv").write_text(f"name,city,source,quote\n{firm},嘉兴,{name},\n", encoding="utf-8")
        tables.append(folder / "firms.csv")
    only_b = g60kg.open_graph("memory")
    only_b.build(tables[1:])
    kg = g60kg.open_graph("memory")
    kg.build(tables)
    keyed = kg.query("SELECT ?g WHERE { GRAPH ?g { ?firm g60:nameKey '某某测试科技' } }")
    assert keyed["g"].tolist() == ["g60graph:a+b"]
    kg.remove_source("a")
    assert kg.export("nq") == only_b.export("nq")
