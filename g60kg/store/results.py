"""SPARQL results to pandas: JSON (or pyoxigraph's solutions) to a DataFrame with typed
columns and short IRIs; CSV to a DataFrame of text, the fast path for large results."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pandas as pd
import pyoxigraph as ox

from g60kg.ontology import PREFIXES
from g60kg.store.ordering import XSD_INTEGERS, SolutionList

__all__ = ["to_frame", "solutions_frame", "tsv_frame", "csv_table", "shorten", "shortened"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}
# Longest namespace first, so g60id:source/… loses to g60src:….
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
# Every namespace ends in / or #, so the longest one an IRI starts with is most often
# the IRI up to its last / or #: one dictionary lookup instead of a scan.
_BY_NAMESPACE = {namespace: prefix for prefix, namespace in PREFIXES.items()}
assert all(namespace.endswith(("/", "#")) for namespace in _BY_NAMESPACE)


def shorten(iri: str) -> str:
    """An IRI with the project's prefixes, or unchanged.

    >>> shorten("https://w3id.org/g60kg/id/place/songjiang")
    'g60place:songjiang'
    >>> shorten("http://example.org/x")
    'http://example.org/x'
    """
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _BY_NAMESPACE.get(iri[:cut])
    if prefix is not None:
        return f"{prefix}:{iri[cut:]}"
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def shortened(values: pd.Series) -> pd.Series:
    """``shorten`` on a column of IRIs, once per distinct IRI.

    >>> shortened(pd.Series(["https://w3id.org/g60kg/id/place/wuhu"] * 2 + [None])).tolist()
    ['g60place:wuhu', 'g60place:wuhu', None]
    """
    codes, distinct = pd.factorize(values)  # a missing value has code -1: it takes the None put last
    return pd.Series(np.array([shorten(iri) for iri in distinct] + [None], dtype=object)[codes], index=values.index,
                     dtype=object, name=values.name)


Cell = tuple[str, str, "str | None"]  # kind (uri, literal, bnode), lexical value, datatype of a typed literal
_PLAIN = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def _json_cell(value: dict | None) -> Cell | None:
    return None if value is None else (value["type"], value["value"], value.get("datatype"))


def _column(cells: list[Cell | None]) -> pd.Series:
    datatypes = {c[2] for c in cells if c is not None}
    kinds = {c[0] for c in cells if c is not None}
    texts = [None if c is None else c[1] for c in cells]
    if kinds == {"uri"}:  # each distinct IRI shortened once
        return shortened(pd.Series(texts, dtype=object))
    if kinds <= {"literal", "typed-literal"} and datatypes and datatypes <= XSD_INTEGERS:
        return pd.Series(pd.array([None if t is None else int(t) for t in texts], dtype="Int64"))
    if kinds <= {"literal", "typed-literal"} and datatypes and datatypes <= XSD_INTEGERS | _FLOATS:
        return pd.Series([None if t is None else float(t) for t in texts], dtype="float64")
    if datatypes == {XSD + "date"}:
        return pd.Series(pd.to_datetime(texts, format="%Y-%m-%d"))
    if datatypes == {XSD + "boolean"}:
        return pd.Series(pd.array([None if t is None else t == "true" for t in texts], dtype="boolean"))
    return pd.Series([None if c is None else shorten(c[1]) if c[0] == "uri" else c[1] for c in cells], dtype=object)


def to_frame(results: bytes | dict) -> pd.DataFrame:
    """A DataFrame from SPARQL 1.1 JSON results (bytes, or already parsed): integers
    as ``Int64``, decimals as floats, dates as datetimes, IRIs shortened, everything
    else as text. An ASK answer becomes one row with the column ``boolean``.

    >>> raw = b'{"head":{"vars":["c","n"]},"results":{"bindings":[{"c":{"type":"uri","value":"https://w3id.org/g60kg/id/place/wuhu"},"n":{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"3"}}]}}'
    >>> to_frame(raw).to_dict("records")
    [{'c': 'g60place:wuhu', 'n': 3}]
    """
    data = json.loads(results) if isinstance(results, (bytes, str)) else results
    if "boolean" in data:
        return pd.DataFrame({"boolean": [bool(data["boolean"])]})
    names = data["head"].get("vars", [])
    rows = data["results"]["bindings"]
    return pd.DataFrame({name: _column([_json_cell(row.get(name)) for row in rows]) for name in names}, columns=names)


# A term of SPARQL TSV (N-Triples syntax, or Turtle's bare numbers and booleans).
_LITERAL = re.compile(r'"(?P<text>.*)"(?:@[^"]*|\^\^<(?P<datatype>[^>]*)>)?', re.S)
_BARE = {"true": XSD + "boolean", "false": XSD + "boolean"}
_BARE_NUMBER = re.compile(r"[+-]?(?:(?P<integer>\d+)|\d*\.\d+|(?P<double>(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+))")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescaped(text: str) -> str:
    r"""An N-Triples string's text with its escapes read.

    >>> _unescaped(r'a\"b\n\u00e9')
    'a"b\né'
    """
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if m[1] or m[2] else _ESCAPED.get(m[3], m[0]), text)


def _tsv_cell(term: str) -> Cell | None:
    """One term of SPARQL TSV as a cell (``''``: unbound)."""
    if not term:
        return None
    if term[0] == "<":
        return ("uri", term[1:-1], None)
    if term[0] == '"':
        match = _LITERAL.fullmatch(term)
        if match is None:
            raise ValueError(f"not a literal: {term!r}")
        datatype = match["datatype"]
        return ("literal", _unescaped(match["text"]), None if datatype in _PLAIN else datatype)
    if term.startswith("_:"):
        return ("bnode", term[2:], None)
    number = _BARE_NUMBER.fullmatch(term)
    if number is not None:
        kind = "integer" if number["integer"] else "double" if number["double"] else "decimal"
        return ("literal", term, XSD + kind)
    if term in _BARE:
        return ("literal", term, _BARE[term])
    raise ValueError(f"not a SPARQL TSV term: {term!r}")


def tsv_frame(tsv: bytes) -> pd.DataFrame:
    r"""The DataFrame of ``to_frame`` from SPARQL TSV results, the text read by pandas' C
    parser and each distinct term of a column read once: several times faster than
    reading the rows as terms first, on a large result.

    >>> tsv_frame(b'?c\t?n\t?s\n<https://w3id.org/g60kg/id/place/wuhu>\t3\t"a\\tb"@zh\n\t\t\n').to_dict("records")
    [{'c': 'g60place:wuhu', 'n': 3, 's': 'a\tb'}, {'c': None, 'n': None, 's': None}]
    """
    header, _, body = tsv.partition(b"\n")
    names = [name[1:] for name in header.decode("utf-8").split("\t") if name]
    if not body:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in names}, columns=names)
    text = pd.read_csv(io.BytesIO(body), sep="\t", header=None, names=names, dtype=object, quoting=csv.QUOTE_NONE,
                       keep_default_na=False, na_filter=False, encoding="utf-8")
    columns = {}
    for name in names:
        codes, distinct = pd.factorize(text[name])
        cells = [_tsv_cell(term) for term in distinct]
        columns[name] = _column([cells[code] for code in codes])
    return pd.DataFrame(columns, columns=names)


def solutions_frame(result: ox.QuerySolutions | SolutionList | ox.QueryBoolean) -> pd.DataFrame:
    """The same DataFrame as ``to_frame``, straight from pyoxigraph's solutions: the
    store writes them as SPARQL TSV (``SolutionList``: already TSV when sorted here) and
    ``tsv_frame`` reads that, so no row becomes Python terms on the way.

    >>> store = ox.Store()
    >>> solutions_frame(store.query('SELECT ?n ?s WHERE { VALUES (?n ?s) { (3 "x") } }')).to_dict("records")
    [{'n': 3, 's': 'x'}]
    """
    if isinstance(result, ox.QueryBoolean):
        return pd.DataFrame({"boolean": [bool(result)]})
    return tsv_frame(result.tsv() if isinstance(result, SolutionList) else
                     result.serialize(format=ox.QueryResultsFormat.TSV))


def csv_table(results: bytes) -> pd.DataFrame:
    """A DataFrame of text from SPARQL 1.1 CSV results, read by pandas' C parser: IRIs in
    full, literals by their lexical form (no language, no datatype), unbound as ``''``.

    >>> csv_table(b'c,name\\r\\nhttps://w3id.org/g60kg/id/place/wuhu,"Wuhu, Anhui"\\r\\nhttp://e/x,\\r\\n').to_dict("records")
    [{'c': 'https://w3id.org/g60kg/id/place/wuhu', 'name': 'Wuhu, Anhui'}, {'c': 'http://e/x', 'name': ''}]
    """
    if not results.strip():
        return pd.DataFrame()
    return pd.read_csv(io.BytesIO(results), dtype=object, keep_default_na=False, na_filter=False)
