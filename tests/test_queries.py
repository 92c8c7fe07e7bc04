"""Named queries: the catalog's headers, parameter binding, injection, the CLI, and the
expected rows of every query on the bundled graph."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import g60kg
from g60kg.cli import main
from g60kg.errors import InputError, QueryError
from g60kg.ontology import PROLOGUE
from g60kg.store.prebind import prebind
from g60kg.queries import catalog, catalog_table, named_query
from g60kg.queries.catalog import parse_header

ROOT = Path(__file__).resolve().parents[1]
INJECTION = '"} DELETE WHERE {?s ?p ?o} #'


def rows(frame: pd.DataFrame, *columns: str) -> set[tuple]:
    """The rows of some columns as a set of tuples (missing values as None)."""
    return {tuple(None if pd.isna(v) else v for v in row) for row in frame[list(columns)].itertuples(index=False)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("queries") / "store"
    assert CliRunner().invoke(main, ["build", "--store", str(store)]).exit_code == 0
    return store


# -- the catalog -------------------------------------------------------------------------

def test_the_catalog_has_at_least_fifteen_queries_sorted_by_name() -> None:
    names = list(catalog())
    assert len(names) >= 15 and names == sorted(names)


@pytest.mark.parametrize("name", sorted(catalog()))
def test_every_header_is_complete_and_every_parameter_is_projected(name: str) -> None:
    query = named_query(name)
    assert query.title_zh and query.title_en and len(query.description_en) > 30
    assert re.search(r"[\u4e00-\u9fff]", query.title_zh) and query.title_en.isascii()
    projection = re.search(r"(?is)^\s*SELECT\b(.*?)\bWHERE\b", re.sub(r"(?m)^#.*$", "", query.text))
    assert projection, "a named query is a SELECT query"
    for parameter in query.parameters:
        assert parameter.example
        assert re.search(rf"\?{parameter.name}\b", projection[1]), f"{parameter.name} is not in the projection"
        parameter.term(parameter.default)  # the default has the declared type


def _bilingual(description_zh: str, description_en: str) -> list[str]:
    """The problems of a description pair: Chinese that has no Chinese character, English
    that has one (a name in Chinese quoted in the English text is allowed when the text is
    mostly English)."""
    problems = []
    if not re.search(r"[\u4e00-\u9fff]", description_zh):
        problems.append(f"no Chinese description: {description_zh!r}")
    latin = sum(c.isascii() and c.isalpha() for c in description_en)
    chinese = len(re.findall(r"[\u4e00-\u9fff]", description_en))
    if latin < 10 or chinese * 5 > latin:
        problems.append(f"no English description: {description_en!r}")
    return problems


@pytest.mark.parametrize("name", sorted(catalog()))
def test_every_query_and_parameter_is_described_in_chinese_and_english(name: str) -> None:
    query = named_query(name)
    problems = _bilingual(query.description_zh, query.description_en)
    for parameter in query.parameters:
        problems += [f"{parameter.name}: {p}" for p in _bilingual(parameter.description_zh, parameter.description_en)]
    assert not problems


def test_the_bilingual_check_fails_on_one_language_twice() -> None:
    assert _bilingual("All cities of the corridor.", "All cities of the corridor.") == [
        "no Chinese description: 'All cities of the corridor.'"]
    assert _bilingual("走廊的所有城市。", "走廊的所有城市。") == ["no English description: '走廊的所有城市。'"]


@pytest.mark.parametrize("missing", ["description_zh", "description_en"])
def test_a_header_without_a_description_in_one_language_names_the_file_and_the_field(missing: str) -> None:
    header = {"title_zh": "城市", "title_en": "Cities", "description_zh": "所有城市。", "description_en": "All cities."}
    del header[missing]
    text = "".join(f"# {k}: {v}\n" for k, v in header.items())
    with pytest.raises(InputError, match=rf"x\.rq: the header lacks {missing}"):
        parse_header("x", text + "SELECT ?c WHERE { ?c a g60:City }")


def test_a_parameter_without_a_chinese_description_names_the_file_and_the_parameter() -> None:
    text = ("# title_zh: 城市\n# title_en: c\n# description_zh: 城市\n# description_en: d\n"
            "# param: n\n#   type: integer\n#   default: 1\n#   example: 2\n#   description_en: n\n")
    with pytest.raises(InputError, match=r"x\.rq:n: parameter n lacks description_zh"):
        parse_header("x", text + "SELECT ?n WHERE {}")


def test_chinese_continues_without_a_space_and_english_with_one() -> None:
    text = ("# title_zh: 城市\n# title_en: Cities\n# description_zh: 走廊的\n#   所有城市（g60:City，\n#   九个）。\n"
            "# description_en: All\n#   cities.\nSELECT ?c WHERE { ?c a g60:City }")
    query = parse_header("x", text)
    assert (query.description_zh, query.description_en) == ("走廊的所有城市（g60:City，九个）。", "All cities.")


def test_a_header_without_titles_names_the_file() -> None:
    with pytest.raises(InputError, match=r"x\.rq: the header lacks title_en"):
        parse_header("x", "# title_zh: 城市\n# description_zh: 城市\n# description_en: all cities\n"
                          "SELECT ?c WHERE { ?c a g60:City }")


def test_a_parameter_of_an_unknown_type_names_it() -> None:
    text = ("# title_zh: 城市\n# title_en: c\n# description_zh: 城市\n# description_en: d\n# param: n\n#   type: float\n"
            "#   default: 1\n#   example: 2\n#   description_zh: 数\n#   description_en: n\n")
    with pytest.raises(InputError, match=r"x\.rq:n: parameter n has type 'float'"):
        parse_header("x", text + "SELECT ?n WHERE {}")


def test_catalog_table_lists_names_titles_and_parameters() -> None:
    table = catalog_table()
    row = table.set_index("name").loc["entities-in-city"]
    assert row["title_zh"] == "某城市的某类实体"
    assert row["parameters"] == "city (entity) = place/songjiang, class (iri) = g60:Enterprise"


# -- binding -----------------------------------------------------------------------------

def test_bind_converts_each_type_and_names_the_parameter_on_error() -> None:
    query = named_query("entities-in-city")
    terms = query.bind({"city": "g60place:hefei"})
    assert terms == {"city": ox.NamedNode("https://w3id.org/g60kg/id/place/hefei"),
                     "class": ox.NamedNode("https://w3id.org/g60kg/ontology#Enterprise")}
    with pytest.raises(QueryError, match=r"parameter class: expected an IRI .* got 'Enterprise'"):
        query.bind({"class": "Enterprise"})
    with pytest.raises(QueryError, match="parameter city: expected a name, an alias, an id"):
        query.bind({"city": "嘉兴"})  # a name needs the graph to resolve it


def test_unknown_parameter_lists_the_valid_ones(bundled: g60kg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"entities-in-city has no parameter 'town'; its parameters: city, class"):
        bundled.query("entities-in-city", town="松江")


def test_unknown_query_name_lists_the_known_ones(bundled: g60kg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"no named query 'cities'; known: .*entities-in-city"):
        bundled.query("cities")


def test_entity_names_and_aliases_resolve_through_the_graph(bundled: g60kg.KnowledgeGraph) -> None:
    by_alias = bundled.query("entities-in-city", city="松江")
    by_id = bundled.query("entities-in-city", city="place/songjiang")
    by_iri = bundled.query("entities-in-city", city="https://w3id.org/g60kg/id/place/songjiang")
    assert by_alias.equals(by_id) and by_id.equals(by_iri)
    with pytest.raises(QueryError, match="parameter city: no entity is named '火星'"):
        bundled.query("entities-in-city", city="火星")


@pytest.mark.parametrize("name", sorted(catalog()))
def test_prebinding_in_the_text_gives_the_rows_of_native_binding(bundled: g60kg.KnowledgeGraph, name: str) -> None:
    """Terms written into the text (what the stores send) answer as Oxigraph's own
    substitution of the variables does, example values included."""
    query = named_query(name)
    for values in ({}, {p.name: p.example for p in query.parameters}):
        terms = query.bind(values, bundled._resolve)
        substitutions = {ox.Variable(k): v for k, v in terms.items()}
        native = bundled.store.oxigraph.query(PROLOGUE + query.text, substitutions=substitutions,
                                             use_default_graph_as_union=True)
        written = bundled.store.select(PROLOGUE + query.text, terms)
        assert json.loads(native.serialize(format=ox.QueryResultsFormat.JSON))["results"] == json.loads(written)["results"]


def test_prebind_escapes_the_value_and_leaves_strings_and_iris_alone() -> None:
    text = 'SELECT ?x WHERE { ?s <http://e/?x> "?x" FILTER(?x = ?s) } GROUP BY ?x'
    bound = prebind(text, {"x": ox.Literal(INJECTION)})
    assert bound == ('SELECT ("\\"} DELETE WHERE {?s ?p ?o} #" AS ?x) WHERE { ?s <http://e/?x> "?x" '
                     'FILTER("\\"} DELETE WHERE {?s ?p ?o} #" = ?s) } GROUP BY ("\\"} DELETE WHERE {?s ?p ?o} #")')


# -- injection ---------------------------------------------------------------------------

def test_an_injected_value_is_a_value(tmp_path: Path) -> None:
    kg = g60kg.open_graph("memory")
    kg.build()
    before = len(kg.store)
    for name, query in catalog().items():
        for parameter in query.parameters:
            if parameter.type == "string":
                assert kg.query(name, **{parameter.name: INJECTION}).empty, name
    with pytest.raises(QueryError, match="parameter city: no entity is named"):
        kg.query("entities-in-city", city=INJECTION)
    with pytest.raises(QueryError, match="parameter class: expected an IRI"):
        kg.query("entities-in-city", **{"class": INJECTION})
    text = kg.query("SELECT ?s ?v WHERE { ?s rdfs:label ?v }", v=INJECTION)
    assert text.empty and len(kg.store) == before


def test_an_injected_value_from_the_command_line_is_a_value(built: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = CliRunner().invoke(main, ["query", count, "--store", str(built), "--format", "csv"]).output
    string_param = next((q.name, p.name) for q in catalog().values() for p in q.parameters if p.type == "string")
    result = CliRunner().invoke(main, ["query", string_param[0], "--store", str(built), "--format", "json",
                                       "--param", f"{string_param[1]}={INJECTION}"])
    assert result.exit_code == 0 and json.loads(result.output) == []
    refused = CliRunner().invoke(main, ["query", "entities-in-city", "--store", str(built), "--param", f"city={INJECTION}"])
    assert refused.exit_code == 1 and "parameter city: no entity is named" in refused.output
    after = CliRunner().invoke(main, ["query", count, "--store", str(built), "--format", "csv"]).output
    assert before == after and int(before.split()[-1]) > 10_000


# -- the command line --------------------------------------------------------------------

def test_queries_lists_every_named_query() -> None:
    result = CliRunner().invoke(main, ["queries", "--format", "csv"])
    assert result.exit_code == 0
    listed = pd.read_csv(__import__("io").StringIO(result.output))
    assert listed["name"].tolist() == list(catalog())


def test_query_runs_a_named_query_with_parameters(built: Path) -> None:
    result = CliRunner().invoke(main, ["query", "entities-in-city", "--store", str(built), "--param", "city=芜湖",
                                       "--param", "class=g60:Organization", "--format", "json"])
    assert result.exit_code == 0, result.output
    entities = {row["entity"] for row in json.loads(result.output)}
    assert {"g60org:chery-nev-tech", "g60org:g60-robot-alliance"} <= entities


def test_query_param_without_equals_is_a_usage_error(built: Path) -> None:
    result = CliRunner().invoke(main, ["query", "entities-in-city", "--store", str(built), "--param", "city"])
    assert result.exit_code == 2 and "expected NAME=VALUE, got 'city'" in result.output


def test_a_syntax_error_in_a_file_names_line_and_column(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("SELECT ?s\nWHERE { ?s ?p }", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "--file", str(path), "--store", str(built)])
    assert result.exit_code == 1 and "SPARQL syntax error at line 2, column" in result.output


# -- expected rows on the bundled graph --------------------------------------------------

def test_entities_in_city(bundled: g60kg.KnowledgeGraph) -> None:
    frame = bundled.query("entities-in-city")
    assert {"g60org:kuka-robotics-shanghai", "g60org:keda-zhineng", "g60org:hengchi-new-energy"} <= set(frame["entity"])
    assert set(frame["city"]) == {"g60place:songjiang"} and set(frame["class"]) == {"g60:Enterprise"}
    keda = frame[frame["entity"] == "g60org:keda-zhineng"]
    assert set(keda["name_zh"]) == {"科大智能"}
    assert {"al-cri-2019-ai-alliance", "seed-songjiang-g60"} <= set(" | ".join(keda["sources"]).split(" | "))
    wuhu = bundled.query("entities-in-city", city="芜湖", **{"class": "g60:Organization"})
    assert rows(wuhu, "entity", "name_zh") >= {("g60org:chery-nev-tech", "奇瑞新能源汽车技术有限公司"),
                                                ("g60org:g60-robot-alliance", "G60科创走廊机器人产业联盟")}
    shanghai = bundled.query("entities-in-city", city="上海市")
    assert set(frame["entity"]) <= set(shanghai["entity"])  # Songjiang is part of Shanghai


def test_alliance_members(bundled: g60kg.KnowledgeGraph) -> None:
    laser = bundled.query("alliance-members")
    assert rows(laser, "member", "relation", "role", "city") >= {
        ("g60org:soochow-university", "g60:hostedBy", "秘书长单位", "g60place:suzhou"),
        ("g60org:everbright-photonics", "g60:leads", "首届理事长单位", "g60place:suzhou"),
        ("g60org:soochow-university", "g60:leads", "主导组织(牵头)", "g60place:suzhou"),
        ("g60person:min-dayong", "g60:leads", "理事长", None),
        ("g60place:suzhou", "g60:leads", "牵头城市", "g60place:suzhou"),
    }
    ic = bundled.query("alliance-members", alliance="长三角G60科创走廊集成电路产业联盟")
    assert set(ic["member"]) == {"g60org:suzhou-nano-tech-dev"} and set(ic["source"]) == {"al-nanopolis-2021-ic-alliance"}
    assert ic["quote"].str.startswith("苏州纳米科技发展有限公司作为").all()


def test_entity_facts(bundled: g60kg.KnowledgeGraph) -> None:
    facts = bundled.query("entity-facts")
    assert ("g60:locatedIn", "g60place:songjiang", "seed-songjiang-g60") in rows(facts, "predicate", "object", "source")
    assert ("g60:value", "满载服务器数量: 400000 台") in rows(facts, "predicate", "object")
    assert ("g60:value", "总投资: > 45000000000 元") in rows(facts, "predicate", "object")
    participation = facts[facts["predicate"] == "g60:participatesIn"].iloc[0]
    assert participation["source"] == "shine-2020-11-ciie-g60" and participation["role"] == "跨区域产业链合作签约"
    xuancheng = bundled.query("entity-facts", entity="宣城市")
    operated = xuancheng[xuancheng["predicate"] == "g60:operates"]
    assert set(operated["object"]) == {"g60org:g60-xuancheng-sci-tech-center"} and operated["quote"].notna().all()


def test_city_links(bundled: g60kg.KnowledgeGraph) -> None:
    links = bundled.query("city-links")
    direct = rows(links[links["kind"] == "direct"], "subject", "predicate", "object", "role")
    assert ("g60place:songjiang", "g60:adjacentTo", "g60place:jiaxing", "G60沪昆高速") in direct
    assert ("g60place:jiaxing", "g60:cooperatesWith", "g60place:songjiang",
            "统一战线服务长三角区域一体化发展六方合作协议") in direct
    shared = links[links["kind"] == "shared"]
    assert {"g60policy:g60-songjiang-declaration", "g60org:g60-joint-office"} <= set(shared["via"])
    # each side of a shared body is one of the two places or something located in one of them
    placed = bundled.query("SELECT ?s WHERE { VALUES ?c { g60place:songjiang g60place:jiaxing } "
                           "?s (g60:locatedIn|g60:partOf)* ?c }")
    assert {"g60place:songjiang", "g60place:jiaxing"} <= set(shared["subject"]) <= set(placed["s"])
    rail = bundled.query("city-links", city_a="苏州", city_b="湖州")
    assert set(rail[rail["kind"] == "direct"]["source"]) >= {"peoplecn-2024-12-husuhu", "shine-2024-12-husuhu"}


def test_indicator_observations(bundled: g60kg.KnowledgeGraph) -> None:
    population = bundled.query("indicator-observations")
    assert ("g60place:songjiang", 2020, 1909713, "enwiki-songjiang") in rows(population, "subject", "year", "value", "source")
    assert population["year"].dtype == "Int64" and set(population["unit"]) == {"人"}
    assert len(set(population["subject"]) & {f"g60place:{c}" for c in (
        "songjiang", "jiaxing", "hangzhou", "jinhua", "suzhou", "huzhou", "xuancheng", "wuhu", "hefei")}) == 9
    shares = bundled.query("indicator-observations", keyword="high-tech enterprises")
    assert {2016, 2021, 2023, 2024} <= set(shares["year"].dropna())


def test_corridor_timeline(bundled: g60kg.KnowledgeGraph) -> None:
    timeline = bundled.query("corridor-timeline")
    assert timeline["date"].tolist() == sorted(timeline["date"])
    assert timeline.iloc[0]["date"] == "2016"
    joined = timeline[timeline["kind"] == "g60:partOf"]
    assert ("2018", "g60place:wuhu", "jsnews-2018-g60-office") in rows(joined, "date", "place", "source")
    window = bundled.query("corridor-timeline", from_year="2020", to_year="2021")
    in_window = timeline[timeline["date"].str[:4].isin(["2020", "2021"])]
    assert window["date"].str[:4].isin(["2020", "2021"]).all() and len(window) == len(in_window) > 0
    assert "g60policy:g60-construction-plan" in set(window["item"])


def test_research_platforms_and_achievements(bundled: g60kg.KnowledgeGraph) -> None:
    platforms = bundled.query("research-platforms")
    assert {"g60org:tencent-keen-lab", "g60org:cas-hefei-institutes", "g60org:g60-innovation-research-center"} <= set(platforms["platform"])
    tencent = platforms[platforms["platform"] == "g60org:tencent-ai-supercomputing-center"]
    assert "满载服务器数量: 400000 台" in set(tencent["record"]) and set(tencent["record_kind"]) == {"figure"}
    achievements = bundled.query("achievements")
    assert ("g60achievement:somatic-cell-cloned-monkey", "体细胞克隆猴", "g60place:songjiang") in rows(
        achievements, "achievement", "name_zh", "achieved_by")
    assert ("g60achievement:innovative-industrial-cluster-pilot", "g60project:g60-digital-economy-cluster") in rows(
        achievements, "achievement", "achieved_by")


def test_enterprises_by_sector(bundled: g60kg.KnowledgeGraph) -> None:
    energy = bundled.query("sector-enterprises")
    assert set(energy["enterprise"]) >= {"g60org:baolong", "g60org:byd", "g60org:hengchi-new-energy",
                                         "g60org:lixiang-jingyan", "g60org:wanxiang"}
    assert set(energy["sector_zh"]) == {"新能源"}
    ai = bundled.query("sector-enterprises", sector="g60sector:ai")
    assert set(ai["name_zh"]) >= {"库卡机器人", "科大智能"} and "g60org:g60-ai-alliance" not in set(ai["enterprise"])
    sectors = bundled.query("sectors").set_index("sector")
    assert sectors.loc["g60sector:new-energy", "enterprises"] == energy["enterprise"].nunique()
    assert sectors.loc["g60sector:ai", "enterprises"] == ai["enterprise"].nunique()
    assert (sectors["organizations"] >= sectors["enterprises"]).all()  # an alliance of a sector is no enterprise


def test_source_contributions(bundled: g60kg.KnowledgeGraph) -> None:
    sources = bundled.query("source-contributions").set_index("source")
    assert sources.loc["seed-songjiang-g60", "publisher"] == "松江报"
    assert sources["triples"].is_monotonic_decreasing  # the largest contributors first
    # Its triples: those of its own graph and of the graphs it shares with other sources.
    own, shared = (bundled.query(f"""SELECT (COUNT(*) AS ?n) WHERE {{
        GRAPH g60graph:sources {{ ?g prov:wasDerivedFrom g60src:seed-songjiang-g60 }} GRAPH ?g {{ ?s ?p ?o }}
        FILTER (?g {op} g60graph:seed-songjiang-g60) }}""")["n"].iloc[0] for op in ("=", "!="))
    assert own > 1000 and shared > 0 and sources.loc["seed-songjiang-g60", "triples"] == own + shared
    laser = sources.loc["al-chinadaily-2022-laser-alliance"]
    assert laser["date"] == "2022-06-17" and laser["figures"] == 1 and laser["facts"] > 0
    assert len(sources) == bundled.stats()["classes"]["Source"] and (sources["triples"] > 0).all()


def test_single_source_facts(bundled: g60kg.KnowledgeGraph) -> None:
    members = bundled.query("single-source-facts")
    assert rows(members, "subject", "object", "source") >= {
        ("g60org:apeloa", "g60org:g60-biomedicine-alliance", "al-hengdian-2019-biomed-alliance"),
        ("g60place:songjiang", "g60org:sw-shanghai-industry-innovation-chain-alliance", "seed-songjiang-g60")}
    claims = bundled.query("single-source-facts", predicate="g60:centralNodeOf")
    assert set(claims["source"]) == {"seed-songjiang-g60"} and len(claims) == 2
    partof = bundled.query("single-source-facts", predicate="g60:partOf")
    assert "g60place:songjiang" not in set(partof[partof["object"] == "g60corridor:g60"]["subject"])  # five sources


def test_conflicting_observations(bundled: g60kg.KnowledgeGraph) -> None:
    conflicts = bundled.query("conflicting-observations")
    pairs = {tuple(sorted(((a, sa), (b, sb)))) for a, sa, b, sb in rows(conflicts, "value_a", "source_a", "value_b", "source_b")}
    assert ((11936010, "citypop-zhejiang"), (11963010, "hangzhou-news-census-2021")) in pairs
    assert ((130, "al-ofweek-2022-laser-alliance"), (500, "al-chinadaily-2022-laser-alliance")) in pairs
    assert not (conflicts["subject"] == "g60corridor:g60").any()  # the corridor's figures differ by year only


def test_organizations_in_several_cities(bundled: g60kg.KnowledgeGraph) -> None:
    several = bundled.query("multi-city-organizations")
    assert rows(several, "organization", "cities") >= {("g60org:g60-wuhu-innovation-center", 2),
                                                       ("g60org:g60-xuancheng-sci-tech-center", 2)}
    assert (several["cities"] >= 2).all()
    assert (several["city_names"].str.split("、").str.len() == several["cities"]).all()
    assert len(bundled.query("multi-city-organizations", min_cities="1")) > 50


def test_corridor_members(bundled: g60kg.KnowledgeGraph) -> None:
    members = bundled.query("corridor-members")
    assert len(members) == 9 and members.iloc[0]["place"] == "g60place:songjiang"
    assert rows(members, "place", "joined") >= {("g60place:songjiang", "2016"), ("g60place:jiaxing", "2017"),
                                                ("g60place:hefei", "2018")}
    assert members.set_index("place").loc["g60place:songjiang", "sources"] >= 5


def test_central_node_claims(bundled: g60kg.KnowledgeGraph) -> None:
    claims = bundled.query("central-node-claims")
    assert rows(claims, "place", "network", "publisher") == {
        ("g60place:songjiang", "g60corridor:g60", "松江报"),
        ("g60place:songjiang", "g60org:sw-shanghai-industry-innovation-chain-alliance", "松江报")}
    assert claims["quote"].str.contains("中心节点").all()


def test_search_names(bundled: g60kg.KnowledgeGraph) -> None:
    robots = bundled.query("search-names", text="机器人")
    assert set(robots["entity"]) >= {"g60event:2018-g60-robot-alliance-founding", "g60org:g60-robot-alliance",
                                     "g60org:kuka-robotics-shanghai"}
    assert all("机器人" in name for name in robots["matched"])
    assert "库卡机器人(上海)有限公司" in set(robots["matched"])
    assert set(bundled.query("search-names", text="kuka")["entity"]) == {"g60org:kuka-robotics-shanghai"}


def test_member_balance(bundled: g60kg.KnowledgeGraph) -> None:
    balance = bundled.query("member-balance")
    assert set(balance["member"]) == set(bundled.query("corridor-members")["place"])
    songjiang = balance[balance["member"] == "g60place:songjiang"].set_index("class")
    enterprises = bundled.query("entities-in-city", city="松江区", **{"class": "g60:Enterprise"})
    assert songjiang.loc["Enterprise", "entities"] == enterprises["entity"].nunique()
    assert (balance["facts"] >= balance["entities"]).all() and (balance["sources"] >= 1).all()
    table = bundled.balance()
    assert list(table.index) == sorted(set(balance["member"]))
    assert (table["organizations"] <= table.drop(columns=["name_zh", "name_en"]).filter(regex="^[A-Z]").sum(axis=1)).all()
    assert {f"ties {layer}" for layer in ("institutional", "enterprise", "knowledge", "infrastructure")} <= set(table)
    assert (table["ties infrastructure"] <= 8).all() and table["ties infrastructure"].max() > 0


def test_people_roles(bundled: g60kg.KnowledgeGraph) -> None:
    people = bundled.query("people-roles")
    assert rows(people, "name_zh", "relation", "organization", "role") >= {
        ("闵大勇", "g60:leads", "g60org:g60-laser-alliance", "理事长"),
        ("钟南山", "g60:memberOf", "g60org:g60-expert-advisory-committee", "院士"),
        ("戴志明", "g60:affiliatedWith", "g60org:g60-joint-office", "产业组组长")}
    assert len(set(people["person"])) == 10


def test_every_named_query_has_a_test_of_its_rows() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [name for name in catalog() if f'query("{name}"' not in source]
    assert not untested, f"named queries without an expected-rows test: {untested}"


def test_docs_catalog_is_the_current_listing() -> None:
    docs = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert catalog_table().to_markdown(index=False) in docs, "regenerate the table: g60kg queries --format md"
