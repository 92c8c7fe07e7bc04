"""The SPARQL 1.1 Protocol over HTTP (httpx), and what servers differ in.

One client per endpoint pair: queries ask for JSON results explicitly (Virtuoso may
answer SELECT in RDF/XML otherwise), updates authenticate with HTTP Digest or Basic as
the server asks, a result the server cut short (Virtuoso's ``ResultSetMaxRows``) is an
error rather than a short table, and each server's way of writing a term is brought back
to one form (``normalize_binding``) so the same graph gives the same rows everywhere.
"""

from __future__ import annotations

import json
from typing import Generator, Sequence

import httpx

from g60kg.errors import StoreError

# Virtuoso echoes the dataset of a query in its answer, a header per graph named
# (X-SPARQL-default-graph, X-SPARQL-named-graph). The standard library's HTTP client
# refuses an answer with over 100 headers (a limit of the whole process); httpx bounds
# the size of one connection's headers instead (100 KiB), with no count limit.

__all__ = ["SparqlClient", "normalize_binding"]

XSD = "http://www.w3.org/2001/XMLSchema#"
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
VIRTUOSO_GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"
_BOOLEANS = {"1": "true", "0": "false", "true": "true", "false": "false"}


def normalize_binding(binding: dict[str, str]) -> dict[str, str]:
    """One SPARQL JSON term in the form the embedded store writes it: ``literal`` for
    the old ``typed-literal``, no ``xsd:string`` datatype on a simple literal, booleans
    as ``true``/``false`` (Virtuoso writes 1/0), and ``geo:wktLiteral`` for Virtuoso's
    own geometry type, into which it turns every WKT literal it stores.

    >>> normalize_binding({"type": "typed-literal", "datatype": XSD + "boolean", "value": "1"})
    {'type': 'literal', 'datatype': 'http://www.w3.org/2001/XMLSchema#boolean', 'value': 'true'}
    >>> normalize_binding({"type": "literal", "datatype": VIRTUOSO_GEOMETRY, "value": "POINT(1 2)"})["datatype"]
    'http://www.opengis.net/ont/geosparql#wktLiteral'
    """
    if binding["type"] == "uri" or binding["type"] == "bnode":
        return binding
    out = {**binding, "type": "literal"}
    datatype = out.get("datatype")
    if datatype == XSD + "string" or (datatype and "xml:lang" in out):
        del out["datatype"]
    elif datatype == XSD + "boolean":
        out["value"] = _BOOLEANS.get(out["value"], out["value"])
    elif datatype == VIRTUOSO_GEOMETRY:
        out["datatype"] = WKT
    return out


class SparqlClient:
    """Talks to a query endpoint and an update endpoint (often the same URL).

    ``user``/``password`` are sent to either endpoint when it asks for them (HTTP
    Digest or Basic).

    >>> SparqlClient("http://127.0.0.1:1/sparql").update_url
    'http://127.0.0.1:1/sparql'
    """

    def __init__(self, url: str, *, update_url: str | None = None, user: str | None = None,
                 password: str | None = None, timeout: float = 300) -> None:
        self.url = url
        self.update_url = update_url or url
        self.user = user
        self.password = password
        self.timeout = timeout
        auth = _ChallengeAuth(user, password or "") if user is not None else None
        self._http = httpx.Client(auth=auth, timeout=timeout)

    def post(self, url: str, form: list[tuple[str, str]], accept: str, *, idempotent: bool = True) -> bytes:
        """POST a form and return the body of the answer; every failure is a
        ``StoreError`` that says what to do about it.

        A kept-alive connection the server (or a proxy) closed between two requests
        fails the next request on it before any answer arrives; a query (``idempotent``)
        is then sent once more on a new connection, an update never is."""
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        for attempt in range(2):
            try:
                response = self._http.post(url, data=_form(form), headers=headers)
                break
            except httpx.TimeoutException as exc:
                raise StoreError(f"{url} did not answer within {self.timeout:g} s") from exc
            except httpx.HTTPError as exc:
                dropped = isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError))
                if attempt or not (idempotent and dropped):
                    raise StoreError(f"cannot reach {url}: {exc}") from exc
        if response.status_code >= 400:
            raise StoreError(self._refusal(url, response.status_code, response.text))
        cut = response.headers.get("X-SPARQL-MaxRows")
        data = response.content
        if cut is not None:
            raise StoreError(f"{url} returned as many rows as its limit allows ({cut}), so the results may be cut "
                             "short; raise the limit (on Virtuoso: ResultSetMaxRows in the [SPARQL] section of "
                             "virtuoso.ini), or ask for fewer rows")
        return data

    def _refusal(self, url: str, code: int, detail: str) -> str:
        """The reason a server gave, with the likely fix."""
        if code in (401, 403):
            if self.user is None:
                return f"{url} needs credentials (HTTP {code}): give --user and --password"
            return f"{url} refused user {self.user!r} (HTTP {code}): check --user and --password"
        message = f"{url} answered {code}: {' '.join(detail.split())[:500]}"
        if "SR186" in detail:  # Virtuoso: the anonymous /sparql endpoint may not write
            message += (" (on Virtuoso, send updates to /sparql-auth with --update-url, --user and --password, "
                        "as a user granted SPARQL_UPDATE)")
        return message

    def select(self, query: str, dataset: Sequence[tuple[str, str]] = ()) -> dict:
        """The JSON results of a SELECT or ASK query, each term normalized."""
        data = json.loads(self.post(self.url, [("query", query), *dataset], "application/sparql-results+json"))
        for row in data.get("results", {}).get("bindings", ()):
            for name, term in row.items():
                row[name] = normalize_binding(term)
        return data

    def select_csv(self, query: str, dataset: Sequence[tuple[str, str]] = ()) -> bytes:
        """The SPARQL CSV results of a SELECT query, as the server writes them."""
        return self.post(self.url, [("query", query), *dataset], "text/csv")

    def construct(self, query: str, dataset: Sequence[tuple[str, str]] = ()) -> bytes:
        """The N-Triples of a CONSTRUCT or DESCRIBE query."""
        return self.post(self.url, [("query", query), *dataset], "application/n-triples")

    def update(self, update: str) -> None:
        """Run a SPARQL UPDATE on the update endpoint."""
        self.post(self.update_url, [("update", update)], "*/*", idempotent=False)


def _form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Form fields in order, a name given several times (``named-graph-uri``) kept."""
    form: dict[str, list[str]] = {}
    for name, value in pairs:
        form.setdefault(name, []).append(value)
    return form


class _ChallengeAuth(httpx.Auth):
    """Credentials sent the way the server asks for them: HTTP Digest or Basic."""

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme = ""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        self._scheme = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
        if self._scheme in ("digest", "basic"):
            yield from self.auth_flow(request)
