"""Hostile cells: generated tables whose every cell may try to break out of its N-Quads
term (a forged fact in another source's graph, a forged source, a broken line). The
build loads each row or reports it at its file, row and column; it never raises
anything but a located ``InputError``, never writes outside the table's own graphs, and
a failed strict build leaves the previous graph as it was."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import g60kg
from g60kg.cli import main
from g60kg.errors import InputError, MappingError
from g60kg.ontology import PREFIXES
from g60kg.text.normalize import clean_text

GRAPH = PREFIXES["g60graph"]
ID = PREFIXES["g60id"]
FORGED = f"<{ID}place/songjiang> <http://www.w3.org/2000/01/rdf-schema#label> \"forged\" <{GRAPH}songjiang-news> ."
BREAKERS = [
    f'1.0"^^<http://www.w3.org/2001/XMLSchema#decimal> <{GRAPH}my-list> .\n{FORGED}\n<a:a> <b:b> "',
    f'zh <{GRAPH}my-list> .\n{FORGED}\n<a:a> <b:b> "x"@zh',
    f"x> <b:b> <c:c> <{GRAPH}my-list> .\n{FORGED}\n<a:a",
    f'curated" <{GRAPH}my-list> .\n<{ID}source/forged> a <https://w3id.org/g60kg/ontology#Source> <{GRAPH}sources> .\n"',
    '"', "\\", "\\n", "\n", "\r", "\r\n", "\x00", "\x01", "\x1b[31m", "\u2028", "\ufeff",
    "=HYPERLINK(\"http://e/\")", "+1", "-1", "@SUM(A1)", "1e1000000", "2018-02-30", "NaN", "inf", "-0.5", "1.5",
    "zh_CN", "en-", "<script>", "^^<x>", "@en", "org/ok", "org/a b", "org/a\nb", "org/a\x01", "0.7", "",
]
cells = st.one_of(st.sampled_from(BREAKERS), st.text(max_size=12))

MAPPING = dedent("""\
    table: firms.csv
    kind: entities
    fields: {id: id, name: name, source: source, quote: quote, method: method, confidence: confidence}
    defaults: {class: Enterprise}
    """)
SOURCES_MAPPING = dedent("""\
    table: sources.csv
    kind: sources
    fields: {id: id, title: title, language: language, url: url, date: date}
    """)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _write(folder: Path, firms: list[list[str]], source: list[str]) -> list[Path]:
    (folder / "firms.csv").write_text(_csv(["id", "name", "source", "quote", "method", "confidence"], firms),
                                      encoding="utf-8")
    (folder / "sources.csv").write_text(_csv(["id", "title", "language", "url", "date"], [source]), encoding="utf-8")
    (folder / "firms.yaml").write_text(MAPPING, encoding="utf-8")
    (folder / "sources.yaml").write_text(SOURCES_MAPPING, encoding="utf-8")
    return [folder / "sources.yaml", folder / "firms.yaml"]


def _quads(kg: g60kg.KnowledgeGraph) -> set[tuple[str, ...]]:
    table = kg.table("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return set(map(tuple, table.astype(str).to_numpy().tolist()))


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(firms=st.lists(st.tuples(cells, cells, cells, cells, cells), min_size=1, max_size=4),
       source=st.tuples(cells, cells, cells, cells))
@example(firms=[("\x0b", "", "", "", "")], source=("", "", "", ""))  # an id ending in a space: loaded cleaned
def test_no_cell_adds_a_quad_and_each_row_is_loaded_or_reported(tmp_path: Path, firms, source) -> None:
    rows = [[f"org/t{i}{suffix}", name or "某公司", "my-list", quote, method, confidence]
            for i, (suffix, name, quote, method, confidence) in enumerate(firms)]
    title, language, url, date = source
    inputs = _write(tmp_path, rows, ["my-list", title or "我的名单", language, url, date])
    kg = g60kg.open_graph("memory")
    try:
        report = kg.build(inputs, bundled=False, validate=False)
    except InputError as error:  # a whole file that cannot be read: located at the file
        assert str(error).startswith(str(tmp_path)) or "firms" in str(error) or "sources" in str(error)
        return
    quads = _quads(kg)
    graphs = {g for *_, g in quads}
    assert graphs <= {f"{GRAPH}my-list", f"{GRAPH}sources", f"{GRAPH}ontology"}, graphs
    assert not any("forged" in " ".join(q) and "songjiang" in q[0] for q in quads)
    sources = {s for s, *_, g in quads if g == f"{GRAPH}sources"}
    assert sources <= {f"{PREFIXES['g60src']}my-list", f"{GRAPH}my-list"}, sources
    reported = {issue.where.row for issue in report.issues if issue.where.file.endswith("firms.csv")}
    subjects = {s for s, *_ in quads}
    for number, row in enumerate(rows, start=2):
        # ids are cleaned text
        assert number in reported or f"{ID}{clean_text(row[0])}" in subjects, (number, row, report.issues)
    assert all(issue.where.row is not None or issue.where.column for issue in report.issues)


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(firms=st.lists(st.tuples(cells, cells, cells, cells, cells), min_size=1, max_size=3))
@example(firms=[(" ", "", "", "", "")])  # an id with a space at its end: loaded as the cleaned id
def test_a_strict_build_raises_only_located_input_errors_and_keeps_the_graph(tmp_path: Path, firms) -> None:
    kg = g60kg.open_graph("memory")
    kg.build(_write(tmp_path, [["org/good", "好公司", "my-list", "", "", ""]], ["my-list", "名单", "zh", "", ""]),
             bundled=False, validate=False)
    before = _quads(kg)
    rows = [[f"org/t{i}{suffix}", name or "某公司", "my-list", quote, method, confidence]
            for i, (suffix, name, quote, method, confidence) in enumerate(firms)]
    try:
        kg.build(_write(tmp_path, rows, ["my-list", "名单", "zh", "", ""]), strict=True, bundled=False, validate=False)
    except InputError as error:
        assert error.where.file and (error.where.row is not None or error.where.column is not None or
                                     error.where.file.endswith(".csv"))
        assert _quads(kg) == before
        return
    assert f"{ID}{clean_text('org/t0' + firms[0][0])}" in {s for s, *_ in _quads(kg)}  # ids are cleaned text


@pytest.mark.parametrize("column, value, expected", [
    ("confidence", 'x"^^<http://e/> <http://e/g> .', "expected a confidence from 0 to 1"),
    ("confidence", "1.5", "expected a confidence from 0 to 1"),
    ("id", "org/a\x01b", "malformed id"),
    ("id", "org/a\nb", "malformed id"),
])
def test_each_breaking_cell_is_reported_where_it_is(tmp_path: Path, column: str, value: str, expected: str) -> None:
    row = {"id": "org/x", "name": "某公司", "source": "my-list", "quote": "", "method": "", "confidence": ""}
    row[column] = value
    inputs = _write(tmp_path, [list(row.values())], ["my-list", "名单", "zh", "", ""])
    report = g60kg.open_graph("memory").build(inputs, bundled=False, validate=False)
    assert [(i.where.row, i.where.column) for i in report.issues] == [(2, column)]
    assert expected in report.issues[0].message


def test_a_forged_language_tag_in_a_sources_table_is_reported(tmp_path: Path) -> None:
    inputs = _write(tmp_path, [["org/x", "某公司", "my-list", "引文", "", ""]],
                    ["my-list", "名单", f'zh <{GRAPH}my-list> .\n{FORGED}\n<a:a> <b:b> "x"@zh', "", ""])
    report = g60kg.open_graph("memory").build(inputs, bundled=False, validate=False)
    assert any(i.where.column == "language" and "language tag" in i.message for i in report.issues)


@pytest.mark.parametrize("table", ["../outside.csv", "/etc/passwd", "link.csv"])
def test_a_mapping_reads_no_table_outside_its_folder(tmp_path: Path, table: str) -> None:
    folder = tmp_path / "maps"
    folder.mkdir()
    (tmp_path / "outside.csv").write_text("name,source\nsecret-content,x\n", encoding="utf-8")
    (folder / "link.csv").symlink_to(tmp_path / "outside.csv")
    (folder / "m.yaml").write_text(MAPPING.replace("table: firms.csv", f"table: {table}"), encoding="utf-8")
    with pytest.raises(MappingError) as error:
        g60kg.open_graph("memory").build([folder / "m.yaml"], bundled=False, validate=False)
    assert (error.value.where.file, error.value.where.column) == (str(folder / "m.yaml"), "table")
    assert "secret-content" not in str(error.value) and "root:" not in str(error.value)


def test_control_characters_of_a_cell_reach_the_terminal_as_escapes(user_table) -> None:
    mapping = user_table("某公司,火星\x1b[2J\u202e,2019,10,my-list\n")
    result = CliRunner().invoke(main, ["build", "--store", "memory", "--no-bundled", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "火星\\x1b[2J\\u202e" in result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
