"""The projection queries (``g60kg/graph/projections/*.rq``) and what runs them.

Analytics reads the graph through SPARQL only, so the same code runs on the embedded
store and on a remote endpoint: small tables through ``query`` (typed columns, short
IRIs), large ones through ``table`` (text columns read from the store's CSV results).
"""

from __future__ import annotations

from importlib import resources
from typing import Protocol

import pandas as pd

from g60kg.ontology import PREFIXES

__all__ = ["Queryable", "projection_query", "graph_source"]


class Queryable(Protocol):
    """Anything with ``query(sparql) -> DataFrame`` and ``table(sparql) -> DataFrame``:
    a ``KnowledgeGraph``."""

    def query(self, sparql: str) -> pd.DataFrame: ...

    def table(self, sparql: str) -> pd.DataFrame: ...


def projection_query(name: str) -> str:
    """The text of a projection query (``g60kg/graph/projections/<name>.rq``).

    >>> "g60:adjacentTo" in projection_query("ties")
    True
    """
    return (resources.files("g60kg.graph") / "projections" / f"{name}.rq").read_text(encoding="utf-8")


def graph_source(graphs: pd.Series) -> pd.Series:
    """The source of each named graph IRI (what follows ``g60graph:``; ``''`` for
    another graph), as the projection queries write it with ``STRAFTER``.

    >>> graph_source(pd.Series(["https://w3id.org/g60kg/graph/seed", "http://e/g"])).tolist()
    ['seed', '']
    """
    prefix = PREFIXES["g60graph"]
    codes, distinct = pd.factorize(graphs)
    names = pd.Series([g[len(prefix):] if g.startswith(prefix) else "" for g in distinct], dtype=object)
    return pd.Series(names.to_numpy()[codes], index=graphs.index, dtype=object)
