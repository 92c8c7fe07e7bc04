"""Projections into networkx: a small corridor written as tables in tmp_path gives exactly
the edges a person expects, each with the statements behind it; the bundled data at both
resolutions; users' link counts as a layer with provenance."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import networkx as nx
import pandas as pd
import pytest

import g60kg
from g60kg.errors import StoreError
from g60kg.network.entities import entity_table
from g60kg.network.cities import (bipartite_city_org, city_evidence, city_layers, city_map, city_network, entity_graph,
                                  tie_table)
from g60kg.loaders.links import links_input
from g60kg.ontology import PREFIXES, PROLOGUE

SOURCES = """\
    sources:
      s1: {title: Source one, publisher: 测试, language: zh}
      s2: {title: Source two, publisher: 测试, language: zh}
    """
ENTITIES = """\
    id,class,name,city,lat,lon,source,quote
    corridor/test,Corridor,测试走廊,,,,s1,测试走廊
    place/aa,City,甲市,,30.0,120.0,s1,甲市
    place/bb,City,乙市,,30.5,120.5,s1,乙市
    place/cc,City,丙市,,31.0,121.0,s1,丙市
    place/dd,City,丁市,,,,s1,丁市
    org/alliance-x,Alliance,某产业联盟,place/cc,,,s1,某产业联盟设在丙市
    org/firm-a,Enterprise,甲公司,place/aa,,,s1,甲公司位于甲市
    org/firm-b,Enterprise,乙公司,place/bb,,,s1,乙公司位于乙市
    org/park-d,Park,丁飞地园区,place/bb,,,s2,丁市在乙市的飞地园区
    """
RELATIONS = """\
    subject,predicate,object,source,quote
    place/aa,partOf,corridor/test,s1,甲乙丙丁四市组成测试走廊
    place/bb,partOf,corridor/test,s1,甲乙丙丁四市组成测试走廊
    place/cc,partOf,corridor/test,s1,甲乙丙丁四市组成测试走廊
    place/dd,partOf,corridor/test,s1,甲乙丙丁四市组成测试走廊
    org/firm-a,memberOf,org/alliance-x,s1,甲公司加入某产业联盟
    org/firm-b,memberOf,org/alliance-x,s2,乙公司加入某产业联盟
    org/firm-a,hasBranchIn,place/dd,s2,甲公司在丁市设立分公司
    place/dd,operates,org/park-d,s2,丁市运营乙市飞地园区
    place/aa,adjacentTo,place/bb,s1,甲乙两市相邻
    place/aa,centralNodeOf,corridor/test,s1,甲市是中心节点
    """


def write_corridor(folder: Path, entities: str = ENTITIES, relations: str = RELATIONS) -> list[Path]:
    """A four-city corridor as two tables with mappings beside them."""
    (folder / "entities.csv").write_text(dedent(entities), encoding="utf-8")
    (folder / "entities.mapping.yaml").write_text(dedent("""\
        kind: entities
        fields: {id: id, class: class, name: name, source: source, quote: quote}
        properties:
          city: {property: g60:locatedIn, ref: place}
          lat: {property: g60:lat, datatype: decimal}
          lon: {property: g60:lon, datatype: decimal}
        """) + dedent(SOURCES), encoding="utf-8")
    (folder / "relations.csv").write_text(dedent(relations), encoding="utf-8")
    (folder / "relations.mapping.yaml").write_text(dedent("""\
        kind: relations
        fields: {subject: subject, predicate: predicate, object: object, source: source, quote: quote}
        """) + dedent(SOURCES), encoding="utf-8")
    return [folder / "entities.csv", folder / "relations.csv"]


@pytest.fixture
def corridor(tmp_path: Path) -> g60kg.KnowledgeGraph:
    kg = g60kg.open_graph("memory")
    report = kg.build(write_corridor(tmp_path), bundled=False)
    assert report.issues == [] and report.validation.conforms
    return kg


def statement(kg: g60kg.KnowledgeGraph, s: str, p: str, o: str) -> str:
    frame = kg.query(f"SELECT ?st WHERE {{ ?st rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} }}")
    assert len(frame) == 1
    return frame["st"].iloc[0]


def test_fixture_layers_have_the_expected_edges_and_facts(corridor: g60kg.KnowledgeGraph) -> None:
    evidence = city_evidence(corridor, network="g60corridor:test")
    assert evidence.members == ["g60place:aa", "g60place:bb", "g60place:cc", "g60place:dd"]
    layers = city_layers(evidence)
    edges = {name: sorted(tuple(sorted(e)) for e in g.edges()) for name, g in layers.items()}
    # Two firms of 甲 and 乙 in one alliance seated in 丙: the three share it.
    assert edges["institutional"] == [("g60place:aa", "g60place:bb"), ("g60place:aa", "g60place:cc"),
                                      ("g60place:bb", "g60place:cc")]
    # 甲's firm has a branch in 丁; 丁 runs an enclave park in 乙.
    assert edges["enterprise"] == [("g60place:aa", "g60place:dd"), ("g60place:bb", "g60place:dd")]
    assert edges["infrastructure"] == [("g60place:aa", "g60place:bb")]
    assert edges["knowledge"] == []
    member_a = statement(corridor, "g60org:firm-a", "g60:memberOf", "g60org:alliance-x")
    member_b = statement(corridor, "g60org:firm-b", "g60:memberOf", "g60org:alliance-x")
    shared = layers["institutional"].edges["g60place:aa", "g60place:bb"]
    assert shared["facts"] == sorted([member_a, member_b]) and shared["sources"] == ["s1", "s2"]
    assert shared["weight"] == 1.0 and shared["distance"] == 1.0
    located = statement(corridor, "g60org:firm-a", "g60:locatedIn", "g60place:aa")
    assert located in shared["located_by"]
    seat = layers["institutional"].edges["g60place:aa", "g60place:cc"]
    assert seat["facts"] == [member_a] and seat["sources"] == ["s1"]
    branch = layers["enterprise"].edges["g60place:aa", "g60place:dd"]
    assert branch["facts"] == [statement(corridor, "g60org:firm-a", "g60:hasBranchIn", "g60place:dd")]
    # Every member is a node, with its name and coordinates where the data has them.
    node = layers["knowledge"].nodes["g60place:aa"]
    assert (node["label"], node["lat"], node["lon"]) == ("甲市", 30.0, 120.0)
    assert layers["knowledge"].nodes["g60place:dd"]["lat"] is None


def test_directed_layers_point_from_the_acting_city(corridor: g60kg.KnowledgeGraph) -> None:
    directed = city_layers(city_evidence(corridor, network="g60corridor:test"), directed=True)
    assert sorted(directed["enterprise"].edges()) == [("g60place:aa", "g60place:dd"), ("g60place:dd", "g60place:bb")]
    assert sorted(directed["infrastructure"].edges()) == [("g60place:aa", "g60place:bb"), ("g60place:bb", "g60place:aa")]


def test_the_claim_itself_is_not_evidence(corridor: g60kg.KnowledgeGraph) -> None:
    ties = tie_table(city_evidence(corridor, network="g60corridor:test"))
    assert not ties["tie"].str.contains("centralNodeOf").any()


def test_dropping_a_source_drops_its_ties(corridor: g60kg.KnowledgeGraph) -> None:
    evidence = city_evidence(corridor, network="g60corridor:test")
    without = tie_table(evidence, drop_sources=["s2"])
    assert set(without["layer"]) == {"institutional", "infrastructure"}
    assert sorted(zip(without["a"], without["b"])) == [("g60place:aa", "g60place:bb"), ("g60place:aa", "g60place:cc")]
    # The same through the store: removing the source's graph gives the same ties.
    corridor.remove_source("s2")
    again = tie_table(city_evidence(corridor, network="g60corridor:test"))
    assert sorted(zip(again["layer"], again["a"], again["b"])) == sorted(zip(without["layer"], without["a"], without["b"]))


def test_entity_graph_has_typed_edges_labels_and_classes(corridor: g60kg.KnowledgeGraph) -> None:
    graph = entity_graph(corridor)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.nodes["g60org:alliance-x"]["cls"] == "g60:Alliance"
    assert graph.nodes["g60org:park-d"]["label"] == "丁飞地园区"
    edge = graph.edges["g60org:firm-a", "g60org:alliance-x", "memberOf"]
    assert edge["predicate"] == "g60:memberOf" and edge["sources"] == ["s1"] and "quotes" not in edge
    quoted = entity_graph(corridor, quotes=True).edges["g60org:firm-a", "g60org:alliance-x", "memberOf"]
    assert quoted["quotes"] == ["甲公司加入某产业联盟"] and quoted["facts"] == edge["facts"]
    assert graph.has_edge("g60place:dd", "g60org:park-d", key="operates")


def test_entity_graph_edges_gather_every_source_and_fact(tmp_path: Path) -> None:
    # The same membership stated by s1 with a quote (a statement node) and by s2 without.
    relations = RELATIONS + "    org/firm-a,memberOf,org/alliance-x,s2,\n"
    kg = g60kg.open_graph("memory")
    kg.build(write_corridor(tmp_path, relations=relations), bundled=False)
    quoted = entity_graph(kg, quotes=True)
    edge = quoted.edges["g60org:firm-a", "g60org:alliance-x", "memberOf"]
    stated = statement(kg, "g60org:firm-a", "g60:memberOf", "g60org:alliance-x")
    assert edge["facts"] == sorted([stated, "s2|g60org:firm-a|g60:memberOf|g60org:alliance-x"])
    assert edge["sources"] == ["s1", "s2"] and edge["quotes"] == ["甲公司加入某产业联盟"]
    assert quoted.number_of_edges("g60org:firm-a", "g60org:alliance-x") == 1
    # Nodes go in by id; edges by predicate, then by subject and object.
    assert list(quoted.edges("g60place:aa", keys=True)) == [("g60place:aa", "g60place:bb", "adjacentTo"),
                                                            ("g60place:aa", "g60corridor:test", "centralNodeOf"),
                                                            ("g60place:aa", "g60corridor:test", "partOf")]
    assert list(quoted) == sorted(quoted)


def test_a_triple_that_two_graphs_hold_is_one_edge_with_both_sources(tmp_path: Path) -> None:
    # A store filled outside a build (a server's own graphs) may hold a triple twice.
    kg = g60kg.open_graph("memory")
    kg.build(write_corridor(tmp_path), bundled=False)
    g, src = PREFIXES["g60graph"], PREFIXES["g60src"]
    kg.store.load(f"<{PREFIXES['g60place']}dd> <{PREFIXES['g60']}operates> <{PREFIXES['g60org']}park-d> <{g}extra> .\n"
                  f"<{g}extra> <http://www.w3.org/ns/prov#wasDerivedFrom> <{src}extra> <{g}sources> .\n".encode())
    edge = entity_graph(kg).edges["g60place:dd", "g60org:park-d", "operates"]
    assert edge["sources"] == ["extra", "s2"]
    assert edge["facts"][0] == "extra|g60place:dd|g60:operates|g60org:park-d" and len(edge["facts"]) == 2


def test_the_most_specific_class_of_an_entity(corridor: g60kg.KnowledgeGraph) -> None:
    prologue = PROLOGUE
    extra = "g60org:firm-a a g60:Organization . g60org:park-d a g60:Alliance ."
    corridor.store.update(prologue + f"INSERT DATA {{ GRAPH g60graph:s1 {{ {extra} }} }}")
    table = entity_table(corridor).set_index("entity")
    assert table.loc[["g60org:firm-a"], "class"].tolist() == ["g60:Enterprise"]  # Organization is broader
    assert table.loc[["g60org:park-d"], "class"].tolist() == ["g60:Alliance", "g60:Park"]  # neither is
    assert entity_graph(corridor).nodes["g60org:park-d"]["cls"] == "g60:Alliance"


def test_a_store_that_cannot_answer_is_one_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        entity_graph(g60kg.open_graph("http://127.0.0.1:1/sparql"))


def test_tables_are_the_text_of_csv_results(bundled: g60kg.KnowledgeGraph) -> None:
    tricky = 'SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) { (g60place:wuhu "a, \\"b\\"\\nc" 3) (<http://e/y> UNDEF "z"@en) } }'
    assert bundled.table(tricky).to_dict("records") == [
        {"a": "https://w3id.org/g60kg/id/place/wuhu", "b": 'a, "b"\nc', "c": "3"}, {"a": "http://e/y", "b": "", "c": "z"}]
    with pytest.raises(StoreError, match="SELECT"):
        bundled.table("ASK { ?s ?p ?o }")


def test_bipartite_city_organization_graph(corridor: g60kg.KnowledgeGraph) -> None:
    graph = bipartite_city_org(city_evidence(corridor, network="g60corridor:test"))
    cities = {n for n, d in graph.nodes(data=True) if d["bipartite"] == 0}
    assert cities == {"g60place:aa", "g60place:bb", "g60place:cc", "g60place:dd"}
    assert graph.edges["g60org:firm-a", "g60place:aa"]["kinds"] == ["locatedIn"]
    assert graph.edges["g60org:firm-a", "g60place:dd"]["kinds"] == ["g60:hasBranchIn"]
    assert set(graph.edges["g60org:park-d", "g60place:bb"]["kinds"]) == {"locatedIn"}
    assert graph.edges["g60org:park-d", "g60place:dd"]["kinds"] == ["g60:operates"]
    assert nx.is_bipartite(graph)


def test_joint_body_belongs_to_no_single_city(tmp_path: Path) -> None:
    entities = ENTITIES + "    org/joint-office,GovernmentBody,联合办公室,place/aa,,,s1,联合办公室设在甲市\n"
    relations = RELATIONS + ("    place/aa,establishes,org/joint-office,s1,甲乙两市共同设立联合办公室\n"
                             "    place/bb,establishes,org/joint-office,s1,甲乙两市共同设立联合办公室\n")
    kg = g60kg.open_graph("memory")
    kg.build(write_corridor(tmp_path, entities, relations), bundled=False)
    evidence = city_evidence(kg, network="g60corridor:test")
    assert "g60org:joint-office" not in city_map(evidence)
    assert "g60org:firm-a" in city_map(evidence)


def test_bundled_resolutions(bundled: g60kg.KnowledgeGraph) -> None:
    district = city_network(bundled, layer="enterprise")
    shanghai = city_network(bundled, resolution="shanghai", layer="enterprise")
    assert "g60place:songjiang" in district and "g60place:shanghai" not in district
    assert "g60place:shanghai" in shanghai and "g60place:songjiang" not in shanghai
    # What ties Songjiang ties Shanghai once Songjiang is read as part of it.
    assert district.neighbors("g60place:songjiang") and \
        set(district.neighbors("g60place:songjiang")) <= set(shanghai.neighbors("g60place:shanghai"))
    infrastructure = city_network(bundled, layer="infrastructure")
    rail = pd.read_csv(Path(g60kg.__file__).parent / "data" / "datasets" / "rail_links.csv", dtype=str)
    assert infrastructure.number_of_nodes() == 9
    assert infrastructure.number_of_edges() >= rail[["city_a", "city_b"]].drop_duplicates().shape[0]


def test_sw_five_network_lists_only_what_the_data_has(bundled: g60kg.KnowledgeGraph) -> None:
    assert city_evidence(bundled, network="sw-five").members == ["g60place:songjiang"]


def test_user_links_become_a_knowledge_layer_with_provenance(corridor: g60kg.KnowledgeGraph, tmp_path: Path) -> None:
    links = pd.DataFrame({
        "city_a": ["甲市", "甲市", "乙市", "火星", "丙市"],
        "city_b": ["乙市", "乙市", "丙市", "甲市", "丁市"],
        "layer": ["knowledge", "knowledge", "knowledge", "knowledge", "gossip"],
        "weight": ["12", "3", "1,500", "2", "1"],
        "year": ["2020", "2021", "2021", "2021", "2021"],
        "source": ["pat"] * 5,
        "quote": ["甲—乙 2020: 12", "甲—乙 2021: 3", "乙—丙 2021: 1500", "x", "y"],
    })
    kg = g60kg.open_graph("memory")
    report = kg.build([*write_corridor(tmp_path), links_input(links, sources={"pat": {"title": "patent extract"}})],
                      bundled=False)
    assert report.validation.conforms
    problems = sorted(str(i) for i in report.issues)
    assert problems == [
        "<links table>:5:city_a: unknown city_a '火星': expected a place id such as place/songjiang or a known place name",
        "<links table>:6:layer: unknown layer 'gossip': expected one of institutional, enterprise, knowledge, infrastructure"]
    layer = city_layers(city_evidence(kg, network="g60corridor:test"))["knowledge"]
    assert layer.edges["g60place:aa", "g60place:bb"]["weight"] == 15.0
    assert layer.edges["g60place:bb", "g60place:cc"]["weight"] == 1500.0
    assert len(layer.edges["g60place:aa", "g60place:bb"]["facts"]) == 2
    assert layer.edges["g60place:aa", "g60place:bb"]["sources"] == ["pat"]
    # A link is not institutional cooperation as well.
    institutional = city_layers(city_evidence(kg, network="g60corridor:test"))["institutional"]
    assert institutional.edges["g60place:aa", "g60place:bb"]["weight"] == 1.0
    kg.remove_source("pat")
    assert city_layers(city_evidence(kg, network="g60corridor:test"))["knowledge"].number_of_edges() == 0


def test_links_csv_with_a_mapping_beside_it_loads_through_the_cli_path(tmp_path: Path) -> None:
    (tmp_path / "links.csv").write_text("城市A,城市B,层,合作专利,来源,原文\n松江,嘉兴,knowledge,4,pat,松江—嘉兴 4件\n",
                                        encoding="gb18030")
    (tmp_path / "links.mapping.yaml").write_text(dedent("""\
        kind: links
        fields: {city_a: 城市A, city_b: 城市B, layer: 层, weight: 合作专利, source: 来源, quote: 原文}
        sources:
          pat: {title: patent extract, language: zh}
        """), encoding="utf-8")
    kg = g60kg.open_graph("memory")
    report = kg.build([tmp_path / "links.csv"], validate=False)
    assert report.issues == []
    layer = city_network(kg, layer="knowledge")
    assert layer.edges["g60place:songjiang", "g60place:jiaxing"]["weight"] == 4.0
