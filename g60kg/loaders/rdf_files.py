"""RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) into a named graph of
their own, with a ``g60:Source`` describing the file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from g60kg.errors import InputError, Location
from g60kg.loaders.files import read_bounded
from g60kg.ontology import PREFIXES

__all__ = ["RDF_SUFFIXES", "rdf_file_nquads", "graph_slug", "skolemize", "check_entities"]

RDF_SUFFIXES = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json-ld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def skolemize(triples: Iterable[ox.Triple | ox.Quad], base: str, graph: ox.NamedNode) -> list[ox.Quad]:
    """Triples as quads in ``graph``, blank nodes replaced by IRIs ``base/.well-known/genid/N``
    numbered in order of appearance, so the same file always gives the same quads (a
    store would otherwise give blank nodes new labels on every load).

    >>> t = ox.Triple(ox.BlankNode("x"), ox.NamedNode("http://e/p"), ox.BlankNode("y"))
    >>> str(skolemize([t], "http://e", ox.NamedNode("http://e/g"))[0].object)
    '<http://e/.well-known/genid/1>'
    """
    labels: dict[str, ox.NamedNode] = {}

    def fixed(term):  # type: ignore[no-untyped-def]
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term.value, ox.NamedNode(f"{base}/.well-known/genid/{len(labels)}"))
        return term

    return [ox.Quad(fixed(t.subject), t.predicate, fixed(t.object), graph) for t in triples]


def graph_slug(path: Path) -> str:
    """The slug of the named graph (and source) an RDF file is loaded into.

    >>> graph_slug(Path("data/My Firms.ttl"))
    'file-my-firms'
    """
    return "file-" + (re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "rdf")


def rdf_file_nquads(path: str | Path) -> tuple[str, bytes]:
    """Parse an RDF file and return its slug and its triples as N-Quads in the graph
    ``g60graph:file-<stem>``, plus a source record of the file. Parse errors name the
    file, line and column.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "x.ttl")
    >>> _ = open(p, "w").write("<http://e/a> <http://e/b> 'c' .")
    >>> slug, data = rdf_file_nquads(p)
    >>> slug, data.count(b"graph/file-x>"), data.count(b"source/file-x>")
    ('file-x', 2, 4)
    """
    path = Path(path)
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(Location(str(path)), f"not an RDF file; expected one of {sorted(RDF_SUFFIXES)}")
    slug = graph_slug(path)
    graph = ox.NamedNode(PREFIXES["g60graph"] + slug)
    raw = read_bounded(path, "rdf")
    if fmt == ox.RdfFormat.RDF_XML:
        check_entities(path, raw)
    try:
        quads = skolemize(ox.parse(raw, format=fmt, base_iri=path.resolve().as_uri()), graph.value, graph)
    except SyntaxError as exc:
        line, column = _position(exc)
        raise InputError(Location(str(path), line, column), f"malformed {fmt.name}: {exc.msg if hasattr(exc, 'msg') else exc}") from exc
    except OSError as exc:
        raise InputError(Location(str(path)), f"cannot read: {exc}") from exc
    source = ox.NamedNode(PREFIXES["g60src"] + slug)
    sources = ox.NamedNode(PREFIXES["g60graph"] + "sources")
    quads += [
        ox.Quad(source, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(PREFIXES["g60"] + "Source"), sources),
        ox.Quad(source, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal(path.name), sources),
        ox.Quad(source, ox.NamedNode(PREFIXES["g60"] + "sourceKind"), ox.Literal("rdf-file"), sources),
        ox.Quad(graph, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), source, sources),
    ]
    return slug, ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s>]+)\s+(?:(SYSTEM|PUBLIC)\b|\"([^\"]*)\"|'([^']*)')")
_REFERENCE = re.compile(rb"[&%]([^\s;&%<>]+);")
MAX_ENTITY = 1 << 20  # characters one XML entity may stand for, all references expanded


def check_entities(path: Path, raw: bytes) -> None:
    """Refuse an XML file whose entities would expand past ``MAX_ENTITY`` characters
    (a "billion laughs": each entity ten of the one before) or that declares an
    external one (which would read another file or URL), at the declaration's line.

    >>> laughs = b'<!DOCTYPE r [<!ENTITY a "haha">' + b"".join(
    ...     b'<!ENTITY %c "%s">' % (c, (b"&%c;" % (c - 1)) * 10) for c in b"bcdefghij") + b"]><r/>"
    >>> check_entities(Path("x.rdf"), laughs)
    Traceback (most recent call last):
    g60kg.errors.InputError: x.rdf:1: the XML entity 'g' stands for 4000000 characters; at most 1048576 are read
    """
    sizes: dict[bytes, int] = {}
    for match in _ENTITY.finditer(raw):
        line = raw.count(b"\n", 0, match.start()) + 1
        name = match[2]
        if match[3]:
            raise InputError(Location(str(path), line), f"the XML entity {name.decode(errors='replace')!r} names an "
                                                        "external file or URL; g60kg reads no other file from an RDF file")
        value = match[4] if match[4] is not None else match[5]
        size = len(value) + sum(sizes.get(ref, 0) - len(ref) - 2 for ref in _REFERENCE.findall(value))
        if size > MAX_ENTITY:
            raise InputError(Location(str(path), line), f"the XML entity {name.decode(errors='replace')!r} stands for "
                                                        f"{size} characters; at most {MAX_ENTITY} are read")
        sizes[name] = size


def _position(exc: SyntaxError) -> tuple[int | None, str | None]:
    """Line and column of a pyoxigraph parse error, from its attributes or message."""
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "offset", None)
    if line is None:
        match = re.search(r"line (\d+)(?:.*?column (\d+))?", str(exc))
        if match:
            line, column = int(match[1]), match[2]
    return line, (f"column {column}" if column else None)
