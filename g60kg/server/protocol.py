"""The SPARQL 1.1 Protocol: reading a query or update from an HTTP request, and choosing
the format of the answer from the ``Accept`` header (or a ``format`` parameter)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from g60kg.errors import Refused
from g60kg.server.worker import GRAPH_FORMATS, MEDIA_TYPES, RESULT_FORMATS

__all__ = ["SparqlRequest", "read_request", "negotiate", "format_names"]

# Media types clients send besides the ones the formats are served as.
_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml", "text/plain": "nt",
            "application/x-turtle": "ttl", "application/json-ld": "jsonld"}
_BY_MEDIA = {**{media: name for name, media in MEDIA_TYPES.items()}, **_ALIASES}
_DEFAULTS = {"results": "json", "graph": "ttl"}
_KINDS = {"results": RESULT_FORMATS, "graph": GRAPH_FORMATS}


@dataclass(frozen=True)
class SparqlRequest:
    """What a protocol request asks: a ``query`` or an ``update``, its text, the
    dataset named by the protocol (None: the store's own), and a ``format`` name given
    as a parameter (None: negotiate)."""

    operation: str
    text: str
    default_graph: list[str] | None = None
    named_graph: list[str] | None = None
    format: str | None = None


def _one(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name, [])
    if len(values) > 1:
        raise Refused(400, f"give one {name} parameter, not {len(values)}")
    return values[0] if values else None


def read_request(method: str, query_string: str, content_type: str | None, body: bytes) -> SparqlRequest:
    """The query or update of a protocol request: ``GET ?query=``, ``POST`` of a form
    (``query=`` or ``update=``), or ``POST`` of the text itself as
    ``application/sparql-query`` or ``application/sparql-update``.

    >>> read_request("GET", "query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fe%2Fg", None, b"")
    SparqlRequest(operation='query', text='ASK{}', default_graph=['http://e/g'], named_graph=None, format=None)
    >>> read_request("POST", "", "application/sparql-update", b"CLEAR ALL").operation
    'update'
    """
    fields = parse_qs(query_string, keep_blank_values=True)
    media = (content_type or "").split(";")[0].strip().lower()
    if method == "POST" and media == "application/x-www-form-urlencoded":
        try:
            fields.update(parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
        except UnicodeDecodeError as exc:
            raise Refused(400, f"the form is not UTF-8: {exc}") from exc
    elif method == "POST" and media in ("application/sparql-query", "application/sparql-update"):
        if "query" in fields or "update" in fields:
            raise Refused(400, f"a {media} request carries the text in its body, not as a parameter")
        try:
            fields[media.rsplit("-", 1)[1]] = [body.decode("utf-8")]
        except UnicodeDecodeError as exc:
            raise Refused(400, f"the request body is not UTF-8: {exc}") from exc
    elif method == "POST":
        raise Refused(415, f"POST a form (application/x-www-form-urlencoded), application/sparql-query or "
                           f"application/sparql-update, not {media or 'a body without a Content-Type'}")
    query, update = _one(fields, "query"), _one(fields, "update")
    if (query is None) == (update is None):
        raise Refused(400, "give either a query or an update (the page at / helps write one)")
    if update is not None and method != "POST":
        raise Refused(405, "updates go by POST")
    for name in ("using-graph-uri", "using-named-graph-uri"):
        if name in fields:
            raise Refused(400, f"{name} is not supported; write USING in the update instead")
    return SparqlRequest("query" if query is not None else "update", query if query is not None else update or "",
                         fields.get("default-graph-uri"), fields.get("named-graph-uri"), _one(fields, "format"))


def _ranked(accept: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their quality, best first (stable)."""
    ranges = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return sorted(ranges, key=lambda r: -r[1])


def _pick(ranges: list[tuple[str, float]], kind: str) -> str | None:
    names = _KINDS[kind]
    for media, quality in ranges:
        if quality <= 0:
            continue
        if media == "*/*":
            return _DEFAULTS[kind]
        if media.endswith("/*"):
            found = [n for n in names if MEDIA_TYPES[n].startswith(media[:-1])]
            if found:
                return found[0]
        elif _BY_MEDIA.get(media) in names:
            return _BY_MEDIA[media]
    return None


def negotiate(accept: str | None, fmt: str | None = None) -> dict[str, str | None]:
    """The format names to answer with, for results (SELECT, ASK) and for graphs
    (CONSTRUCT, DESCRIBE): from ``fmt`` (a name or a media type) when given, otherwise
    the best match of the Accept header; None where nothing fits.

    >>> negotiate("text/csv;q=0.5, text/turtle")
    {'results': 'csv', 'graph': 'ttl'}
    >>> negotiate(None, "tsv")
    {'results': 'tsv', 'graph': None}
    """
    if fmt is not None:
        name = _BY_MEDIA.get(fmt.lower(), fmt.lower())
        if name not in MEDIA_TYPES:
            raise Refused(400, f"unknown format {fmt!r}; expected one of {', '.join(format_names())}")
        return {kind: name if name in names else None for kind, names in _KINDS.items()}
    if not accept or not accept.strip():
        return dict(_DEFAULTS)
    ranges = _ranked(accept)
    return {kind: _pick(ranges, kind) for kind in _KINDS}


def format_names() -> list[str]:
    """The names a ``format`` parameter takes.

    >>> format_names()
    ['json', 'xml', 'csv', 'tsv', 'ttl', 'nt', 'jsonld']
    """
    return list(MEDIA_TYPES)
