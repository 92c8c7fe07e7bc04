"""The catalog of named queries: every ``g60kg/queries/*.rq`` file and its header.

A header is the file's leading comment lines, one field a line::

    # title_zh: 某城市的某类实体
    # title_en: Entities of a class in a city
    # description_zh: 位于某城市或区的某一类组织，附名称及将其定位于当地的
    #   来源。
    # description_en: Organizations of one class located in one city or district,
    #   with their names and the source that places them there.
    # param: city
    #   type: entity
    #   default: place/songjiang
    #   example: 嘉兴市
    #   description_zh: 城市或区。
    #   description_en: The city or district.

An indented line continues the field above it (Chinese text continues without a space),
or (under ``param:``) gives one of the parameter's fields: ``type`` (see
``g60kg.queries.parameters.TYPES``), ``default``, ``example``, ``description_zh`` and
``description_en``. Every description is in both languages, so the query page, the
OpenAPI document and the CLI can show either. A parameter is a variable of the query: it must appear
in the top-level ``SELECT`` projection (so its value shows in the results), and a
sub-query that uses it projects it too (a binding reaches into a sub-query only through
its projection); the store binds it as a typed RDF term, written into the query in escaped
N-Triples syntax, never as raw text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Mapping

import pandas as pd
import pyoxigraph as ox

from g60kg.errors import InputError, Location, QueryError
from g60kg.queries.parameters import TYPES, Resolver, to_term

__all__ = ["Parameter", "NamedQuery", "catalog", "named_query", "catalog_table", "parse_header"]

_FIELD = re.compile(r"#( *)([a-z_]+):(.*)")
_QUERY_FIELDS = ("title_zh", "title_en", "description_zh", "description_en")
_PARAM_FIELDS = ("type", "default", "example", "description_zh", "description_en")
_WIDE = "\u2e80"  # from here on, CJK characters and full-width punctuation


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query: a variable bound to a typed term, described in
    Chinese and English.

    >>> p = Parameter("year", "year", "2021", "2020", "年份。", "The year.")
    >>> p.term("2019").value
    '2019'
    """

    name: str
    type: str
    default: str
    example: str
    description_zh: str
    description_en: str

    def term(self, text: str, resolve: Resolver | None = None) -> ox.NamedNode | ox.Literal:
        """The typed RDF term for a value written as text (see ``to_term``)."""
        return to_term(self.name, self.type, text, resolve)


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL SELECT query with a name, titles and descriptions in Chinese and English,
    and typed parameters.

    >>> q = named_query("entities-in-city")
    >>> q.title_en
    'Entities of a class in a city'
    >>> q.bind({"city": "place/jiaxing"})["city"]
    <NamedNode value=https://w3id.org/g60kg/id/place/jiaxing>
    """

    name: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    parameters: list[Parameter] = field(default_factory=list)
    text: str = ""

    def bind(self, params: Mapping[str, str], resolve: Resolver | None = None) -> dict[str, ox.NamedNode | ox.Literal]:
        """Every parameter as a typed RDF term: the given value, else the default. An
        unknown name is an error that lists the valid ones; a name of an entity goes to
        ``resolve`` (``KnowledgeGraph.query`` passes one that looks names up in the graph).

        >>> named_query("entities-in-city").bind({"town": "x"})
        Traceback (most recent call last):
        g60kg.errors.QueryError: entities-in-city has no parameter 'town'; its parameters: city, class
        """
        known = {p.name: p for p in self.parameters}
        for key in params:
            if key not in known:
                valid = ", ".join(known) or "none"
                raise QueryError(f"{self.name} has no parameter {key!r}; its parameters: {valid}")
        return {p.name: p.term(str(params.get(p.name, p.default)), resolve) for p in self.parameters}


def parse_header(name: str, text: str) -> NamedQuery:
    """A named query from the text of its ``.rq`` file; a malformed header is an
    ``InputError`` naming the file and line.

    >>> q = parse_header("x", "# title_zh: 城市\\n# title_en: Cities\\n# description_zh: 所有\\n#   城市。"
    ...                  "\\n# description_en: All\\n#   cities.\\nSELECT ?c WHERE { ?c a g60:City }")
    >>> q.description_zh, q.description_en
    ('所有城市。', 'All cities.')
    """
    fields: dict[str, str] = {}
    params: list[dict[str, str]] = []
    last: dict[str, str] = fields
    key = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        where = Location(f"{name}.rq", number)
        match = _FIELD.fullmatch(line.rstrip())
        indented = bool(match) and len(match[1]) > 1
        if match and not indented:
            key, value = match[2], match[3].strip()
            if key == "param":
                last = {"name": value}
                params.append(last)
                key = "name"
            elif key in _QUERY_FIELDS:
                last = fields
                fields[key] = value
            else:
                raise InputError(where, f"unknown header field {key!r}; expected one of {', '.join(_QUERY_FIELDS)}, param")
        elif match and params and last is params[-1] and match[2] in _PARAM_FIELDS:
            key = match[2]
            last[key] = match[3].strip()
        elif line[1:].strip() and key:
            last[key] = _continue(last[key], line[1:].strip())
    missing = [k for k in _QUERY_FIELDS if not fields.get(k)]
    if missing:
        raise InputError(Location(f"{name}.rq"), f"the header lacks {', '.join(missing)}")
    parameters = []
    for entry in params:
        lacking = [k for k in _PARAM_FIELDS if k not in entry]
        if lacking or entry["type"] not in TYPES:
            problem = f"lacks {', '.join(lacking)}" if lacking else f"has type {entry['type']!r}, not one of {', '.join(TYPES)}"
            raise InputError(Location(f"{name}.rq", column=entry["name"]), f"parameter {entry['name']} {problem}")
        parameters.append(Parameter(entry["name"], *(entry[k] for k in _PARAM_FIELDS)))
    return NamedQuery(name, *(fields[k] for k in _QUERY_FIELDS), parameters, text)


def _continue(text: str, more: str) -> str:
    """``text`` continued by the next line's ``more``: with a space, except between two
    wide (Chinese) characters, which are written without one."""
    if not text:
        return more
    return text + ("" if text[-1] >= _WIDE and more[0] >= _WIDE else " ") + more


@functools.lru_cache(maxsize=1)
def _load() -> tuple[NamedQuery, ...]:
    folder = resources.files("g60kg.queries")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    return tuple(parse_header(f.name[:-3], f.read_text(encoding="utf-8")) for f in files)


def catalog() -> dict[str, NamedQuery]:
    """Every named query shipped with g60kg, by name (sorted).

    >>> "entities-in-city" in catalog()
    True
    """
    return {q.name: q for q in _load()}


def named_query(name: str) -> NamedQuery:
    """One named query; an unknown name is an error that lists the known ones.

    >>> named_query("entities-in-city").name
    'entities-in-city'
    """
    queries = catalog()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]


def catalog_table() -> pd.DataFrame:
    """The catalog as a table: name, titles and parameters (``name (type) = default``).

    >>> catalog_table().columns.tolist()
    ['name', 'title_zh', 'title_en', 'parameters']
    """
    rows = [{"name": q.name, "title_zh": q.title_zh, "title_en": q.title_en,
             "parameters": ", ".join(f"{p.name} ({p.type}) = {p.default}" for p in q.parameters)}
            for q in _load()]
    return pd.DataFrame(rows, columns=["name", "title_zh", "title_en", "parameters"])
