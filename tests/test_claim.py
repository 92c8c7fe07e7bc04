"""The claim on the bundled graph: a verdict per layer whose findings name their facts
and sources, the summary decided by the role layers, Shanghai resolution restating the
claim, --as-of, the timeline, and the command line in both languages."""

from __future__ import annotations

import csv
import dataclasses

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import g60kg
from g60kg.analysis.claim import central_node_claim
from g60kg.analysis.layers import STANDINGS
from g60kg.analysis.wording import timeline_text, verdict_text, what_would_change
from g60kg.cli import main


@pytest.fixture(scope="module")
def verdict(bundled: g60kg.KnowledgeGraph):
    return central_node_claim(bundled, n=300)


def test_every_layer_has_a_standing_and_the_summary_follows_the_role_layers(verdict) -> None:
    assert [f.layer for f in verdict.findings] == ["coordination", "alliance-lead", "institutional", "enterprise",
                                                   "knowledge", "infrastructure"]
    assert all(s in STANDINGS for s in verdict.standings.values())
    role = {k: v for k, v in verdict.standings.items() if k in ("coordination", "alliance-lead")}
    from g60kg.analysis.layers import summary

    assert verdict.summary == summary(role)


def test_a_deciding_layer_names_its_claims_and_sources(verdict) -> None:
    for f in verdict.findings:
        if f.outcome in ("centre", "leans"):
            rows = f.deciding()
            assert not rows.empty and rows["sources"].map(len).gt(0).all()
            assert set(rows["city"]) == {f.centre}
            # Every source of a deciding claim is in the registry, with a title.
            assert set(s for ss in rows["sources"] for s in ss) <= set(verdict.sources.index)


def test_removing_a_pivotal_source_is_named(bundled: g60kg.KnowledgeGraph, verdict) -> None:
    # A layer whose first place changes without one source never has a centre, and the text names that source.
    text = verdict_text(verdict, lang="en")
    for f in verdict.findings:
        assert not (f.outcome == "centre" and f.pivotal)
        for source in f.pivotal:
            assert source in text


def test_shanghai_resolution_restates_the_claim_and_counts_shared_mechanisms_once(bundled: g60kg.KnowledgeGraph) -> None:
    v = central_node_claim(bundled, resolution="shanghai", n=100)
    assert v.city == "g60place:shanghai" and v.refused == []
    assert "the claim tested is that Shanghai" in verdict_text(v, lang="en")
    table = v.finding("coordination").table
    assert not table.duplicated(["mechanism", "city", "role"]).any()


def test_district_resolution_lists_what_it_refuses(verdict) -> None:
    # Whatever the data gives for 上海市 rather than a district is listed, never counted for 松江区.
    assert all(r["place"] == "g60place:shanghai" and r["districts"] == ["g60place:songjiang"] for r in verdict.refused)
    assert sum("nothing is apportioned" in item for item in what_would_change(verdict, lang="en")) == len(verdict.refused)
    refused = {r["mechanism"] for r in verdict.refused if r["role"] == "host"}
    table = verdict.finding("coordination").table
    assert not (table["mechanism"].isin(refused) & table["distinguished"]).any()


def test_as_of_uses_only_earlier_facts_and_the_timeline_starts_in_2016(bundled: g60kg.KnowledgeGraph, verdict) -> None:
    early = central_node_claim(bundled, as_of=2018, n=100)
    for f in early.findings:
        assert (f.table["year"] <= 2018).all()
    assert early.timeline["year"].max() == 2018 and verdict.timeline["year"].min() == 2016
    assert "·" in timeline_text(verdict, lang="zh")


def test_the_text_comes_in_both_languages_and_says_what_would_change(verdict) -> None:
    zh, en = verdict_text(verdict, lang="zh"), verdict_text(verdict, lang="en")
    assert "什么数据会改变这个结论" in zh and "What would change this verdict" in en
    assert "None" not in zh and "None" not in en
    assert "seed-songjiang-g60" in zh


def test_cli_writes_the_verdict_and_refuses_an_unknown_city(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--store", store]).exit_code == 0
    result = runner.invoke(main, ["analyze", "central-node", "--store", store, "--lang", "en", "--replicates", "50",
                                  "--as-of", "2020", "--timeline", "--out", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    assert "Summary:" in result.output and "Timeline:" in result.output
    saved = json.loads((tmp_path / "t" / "claim.json").read_text(encoding="utf-8"))
    assert saved["as_of"] == 2020 and len(saved["layers"]) == 6
    wrong = runner.invoke(main, ["analyze", "central-node", "--store", store, "--city", "火星"])
    assert wrong.exit_code == 1 and "unknown place" in wrong.output


def test_every_source_that_changes_the_summary_is_named(verdict) -> None:
    text = verdict_text(verdict, lang="en")
    for source, after in verdict.fragile.items():
        assert f"{source} → {after}" in text
    # The graph without one source gives the summary the verdict says it would: another one
    # when the source is named, the same one otherwise.
    role_sources = sorted({s for f in verdict.findings[:2] for ss in f.table["sources"] for s in ss})
    source = sorted(verdict.fragile)[-1] if verdict.fragile else role_sources[-1]
    kg = g60kg.open_graph("memory")
    kg.build()
    kg.remove_source(source)
    assert central_node_claim(kg, n=300).summary == verdict.fragile.get(source, verdict.summary)


def test_the_saved_tables_hold_no_formula(verdict, tmp_path) -> None:
    table = verdict.findings[0].table.copy()
    text = next(c for c in table.columns if table[c].dtype == object)
    table.loc[table.index[0], text] = "=HYPERLINK(\"http://example.org\")"
    marked = dataclasses.replace(verdict, findings=[dataclasses.replace(verdict.findings[0], table=table),
                                                    *verdict.findings[1:]])
    with marked.save(tmp_path)[1].open(encoding="utf-8", newline="") as written:
        cells = [cell for row in csv.reader(written) for cell in row if "HYPERLINK" in cell]
    assert cells and not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
