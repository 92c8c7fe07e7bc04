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
- A replicate draws every claim at once; each claim's draw is a function of the seed, the
  claim's key and the replicate only (a counter-based generator), so adding a claim or a
  source changes the draws of no other claim: the model is monotone in the evidence.

>>> claim_probability(1), round(claim_probability(2), 2)
(0.8, 0.96)
"""

from __future__ import annotations

import hashlib
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["RELIABILITY", "independent_sources", "claim_probability", "stream", "key_hashes", "uniforms", "claim_draws",
           "layer_scores", "scorer", "leaders"]

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
    """A random stream that is a function of the seed and the key only.

    >>> float(stream(0, "a").random()) == float(stream(0, "a").random())
    True
    """
    digest = int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:8], "big")
    return np.random.default_rng([seed, digest])


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(z: np.ndarray) -> np.ndarray:
    """The SplitMix64 finalizer: a 64-bit hash of each value (a new array; the steps work
    in place on it, as these arrays are large)."""
    z = z ^ (z >> np.uint64(30))
    with np.errstate(over="ignore"):
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def key_hashes(keys: Iterable[str], seed: int) -> np.ndarray:
    """A 64-bit hash of each key and the seed (stable across runs and machines).

    >>> key_hashes(["a", "b"], 0).dtype.name
    'uint64'
    """
    hashed = pd.util.hash_array(np.asarray(list(keys), dtype=object))
    return _mix(hashed ^ _mix(np.full(len(hashed), seed, dtype=np.uint64) + _GOLDEN))


def uniforms(hashes: np.ndarray, replicates: np.ndarray, width: int = 1) -> np.ndarray:
    """Uniforms in [0, 1), shape (keys, replicates, width): each a function of its key's
    hash, the replicate and the column only (a counter-based generator), so any subset of
    replicates, or of keys, draws the same numbers.

    >>> h = key_hashes(["a", "b"], 0)
    >>> bool((uniforms(h, np.arange(5))[:, 3] == uniforms(h[1:], np.arange(3, 4))[0, 0]).any())
    True
    """
    counter = replicates.astype(np.uint64)[:, None] * np.uint64(width) + np.arange(width, dtype=np.uint64)[None, :]
    with np.errstate(over="ignore"):
        z = _mix(hashes[:, None, None] + (counter[None] + np.uint64(1)) * _GOLDEN)
    z >>= np.uint64(11)
    out = z.astype(np.float64)
    out *= 1.0 / 2**53
    return out


def claim_draws(hashes: np.ndarray, probabilities: np.ndarray, replicates: np.ndarray) -> np.ndarray:
    """Which claims (given by their ``key_hashes``) hold in each of the ``replicates``: a
    (claims × replicates) boolean array; a claim with probability 1 always holds.

    >>> claim_draws(key_hashes(["x", "y"], 0), np.array([1.0, 0.0]), np.arange(3)).tolist()
    [[True, True, True], [False, False, False]]
    """
    alive = np.ones((len(hashes), len(replicates)), dtype=bool)
    unsure = np.flatnonzero(probabilities < 1.0)
    if len(unsure):
        alive[unsure] = uniforms(hashes[unsure], replicates)[:, :, 0] < probabilities[unsure, None]
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
    return scorer(table, members, kind=kind)(alive)


def scorer(table: pd.DataFrame, members: list[str], *, kind: str) -> Callable[[np.ndarray], np.ndarray]:
    """``layer_scores`` of one table as a function of ``alive`` alone: the table's
    structure (its mechanisms, its cities) is read once, for scoring many batches of
    replicates.

    >>> t = pd.DataFrame({"mechanism": ["m", "m", "n"], "city": ["a", "b", "a"], "distinguished": [True] * 3})
    >>> score = scorer(t, ["a", "b"], kind="role")
    >>> score(np.array([[True, False], [True, True], [True, True]])).tolist()
    [[1.5, 0.5], [1.0, 1.0]]
    """
    if table.empty:
        return lambda alive: np.zeros((alive.shape[1], len(members)))
    index = {c: i for i, c in enumerate(members)}
    counted = table["distinguished"].to_numpy(dtype=bool) if kind == "role" else np.ones(len(table), dtype=bool)
    mechanisms = pd.factorize(table["mechanism"])[0]
    rows = np.arange(len(table))
    incidence = sparse.csr_matrix((np.ones(len(table)), (mechanisms, rows)), shape=(mechanisms.max() + 1, len(table)))
    onehot = sparse.csr_matrix((np.ones(len(table)), (rows, table["city"].map(index).to_numpy())),
                               shape=(len(table), len(members)))

    def scores(alive: np.ndarray) -> np.ndarray:
        live = (alive & counted[:, None]).astype(float)
        size = (incidence @ live)[mechanisms]
        if kind == "role":
            value = np.divide(live, size, out=np.zeros_like(size), where=size > 0)
        else:
            value = live * np.maximum(size - 1.0, 0.0)
        return np.asarray((onehot.T @ value).T)

    return scores


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
