"""The command line, run in-process with click's runner against real stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from g60kg.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "out" / "store"  # a folder that does not exist yet
    result = CliRunner().invoke(main, ["build", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_every_command_has_help() -> None:
    for name, command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert command.help and command.help.split()[0] in result.output


def test_build_prints_a_summary(built: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    result = run("build", "--store", str(built), "--summary", str(summary))
    assert result.exit_code == 0
    assert "rows skipped: 0" in result.output and "entities:" in result.output
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["validation"]["conforms"] is True and data["classes"]["City"] == 9


def test_build_reports_skipped_rows_and_strict_fails(tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text("企业名称,城市,来源\n好公司,嘉兴,l\n坏公司,火星,l\n", encoding="utf-8")
    (tmp_path / "firms.mapping.yaml").write_text(
        "kind: entities\nfields: {name: 企业名称, source: 来源}\ndefaults: {class: Enterprise}\n"
        "properties:\n  城市: {property: g60:locatedIn, ref: place}\nsources:\n  l: {title: list}\n", encoding="utf-8")
    store = str(tmp_path / "store")
    result = run("build", str(tmp_path / "firms.csv"), "--store", store)
    assert result.exit_code == 0
    assert "rows skipped: 1" in result.output
    assert "firms.csv:3:城市: unknown locatedIn '火星'" in result.output
    strict = run("build", str(tmp_path / "firms.csv"), "--store", store, "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1].startswith("Error: ") and "firms.csv:3:城市" in strict.stderr


def test_validate_exits_zero_on_the_bundled_graph(built: Path) -> None:
    result = run("validate", "--store", str(built))
    assert result.exit_code == 0
    assert result.output.startswith("conforms: 0 violations")


@pytest.mark.parametrize("fmt, marker", [("ttl", "@prefix"), ("nt", "> ."), ("nq", "/graph/"), ("trig", "{"),
                                         ("jsonld", '"@id"')])
def test_export_formats(built: Path, tmp_path: Path, fmt: str, marker: str) -> None:
    out = tmp_path / f"g.{fmt}"
    result = run("export", "--store", str(built), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert marker in text and "松江区" in text


def test_stats(built: Path) -> None:
    result = run("stats", "--store", str(built), "--json")
    stats = json.loads(result.output)
    assert stats["classes"]["City"] == 9 and stats["triples"] > 5000
    balance = json.loads(run("stats", "--store", str(built), "--by", "city", "--json").output)
    assert len(balance) == 9 and {"member", "organizations", "facts", "sources", "ties enterprise"} <= set(balance[0])
    assert "松江区" in run("stats", "--store", str(built), "--by", "city").output


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "md"])
def test_query_formats(built: Path, fmt: str) -> None:
    q = "SELECT ?n WHERE { g60place:hefei rdfs:label ?n FILTER(lang(?n) = 'zh') }"
    result = run("query", q, "--store", str(built), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "合肥市" in result.output


def test_query_from_stdin_and_file(built: Path, tmp_path: Path) -> None:
    q = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a g60:City }"
    assert run("query", "-", "--store", str(built), "--format", "csv", stdin=q).output.split() == ["n", "9"]
    path = tmp_path / "q.rq"
    path.write_text(q, encoding="utf-8")
    assert run("query", "--file", str(path), "--store", str(built), "--format", "csv").output.split() == ["n", "9"]


def test_query_syntax_error_is_one_line(built: Path) -> None:
    result = run("query", "SELECT ?x WHERE { ?x ?y }", "--store", str(built))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: SPARQL syntax error at line 1, column")


@pytest.mark.slow
def test_all_writes_the_outputs(tmp_path: Path) -> None:
    result = run("all", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    for name in ("g60kg.oxigraph", "build-summary.json", "validation.txt", "g60kg.nq", "graph.html", "cities.html"):
        assert (tmp_path / "out" / name).exists()
    assert (tmp_path / "out" / "validation.txt").read_text().startswith("conforms")
