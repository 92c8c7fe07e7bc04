"""Each bad input a located error, and the previous graph untouched: empty and
misnamed files, unknown encodings, directories and devices as tables, huge numbers,
impossible dates, control characters in ids and IRIs, formula cells, Big5, and
decompression bombs in YAML and RDF/XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

import g60kg
from conftest import USER_MAPPING
from g60kg.cli import main
from g60kg.errors import InputError
from g60kg.loaders import TableInput, load_mapping

HEADER = "企业名称,城市,成立日期,注册资本万元,来源"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A store holding a small user graph, and its export to compare with."""
    folder = tmp_path_factory.mktemp("good")
    (folder / "firms.csv").write_text(f"{HEADER}\n好公司,松江,2019,1,my-list\n", encoding="utf-8")
    (folder / "firms.yaml").write_text(USER_MAPPING, encoding="utf-8")
    kg = g60kg.open_graph(folder / "store")
    kg.build([folder / "firms.yaml"], bundled=False, validate=False)
    return folder / "store", kg.export("nq")


def _refused(store: tuple[Path, bytes], inputs: list, pattern: str) -> InputError:
    """Build ``inputs`` strictly into the store: an InputError matching ``pattern``, and
    the graph as it was. (How long hostile input takes is bounded by the loaders' own
    limits on sizes, aliases, entities and digits, which these errors name.)"""
    with pytest.raises(InputError, match=pattern) as error:
        g60kg.open_graph(store[0]).build(inputs, strict=True, bundled=False, validate=False)
    assert g60kg.open_graph(store[0]).export("nq") == store[1]
    return error.value


def _mapping(folder: Path, table: str, **extra: str) -> Path:
    text = USER_MAPPING.replace("table: firms.csv", f"table: {table}")
    text += "".join(f"{key}: {value}\n" for key, value in extra.items())
    (folder / "m.yaml").write_text(text, encoding="utf-8")
    return folder / "m.yaml"


def test_an_empty_table(store, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_bytes(b"")
    _refused(store, [_mapping(tmp_path, "firms.csv")], r"firms\.csv: the table file is empty")


def test_a_header_without_rows_loads_nothing_and_says_so(store, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text("\n\n", encoding="utf-8")
    _refused(store, [_mapping(tmp_path, "firms.csv")], r"firms\.csv: no header row")


def test_a_text_file_named_xlsx(store, tmp_path: Path) -> None:
    (tmp_path / "firms.xlsx").write_text(f"{HEADER}\n", encoding="utf-8")
    _refused(store, [_mapping(tmp_path, "firms.xlsx")], r"firms\.xlsx: not an XLSX workbook")


def test_an_unknown_encoding_name(store, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text(f"{HEADER}\n某公司,松江,2019,1,my-list\n", encoding="utf-8")
    _refused(store, [_mapping(tmp_path, "firms.csv", encoding="no-such-codec")], r"unknown encoding 'no-such-codec'")


def test_a_mapping_saved_in_gbk(store, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text(f"{HEADER}\n某公司,松江,2019,1,my-list\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_bytes(USER_MAPPING.encode("gbk"))
    _refused(store, [tmp_path / "m.yaml"], r"m\.yaml:\d+: not UTF-8")


def test_a_directory_as_a_table(store, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").mkdir()
    _refused(store, [_mapping(tmp_path, "firms.csv")], r"firms\.csv: expected a table file, found a directory")


def test_a_device_as_a_table(store, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(USER_MAPPING, encoding="utf-8")
    mapping = load_mapping(tmp_path / "m.yaml")
    _refused(store, [TableInput(mapping, Path("/dev/zero"))], r"/dev/zero: expected a table file, found a character device")


@pytest.mark.parametrize("row, column, message", [
    ("某公司,松江,2019,1e1000000,my-list", "注册资本万元", "below 10\\^1000"),
    ("某公司,松江,2018-02-30,1,my-list", "成立日期", "no day 30 in 2018-02"),
    ("某公司,松江,2019-02-29,1,my-list", "成立日期", "no day 29 in 2019-02"),
])
def test_a_bad_cell_is_located(store, tmp_path: Path, row: str, column: str, message: str) -> None:
    (tmp_path / "firms.csv").write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    _refused(store, [_mapping(tmp_path, "firms.csv")], rf"firms\.csv:2:{column}: .*{message}")


@pytest.mark.parametrize("bad", ["a\nb", "a\x01b", "a\x00b", "a b", "a>b"])
def test_control_characters_in_an_iri_or_an_id_are_located(store, tmp_path: Path, bad: str) -> None:
    mapping = USER_MAPPING.replace("fields: {name: 企业名称, source: 来源}", "fields: {name: 企业名称, source: 来源, id: 编号}")
    mapping = mapping.replace("properties:\n", "properties:\n  网址: {property: schema:url, datatype: iri}\n")
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    for id_cell, url_cell in ((f"org/{bad}", "https://e.org/"), ("org/ok", f"https://e.org/{bad}")):
        text = f"{HEADER},编号,网址\n某公司,松江,2019,1,my-list,\"{id_cell}\",\"{url_cell}\"\n"
        (tmp_path / "firms.csv").write_text(text, encoding="utf-8")
        error = _refused(store, [tmp_path / "m.yaml"], r"firms\.csv:2:")
        assert error.where.column == ("编号" if id_cell != "org/ok" else "网址")


def test_a_formula_cell_of_a_workbook_is_located(store, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "名单"
    book.active.append(HEADER.split(","))
    book.active.append(["某公司", "松江", 2019, "=1000*2", "my-list"])
    book.save(tmp_path / "firms.xlsx")
    _refused(store, [_mapping(tmp_path, "firms.xlsx")], r"firms\.xlsx:名单:2:注册资本万元: a formula \(=1000\*2\)")


def test_big5_under_an_ascii_header_reads_as_chinese(tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_bytes("name,city,founded,capital,source\n臺灣積體電路製造股份有限公司,,1987,1,my-list\n"
                                         .encode("big5"))
    mapping = USER_MAPPING.replace("企业名称", "name").replace("来源", "source").replace("城市", "city")
    (tmp_path / "m.yaml").write_text(mapping.replace("成立日期", "founded").replace("注册资本万元", "capital"),
                                     encoding="utf-8")
    kg = g60kg.open_graph("memory")
    report = kg.build([tmp_path / "m.yaml"], bundled=False, validate=False)
    assert report.encodings == {str(tmp_path / "firms.csv"): "big5"}
    names = kg.query("SELECT ?n WHERE { ?f a g60:Enterprise ; rdfs:label ?n }")["n"].tolist()
    assert names == ["台湾积体电路制造股份有限公司"]


def test_a_yaml_alias_bomb_is_refused_at_once(store, tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{c}: &{c} [{','.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
    (tmp_path / "m.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len((tmp_path / "m.yaml").read_bytes()) < 500
    _refused(store, [tmp_path / "m.yaml"], r"m\.yaml:\d+: the YAML aliases \(\*name\) stand for more than")


def test_an_xml_entity_bomb_is_refused_at_once(store, tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefghi", "bcdefghij"))
    (tmp_path / "bomb.rdf").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY a "lol">{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
        '<rdf:Description rdf:about="http://e/x"><e:p>&j;</e:p></rdf:Description></rdf:RDF>', encoding="utf-8")
    _refused(store, [tmp_path / "bomb.rdf"], r"bomb\.rdf:1: the XML entity '\w' stands for \d+ characters")
    (tmp_path / "external.rdf").write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', encoding="utf-8")
    _refused(store, [tmp_path / "external.rdf"], r"external\.rdf:1: the XML entity 'x' names an external file")


def test_the_command_says_one_located_line_and_exits_non_zero(store, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_bytes(b"")
    result = CliRunner().invoke(main, ["build", "--store", str(store[0]), "--no-bundled", "--strict",
                                       str(_mapping(tmp_path, "firms.csv"))])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.output.strip().count("\n") == 0
    assert "firms.csv: the table file is empty" in result.output
    assert g60kg.open_graph(store[0]).export("nq") == store[1]
