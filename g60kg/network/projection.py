"""The projection queries (``g60kg/network/projections/*.rq``) and what runs them.

Analytics reads the graph through SPARQL only, so the same code runs on the embedded
store and on a remote endpoint: small tables through ``query`` (typed columns, short
IRIs), large ones through ``table`` (text columns read from the store's CSV results).
"""

from __future__ import annotations

from importlib import resources
from typing import Protocol

import pandas as pd

__all__ = ["Queryable", "projection_query"]


class Queryable(Protocol):
    """Anything with ``query(sparql) -> DataFrame`` and ``table(sparql) -> DataFrame``:
    a ``KnowledgeGraph``."""

    def query(self, sparql: str) -> pd.DataFrame: ...

    def table(self, sparql: str) -> pd.DataFrame: ...


def projection_query(name: str) -> str:
    """The text of a projection query (``g60kg/network/projections/<name>.rq``).

    >>> "g60:adjacentTo" in projection_query("ties")
    True
    """
    return (resources.files("g60kg.network") / "projections" / f"{name}.rq").read_text(encoding="utf-8")

