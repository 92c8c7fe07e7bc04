"""The benchmark data generator (benchmarks/generate.py): deterministic, loadable by the
bundled mappings, corridor-shaped, marked synthetic, and linear in the scale."""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main as cli

_SPEC = importlib.util.spec_from_file_location(
    "generate", Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate)


@pytest.fixture(scope="module")
def s1() -> dict[str, pd.DataFrame]:
    return generate.generate(1)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_scale_and_seed_give_byte_identical_files(tmp_path: Path) -> None:
    generate.write_dataset(1, tmp_path / "a", seed=7)
    generate.write_dataset(1, tmp_path / "b", seed=7)
    generate.write_dataset(1, tmp_path / "c", seed=8)
    a, b, c = (_files(tmp_path / x) for x in "abc")
    assert sorted(a) == ["mappings/organizations.yaml", "mappings/places.yaml", "mappings/relations.yaml",
                         "mappings/sources.yaml", "organizations.csv", "places.csv", "relations.csv", "sources.csv"]
    assert a == b
    assert a["organizations.csv"] != c["organizations.csv"] and a["relations.csv"] != c["relations.csv"]


def test_the_cli_command_builds_it_alone_without_a_skipped_row(tmp_path: Path) -> None:
    mappings = generate.write_dataset(0.5, tmp_path / "data")
    result = CliRunner().invoke(cli, ["build", "--no-bundled", *map(str, mappings), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "rows skipped: 0" in result.output and "validation: conforms" in result.output
    assert "Enterprise 500" in result.output


def test_it_builds_beside_the_bundled_data_on_the_same_places(tmp_path: Path) -> None:
    kg = g60kg.open_graph("memory")
    report = kg.build(generate.write_dataset(0.2, tmp_path), validate=False)
    assert report.issues == []
    firms = kg.query("""SELECT ?city (COUNT(?e) AS ?n) WHERE {
        GRAPH g60graph:synthetic-benchmark { ?e a g60:Enterprise ; g60:locatedIn ?city } } GROUP BY ?city""")
    # Each triple once: the cities' labels that both state are in the graph they share.
    assert kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["n"][0] == report.quads
    # The generated firms sit in the bundled data's own nine city nodes, each named as there.
    names = kg.query("SELECT ?city ?name WHERE { GRAPH ?g { ?city rdfs:label ?name } "
                     "?g prov:wasDerivedFrom g60src:seed-songjiang-g60 }")
    assert set(firms["city"]) == {"g60place:" + c.split("/")[1] for c in generate.CITY_SHARES}
    assert "g60place:songjiang" in set(names["city"])


def test_every_row_is_marked_synthetic(s1: dict[str, pd.DataFrame]) -> None:
    assert s1["sources"].to_dict("records")[0]["title"].startswith("Generated benchmark data, not real")
    for name in ("places", "organizations", "relations"):
        assert set(s1[name]["source"]) == {generate.SOURCE_ID}
        assert set(s1[name]["notes"]) == {generate.NOTE}
    orgs = s1["organizations"]
    assert orgs["name_zh"].str.contains("样本").all()
    named_en = orgs[orgs["name_en"] != ""]
    assert named_en["name_en"].str.contains(" Sample ").all() and len(named_en) > 0.4 * len(orgs)


def test_city_sizes_are_skewed_as_declared(s1: dict[str, pd.DataFrame]) -> None:
    firms = s1["organizations"].query("`class` == 'Enterprise'")
    counts = firms["city"].value_counts()
    assert len(counts) == 9 and counts.sum() == 1000
    assert counts.index[0] == "place/hangzhou" and counts.index[-1] == "place/xuancheng"
    assert counts.iloc[0] >= 5 * counts.iloc[-1]


def test_alliance_membership_has_a_heavy_tail(s1: dict[str, pd.DataFrame]) -> None:
    relations = s1["relations"]
    sizes = relations[relations["predicate"] == "memberOf"].groupby("object").size()
    assert len(sizes) == 20
    assert sizes.max() >= 3 * sizes.median()
    # Every alliance has one leading member that also hosts its secretariat.
    leads = relations[relations["predicate"] == "leads"].set_index("object")["subject"]
    hosts = relations[relations["predicate"] == "hostedBy"].set_index("subject")["object"]
    assert leads.sort_index().equals(hosts.sort_index().rename("subject")) and len(leads) == 20


def test_ties_lean_toward_large_cities(s1: dict[str, pd.DataFrame]) -> None:
    city = dict(zip(s1["organizations"]["id"], s1["organizations"]["city"]))
    firms = s1["organizations"].query("`class` == 'Enterprise'")["city"].value_counts(normalize=True)
    ties = s1["relations"][s1["relations"]["predicate"].isin(["cooperatesWith", "investsIn"])]
    ends = pd.concat([ties["subject"].map(city), ties["object"].map(city)]).value_counts(normalize=True)
    over = ends / firms  # a city's share of tie ends over its share of firms
    assert over[["place/hangzhou", "place/suzhou"]].min() > 1.0 > over[["place/huzhou", "place/xuancheng"]].max()
    branches = s1["relations"][s1["relations"]["predicate"] == "hasBranchIn"]
    assert (branches["subject"].map(city) != branches["object"]).all()
    assert branches["object"].value_counts().index[0] in ("place/hangzhou", "place/suzhou")


def test_triples_grow_linearly_with_the_scale(tmp_path: Path) -> None:
    triples = {}
    for scale in (0.5, 1, 2):
        report = g60kg.open_graph("memory").build(generate.write_dataset(scale, tmp_path / str(scale)),
                                                  bundled=False, validate=False)
        assert report.issues == []
        triples[scale] = report.quads
    # Each added 1,000 firms add the same number of triples (the fixed part: the
    # ontology, the places, the least numbers of universities and alliances).
    first, second = (triples[1] - triples[0.5]) / 500, (triples[2] - triples[1]) / 1000
    assert abs(second / first - 1) < 0.1, triples
    assert 9.0 < second < 11.0  # so S = 100 is about a million triples


def test_too_small_a_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="expected at least 50"):
        generate.generate(0.01)


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(generate).failed == 0
