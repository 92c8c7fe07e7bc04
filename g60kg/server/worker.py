"""The process that evaluates queries for the endpoint, so a runaway query can be stopped.

A pyoxigraph query cannot be interrupted from another thread, so the server never runs
one itself: each worker is a separate process with the store open (read-only for
queries, writable for one update), and the server kills a worker whose query outlives
the time limit. This file runs as a script and imports nothing but the standard library,
pyoxigraph and two small modules of g60kg, so a replacement worker starts in a few tens
of milliseconds.

Protocol on the worker's standard streams: the worker writes a header line (JSON) once
the store is open; then, for each request line (JSON) it reads, it writes a header line
(``status``, ``type``, ``length``) followed by ``length`` bytes of body.
"""

from __future__ import annotations

import json
import signal
import sys
from typing import IO, Any, Iterable, Iterator

import pyoxigraph as ox

from g60kg.errors import Refused
from g60kg.store.ordering import SolutionList, run_ordered
from g60kg.text.spreadsheet import neutralize

__all__ = ["MEDIA_TYPES", "RESULT_FORMATS", "GRAPH_FORMATS", "MEMORY_MESSAGE", "evaluate", "serve_requests"]

MEMORY_MESSAGE = ("the query needed more memory than this server's limit and was stopped; narrow it, add LIMIT, "
                  "or ask for fewer sorted or grouped rows")

# name -> (media type, pyoxigraph format); one table for the worker and the negotiation
RESULT_FORMATS: dict[str, tuple[str, ox.QueryResultsFormat]] = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
}
GRAPH_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
}
MEDIA_TYPES = {name: media for name, (media, _) in {**RESULT_FORMATS, **GRAPH_FORMATS}.items()}


def _graphs(iris: Iterable[str] | None, field: str) -> list[ox.NamedNode] | None:
    """Graph names of a protocol dataset (``default-graph-uri``, ``named-graph-uri``)."""
    if iris is None:
        return None
    try:
        return [ox.NamedNode(iri) for iri in iris]
    except ValueError as exc:
        raise Refused(400, f"{field}: not an IRI: {exc}") from exc


def _dataset(request: dict[str, Any]) -> dict[str, Any]:
    """The query's dataset: the protocol's graphs when given; otherwise, as on the
    embedded store, the union of all graphs (``g60kg.build.sharing``)."""
    default = _graphs(request.get("default_graph"), "default-graph-uri")
    named = _graphs(request.get("named_graph"), "named-graph-uri")
    options: dict[str, Any] = {"default_graph": default, "named_graphs": named}
    if default is None:
        options["use_default_graph_as_union"] = True
    return options


def _limited(items: Iterator[Any], max_rows: int, what: str) -> list[Any]:
    """At most ``max_rows`` items, or a refusal that says the limit was passed."""
    rows = []
    for item in items:
        if len(rows) == max_rows:
            raise Refused(400, f"the query gives more than {max_rows} {what}, this server's limit; "
                               f"add LIMIT (and OFFSET to page through them)")
        rows.append(item)
    return rows


def _spreadsheet_cell(term: Any) -> Any:
    """A term, a literal's text marked when it starts like a formula.

    >>> print(_spreadsheet_cell(ox.Literal("=1+1", language="en")), _spreadsheet_cell(ox.Literal("-2")))
    "'=1+1"@en "-2"
    """
    if isinstance(term, ox.Literal):
        text = neutralize(term.value)
        if text != term.value:
            term = ox.Literal(text, language=term.language) if term.language else ox.Literal(text, datatype=term.datatype)
    return term


def _solutions(result: ox.QuerySolutions | SolutionList, fmt: str, max_rows: int) -> bytes:
    """Solutions in a results format, after counting them against the row limit; pyoxigraph's
    own writers make every format. TSV and CSV are what spreadsheets open: there a value that
    starts like a formula is marked as text (``g60kg.text.spreadsheet``); JSON and XML carry
    it as it is."""
    if isinstance(result, ox.QuerySolutions):
        names = range(len(result.variables))
        result = SolutionList(result.variables, [[solution[i] for i in names]
                                                 for solution in _limited(iter(result), max_rows, "rows")])
    if fmt in ("csv", "tsv"):
        result = SolutionList(result.variables, [[None if term is None else _spreadsheet_cell(term) for term in row]
                                                 for row in result])
    return result.serialize(format=RESULT_FORMATS[fmt][1])


def evaluate(store: ox.Store, request: dict[str, Any]) -> tuple[int, str, bytes]:
    """Run one request on the store: ``op`` is ``query`` (with ``text``, ``prefixes``,
    ``formats`` — the negotiated ``results`` and ``graph`` format names, either None when
    the client accepts none —, ``max_rows``, optional ``default_graph``
    and ``named_graph``) or ``update``. Returns the HTTP status, media type and body.

    >>> s = ox.Store(); s.update('INSERT DATA { <http://e/a> <http://e/p> "x" }')
    >>> request = {"op": "query", "text": "SELECT ?o WHERE { ?s ?p ?o }", "formats": {"results": "csv"}, "max_rows": 5}
    >>> evaluate(s, request)
    (200, 'text/csv', b'o\\r\\nx\\r\\n')
    >>> evaluate(s, {**request, "max_rows": 0})[0:2]
    (400, 'text/plain; charset=utf-8')
    """
    try:
        return _evaluate(store, request)
    except Refused as exc:
        status, message = exc.status, str(exc)
    except SyntaxError as exc:
        status, message = 400, f"SPARQL syntax error: {exc}"
    except MemoryError:
        status, message = 503, MEMORY_MESSAGE
    except (OSError, RuntimeError, ValueError) as exc:
        status, message = 500, f"the store failed: {exc}"
    return status, "text/plain; charset=utf-8", f"{message}\n".encode("utf-8")


def _evaluate(store: ox.Store, request: dict[str, Any]) -> tuple[int, str, bytes]:
    prefixes = request.get("prefixes") or None
    if request["op"] == "update":
        store.update(request["text"], prefixes=prefixes)
        store.flush()
        return 204, "text/plain; charset=utf-8", b""
    # A final ORDER BY of variables is done in Python, decoding each term once (g60kg.store.ordering).
    result = run_ordered(lambda text: store.query(text, prefixes=prefixes, **_dataset(request)), request["text"],
                         limited=lambda solutions: _limited(solutions, request["max_rows"], "rows"))
    formats = request["formats"]
    kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
    fmt = formats.get(kind)
    if fmt is None:
        offered = ", ".join(MEDIA_TYPES[n] for n in (GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS))
        raise Refused(406, f"none of the accepted media types fits this query's {kind}; offered: {offered}")
    if isinstance(result, ox.QueryBoolean):
        return 200, MEDIA_TYPES[fmt], result.serialize(format=RESULT_FORMATS[fmt][1])
    if isinstance(result, ox.QueryTriples):
        triples = _limited(iter(result), request["max_rows"], "triples")
        written = ox.serialize(triples, format=GRAPH_FORMATS[fmt][1], prefixes=prefixes if fmt == "ttl" else None)
        return 200, MEDIA_TYPES[fmt], written
    return 200, MEDIA_TYPES[fmt], _solutions(result, fmt, request["max_rows"])


def _write(out: IO[bytes], header: dict[str, Any], body: bytes = b"") -> None:
    out.write(json.dumps(header).encode("utf-8") + b"\n" + body)
    out.flush()


def serve_requests(path: str, mode: str, source: IO[bytes], out: IO[bytes], max_bytes: int | None = None) -> None:
    """Open the store at ``path`` (``read`` only, or ``write``), limit this process's
    data to ``max_bytes`` (see ``_limit_memory``), say so, then answer request lines from
    ``source`` until it closes."""
    try:
        store = ox.Store.read_only(path) if mode == "read" else ox.Store(path)
    except OSError as exc:
        _write(out, {"ready": False, "error": f"cannot open the store at {path}: {exc}"})
        return
    _limit_memory(max_bytes)
    _write(out, {"ready": True})
    for line in source:
        request = json.loads(line)
        _deadline(request.get("timeout"))
        status, media, body = evaluate(store, request)
        _deadline(None)
        _write(out, {"status": status, "type": media, "length": len(body)}, body)


def _deadline(seconds: float | None) -> None:
    """End this process (the kernel's default action for SIGALRM, which needs no
    Python code to run while a query holds the interpreter) one second after the
    server's own limit: a worker never outlives a server that died without stopping it."""
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, seconds + 1.0 if seconds else 0.0)


def _limit_memory(max_bytes: int | None) -> None:
    """Hold this process's data (heap and private mappings: the kernel's ``RLIMIT_DATA``)
    to ``max_bytes``. Past it an allocation fails: in Python a ``MemoryError``, answered
    with ``503``; in the query engine the process aborts, and the server, seeing
    ``SIGABRT``, answers the same. None, or a system without the limit: no limit."""
    try:
        import resource
    except ImportError:  # not a POSIX system
        return
    if max_bytes and hasattr(resource, "RLIMIT_DATA"):
        resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))


if __name__ == "__main__":
    serve_requests(sys.argv[1], sys.argv[2], sys.stdin.buffer, sys.stdout.buffer, int(sys.argv[3]) or None)
