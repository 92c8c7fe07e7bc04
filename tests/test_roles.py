"""Role layers: a constructed corridor written as tables gives exactly the hosts, seats,
enclaves and leads a person reads off the rows; a venue given for the parent city of a
member district is refused at district resolution and counted once at city resolution."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

import g60kg
from g60kg.network.roles import role_layers, role_table
from g60kg.network.roles_evidence import origin, role_evidence

SOURCES = """\
    sources:
      s1: {title: Source one, publisher: 甲报, language: zh}
      s2: {title: Source two, publisher: 乙报, language: zh}
    """
ENTITIES = """\
    id,class,name,city,date,source,quote
    corridor/test,Corridor,测试走廊,,,s1,测试走廊
    place/pp,City,丙市,,,s1,丙市
    place/aa,City,甲市,,,s1,甲市
    place/bb,City,乙市,,,s1,乙市
    place/dd,District,丁区,place/pp,,s1,丁区属丙市
    place/ee,District,戊区,place/pp,,s1,戊区属丙市
    org/office,GovernmentBody,联席办,place/aa,2018,s1,联席办设在甲市
    org/office,GovernmentBody,联席办,place/aa,2018,s2,联席办设在甲市
    org/alliance,Alliance,某联盟,,2020,s1,某联盟
    org/firm-b,Enterprise,乙公司,place/bb,,s1,乙公司位于乙市
    org/park,Park,乙市飞地,place/aa,,s1,乙市在甲市的飞地
    event/e1,Event,第一次会议,place/aa,2018-06,s1,会议在甲市举行
    event/e2,Event,第二次会议,place/pp,2019,s1,会议在丙市举行
    event/e3,Event,第三次会议,place/aa,2020,s2,会议在甲市举行
    event/e4,Event,铁路通车,place/bb,2021,s1,铁路通车
    """
RELATIONS = """\
    subject,predicate,object,start,source,quote
    place/aa,partOf,corridor/test,2016,s1,甲市发起
    place/bb,partOf,corridor/test,2017,s1,乙市加入
    place/dd,partOf,corridor/test,2018,s1,丁区加入
    place/ee,partOf,corridor/test,2018,s2,戊区加入
    place/bb,participatesIn,event/e1,,s1,乙市参会
    place/dd,participatesIn,event/e1,,s1,丁区参会
    place/aa,participatesIn,event/e2,,s1,甲市参会
    place/dd,participatesIn,event/e2,,s1,丁区参会
    place/ee,participatesIn,event/e2,,s1,戊区参会
    corridor/test,participatesIn,event/e3,,s2,走廊主办
    place/aa,establishes,org/office,2018,s1,两地设立联席办
    place/bb,establishes,org/office,2018,s1,两地设立联席办
    place/dd,leads,org/alliance,2020,s1,丁区牵头
    org/alliance,hostedBy,org/firm-b,2020,s2,秘书处设在乙公司
    place/bb,operates,org/park,2021,s1,乙市运营飞地
    """


def write_table(folder: Path, name: str, rows: str, fields: str, properties: str) -> Path:
    """A table and its mapping (the relations' or the entities' fields, with ``properties``)."""
    (folder / f"{name}.csv").write_text(dedent(rows), encoding="utf-8")
    (folder / f"{name}.mapping.yaml").write_text(
        f"kind: {name}\nfields: {{{fields}, source: source, quote: quote}}\nproperties:\n{properties}"
        + dedent(SOURCES), encoding="utf-8")
    return folder / f"{name}.csv"


@pytest.fixture(scope="module")
def corridor(tmp_path_factory: pytest.TempPathFactory) -> g60kg.KnowledgeGraph:
    folder = tmp_path_factory.mktemp("roles")
    tables = [
        write_table(folder, "entities", ENTITIES, "id: id, class: class, name: name",
                    "  city: {property: g60:locatedIn, ref: place}\n  date: {property: g60:date, datatype: date}\n"),
        write_table(folder, "relations", RELATIONS, "subject: subject, predicate: predicate, object: object",
                    "  start: {property: g60:startDate, datatype: date}\n"),
    ]
    kg = g60kg.open_graph("memory")
    report = kg.build(tables, bundled=False, validate=False)
    assert report.issues == []
    return kg


def distinguished(table) -> list[tuple[str, str, str]]:
    rows = table[table["distinguished"]]
    return sorted(zip(rows["mechanism"], rows["role"], rows["city"]))


def test_roles_at_district_resolution(corridor: g60kg.KnowledgeGraph) -> None:
    evidence = role_evidence(corridor, network="g60corridor:test")
    table = role_table(evidence)
    assert distinguished(table) == [
        ("g60event:e1", "host", "g60place:aa"),
        ("g60event:e3", "host", "g60place:aa"),
        ("g60org:alliance", "lead", "g60place:dd"),
        ("g60org:alliance", "seat", "g60place:bb"),
        ("g60org:office", "seat", "g60place:aa"),
        ("g60org:park", "enclave host", "g60place:aa"),
    ]
    # e2 was held in 丙市, the parent of two member districts: refused, with the reason.
    assert evidence.refused == [{"role": "host", "mechanism": "g60event:e2", "place": "g60place:pp",
                                 "districts": ["g60place:dd", "g60place:ee"]}]
    # e4 is not linked to the corridor (no member or corridor body takes part): not a mechanism.
    assert "g60event:e4" not in set(table["mechanism"])
    # e3 names only the corridor: its guests are every member as of 2020, flagged as assumed.
    e3 = table[table["mechanism"] == "g60event:e3"]
    assert sorted(e3.loc[~e3["distinguished"], "city"]) == ["g60place:bb", "g60place:dd", "g60place:ee"]
    assert e3.loc[~e3["distinguished"], "assumed"].all()
    office = table[(table["mechanism"] == "g60org:office") & table["distinguished"]]
    assert office["sources"].iloc[0] == ("s1", "s2")


def test_role_layers_weigh_each_mechanism_once(corridor: g60kg.KnowledgeGraph) -> None:
    evidence = role_evidence(corridor, network="g60corridor:test")
    layers = role_layers(role_table(evidence), evidence.cities.members)
    coordination = layers["coordination"]
    # 甲 hosts e1 and e3, seats the office and hosts 乙's enclave: in-strength 4.
    assert coordination.in_degree("g60place:aa", weight="weight") == pytest.approx(4.0)
    assert coordination.in_degree("g60place:bb", weight="weight") == pytest.approx(1.0)
    assert coordination.edges["g60place:bb", "g60place:aa"]["mechanisms"] == [
        "g60event:e1", "g60event:e3", "g60org:office", "g60org:park"]
    assert layers["alliance-lead"].in_degree("g60place:dd", weight="weight") == pytest.approx(1.0)


def test_roles_at_city_resolution_count_a_shared_mechanism_once(corridor: g60kg.KnowledgeGraph) -> None:
    evidence = role_evidence(corridor, network="g60corridor:test", resolution="shanghai")
    table = role_table(evidence)
    assert evidence.refused == []
    e2 = table[table["mechanism"] == "g60event:e2"]
    # Two districts took part: at city resolution that is one row for 丙市, the host.
    assert sorted(zip(e2["city"], e2["role"])) == [("g60place:aa", "guest"), ("g60place:pp", "host")]


def test_as_of_and_origin(corridor: g60kg.KnowledgeGraph) -> None:
    evidence = role_evidence(corridor, network="g60corridor:test")
    assert sorted(set(role_table(evidence, as_of=2018)["mechanism"])) == ["g60event:e1", "g60org:office"]
    assert origin(evidence) == {"city": "g60place:aa", "year": 2016, "sources": ("s1",), "quote": "甲市发起"}
