"""The central-node claim as the newspaper means it: a verdict per layer and a summary.

``central_node_claim(kg)`` reads the two-mode city × mechanism graph
(``g60kg.network.roles``, read by ``g60kg.network.roles_evidence``) and the one-mode layers (``g60kg.network.cities``), assesses
every layer with one model (``g60kg.analysis.layers``), and says per layer, in plain
words, whether the city is its centre, how sure, on which claims and sources. The
summary is decided by the role layers (coordination, alliance lead): that is what
中心节点 means in the claim; the one-mode layers say whether the city is also the most
connected, and are shown beside it. Published claims about who is central — the seed's
and any other in the graph (``g60:centralNodeOf``) — are listed with their sources.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from g60kg.analysis.coreperiphery import core_periphery
from g60kg.analysis.layers import (ALPHA, MIN_MECHANISMS, MIN_SOURCES, SURE, LayerFinding, assess_layer,
                                   baseline_mechanisms, decide_layers)
from g60kg.analysis.layers import standing as layer_standing
from g60kg.analysis.layers import summary as summarize
from g60kg.analysis.permutation import holm, qap
from g60kg.analysis.uncertainty import RELIABILITY, layer_scores
from g60kg.errors import G60Error
from g60kg.network.cities import (LAYERS, NETWORKS, Queryable, city_layers, city_map, projection_query,
                                  resolve_member, tie_table)
from g60kg.network.roles import ROLE_LAYERS, membership_table, role_layers, role_sources, role_table
from g60kg.network.roles_evidence import (RoleEvidence, evidence_without, joined_years, members_as_of, origin,
                                          role_evidence)
from g60kg.text.spreadsheet import neutralized

__all__ = ["ClaimVerdict", "central_node_claim", "timeline"]


@dataclass
class ClaimVerdict:
    """The outcome of ``central_node_claim``: per-layer findings, the summary and what lies
    behind them (all plain values and DataFrames)."""

    city: str
    network: str
    resolution: str
    as_of: int | None
    summary: str
    findings: list[LayerFinding]
    standings: dict[str, str]
    origin: dict | None
    refused: list[dict]
    claims: pd.DataFrame
    sources: pd.DataFrame
    labels: dict[str, str]
    labels_en: dict[str, str]
    names: dict[str, str]
    qap: pd.DataFrame
    cores: dict[str, dict]
    unlinked_events: list[str]
    timeline: pd.DataFrame
    fragile: dict[str, str]
    settings: dict[str, Any] = field(default_factory=dict)

    def label(self, node: str | None, lang: str = "zh") -> str:
        """A place's name in ``lang`` (its id when the data has none)."""
        if node is None:
            return "—"
        table = self.labels if lang == "zh" else self.labels_en
        return table.get(node) or node.split(":", 1)[-1]

    def finding(self, layer: str) -> LayerFinding:
        """The finding of one layer."""
        return next(f for f in self.findings if f.layer == layer)

    def save(self, out_dir: str | Path) -> list[Path]:
        """Write ``claim.json`` (the verdict), ``claim-layers.csv`` (every layer's rows
        with their probabilities) and ``timeline.csv`` into ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "claim.json", out / "claim-layers.csv", out / "timeline.csv"]
        paths[0].write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        layers = pd.concat([f.table.assign(layer=f.layer) for f in self.findings], ignore_index=True)
        neutralized(layers).to_csv(paths[1], index=False)  # quotes are text, never a spreadsheet's formula
        neutralized(self.timeline).to_csv(paths[2], index=False)
        return paths

    def to_dict(self) -> dict[str, Any]:
        """Plain values (for JSON)."""
        return {"city": self.city, "network": self.network, "resolution": self.resolution, "as_of": self.as_of,
                "summary": self.summary, "standings": self.standings, "origin": self.origin, "refused": self.refused,
                "summary_without": self.fragile,
                "layers": [{"layer": f.layer, "outcome": f.outcome, "centre": f.centre, "top": f.top,
                            "p_value": f.p_value, "p_adjusted": f.p_adjusted, "share": f.share, "scores": f.scores,
                            "mechanisms": f.mechanisms, "baseline": f.baseline, "independent_sources": f.sources,
                            "pivotal_sources": f.pivotal} for f in self.findings],
                "settings": self.settings}


def _publishers(sources: pd.DataFrame) -> dict[str, str]:
    return {s: p for s, p in zip(sources.index, sources["publisher"]) if isinstance(p, str) and p}


def _tables(evidence: RoleEvidence, ties: pd.DataFrame, mapping: dict[str, dict[str, tuple[str, ...]]] | None = None
            ) -> dict[str, tuple[str, pd.DataFrame]]:
    """Every layer's two-mode table (all dates) and its kind; ``mapping``: the
    ``city_map`` that ``ties`` was made with, reused for the role layers."""
    roles = role_table(evidence, mapping=mapping)
    ones = membership_table(evidence.cities, ties, evidence.dates)
    tables = {layer: ("role", roles[roles["layer"] == layer]) for layer in ROLE_LAYERS}
    tables.update({layer: ("membership", ones[ones["layer"] == layer]) for layer in LAYERS})
    return tables


def _as_of(tables: dict[str, tuple[str, pd.DataFrame]], year: int | None) -> dict[str, tuple[str, pd.DataFrame]]:
    """The tables with the rows dated in or before ``year`` (all rows when it is None)."""
    return tables if year is None else {k: (kind, t[t["year"] <= year]) for k, (kind, t) in tables.items()}


def timeline(evidence: RoleEvidence, *, start: int = 2016, end: int | None = None,
             tables: dict[str, tuple[str, pd.DataFrame]] | None = None) -> pd.DataFrame:
    """Each member's score and share of its layer in each year from ``start`` to ``end``
    (the latest dated year by default), every layer as of that year, its baseline left
    out: year, layer, city, score, share (of the layer's total), members (how many were
    members then). ``tables`` (of ``central_node_claim``) saves reading them again.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> t = timeline(role_evidence(kg))
    >>> int(t["year"].min()), set(t.loc[t["year"] == 2016, "members"])
    (2016, {1})
    """
    full = _as_of(tables or _tables(evidence, tie_table(evidence.cities)), end)
    years = [y for _, t in full.values() for y in t["year"] if y == y]
    end = end or (int(max(years)) if years else start)
    members = evidence.cities.members
    eligible = partial(members_as_of, evidence)
    full = {layer: (kind, table[~table["mechanism"].isin(baseline_mechanisms(table, eligible, kind))])
            for layer, (kind, table) in full.items()}
    years = np.arange(start, end + 1)
    # Each layer scored once, a column per year: the rows dated in or before it are alive.
    scores = {layer: layer_scores(table, members, table["year"].to_numpy(dtype=float)[:, None] <= years[None, :],
                                  kind=kind) for layer, (kind, table) in full.items()}
    rows = []
    for i, year in enumerate(years.tolist()):
        current = members_as_of(evidence, year)
        for layer in full:
            total = scores[layer][i].sum()
            for city, score in zip(members, scores[layer][i]):
                rows.append({"year": year, "layer": layer, "city": city, "score": float(score),
                             "share": float(score / total) if total else 0.0, "members": len(current)})
    return pd.DataFrame(rows, columns=["year", "layer", "city", "score", "share", "members"])


def central_node_claim(kg: Queryable, *, city: str = "place/songjiang", network: str = "nine-cities",
                       resolution: str = "district", as_of: int | None = None, n: int = 1000, seed: int = 0,
                       reliability: float = RELIABILITY) -> ClaimVerdict:
    """Test the claim that ``city`` is the central node of ``network`` at ``resolution``
    (``district`` or ``shanghai``), with the facts dated in or before ``as_of`` when
    given; ``n`` replicates of the claim model and null draws per layer, seeded.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> v = central_node_claim(kg, n=200)
    >>> v.summary in ("holds", "holds on thin evidence", "holds in some layers", "no single centre", "does not hold",
    ...               "cannot tell"), [f.layer for f in v.findings][:2]
    (True, ['coordination', 'alliance-lead'])
    """
    started = time.perf_counter()
    evidence = role_evidence(kg, network=network, resolution=resolution)
    cities = evidence.cities
    if cities.places.empty:
        raise G60Error("the graph holds no places: build it first (g60kg build)")
    node = resolve_member(cities, city)
    publishers = _publishers(cities.sources)
    mapping = city_map(cities)  # entities to cities, once for the one-mode and the role layers
    ties = tie_table(cities, mapping=mapping)
    full = _tables(evidence, ties, mapping)
    tables = _as_of(full, as_of)
    eligible = partial(members_as_of, evidence)
    findings = decide_layers([assess_layer(layer, table, cities.members, eligible, kind=kind, publishers=publishers,
                                           n=n, seed=seed, reliability=reliability)
                              for layer, (kind, table) in tables.items()])
    if len(cities.members) < 3:  # a network of fewer than three places has no centre to test
        for f in findings:
            f.outcome, f.centre, f.notes = "too little evidence", None, [f"{len(cities.members)} member place(s)"]
    standings = {f.layer: layer_standing(f, node) for f in findings}
    summary = summarize({k: v for k, v in standings.items() if k in ROLE_LAYERS})
    role_findings = [f for f in findings if f.layer in ROLE_LAYERS]
    fragile = _without_each_source(role_findings, node, cities.members, eligible, publishers, len(findings),
                                   summary, evidence=evidence, tables={k: tables[k][1] for k in ROLE_LAYERS},
                                   as_of=as_of, n=n, seed=seed, reliability=reliability)
    graphs = role_layers(pd.concat([tables[layer][1] for layer in ROLE_LAYERS]), cities.members)
    if as_of is None:
        graphs.update(city_layers(cities, ties))
    else:
        graphs.update({layer: _one_mode(tables[layer][1], cities.members) for layer in LAYERS})
    pairs = [(a, b) for i, a in enumerate(graphs) for b in list(graphs)[i + 1:]
             if graphs[a].number_of_edges() and graphs[b].number_of_edges()]
    tests = {f"{a} ~ {b}": qap(graphs[a], graphs[b], cities.members, n=n, seed=seed) for a, b in pairs}
    adjusted = holm({k: v["p"] for k, v in tests.items()}) if tests else {}
    qap_table = pd.DataFrame([{"layers": k, "r": v["r"], "p": v["p"], "p_holm": adjusted[k]} for k, v in tests.items()],
                             columns=["layers", "r", "p", "p_holm"])
    cores = {name: core_periphery(g, cities.members) for name, g in graphs.items()}
    claims = kg.query(projection_query("claims"))
    iri = NETWORKS.get(network, network)
    claims = claims[claims["network"] == iri].reset_index(drop=True)
    events = set(evidence.venues["event"])
    linked = set(full["coordination"][1]["mechanism"])
    names = cities.entities["zh"].where(cities.entities["zh"].notna(), cities.entities["en"]).dropna().to_dict()
    settings = {"joined": joined_years(evidence), "n": n, "seed": seed, "reliability": reliability, "min_sources": MIN_SOURCES,
                "min_mechanisms": MIN_MECHANISMS, "alpha": ALPHA, "sure": SURE,
                "seconds": round(time.perf_counter() - started, 2)}
    labels = {p: cities.label(p) for p in cities.places.index}
    labels_en = {p: cities.label(p, "en") for p in cities.places.index}
    return ClaimVerdict(node, network, resolution, as_of, summary, findings, standings, origin(evidence),
                        list(evidence.refused), claims, cities.sources, labels, labels_en, names, qap_table, cores,
                        sorted(events - linked), timeline(evidence, end=as_of, tables=full), fragile, settings)


def _without_each_source(findings: list[LayerFinding], city: str, members: list[str], eligible, publishers: dict,
                         family: int, summary: str, *, evidence: RoleEvidence | None = None,
                         tables: dict[str, pd.DataFrame] | None = None, as_of: int | None = None,
                         **options: Any) -> dict[str, str]:
    """The summary without each source, for the sources whose removal changes it.

    A claim loses the source, and a claim it alone states goes: the layers share the
    null's draws of their mechanisms (one cache for all). Given the ``evidence`` the
    layers were read from and their ``tables`` (as of ``as_of``), every source of the
    evidence is also taken out of it and the role tables read again: where the source
    placed a venue or a body in a city, linked an event to the network, named guests or
    members, or dated a membership, the tables read again differ from the claims less
    the source, and the layer is assessed on them."""
    stated = {f.layer: {s for ss in f.table["sources"] for s in ss} for f in findings}
    every = set().union(*stated.values())
    if evidence is not None:
        every |= role_sources(evidence)
    cache: dict = {}
    changed = {}
    for source in sorted(every):
        again_tables: dict[str, tuple[pd.DataFrame, Any]] = {}
        if evidence is not None and tables is not None:
            less = evidence_without(evidence, source)
            rebuilt = role_table(less, as_of=as_of)
            for f in findings:
                read_again = rebuilt[rebuilt["layer"] == f.layer]
                if not _same_claims(_claims_less(tables[f.layer], source), read_again):
                    again_tables[f.layer] = (read_again, partial(members_as_of, less))
        standings = {}
        for f in findings:
            if f.layer not in again_tables:
                if source not in stated[f.layer]:
                    standings[f.layer] = layer_standing(f, city)
                    continue
                again_tables[f.layer] = (_claims_less(f.table, source).drop(columns=["independent", "probability"]),
                                         eligible)
            table, pool = again_tables[f.layer]
            again = assess_layer(f.layer, table, members, pool, kind=f.kind, publishers=publishers, cache=cache,
                                 **options)
            standings[f.layer] = layer_standing(decide_layers([again], family=family)[0], city)
        without = summarize(standings)
        if without != summary:
            changed[source] = without
    return changed


def _claims_less(table: pd.DataFrame, source: str) -> pd.DataFrame:
    """A layer's table whose claims lose ``source``: a distinguished claim it alone states goes."""
    less = table.assign(sources=table["sources"].map(lambda ss: tuple(s for s in ss if s != source)))
    gone = less["distinguished"] & (less["sources"].map(len) == 0) & (table["sources"].map(len) > 0)
    return less[~gone]


_ASSESSED = ["mechanism", "city", "distinguished", "year", "sources"]  # what assess_layer reads of a table


def _same_claims(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two tables of one layer give assess_layer the same rows (in any order)."""
    def rows(t: pd.DataFrame) -> pd.DataFrame:
        return t[_ASSESSED].sort_values(["mechanism", "city", "distinguished"], kind="stable", ignore_index=True)
    return len(a) == len(b) and rows(a).equals(rows(b))


def _one_mode(table: pd.DataFrame, members: list[str]) -> nx.Graph:
    """A one-mode layer from its two-mode table: cities tied by each shared mechanism."""
    graph = nx.Graph()
    graph.add_nodes_from(members)
    for _, rows in table.groupby("mechanism"):
        cities = sorted(set(rows["city"]))
        for i, a in enumerate(cities):
            for b in cities[i + 1:]:
                weight = graph.edges[a, b]["weight"] + 1 if graph.has_edge(a, b) else 1.0
                graph.add_edge(a, b, weight=weight)
    return graph
