"""How sure a layer's centre is: a stated model of a claim's existence from its sources,
and the scores of every city in replicates drawn from it.

The model (``docs/analysis.md`` states it with its assumptions):

- What is uncertain is a *claim* — a row of a layer's two-mode table: "this city hosted
  this event", "the office sits in this city", "this city takes part in this alliance".
  Undisputed structure is fixed: the network's members and, in a role layer, the other
  cities of a mechanism (its guests, founders, members).
- Each *independent* source that states a claim is right with probability ``r`` (the
  reliability, 0.8 unless told), independently of the others, and a claim is true when
  at least one of them is: ``P(claim) = 1 - (1 - r)**k`` for ``k`` independent sources.
  Sources of one publisher count once (a newspaper and its reprint are one witness).
  So one source gives 0.80, two 0.96, three 0.992: several independent sources are surer
  than one, and a claim resting on a single page cannot be as sure as 0.95.
- A replicate draws every claim at once from its own random stream (seeded by the seed
  and the claim's key), so adding a claim or a source changes the draws of no other
  claim: the model is monotone in the evidence.

>>> claim_probability(1), round(claim_probability(2), 2)
(0.8, 0.96)
"""

from __future__ import annotations

import hashlib
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = ["RELIABILITY", "independent_sources", "claim_probability", "stream", "claim_draws", "layer_scores",
           "leaders"]

RELIABILITY = 0.8


def independent_sources(sources: Iterable[str], publishers: Mapping[str, str] | None = None) -> int:
    """How many independent witnesses ``sources`` are: one per publisher (a source with
    no publisher in the registry counts by itself).

    >>> independent_sources(["a", "b", "c"], {"a": "新华社", "b": "新华社"})
    2
    """
    publishers = publishers or {}
    return len({publishers.get(s) or f"source:{s}" for s in sources})


def claim_probability(independent: int, reliability: float = RELIABILITY) -> float:
    """The probability that a claim stated by ``independent`` independent sources is true.

    >>> claim_probability(0), claim_probability(3)
    (0.0, 0.992)
    """
    return round(1.0 - (1.0 - reliability) ** independent, 12)


def stream(seed: int, key: str) -> np.random.Generator:
    """The random stream of one claim or mechanism: a function of the seed and the key only.

    >>> float(stream(0, "a").random()) == float(stream(0, "a").random())
    True
    """
    digest = int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:8], "big")
    return np.random.default_rng([seed, digest])


def claim_draws(keys: list[str], probabilities: np.ndarray, *, n: int, seed: int = 0) -> np.ndarray:
    """Which claims hold in each of ``n`` replicates: a (claims × n) boolean array; a
    claim with probability 1 always holds.

    >>> claim_draws(["x", "y"], np.array([1.0, 0.0]), n=3).tolist()
    [[True, True, True], [False, False, False]]
    """
    alive = np.ones((len(keys), n), dtype=bool)
    for i, (key, p) in enumerate(zip(keys, probabilities)):
        if p < 1.0:
            alive[i] = stream(seed, key).random(n) < p
    return alive


def layer_scores(table: pd.DataFrame, members: list[str], alive: np.ndarray, *, kind: str) -> np.ndarray:
    """Each city's score in each replicate (replicates × members), from a two-mode table
    (columns ``mechanism``, ``city``, ``distinguished``) and the rows alive in each.

    - ``kind="role"``: a mechanism adds 1 to its distinguished cities that are alive,
      split among them (the share of events hosted, seats held, alliances led).
    - ``kind="membership"``: a city's strength in the one-mode projection: for each
      mechanism it is alive in, the number of other cities alive in it.

    >>> t = pd.DataFrame({"mechanism": ["m", "m", "n"], "city": ["a", "b", "a"], "distinguished": [True] * 3})
    >>> layer_scores(t, ["a", "b"], np.ones((3, 1), dtype=bool), kind="role").tolist()
    [[1.5, 0.5]]
    >>> layer_scores(t, ["a", "b"], np.ones((3, 1), dtype=bool), kind="membership").tolist()
    [[1.0, 1.0]]
    """
    n = alive.shape[1]
    index = {c: i for i, c in enumerate(members)}
    scores = np.zeros((n, len(members)))
    if table.empty:
        return scores
    counted = table["distinguished"].to_numpy(dtype=bool) if kind == "role" else np.ones(len(table), dtype=bool)
    mechanisms = pd.factorize(table["mechanism"])[0]
    live = alive & counted[:, None]
    per_mechanism = np.zeros((mechanisms.max() + 1, n))
    np.add.at(per_mechanism, mechanisms, live.astype(float))
    size = per_mechanism[mechanisms]
    if kind == "role":
        value = np.divide(live, size, out=np.zeros_like(size), where=size > 0)
    else:
        value = live * np.maximum(size - 1.0, 0.0)
    onehot = np.zeros((len(table), len(members)))
    onehot[np.arange(len(table)), table["city"].map(index).to_numpy()] = 1.0
    return scores + value.T @ onehot


def leaders(scores: np.ndarray, *, tolerance: float = 1e-9) -> np.ndarray:
    """The index of the city first alone in each replicate, -1 where two or more share the top.

    >>> leaders(np.array([[3.0, 1.0], [2.0, 2.0]])).tolist()
    [0, -1]
    """
    if scores.shape[1] == 0:
        return np.full(scores.shape[0], -1)
    top = scores.max(axis=1, keepdims=True)
    first = np.abs(scores - top) <= tolerance
    alone = first.sum(axis=1) == 1
    return np.where(alone & (top[:, 0] > tolerance), first.argmax(axis=1), -1)
