"""The endpoint's OpenAPI 3 document, written from the named-query catalog: one path per
named query, its parameters with their types, defaults and examples."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from g60kg.queries import NamedQuery
from g60kg.server.worker import GRAPH_FORMATS, MEDIA_TYPES, RESULT_FORMATS

__all__ = ["openapi_document"]

# a parameter type -> its JSON Schema, and how a value written as text becomes a JSON value
_SCHEMAS: dict[str, tuple[dict[str, str], Any]] = {
    "string": ({"type": "string"}, str),
    "integer": ({"type": "integer"}, int),
    "year": ({"type": "integer", "minimum": 1000, "maximum": 9999}, int),  # type: ignore[dict-item]
    "decimal": ({"type": "number"}, lambda text: float(Decimal(text))),
    "date": ({"type": "string", "format": "date"}, str),
    "iri": ({"type": "string", "format": "iri"}, str),
    "entity": ({"type": "string"}, str),
}
_ERROR = {"description": "The reason, in one line.", "content": {"text/plain": {"schema": {"type": "string"}}}}


def _content(names: Mapping[str, object]) -> dict[str, Any]:
    return {MEDIA_TYPES[name]: {"schema": {"type": "object"} if "json" in name else {"type": "string"}}
            for name in names}


def _errors() -> dict[str, Any]:
    return {"400": {**_ERROR, "description": "A bad parameter, a syntax error, or more rows than the row limit."},
            "403": {**_ERROR, "description": "Refused: an update without the token, or SERVICE/LOAD."},
            "406": {**_ERROR, "description": "None of the accepted media types can be served."},
            "503": {**_ERROR, "description": "The query ran past the time limit and was stopped, or the server is busy."}}


def _format_parameter(names: Mapping[str, object]) -> dict[str, Any]:
    return {"name": "format", "in": "query", "required": False,
            "description": "The answer's format; overrides the Accept header.",
            "schema": {"type": "string", "enum": list(names)}}


def _operation(query: NamedQuery) -> dict[str, Any]:
    parameters = []
    for p in query.parameters:
        schema, value = _SCHEMAS[p.type]
        parameters.append({"name": p.name, "in": "query", "required": False,
                           "description": f"{p.description_en} {p.description_zh} (type: {p.type})",
                           "schema": {**schema, "default": value(p.default)}, "example": value(p.example)})
    if all(p.name != "format" for p in query.parameters):
        parameters.append(_format_parameter(RESULT_FORMATS))
    return {"operationId": query.name, "summary": f"{query.title_en} · {query.title_zh}",
            "description": f"{query.description_en}\n\n{query.description_zh}", "tags": ["named queries"], "parameters": parameters,
            "responses": {"200": {"description": "The rows, as SPARQL results.", "content": _content(RESULT_FORMATS)},
                          **_errors()}}


def _sparql_paths() -> dict[str, Any]:
    dataset = [{"name": name, "in": "query", "required": False, "description": description,
                "schema": {"type": "array", "items": {"type": "string", "format": "iri"}},
                "style": "form", "explode": True}
               for name, description in (("default-graph-uri", "A graph of the query's default graph."),
                                         ("named-graph-uri", "A graph the query may name with GRAPH."))]
    answers = {"200": {"description": "Results (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE).",
                       "content": _content({**RESULT_FORMATS, **GRAPH_FORMATS})},
               "204": {"description": "The update was applied."}, **_errors()}
    form = {"type": "object", "properties": {"query": {"type": "string"}, "update": {"type": "string"}}}
    return {"/sparql": {
        "get": {"operationId": "sparqlQuery", "summary": "SPARQL 1.1 query (GET)", "tags": ["SPARQL"],
                "parameters": [{"name": "query", "in": "query", "required": True, "schema": {"type": "string"},
                                "description": "A SELECT, ASK, CONSTRUCT or DESCRIBE query; the project's "
                                               "prefixes are predeclared."},
                               *dataset, _format_parameter(MEDIA_TYPES)],
                "responses": answers},
        "post": {"operationId": "sparqlPost", "summary": "SPARQL 1.1 query or update (POST)", "tags": ["SPARQL"],
                 "description": "A form with query= or update=, or the text itself. Updates need a server "
                                "started with --allow-update and the header 'Authorization: Bearer TOKEN'.",
                 "parameters": [*dataset, _format_parameter(MEDIA_TYPES)],
                 "requestBody": {"required": True, "content": {
                     "application/x-www-form-urlencoded": {"schema": form},
                     "application/sparql-query": {"schema": {"type": "string"}},
                     "application/sparql-update": {"schema": {"type": "string"}}}},
                 "responses": answers}}}


def openapi_document(queries: Mapping[str, NamedQuery], version: str) -> dict[str, Any]:
    """The OpenAPI 3 document of the endpoint: ``/sparql``, the catalog at ``/queries``
    and one ``/queries/NAME`` path per named query.

    >>> from g60kg.queries import catalog
    >>> doc = openapi_document(catalog(), "0.1.0")
    >>> doc["paths"]["/queries/entities-in-city"]["get"]["parameters"][0]["schema"]["default"]
    'place/songjiang'
    """
    paths = _sparql_paths()
    paths["/queries"] = {"get": {
        "operationId": "catalog", "summary": "The named queries: names, titles, parameters and text",
        "tags": ["named queries"],
        "responses": {"200": {"description": "The catalog.",
                              "content": {"application/json": {"schema": {"type": "array",
                                                                          "items": {"type": "object"}}}}}}}}
    for name, query in queries.items():
        paths[f"/queries/{name}"] = {"get": _operation(query)}
    return {
        "openapi": "3.0.3",
        "info": {"title": "g60kg SPARQL endpoint", "version": version,
                 "description": "The knowledge graph of the G60 Science and Technology Innovation Corridor "
                                "(长三角G60科创走廊): SPARQL 1.1 and the named queries as plain HTTP calls."},
        "tags": [{"name": "SPARQL"}, {"name": "named queries"}],
        "paths": paths,
    }
