"""A verdict per layer, and a summary over layers, decided by rules that treat every city
alike.

For each layer (a two-mode table: mechanisms, cities, roles, sources):

1. *Baseline.* A mechanism every member (as of its date) takes part in ties every
   member equally: it is counted as a baseline, not as ties or scores.
2. *Enough evidence?* A layer can decide only with at least ``MIN_MECHANISMS``
   mechanisms and ``MIN_SOURCES`` independent sources (publishers) among its claims;
   below that its verdict is "too little evidence", whatever the scores.
3. *A centre, or chance?* The top score is tested against the configuration null
   (``g60kg.analysis.permutation``), each p-value multiplied by the number of layers in
   the analysis (Bonferroni over a fixed family: unlike Holm's step-down, a layer's
   adjusted p-value then depends on its own evidence only, which keeps the verdict
   monotone). Not significant at ``ALPHA``: "no single centre".
4. *How sure?* Significant, the top city is the layer's *centre* when it leads in at
   least ``SURE`` of the replicates of the claim model (``g60kg.analysis.uncertainty``)
   and dropping any one source (with the claims it alone states) leaves it first and
   significant; otherwise the layer only *leans* to it, and the sources it rests on are
   named (``pivotal``).
   A claim from a single source is right with probability 0.8 in the model, so a lead
   that rests on one never reaches the centre category, and dropping its source shows it.

Only then is the named city compared with the outcome, so no rule can favour it: the
city "holds" a layer when it is its centre; "holds on thin evidence" when the layer
leans to it; "does not hold" when another city is the centre (or the layer leans to
another: "leans elsewhere"); "no single centre"; or "cannot tell" (too little evidence).

Every step is monotone in facts that favour a city: a mechanism given to it raises its
score in every replicate and in every leave-one-source-out graph, and lowers the
p-value (see ``permutation``); more sources only raise a claim's probability. So adding
such facts never turns "holds" into anything weaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from g60kg.analysis.permutation import configuration_null, top_p_value
from g60kg.analysis.uncertainty import (RELIABILITY, claim_draws, claim_probability, independent_sources, key_hashes,
                                        layer_scores, leaders, scorer)

__all__ = ["MIN_SOURCES", "MIN_MECHANISMS", "ALPHA", "SURE", "STANDINGS", "LayerFinding", "baseline_mechanisms",
           "assess_layer",
           "decide_layers", "standing", "summary"]

MIN_SOURCES = 3
MIN_MECHANISMS = 3
ALPHA = 0.05
SURE = 0.95
# A city's standing in a layer, weakest first.
STANDINGS = ("does not hold", "leans elsewhere", "no single centre", "cannot tell", "holds on thin evidence", "holds")


@dataclass
class LayerFinding:
    """What one layer says: its centre (or none), how sure, on which claims."""

    layer: str
    kind: str
    members: list[str]
    mechanisms: int
    baseline: list[str]
    sources: int
    scores: dict[str, float]
    top: str | None
    p_value: float
    share: dict[str, float]
    without: dict[str, tuple[str | None, float]]
    table: pd.DataFrame
    pivotal: list[str] = field(default_factory=list)
    p_adjusted: float = 1.0
    outcome: str = "too little evidence"
    centre: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        """Whether the layer has the evidence to decide."""
        return self.mechanisms >= MIN_MECHANISMS and self.sources >= MIN_SOURCES

    def deciding(self, city: str | None = None) -> pd.DataFrame:
        """The claims behind a city's score (the centre's by default), the surest first."""
        city = city or self.centre or self.top
        rows = self.table[(self.table["city"] == city) & self._counted()]
        return rows.sort_values(["probability", "mechanism"], ascending=[False, True], kind="stable")

    def _counted(self) -> pd.Series:
        return self.table["distinguished"] if self.kind == "role" else pd.Series(True, index=self.table.index)


def baseline_mechanisms(table: pd.DataFrame, eligible: Callable[[float], list[str]], kind: str) -> set[str]:
    """The mechanisms every member as of their date (three or more) takes part in (a
    ``membership`` layer) or holds the distinguished role of (a ``role`` layer).

    >>> t = pd.DataFrame({"mechanism": ["m", "m", "m", "n"], "city": ["a", "b", "c", "a"],
    ...                   "distinguished": [True] * 4, "year": [2020.0] * 4})
    >>> baseline_mechanisms(t, lambda year: ["a", "b", "c"], "membership")
    {'m'}
    """
    part = (table[table["distinguished"]] if kind == "role" else table).drop_duplicates(["mechanism", "city"])
    if part.empty:
        return set()
    years = part.groupby("mechanism", sort=True)["year"].first()
    keys = years.fillna(-1.0)
    pools = {key: frozenset(eligible(float("nan") if key == -1.0 else key)) for key in set(keys)}
    row_keys = part["mechanism"].map(keys)
    inside = pd.Series(False, index=part.index)
    for key, pool in pools.items():
        at = row_keys == key
        inside[at] = part.loc[at, "city"].isin(pool)
    counts = inside.groupby(part["mechanism"], sort=True).sum()
    wanted = keys.map(lambda key: len(pools[key]))  # how many members the mechanism's date has
    return set(counts.index[(wanted >= 3) & (counts == wanted)])


def _replicate_firsts(table: pd.DataFrame, members: list[str], *, kind: str, n: int, seed: int) -> np.ndarray:
    """The first city (index, -1 for none) in each of ``n`` replicates of the claim model,
    drawn in batches of replicates so that memory stays within a few million cells."""
    probability = table["probability"].to_numpy()
    hashes = key_hashes((table["mechanism"] + "|" + table["city"]).tolist(), seed)
    score = scorer(table, members, kind=kind)
    batch = max(1, 2_000_000 // max(len(table), 1))
    firsts = np.empty(n, dtype=int)
    for start in range(0, n, batch):
        replicates = np.arange(start, min(n, start + batch))
        firsts[replicates] = leaders(score(claim_draws(hashes, probability, replicates)))
    return firsts


def assess_layer(layer: str, table: pd.DataFrame, members: list[str], eligible: Callable[[float], list[str]], *,
                 kind: str, publishers: Mapping[str, str] | None = None, n: int = 1000, seed: int = 0,
                 reliability: float = RELIABILITY, cache: dict | None = None) -> LayerFinding:
    """Score, resample and test one layer (a two-mode table with columns ``mechanism``,
    ``city``, ``distinguished``, ``year``, ``sources``): the finding before the
    layers are adjusted together (``decide_layers``). ``cache`` keeps the null's draws of
    each mechanism for the next call (``configuration_null``): pass one dict to the calls
    that assess variants of one layer.

    >>> rows = [dict(mechanism=f"m{i}", city="a", distinguished=True, year=2020.0, sources=("s1", "s2"))
    ...         for i in range(6)]
    >>> f = assess_layer("x", pd.DataFrame(rows), list("abcdef"), lambda y: list("abcdef"), kind="role", n=200)
    >>> f.top, f.share["a"], f.p_value < 0.05
    ('a', 1.0, True)
    """
    publishers = publishers or {}
    table = table.reset_index(drop=True)
    wide = baseline_mechanisms(table, eligible, kind)
    table = table[~table["mechanism"].isin(wide)].reset_index(drop=True)
    counted = table["distinguished"] if kind == "role" else pd.Series(True, index=table.index, dtype=bool)
    per_sources = {s: independent_sources(s, publishers) for s in set(table["sources"])}
    independent = pd.Series([per_sources[s] for s in table["sources"]], index=table.index, dtype=int)
    chance = {k: claim_probability(k, reliability) for k in set(independent)}
    probability = np.where(counted & (independent > 0), independent.map(chance), 1.0)
    table = table.assign(independent=independent, probability=probability)
    firsts = _replicate_firsts(table, members, kind=kind, n=n, seed=seed)
    share = {c: float((firsts == i).mean()) for i, c in enumerate(members)}
    observed = layer_scores(table, members, np.ones((len(table), 1), dtype=bool), kind=kind)
    first = leaders(observed)[0]
    top, observed = (members[first] if first >= 0 else None), observed[0]
    null = configuration_null(table, members, eligible, kind=kind, n=n, seed=seed, cache=cache)
    sources = sorted({s for s, c in zip(table["sources"], counted) if c for s in s})
    # Dropping one source removes the claims it alone states: who is first, and how surely, then?
    alone = pd.Series([s[0] if c and len(s) == 1 else None for s, c in zip(table["sources"], counted)],
                      index=table.index)
    drawn = {} if cache is None else cache  # the affected mechanisms' draws, shared by the sources
    without = {}
    for source in sorted(set(alone.dropna())):
        kept = table[alone != source]
        affected = set(table.loc[alone == source, "mechanism"])
        rest = kept[kept["mechanism"].isin(affected)]
        inside = table["mechanism"].isin(affected)
        if 2 * len(affected) > table["mechanism"].nunique():  # cheaper to draw the unaffected mechanisms again
            reduced = configuration_null(table[~inside], members, eligible, kind=kind, n=n, seed=seed, cache=cache)
        else:
            reduced = null - configuration_null(table[inside], members, eligible, kind=kind, n=n, seed=seed,
                                                cache=drawn)
        reduced = reduced + configuration_null(rest, members, eligible, kind=kind, n=n, seed=seed, cache=drawn)
        scores = layer_scores(kept, members, np.ones((len(kept), 1), dtype=bool), kind=kind)
        first = leaders(scores)[0]
        without[source] = (members[first] if first >= 0 else None, top_p_value(scores[0], reduced))
    witnesses = independent_sources(sources, publishers)
    return LayerFinding(layer, kind, members, int(table["mechanism"].nunique()), sorted(wide), witnesses,
                        dict(zip(members, observed.round(12).tolist())), top, top_p_value(observed, null), share,
                        without, table)


def decide_layers(findings: list[LayerFinding], *, alpha: float = ALPHA, sure: float = SURE,
                  family: int | None = None) -> list[LayerFinding]:
    """Adjust the p-values for the layers tested together (Bonferroni over ``family``
    layers, all of ``findings`` by default) and set each layer's ``outcome``: ``centre``,
    ``leans``, ``no single centre`` or ``too little evidence``, with ``centre`` the city
    it names."""
    family = family or len(findings)
    for f in findings:
        f.p_adjusted = min(1.0, f.p_value * family)
        f.pivotal = sorted(s for s, (top, p) in f.without.items()
                           if top != f.top or (f.p_adjusted < alpha <= min(1.0, p * family)))
        f.centre = None
        if not f.enough:
            f.outcome = "too little evidence"
        elif f.top is None or f.p_adjusted >= alpha:
            f.outcome = "no single centre"
        elif f.share.get(f.top, 0.0) >= sure and not f.pivotal:
            f.outcome, f.centre = "centre", f.top
        else:
            f.outcome, f.centre = "leans", f.top
    return findings


def standing(finding: LayerFinding, city: str) -> str:
    """The city's standing in a decided layer, one of ``STANDINGS``."""
    if finding.outcome == "too little evidence":
        return "cannot tell"
    if finding.outcome == "no single centre":
        return "no single centre"
    if finding.outcome == "centre":
        return "holds" if finding.centre == city else "does not hold"
    return "holds on thin evidence" if finding.centre == city else "leans elsewhere"


def summary(standings: Mapping[str, str]) -> str:
    """The claim over the layers that can decide (those not "cannot tell"):

    - no such layer: ``cannot tell``;
    - the city holds every one: ``holds``; holds or leans to it in every one:
      ``holds on thin evidence``;
    - holds or leans in some: ``holds in some layers``;
    - another city is the centre of one or leans: ``does not hold``;
    - otherwise ``no single centre``.

    >>> summary({"coordination": "holds", "alliance-lead": "cannot tell"})
    'holds'
    >>> summary({"coordination": "no single centre", "alliance-lead": "leans elsewhere"})
    'does not hold'
    """
    deciding = [s for s in standings.values() if s != "cannot tell"]
    if not deciding:
        return "cannot tell"
    if all(s == "holds" for s in deciding):
        return "holds"
    if all(s in ("holds", "holds on thin evidence") for s in deciding):
        return "holds on thin evidence"
    if any(s in ("holds", "holds on thin evidence") for s in deciding):
        return "holds in some layers"
    if any(s in ("does not hold", "leans elsewhere") for s in deciding):
        return "does not hold"
    return "no single centre"
