"""The layout holds: imports point one way, importing g60kg costs nothing and changes
nothing in the process, and the edges that once hid bugs now fail loudly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import _errors, main

REPO = Path(__file__).resolve().parents[1]


def _python(code: str) -> str:
    """Run code in a fresh interpreter (this checkout first on the path); its stdout."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def test_imports_point_down_the_layers() -> None:
    pytest.importorskip("importlinter")
    from importlinter.cli import lint_imports

    previous = Path.cwd()
    os.chdir(REPO)
    try:
        assert lint_imports(config_filename="setup.cfg") == 0, "lint-imports setup.cfg shows the back-edge"
    finally:
        os.chdir(previous)


@pytest.mark.parametrize("statement", ["import g60kg", "import g60kg.cli"])
def test_importing_loads_no_heavy_module(statement: str) -> None:
    loaded = json.loads(_python(f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"))
    heavy = [m for m in loaded if m.split(".")[0] in ("pandas", "networkx", "matplotlib", "pyvis", "scipy")
             or m.startswith(("g60kg.news", "g60kg.viz", "g60kg.analysis", "g60kg.network"))]
    assert heavy == []


def test_help_lists_every_command_without_loading_the_library() -> None:
    out = _python("import json, sys\nfrom click.testing import CliRunner\nfrom g60kg.cli import main\n"
                  "r = CliRunner().invoke(main, ['--help'])\n"
                  "print(json.dumps([r.output, 'pandas' in sys.modules]))")
    text, pandas_loaded = json.loads(out)
    assert "build" in text and "visualize" in text and not pandas_loaded


def test_using_the_library_leaves_the_process_settings_alone() -> None:
    out = _python(
        "import decimal, gc, http.client, json, sys\n"
        "import g60kg\n"
        "from g60kg.text.numbers import find_quantities\n"
        "from g60kg.analysis.claim import central_node_claim\n"
        "from g60kg.analysis.report import report_figures\n"
        "kg = g60kg.open_graph('memory'); kg.build(validate=False)\n"
        "find_quantities('约占1/7，1.1亿亿次')\n"
        "v = central_node_claim(kg, n=20)\n"
        "report_figures(v, lang='zh')\n"
        "kg.network('entities')\n"
        "print(json.dumps([decimal.getcontext().prec, gc.isenabled(), http.client._MAXHEADERS,\n"
        "                  'matplotlib.pyplot' in sys.modules]))")
    assert json.loads(out) == [28, True, 100, False]


def test_a_read_only_command_refuses_a_store_that_is_not_there(tmp_path: Path) -> None:
    typo = tmp_path / "g60kg.oxigraf"
    for command in (["validate"], ["stats"], ["query", "ASK {}"], ["export"]):
        result = CliRunner().invoke(main, [*command, "--store", str(typo)])
        assert result.exit_code == 1 and f"no graph at {typo}" in result.output, command
    assert not typo.exists()


def test_opening_a_store_leaves_a_running_build_s_staging_alone(tmp_path: Path) -> None:
    from g60kg.store import open_store

    store = tmp_path / "kg.oxigraph"
    running = tmp_path / f"kg.oxigraph.new-{os.getpid()}-abcd1234"
    dead = tmp_path / "kg.oxigraph.new-999999999-abcd1234"
    for folder in (running, dead):
        folder.mkdir()
    open_store(store)
    assert running.exists() and not dead.exists()


def test_an_unexpected_error_is_one_line_unless_debugging() -> None:
    @click.group()
    @click.option("--debug", is_flag=True)
    def cli(debug: bool) -> None:
        pass

    @cli.command()
    @_errors
    def fail() -> None:
        raise ValueError("a cell\nthat broke")

    quiet = CliRunner().invoke(cli, ["fail"])
    assert quiet.exit_code == 1
    assert quiet.output.strip() == "Error: ValueError: a cell that broke (g60kg --debug shows where)"
    loud = CliRunner().invoke(cli, ["--debug", "fail"])
    assert isinstance(loud.exception, ValueError)


def test_a_mapping_language_tag_is_checked_where_it_is_written(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("name,source\n星海科技,mine\n", encoding="utf-8")
    mapping = tmp_path / "t.yaml"
    mapping.write_text("table: t.csv\nkind: entities\nfields: {name: name, source: source}\n"
                       "defaults: {class: Enterprise}\nname_lang: zh_CN\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(mapping), "--store", "memory", "--no-bundled"])
    assert result.exit_code == 1
    assert "t.yaml:name_lang: expected a language tag such as zh, en or zh-CN" in result.output
    assert "Traceback" not in result.output


def test_the_summary_and_its_json_count_skipped_rows_alike(tmp_path: Path, user_table) -> None:
    mapping = user_table("星海科技,芜湖,19x1,100,my-list\n蓝湾生物,芜湖,2019,50,my-list\n",
                         header="企业名称,城市,成立日期,注册资本万元,来源,颜色")
    summary = tmp_path / "summary.json"
    result = CliRunner().invoke(main, ["build", str(mapping), "--store", "memory", "--summary", str(summary)])
    assert result.exit_code == 0, result.output
    counts = json.loads(summary.read_text(encoding="utf-8"))
    assert counts["rows_skipped"] == 1 and counts["other_issues"] == 1
    assert "rows skipped: 1, other issues: 1" in result.output


def test_the_page_script_is_the_vendored_vis_network() -> None:
    from g60kg.viz.assets import VIS_VERSION, vis_network

    folder = Path(g60kg.__file__).parent / "viz" / "static" / "vis-network"
    assert (folder / "LICENSE-APACHE-2.0").exists() and (folder / "LICENSE-MIT").exists()
    script, _ = vis_network()
    assert script == (folder / "vis-network.min.js").read_text(encoding="utf-8") and f"@version {VIS_VERSION}" in script
