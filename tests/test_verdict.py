"""The verdict: on constructed corridors it names the city the evidence centres on, a
source that alone carries some ties shows in leave-one-source-out, the bootstrap is
reproducible, the sw-five network is 'cannot tell', and the CLI writes the report."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main
from g60kg.network.cities import city_evidence, tie_table
from g60kg.analysis.robustness import edge_bootstrap
from g60kg.analysis.verdict import VERDICTS, central_node

CITIES = ("aa", "bb", "cc", "dd", "ee")
NAMES = {"aa": "甲市", "bb": "乙市", "cc": "丙市", "dd": "丁市", "ee": "戊市"}


def star_corridor(folder: Path, hub: str, *, institutional_sources: tuple[str, ...] = ("s1", "s2")) -> g60kg.KnowledgeGraph:
    """Five cities; every layer is a star around ``hub``, each tie stated by two sources."""
    entities = ["id,class,name,city,source,quote", "corridor/test,Corridor,测试走廊,,s1,测试走廊"]
    relations = ["subject,predicate,object,source,quote"]
    for city in CITIES:
        entities.append(f"place/{city},City,{NAMES[city]},,s1,{NAMES[city]}")
        relations.append(f"place/{city},partOf,corridor/test,s1,五市组成测试走廊")
    for city in CITIES:
        if city == hub:
            continue
        for source in ("s1", "s2"):
            entities.append(f"org/firm-{city},Enterprise,{NAMES[city]}公司,place/{city},{source},{NAMES[city]}公司")
            relations.append(f"org/firm-{city},hasBranchIn,place/{hub},{source},{NAMES[city]}公司在{NAMES[hub]}设厂")
            relations.append(f"place/{hub},adjacentTo,place/{city},{source},两市相邻")
        for source in institutional_sources:
            relations.append(f"place/{hub},cooperatesWith,place/{city},{source},两市签署合作协议")
    (folder / "entities.csv").write_text("\n".join(entities) + "\n", encoding="utf-8")
    (folder / "relations.csv").write_text("\n".join(relations) + "\n", encoding="utf-8")
    sources = dedent("""\
        sources:
          s1: {title: Source one}
          s2: {title: Source two}
          only: {title: The only source of the agreements}
        """)
    (folder / "entities.mapping.yaml").write_text(dedent("""\
        kind: entities
        fields: {id: id, class: class, name: name, source: source, quote: quote}
        properties:
          city: {property: g60:locatedIn, ref: place}
        """) + sources, encoding="utf-8")
    (folder / "relations.mapping.yaml").write_text(dedent("""\
        kind: relations
        fields: {subject: subject, predicate: predicate, object: object, source: source, quote: quote}
        """) + sources, encoding="utf-8")
    kg = g60kg.open_graph("memory")
    report = kg.build([folder / "entities.csv", folder / "relations.csv"], bundled=False)
    assert report.issues == []
    return kg


def test_another_city_at_the_centre_is_named(tmp_path: Path) -> None:
    kg = star_corridor(tmp_path, hub="cc")
    verdict = central_node(kg, city="甲市", network="g60corridor:test", n_boot=200, n_null=20, seed=1)
    assert verdict.verdict == "does not hold"
    assert verdict.leader == "g60place:cc"
    assert verdict.reasons[0].startswith("丙市, not 甲市, is the central node")
    assert set(verdict.layers.loc[verdict.layers["informative"], "leader"]) == {"g60place:cc"}


def test_the_city_at_the_centre_holds(tmp_path: Path) -> None:
    kg = star_corridor(tmp_path, hub="aa")
    verdict = central_node(kg, city="place/aa", network="g60corridor:test", n_boot=200, n_null=20, seed=1)
    assert verdict.verdict == "holds", verdict.text()
    assert verdict.leader == "g60place:aa"
    ranks = verdict.values[(verdict.values["city"] == "g60place:aa") & (verdict.values["measure"] == "degree")]
    assert set(ranks["rank"]) == {1}


def test_dropping_the_only_source_of_some_ties_changes_leave_one_source_out(tmp_path: Path) -> None:
    kg = star_corridor(tmp_path, hub="cc", institutional_sources=("only",))
    verdict = central_node(kg, city="丙市", network="g60corridor:test", n_boot=100, n_null=10, seed=1)
    loso = verdict.leave_one_source_out.set_index(["source", "graph"])
    assert loso.loc[("only", "institutional"), "ties_lost"] == 4
    assert loso.loc[("only", "institutional"), "standing"] != "central"
    assert loso.loc[("s1", "institutional"), "standing"] == "central"  # s2 still states the rest
    assert "only (institutional)" in " ".join(verdict.reasons)
    assert verdict.verdict == "holds only in some layers"


def test_the_bootstrap_is_reproducible_with_a_seed(tmp_path: Path) -> None:
    kg = star_corridor(tmp_path, hub="cc")
    first = central_node(kg, city="丙市", network="g60corridor:test", n_boot=100, n_null=10, seed=7)
    again = central_node(kg, city="丙市", network="g60corridor:test", n_boot=100, n_null=10, seed=7)
    assert first.bootstrap.equals(again.bootstrap) and first.null.equals(again.null)
    assert first.text() .split("Method:")[0] == again.text().split("Method:")[0]
    evidence = city_evidence(kg, network="g60corridor:test")
    ties = tie_table(evidence)
    layers = ["institutional", "enterprise", "infrastructure"]
    one, _ = edge_bootstrap(evidence, ties, layers=layers, n_boot=50, seed=1)
    two, _ = edge_bootstrap(evidence, ties, layers=layers, n_boot=50, seed=2)
    same, _ = edge_bootstrap(evidence, ties, layers=layers, n_boot=50, seed=1)
    assert one.equals(same) and not one["value"].equals(two["value"])


def test_sw_five_cannot_tell_and_says_why(bundled: g60kg.KnowledgeGraph) -> None:
    verdict = central_node(bundled, network="sw-five", n_boot=10, n_null=5)
    assert verdict.verdict == "cannot tell"
    assert "not its members" in verdict.text() and "docs/data-notes.md" in verdict.text()
    assert "member districts" in verdict.missing[0]


def test_the_bundled_verdict_names_its_evidence(bundled: g60kg.KnowledgeGraph, tmp_path: Path) -> None:
    verdict = central_node(bundled)  # its time is measured by benchmarks/analysis.py, not here
    assert verdict.verdict in VERDICTS
    assert verdict.settings["betweenness"].startswith("exact")
    seed = verdict.leave_one_source_out[verdict.leave_one_source_out["source"] == "seed-songjiang-g60"]
    assert not seed.empty and (seed["city_ties_lost"] == 0).all()
    assert "seed-songjiang-g60" in verdict.text() and "Missing data" in verdict.text()
    written = verdict.save(tmp_path / "verdict")
    assert (tmp_path / "verdict" / "leave_one_source_out.csv") in written


def test_unknown_or_non_member_city_is_a_clear_error(bundled: g60kg.KnowledgeGraph) -> None:
    with pytest.raises(g60kg.G60Error, match="not a member"):
        central_node(bundled, city="闵行区", n_boot=5, n_null=5)
    with pytest.raises(g60kg.G60Error, match="unknown place"):
        central_node(bundled, city="火星", n_boot=5, n_null=5)


@pytest.mark.slow
def test_cli_analyze_and_report_write_their_files(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--store", store]).exit_code == 0
    result = runner.invoke(main, ["analyze", "central-node", "--store", store, "--city", "松江区", "--bootstrap", "30",
                                  "--null", "5", "--seed", "2", "--centrality", "--lang", "en", "--replicates", "100",
                                  "--out", str(tmp_path / "tables")])
    assert result.exit_code == 0, result.output
    assert "Summary:" in result.output and "Verdict:" in result.output
    assert (tmp_path / "tables" / "verdict.json").exists() and (tmp_path / "tables" / "claim.json").exists()
    result = runner.invoke(main, ["report", "--store", store, "--out", str(tmp_path / "out"), "--replicates", "50",
                                  "--city", "合肥", "--lang", "en"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2
    assert "<script" not in page and "<link" not in page and "None" not in page
    assert "<title>Is Hefei the central node" in page and "seed-songjiang-g60" in page
    assert "What would change this verdict" in page
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "![timeline](report-figures/timeline.png)" in markdown
    assert (tmp_path / "out" / "report-figures" / "timeline.png").exists()
    empty = runner.invoke(main, ["analyze", "central-node", "--store", str(tmp_path / "empty")])
    assert empty.exit_code == 1 and "no graph at" in empty.output and "build one there first" in empty.output
