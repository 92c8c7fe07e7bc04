"""The shortcuts of the layer verdict give the numbers of the plain computation, on the
bundled graph with a fixed seed: the null's draws kept and summed again rather than drawn
again, the leave-one-source-out summary that keeps the findings a source does not touch,
and the timeline scored in one pass per layer rather than once per year."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import pytest

import g60kg
from g60kg.analysis.claim import _without_each_source, central_node_claim, timeline
from g60kg.analysis.layers import assess_layer, baseline_mechanisms, decide_layers, standing, summary
from g60kg.analysis.permutation import configuration_null
from g60kg.analysis.uncertainty import layer_scores
from g60kg.network.cities import LAYERS, tie_table
from g60kg.network.roles import ROLE_LAYERS, membership_table, role_table
from g60kg.network.roles_evidence import members_as_of, role_evidence

N, SEED = 200, 5


@pytest.fixture(scope="module")
def evidence(bundled: g60kg.KnowledgeGraph):
    return role_evidence(bundled)


@pytest.fixture(scope="module")
def verdict(bundled: g60kg.KnowledgeGraph):
    return central_node_claim(bundled, n=N, seed=SEED)


def test_the_null_summed_from_kept_draws_is_the_null_drawn_at_once(verdict, evidence) -> None:
    eligible = partial(members_as_of, evidence)
    cache: dict = {}
    for f in verdict.findings:
        null = partial(configuration_null, members=f.members, eligible=eligible, kind=f.kind, n=N, seed=SEED)
        assert np.array_equal(null(f.table), null(f.table, cache=cache))
        mechanisms = sorted(set(f.table["mechanism"]))
        if len(mechanisms) > 1:  # a table less one mechanism: its draws come from the cache, none drawn again
            kept = len(cache)
            less = f.table[f.table["mechanism"] != mechanisms[0]]
            assert np.array_equal(null(less), null(less, cache=cache))
            assert len(cache) == kept
    assert cache


def plain_summary_without(source: str, role: list, city: str, eligible, publishers: dict, family: int) -> str:
    """The summary without ``source`` the plain way: every deciding layer assessed again
    from scratch, with no draw kept and no finding reused."""
    again = []
    for f in role:
        table = f.table.assign(sources=f.table["sources"].map(lambda ss: tuple(s for s in ss if s != source)))
        gone = table["distinguished"] & (table["sources"].map(len) == 0) & (f.table["sources"].map(len) > 0)
        table = table[~gone].drop(columns=["independent", "probability"])
        again.append(assess_layer(f.layer, table, f.members, eligible, kind=f.kind, publishers=publishers, n=N,
                                  seed=SEED))
    return summary({f.layer: standing(f, city) for f in decide_layers(again, family=family)})


def test_the_summary_without_a_source_is_that_of_every_layer_assessed_again(verdict, evidence) -> None:
    eligible = partial(members_as_of, evidence)
    publishers = {s: p for s, p in zip(verdict.sources.index, verdict.sources["publisher"]) if isinstance(p, str) and p}
    role = [f for f in verdict.findings if f.layer in ROLE_LAYERS]
    sources = sorted({s for f in role for ss in f.table["sources"] for s in ss})
    # Against a summary no layer gives, the shortcut names every source with the summary without it.
    fast = _without_each_source(role, verdict.city, evidence.cities.members, eligible, publishers,
                                len(verdict.findings), "(none)", n=N, seed=SEED)
    assert sorted(fast) == sources
    for source in sources[::3]:
        assert fast[source] == plain_summary_without(source, role, verdict.city, eligible, publishers,
                                                     len(verdict.findings)), source
    assert {s: v for s, v in fast.items() if v != verdict.summary} == verdict.fragile


def test_on_a_corridor_whose_summary_rests_on_single_sources_the_shortcut_names_the_same_ones() -> None:
    cities = [f"c{i}" for i in range(9)]

    def everyone(year: float) -> list[str]:
        return cities

    publishers = {f"s{i}": f"p{i}" for i in range(12)}
    rows = []
    for k in range(12):  # c0 hosts eight events, four of them on one source each; c1..c4 one each
        host = "c0" if k < 8 else cities[k - 7]
        sources = (f"s{k}",) if k < 4 else (f"s{k % 12}", f"s{(k + 5) % 12}")
        rows += [dict(mechanism=f"e{k}", city=c, distinguished=c == host, year=2020.0,
                      sources=sources if c == host else ()) for c in cities]
    for k in range(4):  # alliances, led by c0 or c1
        rows += [dict(mechanism=f"a{k}", city=c, distinguished=c == ("c0" if k < 3 else "c1"), year=2020.0,
                      sources=(f"s{8 + k}",) if c == ("c0" if k < 3 else "c1") else ()) for c in cities[:5]]
    tables = {"coordination": pd.DataFrame(rows[:12 * 9]), "alliance-lead": pd.DataFrame(rows[12 * 9:])}
    role = decide_layers([assess_layer(layer, table, cities, everyone, kind="role", publishers=publishers, n=N,
                                       seed=SEED) for layer, table in tables.items()], family=2)
    base = summary({f.layer: standing(f, "c0") for f in role})
    fast = _without_each_source(role, "c0", cities, everyone, publishers, 2, "(none)", n=N, seed=SEED)
    plain = {s: plain_summary_without(s, role, "c0", everyone, publishers, 2) for s in sorted(fast)}
    assert fast == plain
    assert len(set(plain.values()) | {base}) > 1  # some source changes the summary here


def test_the_timeline_scores_each_year_as_the_layers_stood_that_year(evidence) -> None:
    eligible = partial(members_as_of, evidence)
    roles = role_table(evidence)
    ones = membership_table(evidence.cities, tie_table(evidence.cities), evidence.dates)
    tables = {layer: ("role", roles[roles["layer"] == layer]) for layer in ROLE_LAYERS}
    tables.update({layer: ("membership", ones[ones["layer"] == layer]) for layer in LAYERS})
    fast = timeline(evidence, tables=tables)
    members = evidence.cities.members
    for (year, layer), rows in fast.groupby(["year", "layer"], sort=False):
        kind, table = tables[layer]
        table = table[~table["mechanism"].isin(baseline_mechanisms(table, eligible, kind))]
        part = table[table["year"] <= year]
        plain = layer_scores(part, members, np.ones((len(part), 1), dtype=bool), kind=kind)[0]
        assert rows["city"].tolist() == members
        assert rows["score"].tolist() == plain.tolist(), (year, layer)
    years = range(2016, int(fast["year"].max()) + 1)
    assert list(fast[["year", "layer"]].drop_duplicates().itertuples(index=False, name=None)) == [
        (year, layer) for year in years for layer in tables]
