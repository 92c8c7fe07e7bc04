"""Each entity at its IRI's path on the endpoint (``/id/place/songjiang`` for
``https://w3id.org/g60kg/id/place/songjiang``), as linked-data servers serve them: an
HTML page for a browser (its names, its facts with the quotes and sources behind them,
links onward to the entities it is tied to), or its description as Turtle, N-Triples or
JSON-LD when the request's Accept header (or ``?format=``) asks for RDF.

The page is built from two SELECT queries and the description is a DESCRIBE, all run
through the endpoint's own query runner, so the limits and the worker pool apply.
"""

from __future__ import annotations

import html
import json
from typing import Callable
from urllib.parse import quote, unquote

from g60kg.errors import Refused
from g60kg.ontology import PREFIXES
from g60kg.server.protocol import negotiate
from g60kg.store.results import shorten

__all__ = ["entity_iri", "wants_rdf", "entity_answer"]

_RDF_TYPES = ("text/turtle", "application/n-triples", "application/ld+json")
_FACTS = """SELECT ?dir ?p ?other ?lang ?label WHERE {
  { <$ENTITY> ?p ?other BIND ("out" AS ?dir) BIND (LANG(?other) AS ?lang) } UNION { ?other ?p <$ENTITY> FILTER (isIRI(?other)) BIND ("in" AS ?dir) }
  OPTIONAL { ?other rdfs:label ?label FILTER (lang(?label) = "zh") }
} ORDER BY ?dir ?p ?other LIMIT $LIMIT"""
_QUOTES = """SELECT ?p ?o ?quote ?title ?publisher ?date ?url WHERE {
  ?fact rdf:subject <$ENTITY> ; rdf:predicate ?p ; rdf:object ?o ; g60:quote ?quote ; prov:wasDerivedFrom ?src .
  OPTIONAL { ?src dcterms:title ?title } OPTIONAL { ?src dcterms:publisher ?publisher }
  OPTIONAL { ?src dcterms:date ?date } OPTIONAL { ?src schema:url ?url }
} ORDER BY ?p ?quote LIMIT $LIMIT"""
Runner = Callable[[dict], object]  # Endpoint.run: a request dict -> an Answer (status, media_type, body)
MOST_ROWS = 2000  # facts and quotes a page shows at the most (fewer where the server's row limit is lower)


def entity_iri(path: str) -> str:
    """The IRI an ``/id/...`` path stands for.

    >>> entity_iri("/id/place/songjiang")
    'https://w3id.org/g60kg/id/place/songjiang'
    """
    rest = unquote(path[len("/id/"):])
    if not path.startswith("/id/") or not rest or any(c in rest for c in '<>"{}|\\^` '):
        raise Refused(404, f"no entity at {path}")
    return PREFIXES["g60id"] + rest


def wants_rdf(accept: str | None, fmt: str | None = None) -> str | None:
    """The RDF format to answer with (``ttl``, ``nt``, ``jsonld``), or None for HTML: a
    ``format`` parameter decides, else an Accept header that names an RDF type and not
    HTML.

    >>> wants_rdf("text/html,application/xhtml+xml,*/*;q=0.8"), wants_rdf("text/turtle"), wants_rdf(None, "jsonld")
    (None, 'ttl', 'jsonld')
    """
    if fmt:
        return negotiate(None, fmt)["graph"]
    if not accept or "text/html" in accept or not any(t in accept for t in _RDF_TYPES):
        return None
    return negotiate(accept)["graph"]


def _rows(answer: object) -> list[dict[str, str]]:
    if answer.status != 200:  # type: ignore[attr-defined]
        raise Refused(answer.status, answer.body.decode("utf-8"))  # type: ignore[attr-defined]
    data = json.loads(answer.body)  # type: ignore[attr-defined]
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def _link(iri: str, label: str | None = None) -> str:
    text = html.escape(label or shorten(iri))
    if iri.startswith(PREFIXES["g60id"]):
        return f'<a href="/id/{html.escape(quote(iri[len(PREFIXES["g60id"]):]))}" title="{html.escape(iri)}">{text}</a>'
    return f'<span title="{html.escape(iri)}">{text}</span>'


def _counted(rows: list[dict[str, str]], limit: int) -> str:
    """How many rows a heading counts: all of them, or the first ``limit`` when cut."""
    return f"前 first {limit}" if len(rows) >= limit else str(len(rows))


def _page(iri: str, facts: list[dict[str, str]], quotes: list[dict[str, str]], limit: int) -> bytes:
    named = [f for f in facts if f["dir"] == "out" and f["p"].endswith(("#label", "#altLabel"))]
    names = [f["other"] for f in sorted(named, key=lambda f: (not f["p"].endswith("#label"), f.get("lang") != "zh"))]
    title = names[0] if names else shorten(iri)
    rows = []
    for f in facts:
        other = _link(f["other"], f.get("label")) if f["other"].startswith(("http://", "https://")) \
            else html.escape(f["other"])
        arrow = "→" if f["dir"] == "out" else "←"
        rows.append(f"<tr><td>{arrow} {html.escape(shorten(f['p']))}</td><td>{other}</td></tr>")
    cited = []
    for q in quotes:
        source = html.escape(q.get("title") or "")
        if q.get("url", "").startswith(("http://", "https://")):
            source = f'<a href="{html.escape(q["url"])}" rel="noopener noreferrer">{source or html.escape(q["url"])}</a>'
        extra = " · ".join(html.escape(q[k]) for k in ("publisher", "date") if q.get(k))
        obj = _link(q["o"]) if q["o"].startswith(("http://", "https://")) else html.escape(q["o"])
        cited.append(f"<li><blockquote>{html.escape(q['quote'])}</blockquote><cite>{html.escape(shorten(q['p']))} "
                     f"{obj} · {source}{' · ' + extra if extra else ''}</cite></li>")
    return f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · g60kg</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/page.css"></head>
<body class="entity"><header><h1>{html.escape(title)}</h1>
<nav><a href="/">查询 Query</a> <a href="?format=ttl">Turtle</a> <a href="?format=jsonld">JSON-LD</a></nav></header>
<main class="entity-main"><p class="iri"><code>{html.escape(iri)}</code></p>
<p>{html.escape(" / ".join(dict.fromkeys(names)))}</p>
<h2>事实 Facts ({_counted(facts, limit)})</h2><div class="table-wrap"><table>{''.join(rows)}</table></div>
<h2>引文 Quotes ({_counted(quotes, limit)})</h2><ol class="quotes">{''.join(cited)}</ol></main></body></html>
""".encode("utf-8")


def entity_answer(path: str, accept: str | None, fmt: str | None, run: Runner, *,
                  max_rows: int | None = None) -> tuple[int, str, bytes]:
    """``(status, media type, body)`` for a GET of ``path`` (``/id/...``): HTML or the
    entity's description in RDF (see ``wants_rdf``); 404 when the graph says nothing of it.
    ``run`` is the endpoint's query runner (``Endpoint.run``); ``max_rows``, the server's
    row limit: the page shows at most that many facts and quotes (and ``MOST_ROWS``),
    and says so in its headings when an entity has more."""
    iri = entity_iri(path)
    rdf = wants_rdf(accept, fmt)
    limit = min(MOST_ROWS, max_rows or MOST_ROWS)
    shown = 1 if rdf is not None else limit  # for RDF, one fact says the graph knows the entity
    facts = _rows(run({"op": "query", "text": _FACTS.replace("$ENTITY", iri).replace("$LIMIT", str(shown)),
                       "formats": {"results": "json"}}))
    if not facts:
        raise Refused(404, f"the graph says nothing about {iri}")
    if rdf is not None:
        answer = run({"op": "query", "text": f"DESCRIBE <{iri}>", "formats": {"graph": rdf}})
        return answer.status, answer.media_type, answer.body  # type: ignore[attr-defined]
    quotes = _rows(run({"op": "query", "text": _QUOTES.replace("$ENTITY", iri).replace("$LIMIT", str(limit)),
                        "formats": {"results": "json"}}))
    return 200, "text/html; charset=utf-8", _page(iri, facts, quotes, limit)
