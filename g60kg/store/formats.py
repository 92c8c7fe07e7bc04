"""The serialization formats of results and graphs, by their short names.

>>> sorted(GRAPH_FORMATS)
['jsonld', 'nq', 'nt', 'trig', 'ttl', 'xml']
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

__all__ = ["RESULT_FORMATS", "GRAPH_FORMATS", "serialize"]

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


def serialize(quads: Iterable[ox.Quad], fmt: str) -> bytes:
    """Quads in a format; ``ttl``, ``nt`` and ``xml`` merge the named graphs, Turtle and
    TriG use the project's prefixes.

    >>> q = ox.Quad(ox.NamedNode("https://w3id.org/g60kg/id/place/wuhu"), ox.NamedNode("http://e/p"), ox.Literal("x"))
    >>> serialize([q], "ttl").decode().splitlines()[-1]
    'g60place:wuhu <http://e/p> "x" .'
    """
    from g60kg.ontology import PREFIXES

    if fmt in ("ttl", "nt", "xml"):
        quads = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    prefixes = PREFIXES if fmt in ("ttl", "trig") else None
    return ox.serialize(quads, format=GRAPH_FORMATS[fmt], prefixes=prefixes)
