"""The curated tables as data: they cover the seed's gold annotations, quote their
sources exactly, cite public sources beyond the seed, and keep provenance removable."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import g60kg
from g60kg.text.normalize import name_key

DATA = Path(g60kg.__file__).resolve().parent / "data"
SEED = "seed-songjiang-g60"

ID = "https://w3id.org/g60kg/id/"
SOURCE_NS = ID + "source/"
GRAPH_NS = "https://w3id.org/g60kg/graph/"
CORRIDOR = f"<{ID}corridor/g60>"
MEMBER_CITIES = ["songjiang", "jiaxing", "hangzhou", "jinhua", "suzhou", "huzhou", "xuancheng", "wuhu", "hefei"]
ENTITY_TABLES = ["places", "organizations", "people", "policies", "projects", "achievements", "events"]
FACT_TABLES = [*ENTITY_TABLES, "relations", "observations"]


def read_table(name: str) -> pd.DataFrame:
    """A curated table as text, empty cells as empty strings."""
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def read_gold(shared: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(shared / "gold" / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """Every curated table except the source registry, by name."""
    found = sorted(p.stem for p in DATA.glob("*.csv") if p.stem != "sources")
    assert set(FACT_TABLES) <= set(found), f"missing tables: {set(FACT_TABLES) - set(found)}"
    return {name: read_table(name) for name in found}


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return read_table("sources")


def rows_from(table: pd.DataFrame, *, seed: bool) -> pd.DataFrame:
    """Rows quoting the seed article (its readers' comments included), or the others."""
    return table[table["source"].str.startswith(SEED) == seed]


# a. The gold annotations of the seed are in the built graph.

def test_core_gold_entities_are_named_in_the_graph(bundled: g60kg.KnowledgeGraph, shared: Path) -> None:
    names = bundled.query(f"""
        SELECT DISTINCT ?name WHERE {{
          ?entity rdfs:label|skos:altLabel ?name
          FILTER(STRSTARTS(STR(?entity), "{ID}"))
        }}""")["name"]
    keys = {name_key(name) for name in names}
    core = read_gold(shared, "gold_entities.csv").query("core == 'y'")
    groups = core.groupby("canonical_name_zh")["mention"]
    missing = sorted(canonical for canonical, mentions in groups
                     if not {name_key(n) for n in (canonical, *mentions)} & keys)
    share = 1 - len(missing) / groups.ngroups
    print(f"\ncore gold entities covered: {share:.1%} of {groups.ngroups}; missing: {missing}")
    assert share >= 0.95, f"missing core entities: {missing}"


def test_core_gold_statistics_are_observations_in_the_graph(bundled: g60kg.KnowledgeGraph, shared: Path) -> None:
    observed = bundled.query("SELECT ?value ?unit WHERE { ?obs a g60:Observation ; g60:value ?value ; g60:unit ?unit }")
    by_unit: dict[str, list[float]] = {}
    for value, unit in zip(observed["value"], observed["unit"]):
        by_unit.setdefault(unit, []).append(float(value))
    core = read_gold(shared, "gold_statistics.csv").query("category == 'core'")
    missing = [f"{row.subject} {row.indicator} {row.value} {row.unit}" for row in core.itertuples()
               if not any(math.isclose(float(row.value), v, rel_tol=1e-9) for v in by_unit.get(row.unit, []))]
    share = 1 - len(missing) / len(core)
    print(f"\ncore gold statistics covered: {share:.1%} of {len(core)}; missing: {missing}")
    assert share >= 0.95, f"missing core statistics: {missing}"


# b, c, d. Rows quote their sources; sources are registered and public.

def test_seed_quotes_are_verbatim(tables: dict[str, pd.DataFrame], shared: Path) -> None:
    seed_text = (shared / "seeds" / "000_628755de01cfc591.txt").read_text(encoding="utf-8")
    wrong = [f"{name}.csv row {index + 2}: {row['quote']!r}"
             for name, table in tables.items()
             for index, row in rows_from(table, seed=True).iterrows()
             if row["quote"] not in seed_text]
    assert wrong == [], "quotes not found in the seed text:\n" + "\n".join(wrong)


def test_every_source_used_is_registered(tables: dict[str, pd.DataFrame], sources: pd.DataFrame) -> None:
    registered = set(sources["id"])
    unknown = {f"{name}.csv: {source!r}" for name, table in tables.items()
               for source in table["source"] if source not in registered}
    assert unknown == set()


def test_every_source_but_the_seed_has_a_web_address(sources: pd.DataFrame) -> None:
    public = sources[~sources["id"].str.startswith(SEED)]
    without = public.loc[~public["url"].str.match(r"https?://\S+$"), "id"].tolist()
    assert without == []


def test_each_document_is_registered_once(sources: pd.DataFrame) -> None:
    """Two ids for one URL would split a document's facts across two named graphs."""
    with_url = sources[sources["url"] != ""]
    assert with_url["url"].is_unique, with_url[with_url["url"].duplicated(keep=False)][["id", "url"]].to_string()


def test_every_fact_row_has_a_quote(tables: dict[str, pd.DataFrame]) -> None:
    unquoted = [f"{name}.csv row {index + 2}" for name in FACT_TABLES
                for index, quote in tables[name]["quote"].items() if not quote.strip()]
    assert unquoted == []


def test_at_least_150_public_facts_beyond_the_seed(tables: dict[str, pd.DataFrame]) -> None:
    public = {name: len(rows_from(tables[name], seed=False)) for name in FACT_TABLES}
    print(f"\nfact rows beyond the seed: {sum(public.values())} {public}")
    assert sum(public.values()) >= 150


# e. Sources that disagree about the same figure (same subject, indicator and year) are both kept.

def test_conflicting_figures_from_different_sources_are_kept(bundled: g60kg.KnowledgeGraph) -> None:
    conflicts = bundled.query("""
        SELECT ?subject ?indicator ?year ?v1 ?src1 ?v2 ?src2 WHERE {
          ?o1 a g60:Observation ; g60:observationAbout ?subject ; g60:indicator ?indicator ;
              g60:value ?v1 ; prov:wasDerivedFrom ?src1 .
          ?o2 a g60:Observation ; g60:observationAbout ?subject ; g60:indicator ?indicator ;
              g60:value ?v2 ; prov:wasDerivedFrom ?src2 .
          OPTIONAL { ?o1 g60:refYear ?y1 }
          OPTIONAL { ?o2 g60:refYear ?y2 }
          BIND(COALESCE(STR(?y1), "") AS ?year)
          FILTER(?v1 != ?v2 && STR(?src1) < STR(?src2) && ?year = COALESCE(STR(?y2), ""))
        }""")
    print(f"\nconflicting figures:\n{conflicts.to_string()}")
    assert not conflicts.empty


# f. The nine member cities.

@pytest.mark.parametrize("city", MEMBER_CITIES)
def test_member_city_joined_the_corridor_at_a_known_date(bundled: g60kg.KnowledgeGraph, city: str) -> None:
    rows = bundled.query(f"""
        SELECT ?start ?source WHERE {{
          <{ID}place/{city}> g60:partOf {CORRIDOR} .
          ?st a g60:Statement ; rdf:subject <{ID}place/{city}> ; rdf:predicate g60:partOf ;
              rdf:object {CORRIDOR} ; g60:startDate ?start ; prov:wasDerivedFrom ?source .
        }}""")
    assert not rows.empty, f"place/{city}: no partOf corridor/g60 statement with a g60:startDate"


@pytest.mark.parametrize("city", MEMBER_CITIES)
def test_member_city_has_its_2020_census_population(bundled: g60kg.KnowledgeGraph, city: str) -> None:
    rows = bundled.query(f"""
        SELECT ?value ?source WHERE {{
          ?obs a g60:Observation ; g60:observationAbout <{ID}place/{city}> ; g60:indicator ?indicator ;
               g60:value ?value ; prov:wasDerivedFrom ?source .
          OPTIONAL {{ ?obs g60:refYear ?year }}
          OPTIONAL {{ ?obs g60:refTime ?time }}
          FILTER(CONTAINS(STR(?indicator), "常住人口"))
          FILTER(COALESCE(STR(?year), "") = "2020" || CONTAINS(COALESCE(STR(?time), ""), "2020"))
        }}""")
    assert not rows.empty, f"place/{city}: no 常住人口 observation for 2020"


# g. Provenance: a source's facts go with its named graph.

def test_dropping_a_source_graph_removes_exactly_its_facts() -> None:
    kg = g60kg.open_graph("memory")
    kg.build(validate=False)
    facts = kg.query(f"""
        SELECT (STR(?src) AS ?source) (COUNT(DISTINCT ?fact) AS ?n) WHERE {{
          ?fact prov:wasDerivedFrom ?src ; a ?kind .
          FILTER(?kind IN (g60:Statement, g60:Observation) && ?src != <{SOURCE_NS}{SEED}>)
        }} GROUP BY ?src ORDER BY DESC(?n) ?src""")
    source, n_facts = facts["source"][0], facts["n"][0]
    graph = GRAPH_NS + source.removeprefix(SOURCE_NS)
    count_per_graph = "SELECT (STR(?g) AS ?graph) (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    before = dict(kg.query(count_per_graph).itertuples(index=False))

    kg.store.update(f"DROP GRAPH <{graph}>")

    left = kg.query(f"""
        SELECT ?fact ?g WHERE {{
          GRAPH ?g {{ ?fact prov:wasDerivedFrom <{source}> ; a ?kind }}
          FILTER(?kind IN (g60:Statement, g60:Observation))
        }}""")
    assert left.empty, f"facts of {source} remain after dropping {graph}:\n{left}"
    after = dict(kg.query(count_per_graph).itertuples(index=False))
    assert before.pop(graph) > n_facts, "the dropped graph held the source's facts"
    assert after == before
