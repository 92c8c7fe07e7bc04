"""Test a "central node" claim on the city network, and say in plain words what holds.

``central_node(kg)`` ranks every member city under every measure and layer, checks the
ranks against an edge bootstrap, leave-one-layer-out, leave-one-source-out and null
models, and returns a ``Verdict``: one of ``holds``, ``holds only in some layers``,
``does not hold`` or ``cannot tell``, with its reasons and the data that would settle it.

The rules, applied in order:

1. *cannot tell* when the network has fewer than three member places in the data, or no
   layer with at least two ties among three cities.
2. In each such (informative) layer the central node is the city first alone on a
   majority of the measures; the city is *central* there when it is that city and the
   bootstrap keeps it so in at least half of the replicates.
3. *holds* when the city is central in every informative layer (two or more) and in
   their multiplex aggregate, in at least 80% of the replicates, and dropping no single
   source changes that.
4. *holds only in some layers* when it is central in at least one informative layer.
5. *does not hold* when another city is central in the aggregate or in most informative
   layers (the verdict names it).
6. Otherwise *cannot tell*: the layers rank no single city first.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from g60kg.errors import G60Error
from g60kg.text.spreadsheet import neutralized
from g60kg.analysis.centrality import centrality_table, hits_table, multiplex_aggregate, ranks
from g60kg.network.cities import (LAYERS, NETWORKS, Queryable, city_evidence, city_layers, projection_query,
                                  resolve_member, tie_table)
from g60kg.analysis.robustness import (bootstrap_summary, edge_bootstrap, informative_layers, leader, leave_one_layer_out,
                                    leave_one_source_out, null_model, standing)

__all__ = ["Verdict", "central_node", "VERDICTS"]

VERDICTS = ("holds", "holds only in some layers", "does not hold", "cannot tell")
SEED_KIND = "seed"


@dataclass
class Verdict:
    """The outcome of ``central_node``: the verdict in words and every table behind it."""

    city: str
    network: str
    resolution: str
    verdict: str
    leader: str | None
    reasons: list[str]
    missing: list[str]
    members: list[str]
    labels: dict[str, str]
    layers: pd.DataFrame
    values: pd.DataFrame
    bootstrap: pd.DataFrame
    central_share: pd.DataFrame
    leave_one_layer_out: pd.DataFrame
    leave_one_source_out: pd.DataFrame
    null: pd.DataFrame
    evidence: pd.DataFrame
    claims: pd.DataFrame
    sources: pd.DataFrame
    coordinates: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    def name(self, node: str | None) -> str:
        """A node's Chinese name (its id when unknown)."""
        return "(none)" if node is None else self.labels.get(node, node)

    def ranks(self) -> pd.DataFrame:
        """Cities × (graph, measure): the rank of each city (1 = first)."""
        if self.values.empty:
            return pd.DataFrame()
        wide = self.values.pivot_table(index="city", columns=["graph", "measure"], values="rank")
        return wide.rename(index=self.labels)

    def text(self) -> str:
        """The verdict in plain words, with its reasons, robustness and missing data."""
        lines = [f"Claim: {self.name(self.city)} is the central node (中心节点) of {self.network} "
                 f"({self.resolution} resolution)."]
        for r in self.claims.itertuples():
            lines.append(f"  stated by {r.source}: “{r.quote}”")
        lines.append(f"Verdict: {self.verdict.upper()}" + (f" — the data points to {self.name(self.leader)}"
                                                        if self.leader and self.leader != self.city else ""))
        lines.append("Reasons:")
        lines += [f"  - {r}" for r in self.reasons]
        lines.append("Missing data that would settle it:")
        lines += [f"  - {m}" for m in self.missing]
        s = self.settings
        if self.values.empty:
            lines.append("Method: no centrality computed (too few member places in the data).")
        else:
            lines.append(f"Method: {s.get('n_boot')} bootstrap resamples of facts and {s.get('n_null')} null graphs per "
                         f"layer, seed {s.get('seed')}; betweenness {s.get('betweenness')}; {s.get('seconds', 0):.1f} s.")
        return "\n".join(lines)

    def save(self, out_dir: str | Path) -> list[Path]:
        """Write the verdict (``verdict.txt``, ``verdict.json``) and every table as CSV."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = [out / "verdict.txt", out / "verdict.json"]
        written[0].write_text(self.text() + "\n", encoding="utf-8")
        written[1].write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        for name in ("layers", "values", "bootstrap", "central_share", "leave_one_layer_out", "leave_one_source_out",
                     "null", "evidence", "claims"):
            path = out / f"{name}.csv"
            neutralized(getattr(self, name)).to_csv(path, index=False)
            written.append(path)
        return written

    def to_dict(self) -> dict[str, Any]:
        """Plain values (for JSON)."""
        return {"city": self.city, "network": self.network, "resolution": self.resolution, "verdict": self.verdict,
                "leader": self.leader, "reasons": self.reasons, "missing": self.missing, "members": self.members,
                "layers": self.layers.to_dict("records"), "settings": self.settings}


def _values(graphs: dict, directed: dict, labels: dict, backend: str | None) -> tuple[pd.DataFrame, str]:
    rows, note = [], ""
    for name, graph in graphs.items():
        table = centrality_table(graph, backend=backend)
        note = table.attrs["betweenness"]
        if name in directed:
            table = table.join(hits_table(directed[name], backend=backend))
        rank = ranks(table)
        for measure in table.columns:
            for node in table.index:
                rows.append({"graph": name, "measure": measure, "city": node, "label": labels.get(node, node),
                             "value": float(table.at[node, measure]), "rank": int(rank.at[node, measure])})
    return pd.DataFrame(rows, columns=["graph", "measure", "city", "label", "value", "rank"]), note


def _evidence(ties: pd.DataFrame, city: str, evidence, labels: dict) -> pd.DataFrame:
    quotes = dict(zip(evidence.ties["fact"], evidence.ties["quote"]))
    names = evidence.entities
    touching = ties[(ties["a"] == city) | (ties["b"] == city)]
    rows = []
    for r in touching.itertuples():
        other = r.b if r.a == city else r.a
        hub = r.hub or r.tie.split("|", 2)[-1]
        if r.hub and r.hub in names.index:
            hub = names.at[r.hub, "zh"] or names.at[r.hub, "en"] or r.hub
        rows.append({"layer": r.layer, "other": labels.get(other, other), "kind": r.kind, "through": hub,
                     "weight": r.weight, "corridor_wide": r.corridor_wide, "sources": ", ".join(r.sources),
                     "facts": len(r.facts), "quote": next((quotes[f] for f in r.facts if isinstance(quotes.get(f), str)), "")})
    return pd.DataFrame(rows, columns=["layer", "other", "kind", "through", "weight", "corridor_wide", "sources",
                                       "facts", "quote"])


def central_node(kg: Queryable, *, city: str = "place/songjiang", network: str = "nine-cities",
                 resolution: str = "district", n_boot: int = 1000, n_null: int = 200, seed: int = 0,
                 corridor_wide: bool = True, backend: str | None = None) -> Verdict:
    """Test the claim that ``city`` is the central node of ``network`` (``nine-cities``,
    ``sw-five``, or a corridor/alliance CURIE) at a ``resolution`` (``district`` or
    ``shanghai``). ``corridor_wide=False`` leaves out ties through hubs every member
    belongs to. ``backend`` is passed to networkx. Seeded: equal arguments, equal result.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> central_node(kg, network="sw-five", n_boot=10, n_null=10).verdict
    'cannot tell'
    """
    started = time.perf_counter()
    evidence = city_evidence(kg, network=network, resolution=resolution)
    if evidence.places.empty:
        raise G60Error(f"the graph at {getattr(kg, 'location', 'this store')} holds no places: build it first (g60kg build)")
    labels = {node: evidence.label(node) for node in evidence.places.index}
    claims = kg.query(projection_query("claims"))
    network_iri = NETWORKS.get(network, network)
    claims = claims[claims["network"] == network_iri]
    sources = evidence.sources
    empty = pd.DataFrame()
    settings = {"n_boot": n_boot, "n_null": n_null, "seed": seed, "corridor_wide": corridor_wide, "backend": backend,
                "betweenness": "not computed"}
    if len(evidence.members) < 3:
        node = evidence.members[0] if evidence.members else city
        reasons = [f"The data lists {len(evidence.members)} member place(s) of {network}: "
                   f"{', '.join(labels.get(m, m) for m in evidence.members) or 'none'}. A network of fewer than three "
                   "places has no centre to test."]
        missing = [f"The members of {network}, each with a citable source."]
        if network == "sw-five":
            reasons.append("The seed names the south-west Shanghai five-district industry/innovation chain alliance "
                           "(上海西南五区产业链创新链联盟) but not its members; no citable page listing them was found "
                           "(docs/data-notes.md). The five *western* districts that signed a G60 agreement in 2020 "
                           "(Minhang, Jiading, Jinshan, Songjiang, Qingpu) are a different grouping and are not "
                           "substituted for it.")
            missing = ["The alliance's five member districts, from a citable source (a founding document or report), "
                       "and ties among them (joint projects, firms with sites in two districts, agreements)."]
        settings["seconds"] = round(time.perf_counter() - started, 2)
        return Verdict(node, network, resolution, "cannot tell", None, reasons, missing, evidence.members, labels,
                       empty, empty, empty, empty, empty, empty, empty, empty, claims, sources,
                       evidence.places, settings)
    node = resolve_member(evidence, city)
    ties = tie_table(evidence, corridor_wide=corridor_wide)
    layers = city_layers(evidence, ties)
    directed_all = city_layers(evidence, ties, directed=True)
    useful = informative_layers(layers)
    graphs = dict(layers)
    graphs["multiplex"] = multiplex_aggregate({k: layers[k] for k in useful})
    has_direction = {k for k in LAYERS if (ties.loc[ties["layer"] == k, "tail"] != "").any()}
    values, note = _values(graphs, {k: directed_all[k] for k in has_direction}, labels, backend)
    settings["betweenness"] = note
    tables = {name: values[values["graph"] == name].pivot(index="city", columns="measure", values="value")
              for name in graphs}

    boot_values, boot_leaders = edge_bootstrap(evidence, ties, layers=useful, n_boot=n_boot, seed=seed, backend=backend)
    summary, shares = bootstrap_summary(boot_values, boot_leaders)
    summary["label"] = summary["city"].map(labels)
    share_of = {(r.layer, r.leader): r.share for r in shares.itertuples()}
    lolo = leave_one_layer_out({k: layers[k] for k in useful}, node, backend=backend) if len(useful) >= 2 else empty
    used = sorted({src for srcs in ties.loc[ties["layer"].isin(useful), "sources"] for src in srcs}
                  | set(evidence.locations.loc[evidence.locations["fact"].isin(
                      {f for fs in ties["located_by"] for f in fs}), "source"])
                  | set(sources.index[sources["kind"] == SEED_KIND]))
    loso = leave_one_source_out(evidence, layers=useful, city=node, sources=used, corridor_wide=corridor_wide,
                                backend=backend)
    nulls = []
    for name in [*useful, "multiplex"]:
        frame = null_model(graphs[name], node, n=n_null, seed=seed, backend=backend)
        frame.insert(0, "graph", name)
        nulls.append(frame)
    null = pd.concat(nulls, ignore_index=True) if nulls else empty

    layer_rows = []
    for name in [*LAYERS, "multiplex"]:
        graph = graphs[name]
        sub = ties if name == "multiplex" else ties[ties["layer"] == name]
        sub = sub[sub["layer"].isin(useful)] if name == "multiplex" else sub
        top = leader(tables[name])
        informative = name in useful or (name == "multiplex" and bool(useful))
        layer_rows.append({
            "graph": name, "informative": informative, "edges": graph.number_of_edges(), "ties": len(sub),
            "corridor_wide_ties": int(sub["corridor_wide"].sum()), "facts": len({f for fs in sub["facts"] for f in fs}),
            "sources": len({s for ss in sub["sources"] for s in ss}), "leader": top,
            "standing": standing(tables[name], node) if informative else ("no data" if sub.empty else "too thin"),
            "p_central": share_of.get((name, node), 0.0) if informative else None,
            "p_leader": share_of.get((name, top), 0.0) if informative and top else None,
        })
    layer_table = pd.DataFrame(layer_rows)
    verdict, lead, reasons = _decide(layer_table, loso, lolo, null, node, useful, labels, evidence)
    missing = _missing(layer_table, evidence, ties, network)
    settings["seconds"] = round(time.perf_counter() - started, 2)
    return Verdict(node, network, resolution, verdict, lead, reasons, missing, evidence.members, labels, layer_table,
                   values, summary, shares, lolo, loso, null, _evidence(ties, node, evidence, labels), claims, sources,
                   evidence.places, settings)


def _decide(layers: pd.DataFrame, loso: pd.DataFrame, lolo: pd.DataFrame, null: pd.DataFrame, city: str,
            useful: list[str], labels: dict, evidence) -> tuple[str, str | None, list[str]]:
    name = labels.get(city, city)
    rows = {r.graph: r._replace(leader=r.leader if isinstance(r.leader, str) else None) for r in layers.itertuples()}
    reasons = []
    if not useful:
        return "cannot tell", None, ["No layer has two or more ties among three or more member cities; "
                                     "the data records too few ties between cities to rank them."]
    for graph in [*useful, "multiplex"]:
        r = rows[graph]
        lead = labels.get(r.leader, r.leader) if r.leader else "no single city"
        text = (f"{graph}: {r.ties} ties ({r.corridor_wide_ties} through corridor-wide mechanisms every member "
                f"shares) from {r.sources} sources; central node: {lead}")
        if r.leader:
            text += f" (in {r.p_leader:.0%} of bootstrap replicates)"
        text += f"; {name}: {r.standing}, central in {r.p_central:.0%} of replicates."
        reasons.append(text)
    for graph in LAYERS:
        if graph not in useful:
            r = rows[graph]
            reasons.append(f"{graph}: {'no ties in the data' if r.ties == 0 else f'only {r.ties} tie(s)'}; "
                           "this layer cannot rank cities.")
    central = [g for g in useful if rows[g].leader == city and rows[g].p_central >= 0.5]
    others = [g for g in useful if rows[g].leader not in (None, city) and rows[g].p_leader >= 0.5]
    multi = rows["multiplex"]
    seed_rows = loso[loso["source"].isin(evidence.sources.index[evidence.sources["kind"] == SEED_KIND])]
    if not seed_rows.empty:
        seed = seed_rows["source"].iloc[0]
        publisher = evidence.sources.at[seed, "publisher"] if seed in evidence.sources.index else ""
        lost = int(seed_rows["city_ties_lost"].iloc[0])
        changed = sorted(g for g, s in zip(seed_rows["graph"], seed_rows["standing"]) if s != rows[g].standing)
        reasons.append(f"Without the seed ({seed}, {publisher}: the claim's own source, the district newspaper of "
                       f"松江) {name} loses {lost} tie(s) between member cities; its standing changes in "
                       f"{', '.join(changed) if changed else 'no layer'}. The seed's facts are mostly about 松江 "
                       "itself (firms, platforms, achievements located there), not ties to other member cities.")
    flips = loso[[s != rows[g].standing for g, s in zip(loso["graph"], loso["standing"])]]
    if not flips.empty:
        reasons.append("Single sources that change its standing when dropped: " + "; ".join(
            f"{s} ({', '.join(sorted(set(flips.loc[flips['source'] == s, 'graph'])))})" for s in sorted(set(flips["source"]))))
    applicable = null.dropna(subset=["percentile"]) if not null.empty else null
    if not applicable.empty:
        reasons.append("Null models (percentile of its value among random graphs like the observed one; 50 is "
                       "typical): " + "; ".join(f"{g} {m} {p:.0f}" for g, m, p in zip(
                           applicable["graph"] + "/" + applicable["model"], applicable["measure"], applicable["percentile"])))
    robust = (len(useful) >= 2 and len(central) == len(useful) and multi.leader == city and multi.p_central >= 0.8
              and all(rows[g].p_central >= 0.8 for g in useful) and flips.empty)
    if robust:
        return "holds", city, reasons
    if not lolo.empty:
        reasons.append("Leave one layer out (the aggregate of the other layers): " + "; ".join(
            f"without {r.left_out}: {labels.get(r.leader, r.leader) if isinstance(r.leader, str) else 'no single centre'}, "
            f"{name} {r.standing} (median rank {r.median_rank:g})" for r in lolo.itertuples()))
    if central:
        thin = any(rows[g].ties < 5 or rows[g].p_central < 0.8 for g in central)
        reasons.insert(0, f"{name} is the central node in {', '.join(central)}{' on thin evidence' if thin else ''} "
                          f"({'; '.join(f'{g}: {rows[g].ties} tie(s) from {rows[g].sources} source(s)' for g in central)}) "
                          f"but not in {', '.join(g for g in useful if g not in central) or 'the aggregate robustly'}.")
        return "holds only in some layers", multi.leader, reasons
    if (multi.leader not in (None, city) and multi.p_leader >= 0.5) or len(others) > len(useful) / 2:
        lead = multi.leader if multi.leader not in (None, city) else rows[others[0]].leader
        reasons.insert(0, f"{labels.get(lead, lead)}, not {name}, is the central node of the evidence.")
        return "does not hold", lead, reasons
    reasons.insert(0, f"No layer ranks {name} first, and none ranks another city first robustly: "
                      "the recorded ties do not single out a centre.")
    return "cannot tell", multi.leader, reasons


def _missing(layers: pd.DataFrame, evidence, ties: pd.DataFrame, network: str) -> list[str]:
    rows = {r.graph: r for r in layers.itertuples()}
    missing = []
    if rows["knowledge"].ties == 0:
        missing.append("Knowledge ties: co-patent or co-publication counts between the member cities (load them as "
                       "links, docs/links.md); g60kg ships none, as no citable city-pair figures were found.")
    enterprise = evidence.ties[(evidence.ties["layer"] == "enterprise") & evidence.ties["weight"].isna()]
    placed = set(evidence.members) | {e for e in evidence.locations["entity"]}
    homeless = sorted({s for s in enterprise["s"] if s not in placed and s.startswith("g60org:")})
    if rows["enterprise"].ties < 10:
        names = ", ".join(evidence.entities.at[e, "zh"] if e in evidence.entities.index else e for e in homeless)
        missing.append(f"Enterprise ties: the data records {rows['enterprise'].ties} between member cities. Branches, "
                       "supply and investment between firms of different member cities (firm registries, listed "
                       "companies' subsidiary lists) would test the claim where it matters."
                       + (f" Firms with a tie but no home city in the data: {names}." if names else ""))
    if rows["institutional"].informative and rows["institutional"].corridor_wide_ties > rows["institutional"].ties / 2:
        missing.append("Institutional ties beyond the corridor-wide mechanisms (which tie every member equally): "
                       "bilateral agreements, alliance membership lists and secretariat seats by city.")
    if rows["infrastructure"].ties:
        missing.append("Infrastructure weights: trains or travel times between member cities, so that adjacency "
                       "counts by capacity rather than as 1.")
    return missing
