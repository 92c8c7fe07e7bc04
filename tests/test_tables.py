"""Users' tables: encodings, formats, mappings, and a located message for each kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import g60kg
from conftest import USER_MAPPING
from g60kg.errors import InputError, MappingError
from g60kg.loaders import TableInput, load_mapping

ROWS = """\
    测试智能科技有限公司,松江,2019-05,1200,my-list
    示例半导体（嘉兴）有限公司,嘉兴市,2020年3月,"3,500",my-list
    """


def firms(kg: g60kg.KnowledgeGraph) -> pd.DataFrame:
    return kg.query("""
        SELECT DISTINCT ?name ?city ?founded WHERE {
          ?f a g60:Enterprise ; rdfs:label ?name ; g60:locatedIn ?c ; g60:foundedIn ?founded .
          ?c rdfs:label ?city FILTER(lang(?city) = "zh")
          FILTER(CONTAINS(?name, "测试") || CONTAINS(?name, "示例"))
        } ORDER BY ?name""")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_loads_the_same_rows(user_table, encoding: str) -> None:
    mapping = user_table(ROWS, encoding=encoding)
    kg = g60kg.open_graph("memory")
    report = kg.build([mapping])
    assert report.issues == []
    rows = firms(kg)
    assert rows["name"].tolist() == ["测试智能科技有限公司", "示例半导体(嘉兴)有限公司"]
    assert rows["city"].tolist() == ["松江区", "嘉兴市"]
    assert rows["founded"].tolist() == ["2019-05", "2020-03"]
    expected = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "gbk": "gb18030", "gb18030": "gb18030"}[encoding]
    assert expected in report.encodings.values()


def test_xlsx_and_dataframe_give_the_same_graph_as_csv(user_table, tmp_path: Path) -> None:
    mapping = user_table(ROWS)
    from_csv = g60kg.open_graph("memory")
    from_csv.build([mapping])
    frame = pd.read_csv(tmp_path / "firms.csv", dtype=str)
    frame.to_excel(tmp_path / "firms.xlsx", index=False)
    from_xlsx = g60kg.open_graph("memory")
    from_xlsx.build([TableInput(load_mapping(mapping), tmp_path / "firms.xlsx")])
    from_frame = g60kg.open_graph("memory")
    from_frame.build([TableInput(load_mapping(mapping), frame)])
    assert from_csv.export("nq") == from_xlsx.export("nq") == from_frame.export("nq")


def test_user_row_merges_into_a_known_entity_by_alias(user_table) -> None:
    mapping = user_table("""\
        科大智能科技股份有限公司,松江区,,,my-list
        """)
    kg = g60kg.open_graph("memory")
    kg.build([mapping])
    sources = kg.query("""SELECT DISTINCT ?src WHERE { GRAPH ?g { ?f a g60:Enterprise ; rdfs:label "科大智能"@zh }
        GRAPH g60graph:sources { ?g prov:wasDerivedFrom ?src } }""")["src"].tolist()
    assert "g60src:my-list" in sources, "the user's row merged into the curated entity, its source kept"
    assert len(sources) >= 2


def test_full_width_and_traditional_names_meet(user_table) -> None:
    mapping = user_table("""\
        測試智能科技有限公司,松江,,,my-list
        测试智能科技 有限公司,上海松江,,,my-list
        """)
    kg = g60kg.open_graph("memory")
    kg.build([mapping])
    ids = kg.query("""SELECT DISTINCT ?f WHERE { ?f g60:nameKey "测试智能科技" }""")
    assert len(ids) == 1


def _build_expecting(user_table, rows: str, **kwargs) -> g60kg.BuildReport:
    mapping = user_table(rows, **kwargs)
    return g60kg.open_graph("memory").build([mapping])


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("坏城市公司,火星,2019,1,my-list", "城市", "unknown locatedIn '火星'"),
        ("坏日期公司,松江,20x8,1,my-list", "成立日期", "expected a date"),
        ("坏数字公司,松江,2019,一千二,my-list", "注册资本万元", "expected a number"),
        (",松江,2019,1,my-list", "企业名称", "missing required value"),
        ("无来源公司,松江,2019,1,nobody", "来源", "unknown source 'nobody'"),
    ],
)
def test_bad_cell_is_reported_with_file_row_and_column(user_table, row: str, column: str, expected: str) -> None:
    report = _build_expecting(user_table, "好公司甲,松江,2019,1,my-list\n" + row + "\n")
    assert len(report.issues) == 1
    issue = report.issues[0]
    assert issue.where.file.endswith("firms.csv")
    assert issue.where.row == 3
    assert issue.where.column.endswith(column) or issue.where.column.endswith("locatedIn")
    assert expected in issue.message
    assert report.classes["Enterprise"] >= 1


@pytest.mark.parametrize(("entry", "column", "expected"), [
    ("my list: {title: 我的名单}", "sources.my list.id", "malformed source id 'my list'"),
    ("my-list: {title: 我的名单, url: 'https://example.org/a b'}", "sources.my-list.url", "expected an http(s) URL"),
])
def test_a_bad_source_entry_of_a_mapping_is_reported_where_it_is(user_table, entry: str, column: str,
                                                                  expected: str) -> None:
    """A source id or URL that an IRI cannot hold is skipped with the mapping's entry
    named, and the rows citing that source with it; the build goes on."""
    mapping = USER_MAPPING.replace("my-list: {title: 我的企业名单, publisher: 测试, language: zh}", entry)
    source = entry.split(":")[0]
    report = _build_expecting(user_table, f"好公司乙,松江,2019,1,{source}\n", mapping=mapping)
    first, second = report.issues
    assert first.where.file.endswith("firms.yaml") and first.where.row is None and first.where.column == column
    assert expected in first.message
    assert second.where.row == 2 and f"unknown source '{source}'" in second.message
    assert report.validation.conforms


def test_strict_fails_on_the_first_bad_row_and_keeps_the_previous_graph(user_table, tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg = g60kg.open_graph(store)
    kg.build()
    before = kg.export("nq")
    mapping = user_table("坏日期公司,松江,20x8,1,my-list\n")
    with pytest.raises(InputError, match=r"firms.csv:2:成立日期: expected a date"):
        kg.build([mapping], strict=True)
    assert g60kg.open_graph(store).export("nq") == before


def test_unknown_column_is_reported(user_table) -> None:
    report = _build_expecting(user_table, "某公司,松江,2019,1,my-list,x\n", header="企业名称,城市,成立日期,注册资本万元,来源,备注")
    assert [str(i) for i in report.issues] == [
        next(str(i) for i in report.issues if "unknown column '备注'" in str(i))]
    assert report.issues[0].where.column == "备注"


def test_mapping_that_names_a_missing_column_is_refused(user_table) -> None:
    mapping = user_table("某公司,松江,2019,1,my-list\n", header="公司,城市,成立日期,注册资本万元,来源")
    with pytest.raises(MappingError, match=r"firms.yaml.*企业名称.*does not have"):
        g60kg.open_graph("memory").build([mapping])


def test_mapping_with_an_unknown_property_is_refused(user_table) -> None:
    mapping = user_table("某公司,松江,2019,1,my-list\n",
                         mapping="table: firms.csv\nkind: entities\nfields: {name: 企业名称, source: 来源}\n"
                                 "defaults: {class: Enterprise}\nproperties:\n  城市: {property: g60:locatedInn, ref: place}\n"
                                 "ignore: [成立日期, 注册资本万元]\n"
                                 "sources:\n  my-list: {title: t}\n")
    with pytest.raises(MappingError, match=r"properties.城市.*locatedInn"):
        g60kg.open_graph("memory").build([mapping])


def test_wrong_encoding_is_named(user_table, tmp_path: Path) -> None:
    mapping = user_table(ROWS, mapping=(tmp_path / "x").as_posix() and
                         "table: firms.csv\nencoding: utf-8\nkind: entities\nfields: {name: 企业名称, source: 来源}\n"
                         "defaults: {class: Enterprise}\nignore: [城市, 成立日期, 注册资本万元]\n"
                         "sources:\n  my-list: {title: t}\n", encoding="gbk")
    with pytest.raises(InputError, match=r"firms.csv:1: cannot decode as utf-8"):
        g60kg.open_graph("memory").build([mapping])


def test_duplicate_id_with_conflicting_values_is_reported(tmp_path: Path) -> None:
    (tmp_path / "orgs.csv").write_text(
        "id,class,name_zh,city,source\n"
        "org/x-test,Enterprise,甲公司,place/songjiang,my-list\n"
        "org/x-test,Enterprise,乙公司,place/songjiang,my-list\n"
        "org/x-test,Enterprise,甲公司,place/songjiang,my-list\n", encoding="utf-8")
    (tmp_path / "orgs.yaml").write_text(
        "table: orgs.csv\nkind: entities\nfields: {id: id, class: class, name: name_zh, source: source}\n"
        "properties:\n  city: {property: g60:locatedIn, ref: place}\nsources:\n  my-list: {title: t}\n", encoding="utf-8")
    report = g60kg.open_graph("memory").build([tmp_path / "orgs.yaml"])
    assert [(i.where.row, i.where.column) for i in report.issues] == [(3, "name_zh")]
    assert "conflicting name: 乙公司 here, 甲公司 at" in report.issues[0].message


def test_toml_mapping_reads_like_yaml(user_table, tmp_path: Path) -> None:
    yaml_mapping = user_table(ROWS)
    (tmp_path / "firms.toml").write_text(
        'table = "firms.csv"\nkind = "entities"\n[fields]\nname = "企业名称"\nsource = "来源"\n'
        '[defaults]\nclass = "Enterprise"\n[properties]\n"城市" = {property = "g60:locatedIn", ref = "place"}\n'
        '"成立日期" = {property = "g60:foundedIn", datatype = "date"}\n'
        '"注册资本万元" = {property = "g60:registeredCapital", datatype = "decimal"}\n'
        '[sources.my-list]\ntitle = "我的企业名单"\npublisher = "测试"\nlanguage = "zh"\n', encoding="utf-8")
    from_yaml, from_toml = g60kg.open_graph("memory"), g60kg.open_graph("memory")
    from_yaml.build([yaml_mapping])
    from_toml.build([tmp_path / "firms.toml"])
    assert from_yaml.export("nq") == from_toml.export("nq")
