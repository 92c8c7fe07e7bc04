"""The g60kg vocabulary in Python: the ``G60`` namespace and the IRI bases of the graph.

``G60`` lists every term declared in ``g60.ttl`` and nothing else, so a misspelt term is
an ``AttributeError`` rather than a new IRI; ``tests/test_ontology.py`` checks that the two
lists are equal. Labels, comments, domains and ranges live in ``g60.ttl`` only.

>>> G60.locatedIn
rdflib.term.URIRef('https://w3id.org/g60kg/ontology#locatedIn')
>>> ID["place/songjiang"]
rdflib.term.URIRef('https://w3id.org/g60kg/id/place/songjiang')
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from rdflib import namespace
from rdflib.namespace import Namespace
from rdflib.term import URIRef

__all__ = [
    "G60",
    "GRAPH",
    "ID",
    "PREFIXES",
    "PROLOGUE",
    "SCHEMA",
    "SECTOR",
    "SOURCE",
    "ontology_path",
    "sectors_path",
    "shapes_path",
]


# DefinedNamespace is reached through its module: as a module-level name, the open base
# class would warn when doctest collection probes its attributes.
class G60(namespace.DefinedNamespace):
    """The g60kg ontology, ``https://w3id.org/g60kg/ontology#`` (closed: unknown names fail)."""

    _NS = Namespace("https://w3id.org/g60kg/ontology#")
    _fail = True

    # Classes
    Place: URIRef
    Corridor: URIRef
    Province: URIRef
    City: URIRef
    District: URIRef
    Town: URIRef
    Region: URIRef
    Organization: URIRef
    Enterprise: URIRef
    ResearchPlatform: URIRef
    Lab: URIRef
    Institute: URIRef
    InnovationCenter: URIRef
    University: URIRef
    GovernmentBody: URIRef
    Alliance: URIRef
    Park: URIRef
    Committee: URIRef
    Person: URIRef
    IndustrySector: URIRef
    Policy: URIRef
    Project: URIRef
    Achievement: URIRef
    Event: URIRef
    Observation: URIRef
    Source: URIRef
    Statement: URIRef

    # Relations between entities (object properties)
    locatedIn: URIRef
    partOf: URIRef
    within: URIRef  # derived by the build (g60kg.build.within), stated by no source
    memberOf: URIRef
    leads: URIRef
    hostedBy: URIRef
    affiliatedWith: URIRef
    establishes: URIRef
    implements: URIRef
    participatesIn: URIRef
    designatedBy: URIRef
    signs: URIRef
    cooperatesWith: URIRef
    suppliesTo: URIRef
    investsIn: URIRef
    hasBranchIn: URIRef
    operates: URIRef
    supports: URIRef
    achievedBy: URIRef
    sector: URIRef
    adjacentTo: URIRef
    heldIn: URIRef
    publishes: URIRef
    hosts: URIRef
    designatedAs: URIRef
    anchoredOn: URIRef
    serves: URIRef
    launches: URIRef
    centralNodeOf: URIRef
    observationAbout: URIRef

    # Attributes (datatype properties)
    nameKey: URIRef
    adminCode: URIRef
    adminLevel: URIRef
    lat: URIRef
    lon: URIRef
    foundedIn: URIRef
    date: URIRef
    homepage: URIRef
    quote: URIRef
    confidence: URIRef
    method: URIRef
    role: URIRef
    startDate: URIRef
    endDate: URIRef
    indicator: URIRef
    indicatorEn: URIRef
    value: URIRef
    unit: URIRef
    qualifier: URIRef
    refTime: URIRef
    refYear: URIRef
    sourceKind: URIRef
    registeredCapital: URIRef
    stockCode: URIRef
    listedOn: URIRef
    listingDate: URIRef


ID = Namespace("https://w3id.org/g60kg/id/")
SOURCE = Namespace("https://w3id.org/g60kg/id/source/")
GRAPH = Namespace("https://w3id.org/g60kg/graph/")
SECTOR = Namespace("https://w3id.org/g60kg/id/sector/")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "g60": str(G60._NS),
    "g60id": str(ID),
    "g60src": str(SOURCE),
    "g60graph": str(GRAPH),
    # One prefix per kind of entity, so shortened IRIs are valid SPARQL and Turtle.
    **{f"g60{kind}": f"{ID}{kind}/" for kind in ("place", "corridor", "org", "person", "policy", "project",
                                                 "achievement", "event", "obs", "statement")},
    "g60sector": str(SECTOR),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": str(SCHEMA),
    "org": "http://www.w3.org/ns/org#",
    "geo": "http://www.opengis.net/ont/geosparql#",
}
# The prefixes as a SPARQL prologue: every query the project runs starts with it.
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def _resource(name: str) -> Traversable:
    return resources.files(__package__) / name


def ontology_path() -> Traversable:
    """The OWL ontology ``g60.ttl`` (classes and properties, labels @zh and @en).

    >>> from rdflib import Graph, RDFS
    >>> g = Graph().parse(data=ontology_path().read_text(encoding="utf-8"), format="turtle")
    >>> (G60.City, RDFS.subClassOf, G60.Place) in g
    True
    """
    return _resource("g60.ttl")


def shapes_path() -> Traversable:
    """The SHACL shapes ``shapes.ttl`` that a built graph must satisfy.

    >>> from rdflib import Graph, SH
    >>> g = Graph().parse(data=shapes_path().read_text(encoding="utf-8"), format="turtle")
    >>> G60.Observation in set(g.objects(None, SH.targetClass))
    True
    """
    return _resource("shapes.ttl")


def sectors_path() -> Traversable:
    """The SKOS concept scheme of industry sectors ``sectors.ttl``.

    >>> from rdflib import Graph, SKOS
    >>> g = Graph().parse(data=sectors_path().read_text(encoding="utf-8"), format="turtle")
    >>> g.value(SECTOR.ai, SKOS.inScheme)
    rdflib.term.URIRef('https://w3id.org/g60kg/id/sector/scheme')
    """
    return _resource("sectors.ttl")
