"""SHACL validation pushed down to the store: each constraint of ``shapes.ttl`` becomes
one SPARQL query that returns the nodes breaking it.

pyshacl copies the whole graph into rdflib and walks it in Python: minutes and gigabytes
for a registry of 100,000 firms. The shapes use a small part of SHACL Core (class,
subjects-of and objects-of targets; simple paths; min/max count, datatype, node kind,
class, ranges, ``sh:in``, ``sh:pattern``, an ``sh:or`` of datatypes, a qualified count of
language-tagged values), and each of those is a short query the store answers with its
indexes. Anything else in a shapes file is refused by name, so a new kind of constraint
cannot be skipped silently. pyshacl stays the reference: the tests check that both give
the same results.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyoxigraph as ox

from g60kg.store.results import shorten

__all__ = ["Constraint", "compile_shapes", "violations"]

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_DESCRIPTIVE = {f"{SH}{n}" for n in ("path", "name", "message", "severity", "property", "description", "order")}
_DESCRIPTIVE |= {RDF_TYPE, "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2000/01/rdf-schema#comment"}
_TARGETS = {f"{SH}targetClass", f"{SH}targetSubjectsOf", f"{SH}targetObjectsOf"}


@dataclass(frozen=True)
class Constraint:
    """One constraint of one property shape, as a query for the nodes that break it."""

    shape: str
    path: str
    severity: str
    message: str
    sparql: str


class _Shapes:
    """The shapes graph, read with pyoxigraph."""

    def __init__(self, path: Path) -> None:
        self.store = ox.Store()
        self.store.load(path=str(path), format=ox.RdfFormat.TURTLE)

    def values(self, node: ox.NamedNode | ox.BlankNode, predicate: str) -> list[ox.Term]:
        return [q.object for q in self.store.quads_for_pattern(node, ox.NamedNode(predicate), None)]

    def one(self, node: ox.NamedNode | ox.BlankNode, predicate: str) -> ox.Term | None:
        found = self.values(node, predicate)
        return found[0] if found else None

    def items(self, head: ox.Term) -> list[ox.Term]:
        """The members of an RDF list."""
        out: list[ox.Term] = []
        rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        while isinstance(head, (ox.NamedNode, ox.BlankNode)) and head.value != rdf + "nil":
            out.append(self.one(head, rdf + "first"))  # type: ignore[arg-type]
            head = self.one(head, rdf + "rest")  # type: ignore[assignment]
        return out

    def predicates(self, node: ox.NamedNode | ox.BlankNode) -> set[str]:
        return {q.predicate.value for q in self.store.quads_for_pattern(node, None, None)}


def _target(shapes: _Shapes, node: ox.NamedNode) -> str:
    parts = []
    for cls in shapes.values(node, f"{SH}targetClass"):
        parts.append(f"{{ ?focus a/{_SUBCLASS}* {cls} }}")
    for predicate in shapes.values(node, f"{SH}targetSubjectsOf"):
        parts.append(f"{{ SELECT DISTINCT ?focus WHERE {{ ?focus {predicate} ?any }} }}")
    for predicate in shapes.values(node, f"{SH}targetObjectsOf"):
        parts.append(f"{{ SELECT DISTINCT ?focus WHERE {{ ?any {predicate} ?focus }} }}")
    return " UNION ".join(parts)


def _value_test(shapes: _Shapes, component: str, value: ox.Term) -> str:
    """A SPARQL condition true for a ``?value`` that breaks one value constraint."""
    name = component.removeprefix(SH)
    if name == "datatype":
        return f"(!isLiteral(?value) || datatype(?value) != {value})"
    if name == "nodeKind":
        kinds = {"IRI": "isIRI(?value)", "Literal": "isLiteral(?value)", "BlankNode": "isBlank(?value)"}
        return f"!{kinds[value.value.removeprefix(SH)]}"
    if name in ("minInclusive", "maxInclusive"):
        return f"!COALESCE(?value {'>=' if name == 'minInclusive' else '<='} {value}, false)"
    if name == "in":
        members = shapes.items(value)
        return f"!COALESCE(?value IN ({', '.join(str(m) for m in members)}), false)"
    if name == "pattern":
        return f"(isBlank(?value) || !REGEX(STR(?value), {value}))"
    if name == "or":
        tests = []
        for member in shapes.items(value):
            keys = shapes.predicates(member) - _DESCRIPTIVE  # type: ignore[arg-type]
            if keys != {f"{SH}datatype"}:
                raise ValueError(f"sh:or of {sorted(keys)} is not supported; only an sh:or of sh:datatype shapes is")
            tests.append(_value_test(shapes, f"{SH}datatype", shapes.one(member, f"{SH}datatype")))  # type: ignore[arg-type]
        return "(" + " && ".join(tests) + ")"
    raise ValueError(f"the SHACL constraint sh:{name} is not supported by the SPARQL validator")


def _fewer_than(target: str, path: ox.NamedNode, least: str, test: str = "") -> str:
    """Focus nodes with fewer than ``least`` distinct values (that pass ``test``) on ``path``
    (for one value, a focus node with none: a lookup per node, where counting them all
    took seconds on a registry of 100,000 firms)."""
    where = f"?focus {path} ?v" + (f" FILTER ({test})" if test else "")
    if least == "1":
        return f"{target} FILTER NOT EXISTS {{ {where} }} BIND ('' AS ?value)"
    return (f"{{ SELECT ?focus (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} OPTIONAL {{ {where} }} }}"
            f" GROUP BY ?focus }} FILTER (?n < {least}) BIND ('' AS ?value)")


def _constraints(shapes: _Shapes, target: str, prop: ox.NamedNode | ox.BlankNode, path: ox.NamedNode) -> Iterator[str]:
    """The query body of each constraint of a property shape."""
    keys = shapes.predicates(prop) - _DESCRIPTIVE
    for component in sorted(keys):
        value = shapes.one(prop, component)
        if component == f"{SH}minCount":
            yield _fewer_than(target, path, value.value)
        elif component == f"{SH}maxCount":
            yield (f"{{ SELECT ?focus WHERE {{ {target} ?focus {path} ?v }} GROUP BY ?focus"
                   f" HAVING (COUNT(DISTINCT ?v) > {value.value}) }} BIND ('' AS ?value)")
        elif component == f"{SH}qualifiedMinCount":
            shape = shapes.one(prop, f"{SH}qualifiedValueShape")
            inner = shapes.predicates(shape) - _DESCRIPTIVE  # type: ignore[arg-type]
            if inner != {f"{SH}languageIn"}:
                raise ValueError(f"{prop}: a qualified value shape of {sorted(inner)} is not supported; only sh:languageIn is")
            languages = [m.value for m in shapes.items(shapes.one(shape, f"{SH}languageIn"))]  # type: ignore[arg-type, union-attr]
            yield _fewer_than(target, path, value.value, " || ".join(f'langMatches(lang(?v), "{lang}")' for lang in languages))
        elif component == f"{SH}class":
            # The distinct values less the class's members (each set found once), then their
            # focus nodes: a class test per focus node took seconds on 100,000 firms.
            yield (f"{{ SELECT ?value WHERE {{ {{ SELECT DISTINCT ?value WHERE {{ {target} ?focus {path} ?value }} }}"
                   f" MINUS {{ ?value a/{_SUBCLASS}* {value} }} }} }} {target} ?focus {path} ?value")
        elif component != f"{SH}qualifiedValueShape":  # that one is read with its count
            yield f"{target} ?focus {path} ?value FILTER ({_value_test(shapes, component, value)})"


def compile_shapes(path: Path) -> list[Constraint]:
    """Every constraint of a shapes file as a query for the nodes that break it.

    >>> from g60kg.ontology import shapes_path
    >>> constraints = compile_shapes(shapes_path())
    >>> len(constraints) > 40, sorted({c.severity for c in constraints})
    (True, ['Violation', 'Warning'])
    """
    shapes = _Shapes(path)
    out = []
    for quad in sorted(shapes.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{SH}NodeShape")),
                       key=lambda q: q.subject.value):
        node = quad.subject
        unknown = shapes.predicates(node) - _DESCRIPTIVE - _TARGETS
        if unknown:
            raise ValueError(f"{node}: node-level {sorted(unknown)} is not supported by the SPARQL validator")
        target = _target(shapes, node)
        for prop in sorted(shapes.values(node, f"{SH}property"), key=lambda p: p.value):
            severity = shapes.one(prop, f"{SH}severity")
            message = shapes.one(prop, f"{SH}message")
            path = shapes.one(prop, f"{SH}path")
            if not isinstance(path, ox.NamedNode):
                raise ValueError(f"{prop}: only simple predicate paths are supported by the SPARQL validator")
            for body in _constraints(shapes, target, prop, path):
                out.append(Constraint(prop.value, path.value, (severity or ox.NamedNode(f"{SH}Violation")).value.removeprefix(SH),
                                      message.value if message else "", f"SELECT DISTINCT ?focus ?value WHERE {{ {body} }}"))
    return out


def violations(store, constraints: list[Constraint]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Run the constraints on a store (its default graph: the union of its graphs, ontology included):
    one row per broken constraint, in the columns of a validation report.

    >>> from g60kg.store.embedded import LocalStore
    >>> from g60kg.ontology import shapes_path
    >>> s = LocalStore(None)
    >>> s.load(b'<http://e/o> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/g60kg/ontology#Observation> .\\n')
    >>> sorted(violations(s, compile_shapes(shapes_path()))["path"])[:2]
    ['g60:indicator', 'g60:observationAbout']
    """
    frames = []
    for c in constraints:
        found = store.frame(c.sparql)
        if len(found):
            frames.append(pd.DataFrame({"severity": c.severity, "focus": found["focus"].astype(str),
                                        "path": shorten(c.path), "value": found["value"].fillna("").astype(str),
                                        "message": c.message, "shape": shorten(c.shape)}))
    columns = ["severity", "focus", "path", "value", "message", "shape"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
