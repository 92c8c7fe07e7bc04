"""SPARQL JSON results to a pandas DataFrame with typed columns and short IRIs."""

from __future__ import annotations

import json

import pandas as pd

from g60kg.ontology import PREFIXES

__all__ = ["to_frame", "shorten"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "unsignedInt", "unsignedLong")}
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}
# Longest namespace first, so g60id:source/… loses to g60src:….
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def shorten(iri: str) -> str:
    """An IRI with the project's prefixes, or unchanged.

    >>> shorten("https://w3id.org/g60kg/id/place/songjiang")
    'g60place:songjiang'
    >>> shorten("http://example.org/x")
    'http://example.org/x'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _column(values: list[dict | None]) -> pd.Series:
    datatypes = {v.get("datatype") for v in values if v is not None}
    kinds = {v["type"] for v in values if v is not None}
    texts = [None if v is None else v["value"] for v in values]
    if kinds == {"uri"}:
        return pd.Series([None if t is None else shorten(t) for t in texts], dtype=object)
    if kinds <= {"literal", "typed-literal"} and datatypes and datatypes <= _INTEGERS:
        return pd.Series(pd.array([None if t is None else int(t) for t in texts], dtype="Int64"))
    if kinds <= {"literal", "typed-literal"} and datatypes and datatypes <= _INTEGERS | _FLOATS:
        return pd.Series([None if t is None else float(t) for t in texts], dtype="float64")
    if datatypes == {XSD + "date"}:
        return pd.Series(pd.to_datetime(texts, format="%Y-%m-%d"))
    if datatypes == {XSD + "boolean"}:
        return pd.Series(pd.array([None if t is None else t == "true" for t in texts], dtype="boolean"))
    return pd.Series([None if v is None else shorten(v["value"]) if v["type"] == "uri" else v["value"]
                      for v in values], dtype=object)


def to_frame(results: bytes) -> pd.DataFrame:
    """A DataFrame from SPARQL 1.1 JSON results: integers as ``Int64``, decimals as
    floats, dates as datetimes, IRIs shortened, everything else as text. An ASK answer
    becomes one row with the column ``boolean``.

    >>> raw = b'{"head":{"vars":["c","n"]},"results":{"bindings":[{"c":{"type":"uri","value":"https://w3id.org/g60kg/id/place/wuhu"},"n":{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"3"}}]}}'
    >>> to_frame(raw).to_dict("records")
    [{'c': 'g60place:wuhu', 'n': 3}]
    """
    data = json.loads(results)
    if "boolean" in data:
        return pd.DataFrame({"boolean": [bool(data["boolean"])]})
    names = data["head"].get("vars", [])
    rows = data["results"]["bindings"]
    return pd.DataFrame({name: _column([row.get(name) for row in rows]) for name in names}, columns=names)
