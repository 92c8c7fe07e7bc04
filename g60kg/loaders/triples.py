"""Rows to quads: entities, relations, observations and sources, each fact in the named
graph of its source, with a statement node carrying the quote when there is one."""

from __future__ import annotations

import hashlib
from itertools import chain, repeat
from typing import Callable

import numpy as np
import pandas as pd

from g60kg.loaders.nquads import XSD, escape, iri, literal, quads, statement_iris
from g60kg.loaders.vocabulary import expand
from g60kg.ontology import PREFIXES

__all__ = ["entity_quads", "name_key_quads", "relation_quads", "observation_quads", "observation_ids", "source_quads", "SOURCES_GRAPH"]

ID = PREFIXES["g60id"]
G60 = PREFIXES["g60"]
GRAPH = PREFIXES["g60graph"]
SOURCE = PREFIXES["g60src"]
SOURCES_GRAPH = GRAPH + "sources"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROV_DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
GEO = "http://www.opengis.net/ont/geosparql#"
# Properties that name a thing rather than state a fact about it: no statement node.
_NAMING = {"rdfs:label", "skos:altLabel"}
_STATEMENT_BASE = ID + "statement/"


def _p(curie: str) -> str:
    return "<" + expand(curie) + ">"


def _each_distinct(values: pd.Series, make: Callable[[str], str]) -> pd.Series:
    """``make`` of each value, called once per distinct value (a column of a few sources,
    classes or predicates costs a few calls and a lookup per row).

    >>> _each_distinct(pd.Series(["a", "b", "a"]), str.upper).tolist()
    ['A', 'B', 'A']
    """
    return values.map({value: make(value) for value in values.unique().tolist()})


def _graph(source: pd.Series) -> pd.Series:
    return _each_distinct(source, lambda name: f"<{GRAPH}{name}>")


def _quote_lang(frame: pd.DataFrame, languages: dict[str, str]) -> pd.Series:
    return _each_distinct(frame["source"], lambda source: languages.get(source) or "zh")


def _statements(facts: pd.DataFrame, rows: pd.DataFrame, method: str, languages: dict[str, str],
                qualifiers: list[str] = ()) -> pd.DataFrame:
    """Statement nodes for ``facts`` (quads aligned with ``rows`` by index) whose row has a quote."""
    quoted = rows["quote"].fillna("") != "" if "quote" in rows else pd.Series(False, index=rows.index)
    facts = facts[quoted.reindex(facts.index, fill_value=False).to_numpy()]
    if facts.empty:
        return facts
    rows = rows.loc[facts.index]
    node = statement_iris(_STATEMENT_BASE, facts)
    g = facts["g"]
    lang = _quote_lang(rows, languages)
    parts = [
        quads(node, RDF_TYPE, f"<{G60}Statement>", g, facts.index),
        quads(node, f"<{RDF}subject>", facts["s"], g, facts.index),
        quads(node, f"<{RDF}predicate>", facts["p"], g, facts.index),
        quads(node, f"<{RDF}object>", facts["o"], g, facts.index),
        quads(node, PROV_DERIVED, iri(SOURCE + rows["source"]), g, facts.index),
        quads(node, f"<{G60}confidence>", _per_row(rows, "confidence", "1.0", f"^^<{XSD}decimal>"), g, facts.index),
        quads(node, f"<{G60}method>", _per_row(rows, "method", method), g, facts.index),
    ]
    text = '"' + escape(rows["quote"]) + '"@' + lang
    parts.append(quads(node, f"<{G60}quote>", text, g, facts.index))
    for column in qualifiers:
        values = rows[column].map(lambda t: t[0] if t else "")
        keep = values != ""
        if keep.any():
            parts.append(quads(node[keep], _p(column), values[keep], g[keep], facts.index[keep]))
    return pd.concat(parts)


def _per_row(rows: pd.DataFrame, column: str, default: str, suffix: str = "") -> pd.Series | str:
    """A literal from a row's ``method`` or ``confidence`` cell (extracted facts), else
    the default; the text escaped (a confidence was checked to be a number already).

    >>> _per_row(pd.DataFrame({"method": ['x" <a> <b>', ""]}), "method", "curated").tolist()
    ['"x\\\\" <a> <b>"', '"curated"']
    """
    if column not in rows:
        return f'"{default}"{suffix}'
    values = rows[column].fillna("").astype(str)
    return '"' + escape(values.where(values != "", default)) + '"' + suffix


def _property_columns(rows: pd.DataFrame) -> list[str]:
    """Columns named for an ontology property (``g60:locatedIn``), not bookkeeping."""
    return [c for c in rows.columns if ":" in c and not c.startswith("_")]


def _all_start(values: pd.Series, prefix: str) -> bool:
    """Whether every value starts with ``prefix`` (one C call per value).

    >>> _all_start(pd.Series(['"a"', '"b"']), '"'), _all_start(pd.Series(['"a"', "b"]), '"')
    (True, False)
    """
    return all(map(str.startswith, values.tolist(), repeat(prefix)))


def _explode(rows: pd.DataFrame, column: str) -> pd.Series:
    """The values of a column of tuples, one per row and value, on the rows' index (a
    cell that is no tuple is one value, or none when missing).

    >>> values = _explode(pd.DataFrame({"c": [("a", "b"), (), "c", None]}, index=[5, 6, 7, 8]), "c")
    >>> values.index.tolist(), values.tolist()
    ([5, 5, 7], ['a', 'b', 'c'])
    """
    cells = rows[column].tolist()
    if set(map(type, cells)) - {tuple}:  # a column of tuples (the loaders' own) needs no pass in Python
        cells = [c if isinstance(c, tuple) else () if c is None or c != c else (c,) for c in cells]
    counts = np.fromiter(map(len, cells), dtype=np.intp, count=len(cells))
    index = rows.index[np.repeat(np.arange(len(cells)), counts)]
    return pd.Series(list(chain.from_iterable(cells)), index=index, dtype=object)


def name_key_quads(keyed: pd.DataFrame) -> pd.DataFrame:
    """Name keys (``id``, ``key``), each in the graph of the ``source`` that gives the
    name it is the key of.

    >>> keyed = pd.DataFrame({"id": ["place/wuhu"], "key": ["芜湖"], "source": ["s"]})
    >>> name_key_quads(keyed).iloc[0].tolist()[1:]
    ['<https://w3id.org/g60kg/ontology#nameKey>', '"芜湖"', '<https://w3id.org/g60kg/graph/s>']
    """
    return quads(iri(ID + keyed["id"]), f"<{G60}nameKey>", literal(keyed["key"]), _graph(keyed["source"]), keyed.index)


def entity_quads(rows: pd.DataFrame, name_lang: pd.Series, languages: dict[str, str], *,
                 method: str = "curated") -> list[pd.DataFrame]:
    """Quads of entity rows: type, names, properties and statements.

    ``rows`` holds resolved ids in reference columns; ``name_lang`` the language of
    each row's name.
    """
    subject = iri(ID + rows["id"])
    g = _graph(rows["source"])
    facts = [quads(subject, RDF_TYPE, _each_distinct(rows["class"], lambda name: f"<{G60}{name}>"), g, rows.index)]
    names = [quads(subject, "<http://www.w3.org/2000/01/rdf-schema#label>",
                   literal(rows["name"]) + "@" + name_lang, g, rows.index)]
    for column in _property_columns(rows):
        values = _explode(rows, column)
        if values.empty:
            continue
        objects = values.astype(str)
        if column in ("g60:sector",):
            objects = "<" + objects + ">"
        elif _all_start(objects, '"') or _all_start(objects, "<"):
            pass
        else:
            objects = "<" + ID + objects + ">"
        frame = quads(subject[values.index], _p(column), objects, g[values.index], values.index)
        (names if column in _NAMING else facts).append(frame)
    facts.extend(_geometry(rows, subject, g))
    fact_frame = pd.concat(facts)
    statements = _statements(fact_frame, rows, method, languages)
    return [*names, fact_frame, statements]


def _geometry(rows: pd.DataFrame, subject: pd.Series, g: pd.Series) -> list[pd.DataFrame]:
    """GeoSPARQL geometry for rows with both a latitude and a longitude."""
    if "g60:lat" not in rows or "g60:lon" not in rows:
        return []
    has = rows["g60:lat"].map(bool) & rows["g60:lon"].map(bool)
    if not has.any():
        return []
    sub = rows[has]
    lat = sub["g60:lat"].map(lambda t: t[0].split('"')[1])
    lon = sub["g60:lon"].map(lambda t: t[0].split('"')[1])
    geometry = "<" + ID + sub["id"] + "#geometry>"
    wkt = '"POINT(' + lon + " " + lat + f')"^^<{GEO}wktLiteral>'
    return [
        quads(subject[sub.index], f"<{GEO}hasGeometry>", geometry, g[sub.index], sub.index),
        quads(geometry, RDF_TYPE, f"<{GEO}Geometry>", g[sub.index], sub.index),
        quads(geometry, f"<{GEO}asWKT>", wkt, g[sub.index], sub.index),
    ]


def relation_quads(rows: pd.DataFrame, languages: dict[str, str], *, method: str = "curated") -> list[pd.DataFrame]:
    """Quads of resolved relation rows (ids in subject and object, a g60 predicate)."""
    g = _graph(rows["source"])
    predicates = _each_distinct(rows["predicate"], lambda name: f"<{G60}{name}>")
    facts = quads(iri(ID + rows["subject"]), predicates, iri(ID + rows["object"]), g, rows.index)
    qualifiers = _property_columns(rows)
    return [facts, _statements(facts, rows, method, languages, qualifiers)]


def observation_ids(rows: pd.DataFrame) -> pd.Series:
    """Ids for observation rows without one: a hash of what the row states."""
    text = rows["subject"] + "|" + rows["indicator"] + "|" + rows["value"] + "|" + rows["unit"] + "|" + rows["source"]
    digests = [hashlib.sha1(t.encode("utf-8")).hexdigest()[:12] for t in text.tolist()]
    return "obs/n-" + pd.Series(digests, index=rows.index, dtype=object)


def observation_quads(rows: pd.DataFrame, languages: dict[str, str], *, method: str = "curated") -> list[pd.DataFrame]:
    """Quads of observation rows: each observation is its own statement."""
    ids = rows["id"] if "id" in rows else pd.Series("", index=rows.index)
    ids = ids.where(ids != "", observation_ids(rows))
    node = iri(ID + ids)
    g = _graph(rows["source"])
    lang = _quote_lang(rows, languages)
    parts = [
        quads(node, RDF_TYPE, f"<{G60}Observation>", g, rows.index),
        quads(node, f"<{G60}observationAbout>", iri(ID + rows["subject"]), g, rows.index),
        quads(node, f"<{G60}indicator>", literal(rows["indicator"], lang="zh"), g, rows.index),
        quads(node, f"<{G60}value>", rows["value_term"], g, rows.index),
        quads(node, f"<{G60}unit>", literal(rows["unit"]), g, rows.index),
        quads(node, f"<{G60}qualifier>", literal(rows["qualifier"]), g, rows.index),
        quads(node, PROV_DERIVED, iri(SOURCE + rows["source"]), g, rows.index),
        quads(node, f"<{G60}method>", _per_row(rows, "method", method), g, rows.index),
    ]
    if "confidence" in rows and (rows["confidence"].fillna("") != "").any():
        rated = rows[rows["confidence"].fillna("") != ""]
        parts.append(quads(node[rated.index], f"<{G60}confidence>", literal(rated["confidence"], datatype="decimal"),
                           g[rated.index], rated.index))
    quoted = rows["quote"] != ""
    if quoted.any():
        q = rows[quoted]
        parts.append(quads(node[quoted], f"<{G60}quote>", literal(q["quote"]) + "@" + lang[quoted], g[quoted], q.index))
    for column in _property_columns(rows):
        values = _explode(rows, column)
        if not values.empty:
            parts.append(quads(node[values.index], _p(column), values.astype(str), g[values.index], values.index))
    return parts


def source_quads(rows: pd.DataFrame) -> pd.DataFrame:
    """The source registry, in the graph ``g60graph:sources``: each source, and the named
    graph of its facts derived from it (``g60kg.build.sharing``)."""
    node = iri(SOURCE + rows["id"])
    g = f"<{SOURCES_GRAPH}>"
    dc = "http://purl.org/dc/terms/"
    parts = [quads(node, RDF_TYPE, f"<{G60}Source>", g, rows.index),
             quads(node, f"<{dc}title>", literal(rows["title"]), g, rows.index),
             quads(_graph(rows["id"]), PROV_DERIVED, node, g, rows.index)]
    for column, predicate, as_term in (
        ("publisher", f"<{dc}publisher>", literal),
        ("language", f"<{dc}language>", literal),
        ("kind", f"<{G60}sourceKind>", literal),
        ("url", "<https://schema.org/url>", lambda v: "<" + v + ">"),
        ("date", f"<{dc}date>", None),
    ):
        if column not in rows:
            continue
        values = rows[column]
        keep = values != ""
        if not keep.any():
            continue
        if as_term is None:
            terms = rows.loc[keep, "date_term"]
        else:
            terms = as_term(values[keep])
        parts.append(quads(node[keep], predicate, terms, g, rows.index[keep]))
    return pd.concat(parts)

