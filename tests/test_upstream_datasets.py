"""Whole upstream data sets loaded with their shipped mappings (``g60kg build --dataset``):
the bundled rows, written back in the upstream layout, load to the same firms and cities;
a changed layout or a city outside the graph is reported where it is."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main
from g60kg.errors import InputError, MappingError
from g60kg.loaders import load_mapping
from g60kg.loaders.assemble import bundled_mappings, dataset_input, dataset_names
from g60kg.loaders.tables import read_table

DATA = Path(g60kg.__file__).resolve().parent / "data"
SZSE_COLUMNS = ["板块", "公司全称", "英文名称", "注册地址", "A股代码", "A股简称", "A股上市日期", "A股总股本", "A股流通股本",
                "B股代码", "B股 简 称", "B股上市日期", "B股总股本", "B股流通股本", "地      区", "省    份", "城     市",
                "所属行业", "公司网址", "未盈利", "具有表决权差异安排", "具有协议控制架构"]
OUTSIDE = {"示例外地科技股份有限公司": "深圳市",  # firms of cities the graph does not hold; 中山市 shares its
           "示例中山科技股份有限公司": "中山市"}  # bare name with 中山街道, a sub-district of 松江
MOE_COLUMNS = ["序号", "学校名称", "学校标识码", "主管部门", "所在地", "办学层次", "备注"]


def bundled_firms() -> pd.DataFrame:
    return pd.read_csv(DATA / "datasets" / "listed_firms_szse.csv", dtype=str, keep_default_na=False)


def upstream_rows(firms: pd.DataFrame) -> pd.DataFrame:
    """The exchange's rows as the bundled quotes keep them (board, code, short name, legal
    name, listing date, address, city, industry), in the layout of the exchange's file."""
    records = []
    for quote, name_en in zip(firms["quote"], firms["name_en"]):
        board, code, short, legal, listed, *address, city, industry = quote.split(",")
        records.append({"板块": board, "公司全称": legal, "英文名称": name_en, "注册地址": ",".join(address),
                        "A股代码": code, "A股简称": short, "A股上市日期": listed, "城     市": city, "所属行业": industry})
    for number, (name, city) in enumerate(OUTSIDE.items()):
        records.append({"板块": "主板", "公司全称": name, "A股代码": f"99999{number}", "A股简称": name[:4],
                        "A股上市日期": "2020-01-02", "注册地址": f"广东省{city}示例路1号", "城     市": city})
    return pd.DataFrame(records, columns=SZSE_COLUMNS, dtype=object).fillna("")


def bundled_universities() -> pd.DataFrame:
    return pd.read_csv(DATA / "datasets" / "universities.csv", dtype=str, keep_default_na=False)


def moe_rows(universities: pd.DataFrame) -> pd.DataFrame:
    """The ministry's rows as the bundled quotes keep them (name, code, authority, city,
    level, note) in the layout of its list: two title rows, the column names on row 3, a
    heading row for each province."""
    rows = [["附件1：", "", "", "", "", "", ""], ["全国普通高等学校名单", "", "", "", "", "", ""], MOE_COLUMNS,
            ["上海市（1所）", "", "", "", "", "", ""]]
    for number, quote in enumerate(universities["quote"], start=1):
        name, code, authority, city, level, *note = quote.split(" / ")[0].split(",")
        rows.append([str(number), name, code, authority, city, level, ",".join(note)])
    rows.append([str(len(rows)), "示例外地学院", "4144019999", "广东省", "中山市", "专科", ""])
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def szse_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("szse") / "A股列表.xlsx"
    upstream_rows(bundled_firms()).to_excel(path, sheet_name="A股列表", index=False)
    return path


@pytest.fixture(scope="module")
def loaded(szse_file: Path) -> tuple[g60kg.KnowledgeGraph, object]:
    kg = g60kg.open_graph("memory")
    report = kg.build([dataset_input("szse-a-share", szse_file)])
    return kg, report


def test_every_shipped_upstream_mapping_is_valid() -> None:
    assert "szse-a-share" in dataset_names()
    for name in dataset_names():
        mapping = load_mapping(DATA / "mappings" / f"upstream-{name}.yaml")
        assert mapping.table is None  # the user's file is given with --dataset


def test_the_bundled_firms_load_from_the_upstream_layout(loaded) -> None:
    kg, report = loaded
    firms = bundled_firms()
    found = kg.query("""
        SELECT ?firm ?code ?city WHERE {
          ?firm g60:stockCode ?code .
          GRAPH <https://w3id.org/g60kg/graph/ds-szse-a-share-list-2025> { ?firm g60:locatedIn ?place }
          ?place rdfs:label ?city FILTER(lang(?city) = "zh")
        }""")
    by_code: dict[str, tuple[set[str], set[str]]] = {}
    for firm, code, city in zip(found["firm"], found["code"], found["city"]):
        ids, cities = by_code.setdefault(code, (set(), set()))
        ids.add(firm)
        cities.add(city)
    assert set(firms["stock_code"]) <= set(by_code)
    for ident, code, quote in zip(firms["id"], firms["stock_code"], firms["quote"]):
        ids, cities = by_code[code]
        assert ids == {"g60org:" + ident.removeprefix("org/")}, code  # the same entity, not a second one
        assert quote.split(",")[-2] in cities, code  # the exchange's 城市 as a located place


def test_a_firm_of_a_city_outside_the_graph_is_counted_and_located(loaded, szse_file: Path) -> None:
    _, report = loaded
    for row, city in enumerate(OUTSIDE.values(), start=len(bundled_firms()) + 2):  # the header is row 1
        outside = [str(i) for i in report.issues if city in str(i)]
        assert len(outside) == 1
        assert outside[0].endswith(f"A股列表.xlsx:{row}:城     市: unknown locatedIn '{city}': expected a place id "
                                   "such as place/songjiang or a known place name")
    assert report.skipped_rows == len(OUTSIDE)
    assert report.validation is not None and report.validation.conforms


def test_one_command_loads_the_whole_file(szse_file: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--store", "memory", "--dataset", "szse-a-share", str(szse_file)])
    assert result.exit_code == 0, result.output
    assert "深圳市" in result.output and "中山市" in result.output  # the rows left out are listed


def test_a_renamed_column_names_the_mapping_and_the_column(tmp_path: Path) -> None:
    path = tmp_path / "A股列表.xlsx"
    upstream_rows(bundled_firms().head(3)).rename(columns={"城     市": "城市"}).to_excel(
        path, sheet_name="A股列表", index=False)
    with pytest.raises(MappingError, match=r"upstream-szse-a-share\.yaml:城     市: the mapping names column\(s\) "
                                           r"\['城     市'\] that .*A股列表\.xlsx does not have"):
        g60kg.open_graph("memory").build([dataset_input("szse-a-share", path)], bundled=False)


def test_a_moved_sheet_names_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "A股列表.xlsx"
    upstream_rows(bundled_firms().head(3)).to_excel(path, sheet_name="Sheet1", index=False)
    with pytest.raises(InputError, match=r"A股列表\.xlsx: no sheet 'A股列表'; the workbook has \['Sheet1'\]"):
        g60kg.open_graph("memory").build([dataset_input("szse-a-share", path)], bundled=False)


def test_a_workbook_that_records_a_wrong_sheet_size_is_read_whole(tmp_path: Path) -> None:
    """The exchange's export records its sheet's size as A1; every row is still read."""
    written = tmp_path / "written.xlsx"
    pd.DataFrame({"名称": ["甲", "乙", "丙"], "城市": ["嘉兴市", "湖州市", "宣城市"]}).to_excel(written, index=False)
    exported = tmp_path / "exported.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(exported, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data, recorded = re.subn(rb'<dimension ref="A1:B4" ?/>', b'<dimension ref="A1"/>', data)
                assert recorded == 1
            target.writestr(item, data)
    frame, _ = read_table(exported)
    assert frame.to_dict("records") == [{"名称": "甲", "城市": "嘉兴市"}, {"名称": "乙", "城市": "湖州市"},
                                        {"名称": "丙", "城市": "宣城市"}]


def test_the_bundled_universities_load_from_the_ministry_layout(tmp_path: Path) -> None:
    """The list's layout (title rows, column names on row 3, province headings) read by
    the shipped mapping; the ministry publishes it as .xls, written here as .xlsx (the
    same sheet and rows; no writer of .xls is a dependency). Loaded beside the places
    alone, every university has its code and the list's city; loaded beside the bundled
    data, each joins its bundled entity."""
    universities = bundled_universities()
    path = tmp_path / "univ_moe.xlsx"
    moe_rows(universities).to_excel(path, sheet_name="全国普通高等学校名单", index=False, header=False)
    places = [m for m in bundled_mappings() if m.stem in {"sources", "dataset-sources", "places", "dataset-admin_divisions"}]
    alone = g60kg.open_graph("memory")
    report = alone.build([*places, dataset_input("moe-universities", path)], bundled=False)
    found = alone.query("""
        SELECT ?code ?name ?city WHERE {
          ?u a g60:University ; dcterms:identifier ?code ; rdfs:label ?name ; g60:locatedIn ?place .
          ?place rdfs:label ?city FILTER(lang(?city) = "zh")
        }""")
    listed = {code: (name, city) for code, name, city in zip(found["code"], found["name"], found["city"])}
    expected = {}
    for quote in universities["quote"]:
        name, code, _, city, *_ = quote.split(" / ")[0].split(",")
        expected[code] = (name, city)
    assert listed == expected
    issues = [str(i) for i in report.issues]
    assert issues[0].endswith("univ_moe.xlsx:4:学校名称: missing required value: '学校名称' (name) is empty")
    last = len(universities) + 5
    assert issues[1].endswith(f"univ_moe.xlsx:{last}:所在地: unknown locatedIn '中山市': expected a place id such as "
                              "place/songjiang or a known place name")
    assert len(issues) == 2 and report.validation is not None and report.validation.conforms
    joined = g60kg.open_graph("memory")
    joined.build([dataset_input("moe-universities", path)])
    ids = joined.query("SELECT ?u ?code WHERE { ?u dcterms:identifier ?code }")
    assert dict(zip(ids["code"], ids["u"])) == {
        quote.split(",")[1]: "g60org:" + ident.removeprefix("org/") for ident, quote in zip(universities["id"],
                                                                                            universities["quote"])}


def test_a_header_row_past_the_end_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "univ_moe.xlsx"
    pd.DataFrame([["附件1：", ""]]).to_excel(path, sheet_name="全国普通高等学校名单", index=False, header=False)
    with pytest.raises(InputError, match=r"univ_moe\.xlsx: the mapping puts the header on row 3, but the table ends at row 1"):
        g60kg.open_graph("memory").build([dataset_input("moe-universities", path)], bundled=False)
