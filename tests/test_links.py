"""Users' link tables: a period of years is read as start and end dates, a row that
repeats another (places reversed or not) is reported and counted once, and a table whose
every row fails stops the build and leaves the store as it was."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import g60kg
from g60kg.errors import InputError
from g60kg.loaders.links import links_input
from g60kg.network.cities import city_network

SOURCES = {"pat": {"title": "patent extract", "publisher": "测试"}}


def table(**columns: list[str]) -> pd.DataFrame:
    n = len(columns["city_a"])
    base = {"layer": ["knowledge"] * n, "source": ["pat"] * n, "quote": [f"q{i}" for i in range(n)]}
    return pd.DataFrame({**base, **columns})


def test_a_period_of_years_gives_start_and_end_dates() -> None:
    kg = g60kg.open_graph("memory")
    report = kg.build([links_input(table(city_a=["松江", "嘉兴"], city_b=["嘉兴", "湖州"], weight=["12", "3"],
                                         year=["2010-2019", "2015至2016"]), sources=SOURCES)])
    assert report.issues == []
    dates = kg.query("SELECT ?s ?start ?end WHERE { ?st dcterms:type 'knowledge' ; rdf:subject ?s ; "
                     "g60:startDate ?start ; g60:endDate ?end } ORDER BY ?s")
    assert [(str(a), str(b)) for a, b in zip(dates["start"], dates["end"])] == [("2015", "2016"), ("2010", "2019")]


def test_a_backward_period_is_a_reported_row() -> None:
    kg = g60kg.open_graph("memory")
    report = kg.build([links_input(table(city_a=["松江", "嘉兴"], city_b=["嘉兴", "湖州"], weight=["1", "1"],
                                         year=["2019-2010", "2019"]), sources=SOURCES)])
    assert [str(i) for i in report.issues] == [
        "<links table>:2:year: a period must end after it starts, got '2019-2010'"]


def test_reversed_and_repeated_rows_are_reported_and_counted_once() -> None:
    kg = g60kg.open_graph("memory")
    links = table(city_a=["松江", "嘉兴", "松江", "松江"], city_b=["嘉兴", "松江区", "嘉兴", "嘉兴"],
                  weight=["4", "4", "4", "5"], year=["2020", "2020", "2020", "2021"])
    report = kg.build([links_input(links, sources=SOURCES)])
    assert sorted(str(i) for i in report.issues) == [
        "<links table>:3:city_b: repeats row 2 with the places reversed: a link is undirected and counted once, from row 2",
        "<links table>:4:city_b: repeats row 2: a link is undirected and counted once, from row 2"]
    # 2020 once (4) and 2021 (5).
    assert city_network(kg, layer="knowledge").edges["g60place:songjiang", "g60place:jiaxing"]["weight"] == 9.0


def test_a_table_whose_every_row_fails_stops_the_build_and_keeps_the_store(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    kg = g60kg.open_graph(store)
    kg.build([links_input(table(city_a=["松江"], city_b=["嘉兴"], weight=["4"]), sources=SOURCES)], validate=False)
    before = len(kg.query("SELECT ?st WHERE { ?st dcterms:type 'knowledge' }"))
    bad = table(city_a=["火星", "松江"], city_b=["嘉兴", "松江"], weight=["4", "-1"])
    with pytest.raises(InputError, match="every one of its 2 link rows failed"):
        kg.build([links_input(bad, sources=SOURCES)], validate=False)
    assert before == 1 and len(g60kg.open_graph(store).query("SELECT ?st WHERE { ?st dcterms:type 'knowledge' }")) == 1
