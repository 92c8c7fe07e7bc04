"""The ontology, the sector scheme and the SHACL shapes: they parse, agree with the code
and with docs/data-model.md, and the shapes accept a valid graph and reject broken ones
with the shape a curator would expect."""

import re
from decimal import Decimal
from pathlib import Path

import pyshacl
import pytest
from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, Dataset, Graph, Literal, Namespace, URIRef

from g60kg.validation.shacl import compile_shapes
from g60kg.store.embedded import LocalStore
from g60kg.validation.validate import validate_graph, validate_store
from g60kg.ontology import G60, GRAPH, ID, SECTOR, ontology_path, sectors_path, shapes_path

ROOT = Path(__file__).resolve().parents[1]
DATA_MODEL = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
G60SH = Namespace("https://w3id.org/g60kg/shapes#")
ONTOLOGY_IRI = URIRef("https://w3id.org/g60kg/ontology")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)

# A small graph that satisfies every shape: a city, an enterprise in it, an observation,
# the statement behind the enterprise's city, and their source.
VALID = """
@base <https://w3id.org/g60kg/id/> .
@prefix g60:     <https://w3id.org/g60kg/ontology#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix geo:     <http://www.opengis.net/ont/geosparql#> .

<place/shanghai> a g60:City ;
    rdfs:label "上海市"@zh , "Shanghai"@en ;
    g60:adminCode "310000" ;
    g60:lat 31.2304 ;
    g60:lon 121.4737 ;
    geo:hasGeometry [ geo:asWKT "POINT(121.4737 31.2304)"^^geo:wktLiteral ] .

<org/kuka-robotics-shanghai> a g60:Enterprise ;
    rdfs:label "库卡机器人"@zh , "KUKA Robotics"@en ;
    g60:locatedIn <place/shanghai> ;
    g60:sector <sector/robotics> .

<obs/shanghai-ai-enterprises> a g60:Observation ;
    g60:observationAbout <place/shanghai> ;
    g60:indicator "人工智能企业数量"@zh ;
    g60:indicatorEn "number of AI enterprises"@en ;
    g60:value 842 ;
    g60:unit "家" ;
    g60:qualifier "=" ;
    g60:refYear "2020"^^xsd:gYear ;
    g60:quote "聚集科大智能、库卡机器人等人工智能企业842家"@zh ;
    g60:method "curated" ;
    prov:wasDerivedFrom <source/test-news> .

<statement/kuka-located-in-shanghai> a g60:Statement ;
    rdf:subject <org/kuka-robotics-shanghai> ;
    rdf:predicate g60:locatedIn ;
    rdf:object <place/shanghai> ;
    prov:wasDerivedFrom <source/test-news> ;
    g60:quote "库卡机器人落户上海"@zh ;
    g60:confidence 1.0 ;
    g60:method "curated" .

<source/test-news> a g60:Source ;
    dcterms:title "测试新闻"@zh ;
    g60:sourceKind "news" .
"""
CITY = ID["place/shanghai"]
ENTERPRISE = ID["org/kuka-robotics-shanghai"]
OBSERVATION = ID["obs/shanghai-ai-enterprises"]
STATEMENT = ID["statement/kuka-located-in-shanghai"]
SOURCE_DOC = ID["source/test-news"]
PERSON = ID["person/someone"]


def _parse(path) -> Graph:
    return Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse(ontology_path())


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse(shapes_path())


@pytest.fixture(scope="module")
def sectors() -> Graph:
    return _parse(sectors_path())


def _valid() -> Graph:
    return Graph().parse(data=VALID, format="turtle")


def _validate(data: Graph | Dataset, shapes: Graph, ontology: Graph) -> tuple[bool, Graph]:
    """The call the build makes: the union of the data's graphs plus the ontology, no
    inference, and sh:Warning results reported without failing conformance."""
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
    )
    return conforms, report


def _results(report: Graph) -> set[tuple]:
    return {
        (report.value(r, SH.sourceShape), report.value(r, SH.resultPath), report.value(r, SH.resultSeverity))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def _declared(ontology: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t) if str(s).startswith(str(G60._NS))}


# --- the files ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [ontology_path, sectors_path, shapes_path], ids=lambda f: f.__name__)
def test_files_parse(path):
    assert len(_parse(path())) > 50


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert {t.language for t in ontology.objects(ONTOLOGY_IRI, DCTERMS.title)} == {"zh", "en"}
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_namespace_lists_exactly_the_declared_terms(ontology):
    assert _declared(ontology) == set(dir(G60))
    assert len(set(ontology.subjects(RDF.type, OWL.Class))) == 27
    assert len(set(ontology.subjects(RDF.type, OWL.ObjectProperty))) == 30
    assert len(set(ontology.subjects(RDF.type, OWL.DatatypeProperty))) == 26


def test_every_g60_term_used_is_declared(ontology, sectors, shapes):
    used = {
        term
        for graph in (ontology, sectors, shapes)
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(G60._NS))
    }
    assert used <= set(dir(G60))


def test_terms_of_the_data_model_and_mappings_are_declared(ontology):
    named = set(re.findall(r"\bg60:(\w+)", DATA_MODEL))
    for mapping in (ROOT / "g60kg" / "data" / "mappings").glob("*.yaml"):
        named |= set(re.findall(r"\bg60:(\w+)", mapping.read_text(encoding="utf-8")))
    assert {name for name in named if name not in G60} == set()
    relations = re.findall(r"^\| `(\w+)` \|", DATA_MODEL, flags=re.MULTILINE)
    assert len(relations) == 22
    assert [r for r in relations if (G60[r], RDF.type, OWL.ObjectProperty) not in ontology] == []


def test_every_term_has_zh_and_en_labels_and_a_comment(ontology):
    for term in dir(G60):
        assert {label.language for label in ontology.objects(term, RDFS.label)} >= {"zh", "en"}, term
        assert "en" in {comment.language for comment in ontology.objects(term, RDFS.comment)}, term


def test_class_hierarchy_and_alignments(ontology):
    def parents(cls):
        return set(ontology.objects(cls, RDFS.subClassOf))

    for name in ("Corridor", "Province", "City", "District", "Town", "Region"):
        assert G60.Place in parents(G60[name])
    for name in ("Enterprise", "ResearchPlatform", "University", "GovernmentBody", "Alliance", "Park", "Committee"):
        assert G60.Organization in parents(G60[name])
    for name in ("Lab", "Institute", "InnovationCenter"):
        assert G60.ResearchPlatform in parents(G60[name])
    assert SKOS.Concept in parents(G60.IndustrySector)
    assert RDF.Statement in parents(G60.Statement)
    assert PROV.Entity in parents(G60.Source)
    assert URIRef("http://www.opengis.net/ont/geosparql#Feature") in parents(G60.Place)
    assert URIRef("https://schema.org/Organization") in parents(G60.Organization)
    for name in ("cooperatesWith", "adjacentTo"):
        assert (G60[name], RDF.type, OWL.SymmetricProperty) in ontology


def test_sectors_of_the_data_model(sectors):
    section = DATA_MODEL.split("## Industry sectors", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"`([a-z-]+)` \(([^)]+)\)", section)
    assert len(listed) == 17
    scheme = SECTOR.scheme
    assert (scheme, RDF.type, SKOS.ConceptScheme) in sectors
    for slug, name_zh in listed:
        concept = SECTOR[slug]
        labels = {label.language: str(label) for label in sectors.objects(concept, SKOS.prefLabel)}
        assert labels.get("zh") == name_zh, slug
        assert labels.get("en"), slug
        assert (concept, RDF.type, G60.IndustrySector) in sectors
        assert (concept, SKOS.inScheme, scheme) in sectors
        assert (concept, SKOS.topConceptOf, scheme) in sectors
    assert len(set(sectors.subjects(RDF.type, SKOS.Concept))) == 17


# --- the shapes -----------------------------------------------------------------------


def test_shapes_are_valid_shacl_and_explain_themselves(shapes):
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        assert shapes.value(shape, SH.name) is not None, shape
        assert shapes.value(shape, SH.message) is not None, shape
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, RDFS.label) is not None, shape
        assert shapes.value(shape, RDFS.comment) is not None, shape


def test_valid_graph_conforms(shapes, ontology):
    conforms, report = _validate(_valid(), shapes, ontology)
    assert conforms
    assert _results(report) == set()


# pyshacl 0.40 reads a Dataset through rdflib's deprecated default_context.
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
def test_dataset_is_validated_as_the_union_of_its_graphs(shapes, ontology):
    # The source is typed in the sources graph, the facts that cite it in the source's own
    # graph: only the union lets sh:class g60:Source see both.
    dataset = Dataset()
    sources_graph, facts_graph = dataset.graph(GRAPH.sources), dataset.graph(GRAPH["test-news"])
    for triple in _valid():
        (sources_graph if triple[0] == SOURCE_DOC else facts_graph).add(triple)
    ontology_graph = dataset.graph(GRAPH.ontology)
    ontology_graph += ontology
    conforms, report = _validate(dataset, shapes, ontology)
    assert conforms, _results(report)


def _broken(case_id: str, shape: URIRef, path: URIRef, remove: list, add: list | tuple = ()):
    """A broken variant of VALID: triples (patterns) to remove, triples to add, and the one
    property shape and path that must report it."""
    return pytest.param(remove, add, shape, path, id=case_id)


BROKEN = [
    _broken("observation-without-value", G60SH.ObservationValue, G60.value, [(OBSERVATION, G60.value, None)]),
    _broken(
        "value-as-string",
        G60SH.ObservationValue,
        G60.value,
        [(OBSERVATION, G60.value, None)],
        [(OBSERVATION, G60.value, Literal("842家"))],
    ),
    _broken(
        "unknown-qualifier",
        G60SH.ObservationQualifier,
        G60.qualifier,
        [(OBSERVATION, G60.qualifier, None)],
        [(OBSERVATION, G60.qualifier, Literal("≈"))],
    ),
    _broken(
        "observation-without-source",
        G60SH.ObservationSource,
        PROV.wasDerivedFrom,
        [(OBSERVATION, PROV.wasDerivedFrom, None)],
    ),
    _broken(
        "statement-without-source",
        G60SH.StatementSource,
        PROV.wasDerivedFrom,
        [(STATEMENT, PROV.wasDerivedFrom, None)],
    ),
    _broken(
        "statement-source-not-a-source",
        G60SH.StatementSource,
        PROV.wasDerivedFrom,
        [(STATEMENT, PROV.wasDerivedFrom, None)],
        [(STATEMENT, PROV.wasDerivedFrom, CITY)],
    ),
    _broken(
        "confidence-above-one",
        G60SH.StatementConfidence,
        G60.confidence,
        [(STATEMENT, G60.confidence, None)],
        [(STATEMENT, G60.confidence, Literal(Decimal("1.5")))],
    ),
    _broken(
        "unknown-method",
        G60SH.StatementMethod,
        G60.method,
        [(STATEMENT, G60.method, None)],
        [(STATEMENT, G60.method, Literal("guessed"))],
    ),
    _broken(
        "admin-code-of-five-digits",
        G60SH.AdminDivisionCode,
        G60.adminCode,
        [(CITY, G60.adminCode, None)],
        [(CITY, G60.adminCode, Literal("31011"))],
    ),
    _broken(
        "latitude-out-of-range",
        G60SH.CoordinatesLat,
        G60.lat,
        [(CITY, G60.lat, None)],
        [(CITY, G60.lat, Literal(Decimal("131.2304")))],
    ),
    _broken(
        "enterprise-located-in-a-person",
        G60SH.OrganizationLocatedIn,
        G60.locatedIn,
        [(ENTERPRISE, G60.locatedIn, None)],
        [
            (PERSON, RDF.type, G60.Person),
            (PERSON, RDFS.label, Literal("某人", lang="zh")),
            (ENTERPRISE, G60.locatedIn, PERSON),
        ],
    ),
    _broken(
        "entity-without-zh-label",
        G60SH.NamedEntityChineseName,
        RDFS.label,
        [(ENTERPRISE, RDFS.label, Literal("库卡机器人", lang="zh"))],
    ),
    _broken("source-without-title", G60SH.SourceTitle, DCTERMS.title, [(SOURCE_DOC, DCTERMS.title, None)]),
]


@pytest.mark.parametrize(("remove", "add", "shape", "path"), BROKEN)
def test_broken_graph_fails_with_the_expected_shape(shapes, ontology, remove, add, shape, path):
    data = _valid()
    for pattern in remove:
        data.remove(pattern)
    for triple in add:
        data.add(triple)
    conforms, report = _validate(data, shapes, ontology)
    assert not conforms
    assert _results(report) == {(shape, path, SH.Violation)}


def test_enterprise_without_city_is_only_a_warning(shapes, ontology):
    data = _valid()
    data.remove((ENTERPRISE, G60.locatedIn, None))
    conforms, report = _validate(data, shapes, ontology)
    assert conforms
    assert _results(report) == {(G60SH.CityKnownLocatedIn, G60.locatedIn, SH.Warning)}
    strict, _, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert not strict


def _rows(report) -> set[tuple[str, str, str, str]]:
    return set(zip(report.results["severity"], report.results["focus"], report.results["path"], report.results["shape"]))


@pytest.mark.parametrize(("remove", "add", "shape", "path"), [*BROKEN, pytest.param([], [], None, None, id="valid")])
def test_the_store_validator_agrees_with_pyshacl(ontology, remove, add, shape, path):
    data = _valid()
    for pattern in remove:
        data.remove(pattern)
    for triple in add:
        data.add(triple)
    store = LocalStore(None)
    store.load((data + ontology).serialize(format="nt", encoding="utf-8"))
    ours, reference = validate_store(store), validate_graph(data)
    assert _rows(ours) == _rows(reference)
    assert ours.conforms == (shape is None)


def test_the_store_validator_agrees_with_pyshacl_on_the_bundled_graph(bundled):
    reference = validate_graph(Graph().parse(data=bundled.export("nt"), format="nt"))
    ours = bundled.validate()
    assert _rows(ours) == _rows(reference) and len(ours.warnings) > 0


def test_constraints_the_store_validator_cannot_answer_are_refused(tmp_path):
    path = tmp_path / "shapes.ttl"
    path.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://e/S> a sh:NodeShape ; sh:targetClass <http://e/C> ;
            sh:property [ sh:path <http://e/p> ; sh:uniqueLang true ] .""", encoding="utf-8")
    with pytest.raises(ValueError, match="sh:uniqueLang is not supported"):
        compile_shapes(path)
