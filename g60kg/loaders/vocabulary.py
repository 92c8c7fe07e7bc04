"""What the loaders need to know of the ontology, read from ``g60.ttl`` and
``sectors.ttl`` (never repeated in code): classes and their kind, relation predicates,
sector concepts, and CURIE expansion."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from g60kg.ontology import PREFIXES, ontology_path, sectors_path

__all__ = ["Vocabulary", "vocabulary", "expand"]

# The top classes that give an entity its id prefix (``org/...``); the rest are their own.
_KIND_OF_TOP = {"Place": "place", "Organization": "org", "Person": "person", "Policy": "policy",
                "Project": "project", "Achievement": "achievement", "Event": "event"}


def expand(curie: str) -> str:
    """A prefixed name (``g60:locatedIn``, ``rdfs:label``) or a full IRI, as a full IRI.

    >>> expand("g60:locatedIn")
    'https://w3id.org/g60kg/ontology#locatedIn'
    >>> expand("https://schema.org/url")
    'https://schema.org/url'
    """
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    if sep and local.startswith("//"):
        return curie
    raise ValueError(f"unknown prefix in {curie!r}; expected one of {sorted(PREFIXES)} or a full IRI")


@dataclass(frozen=True)
class Vocabulary:
    """Classes (local name → id kind and ancestors), object properties and sectors."""

    classes: dict[str, tuple[str, frozenset[str]]]
    relations: frozenset[str]
    sectors: dict[str, str]  # any key (id, zh label, en label) → sector IRI

    def kind_of(self, class_name: str) -> str:
        """The id prefix for entities of a class.

        >>> vocabulary().kind_of("Lab")
        'org'
        """
        return self.classes[class_name][0]

    def is_a(self, class_name: str, ancestor: str) -> bool:
        """Whether ``class_name`` is ``ancestor`` or below it.

        >>> vocabulary().is_a("District", "Place"), vocabulary().is_a("Person", "Place")
        (True, False)
        """
        return ancestor in self.classes[class_name][1]


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary of the bundled ontology (read once).

    >>> "Enterprise" in vocabulary().classes and "memberOf" in vocabulary().relations
    True
    """
    graph = rdflib.Graph()
    graph.parse(ontology_path(), format="turtle")
    ns = PREFIXES["g60"]
    local = {c: str(c)[len(ns):] for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(ns)}
    classes: dict[str, tuple[str, frozenset[str]]] = {}
    for iri, name in local.items():
        ancestors = {local[a] for a in graph.transitive_objects(iri, RDFS.subClassOf) if a in local}
        top = next((t for t in _KIND_OF_TOP if t in ancestors), name)
        classes[name] = (_KIND_OF_TOP.get(top, name.lower()), frozenset(ancestors))
    relations = frozenset(
        str(p)[len(ns):] for p in graph.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(ns)
    )
    sector_graph = rdflib.Graph()
    sector_graph.parse(sectors_path(), format="turtle")
    sectors: dict[str, str] = {}
    for concept in sector_graph.subjects(RDF.type, SKOS.Concept):
        sectors[str(concept).rsplit("/", 1)[-1]] = str(concept)
        sectors[str(concept)[len(PREFIXES["g60id"]):]] = str(concept)
        for label in sector_graph.objects(concept, SKOS.prefLabel):
            sectors[str(label).lower()] = str(concept)
    return Vocabulary(classes, relations, sectors)
