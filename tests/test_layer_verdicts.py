"""The layer verdicts on synthetic corridors (fixed seeds): a planted coordination hub is
found by the coordination layer while a co-membership layer stays silent; without a hub
the layer says "no single centre"; a single-source claim never decides a layer alone;
facts that favour a city never weaken its standing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from g60kg.analysis.layers import (MIN_SOURCES, STANDINGS, LayerFinding, assess_layer, decide_layers, standing,
                                   summary)
from g60kg.analysis.uncertainty import claim_probability

CITIES = [f"c{i}" for i in range(9)]
PUBLISHERS = {f"s{i}": f"p{i}" for i in range(15)}


def everyone(year: float) -> list[str]:
    return CITIES


def rows(mechanism: str, hosts: list[str], others: list[str], sources: tuple[str, ...], year: float = 2020.0) -> list[dict]:
    return ([dict(mechanism=mechanism, city=c, distinguished=True, year=year, sources=sources) for c in hosts]
            + [dict(mechanism=mechanism, city=c, distinguished=False, year=year, sources=()) for c in others])


def corridor(seed: int, *, hub: str | None, events: int = 30, alliances: int = 12) -> dict[str, pd.DataFrame]:
    """A role layer (one host per event, a planted hub hosting each with probability 0.5)
    and a co-membership layer (alliances of 2 to 6 random members): each claim from 1 to
    3 sources drawn from 15 publishers."""
    rng = np.random.default_rng(seed)
    coordination, membership = [], []
    for k in range(events):
        host = hub if hub and rng.random() < 0.5 else CITIES[rng.integers(len(CITIES))]
        sources = tuple(sorted(rng.choice(list(PUBLISHERS), size=rng.integers(1, 4), replace=False)))
        coordination += rows(f"e{k}", [host], [c for c in CITIES if c != host], sources)
    for k in range(alliances):
        members = rng.choice(CITIES, size=rng.integers(2, 7), replace=False)
        for city in members:
            sources = tuple(sorted(rng.choice(list(PUBLISHERS), size=rng.integers(1, 4), replace=False)))
            membership.append(dict(mechanism=f"a{k}", city=city, distinguished=True, year=2020.0, sources=sources))
    return {"coordination": pd.DataFrame(coordination), "membership": pd.DataFrame(membership)}


def findings(layers: dict[str, pd.DataFrame], *, n: int = 400, seed: int = 0) -> dict[str, LayerFinding]:
    done = [assess_layer(name, table, CITIES, everyone, kind="role" if name == "coordination" else "membership",
                         publishers=PUBLISHERS, n=n, seed=seed) for name, table in layers.items()]
    return {f.layer: f for f in decide_layers(done)}


SEEDS = range(100)


def test_a_planted_hub_is_found_by_coordination_while_co_membership_stays_silent() -> None:
    found = silent = 0
    for seed in SEEDS:
        result = findings(corridor(seed, hub="c3"))
        found += standing(result["coordination"], "c3") == "holds"
        silent += result["membership"].outcome in ("no single centre", "too little evidence")
    assert found >= 95 and silent >= 95, (found, silent)


def test_no_hub_gives_no_single_centre() -> None:
    none = sum(findings(corridor(seed, hub=None))["coordination"].outcome == "no single centre" for seed in SEEDS)
    assert none >= 95, none


def test_a_single_source_claim_never_decides_a_layer_alone() -> None:
    # 甲 and 乙 each host six events stated by two publishers; one more event, stated by
    # one page only, puts 甲 ahead.
    table = []
    for k in range(6):
        table += rows(f"a{k}", ["c0"], CITIES[2:], ("s1", "s2"))
        table += rows(f"b{k}", ["c1"], CITIES[2:], ("s3", "s4"))
    table += rows("lonely", ["c0"], CITIES[1:], ("s9",))
    result = findings({"coordination": pd.DataFrame(table)})["coordination"]
    assert result.top == "c0" and result.pivotal == ["s9"]
    assert result.share["c0"] <= claim_probability(1)
    assert standing(result, "c0") == "holds on thin evidence"


@pytest.mark.parametrize("seed", range(30))
def test_no_centre_rests_on_one_single_source_claim(seed: int) -> None:
    layers = corridor(seed, hub="c3" if seed % 2 else None, events=12)
    result = findings(layers)["coordination"]
    if result.outcome != "centre":
        return
    table = result.table
    for i in table.index[table["distinguished"] & (table["independent"] == 1)]:
        again = assess_layer("coordination", table.drop(index=i)[list(layers["coordination"].columns)], CITIES,
                             everyone, kind="role", publishers=PUBLISHERS, n=50)
        assert again.top == result.centre


@pytest.mark.parametrize("seed", range(20))
def test_facts_that_favour_a_city_never_weaken_its_standing(seed: int) -> None:
    layers = corridor(seed, hub="c3", events=10 + seed % 7)
    before = standing(findings(layers)["coordination"], "c3")
    rng = np.random.default_rng(1000 + seed)
    extra = layers["coordination"]
    for k in range(1 + seed % 3):
        sources = tuple(sorted(rng.choice(list(PUBLISHERS), size=rng.integers(1, 4), replace=False)))
        extra = pd.concat([extra, pd.DataFrame(rows(f"new{k}", ["c3"], [c for c in CITIES if c != "c3"], sources))],
                          ignore_index=True)
    # A source added to one of the city's claims is also a fact in its favour.
    first = extra.index[(extra["city"] == "c3") & extra["distinguished"]][:1]
    extra.loc[first, "sources"] = extra.loc[first, "sources"].map(lambda s: tuple(sorted({*s, "s14"})))
    layers["coordination"] = extra
    after = standing(findings(layers)["coordination"], "c3")
    if before != "cannot tell":
        assert STANDINGS.index(after) >= STANDINGS.index(before), (before, after)
    if before == "holds":
        assert after == "holds"


def test_too_few_independent_sources_cannot_decide() -> None:
    table = []
    for k in range(10):
        table += rows(f"e{k}", ["c0"], CITIES[1:], ("s1", "s2"))
    PUBLISHERS_ONE = {"s1": "one", "s2": "one"}
    result = decide_layers([assess_layer("coordination", pd.DataFrame(table), CITIES, everyone, kind="role",
                                         publishers=PUBLISHERS_ONE, n=100)])[0]
    assert result.sources == 1 < MIN_SOURCES and result.outcome == "too little evidence"
    assert standing(result, "c0") == "cannot tell"
    assert summary({"coordination": "cannot tell"}) == "cannot tell"


def test_a_mechanism_every_member_hosts_is_a_baseline() -> None:
    table = rows("rotating", CITIES, [], ("s1", "s2", "s3"))
    for k in range(4):
        table += rows(f"e{k}", ["c0"], CITIES[1:], ("s1", "s2", "s3"))
    result = assess_layer("coordination", pd.DataFrame(table), CITIES, everyone, kind="role", publishers=PUBLISHERS,
                          n=100)
    assert result.baseline == ["rotating"] and result.mechanisms == 4 and result.scores["c0"] == 4.0
