"""A named query's parameter values, from the text a user typed to typed RDF terms.

Types: ``string`` (an ``xsd:string`` literal), ``integer``, ``decimal``, ``date``
(``YYYY-MM-DD``), ``year`` (four digits, bound as an ``xsd:integer``), ``iri`` (a full
IRI or a CURIE with the project's prefixes) and ``entity`` (an IRI, a CURIE, an id such
as ``place/jiaxing``, or a name or alias, which a resolver looks up in the graph).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Callable

import pyoxigraph as ox

from g60kg.errors import QueryError
from g60kg.ontology import PREFIXES

__all__ = ["TYPES", "to_term", "Resolver"]

XSD = PREFIXES["xsd"]
TYPES = ("string", "integer", "decimal", "date", "year", "iri", "entity")
Resolver = Callable[[str], list[ox.NamedNode]]  # a name -> every entity it names
_ID = re.compile(r"[a-z]+/[a-z0-9][a-z0-9-]*")
_CURIE = re.compile(r"([A-Za-z][\w-]*):(\S*)")


def _iri(text: str) -> ox.NamedNode | None:
    """A full IRI (with or without angle brackets) or a CURIE; None for anything else."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    match = _CURIE.fullmatch(text)
    if match and match[1] in PREFIXES:
        text = PREFIXES[match[1]] + match[2]
    elif not re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):
        return None
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


_MAGNITUDE = 1000  # the largest power of ten a decimal parameter may have


def _typed(text: str, kind: str) -> ox.Literal | ox.NamedNode | None:
    """The term for a value of a plain type, or None when the text is not of that type."""
    text = text.strip()
    if kind == "integer" and re.fullmatch(r"[+-]?\d+", text):  # canonical form without int(): any length
        digits = text.lstrip("+-").lstrip("0") or "0"
        return ox.Literal(("-" if text.startswith("-") and digits != "0" else "") + digits,
                          datatype=ox.NamedNode(XSD + "integer"))
    if kind == "year" and re.fullmatch(r"\d{4}", text):
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "integer"))
    if kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        if not number.is_finite() or abs(number.adjusted()) > _MAGNITUDE:
            return None  # '1e1000000' would be a million digits written out
        return ox.Literal(format(number, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    if kind == "date":
        try:
            return ox.Literal(datetime.date.fromisoformat(text).isoformat(), datatype=ox.NamedNode(XSD + "date"))
        except ValueError:
            return None
    if kind == "iri":
        return _iri(text)
    return None


def _resolved(name: str, text: str, found: list[ox.NamedNode]) -> ox.NamedNode:
    """The one entity a name resolved to, or an error saying why there is not one."""
    if len(found) == 1:
        return found[0]
    if not found:
        raise QueryError(f"parameter {name}: no entity is named {text!r}; give an id such as place/jiaxing or an IRI")
    from g60kg.store.results import shorten

    names = ", ".join(sorted(shorten(n.value) for n in found))
    raise QueryError(f"parameter {name}: {text!r} names several entities ({names}); give one of their ids")


_EXPECTED = {
    "integer": "an integer such as 2021",
    "year": "a four-digit year such as 2021",
    "decimal": "a number such as 1.5",
    "date": "a date written YYYY-MM-DD",
    "iri": "an IRI (https://...) or a CURIE such as g60place:jiaxing",
    "entity": "a name, an alias, an id such as place/jiaxing, a CURIE or an IRI",
}


def to_term(name: str, kind: str, text: str, resolve: Resolver | None = None) -> ox.NamedNode | ox.Literal:
    """The RDF term for the value ``text`` of the parameter ``name`` of type ``kind``;
    an entity given by name goes to ``resolve`` (without one, only ids, CURIEs and IRIs
    are accepted). A value of the wrong type is a ``QueryError`` naming the parameter.

    >>> str(to_term("n", "integer", "12"))
    '"12"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> to_term("city", "entity", "place/jiaxing")
    <NamedNode value=https://w3id.org/g60kg/id/place/jiaxing>
    >>> to_term("since", "date", "2021-13-01")
    Traceback (most recent call last):
    g60kg.errors.QueryError: parameter since: expected a date written YYYY-MM-DD, got '2021-13-01'
    """
    if kind not in TYPES:
        raise QueryError(f"parameter {name}: unknown type {kind!r}; expected one of {', '.join(TYPES)}")
    if kind == "string":
        return ox.Literal(text)
    if kind == "entity":
        stripped = text.strip()
        term = _iri(stripped)
        if term is None and _ID.fullmatch(stripped):
            term = ox.NamedNode(PREFIXES["g60id"] + stripped)
        if term is None and resolve is not None and stripped:
            return _resolved(name, stripped, resolve(stripped))
    else:
        term = _typed(text, kind)
    if term is None:
        raise QueryError(f"parameter {name}: expected {_EXPECTED[kind]}, got {text!r}")
    return term
