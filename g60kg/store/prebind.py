"""Bind query variables to RDF terms in the query text.

Servers take no bindings, and Oxigraph plans a query better from a written term than
from a substituted variable (which counts as unbound when it orders the joins), so every
store gets the query with each bound variable replaced by its term, written in N-Triples
syntax (so quotes, backslashes and line breaks in a value are escaped and a value can
never end a string early): in the projection ``?v`` becomes ``(term AS ?v)``, after
``GROUP BY``/``ORDER BY`` it becomes ``(term)``, and everywhere else (patterns, filters,
expressions, nested groups) the bare term. A sub-query that projects ``?v`` (so that the
native binding reaches inside it) drops it from its projection: the term is already in
its body, and the enclosing query defines ``?v`` once. Strings, IRIs and comments of the
query are left untouched.
"""

from __future__ import annotations

import re
from typing import Mapping

import pyoxigraph as ox

__all__ = ["prebind"]

_TOKEN = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*)'
    r'|(?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)'
    r'|(?P<word>[A-Za-z]+)'
    r'|(?P<brace>[{}])'
    r'|(?P<paren>[()])',
)


def prebind(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode]) -> str:
    """The query with each bound variable replaced by its term.

    >>> prebind('SELECT ?s ?v WHERE { ?s ?p ?v FILTER(?v != "?v") } ORDER BY ?v', {"v": ox.Literal('a"b')})
    'SELECT ?s ("a\\\\"b" AS ?v) WHERE { ?s ?p "a\\\\"b" FILTER("a\\\\"b" != "?v") } ORDER BY ("a\\\\"b")'
    >>> prebind('SELECT ?v ?n WHERE { { SELECT ?v (COUNT(?s) AS ?n) WHERE { ?s ?p ?v } GROUP BY ?v } }',
    ...         {"v": ox.NamedNode("http://e/v")})
    'SELECT (<http://e/v> AS ?v) ?n WHERE { { SELECT  (COUNT(?s) AS ?n) WHERE { ?s ?p <http://e/v> } GROUP BY (<http://e/v>) } }'
    """
    if not bindings:
        return sparql
    terms = {name: str(term) for name, term in bindings.items()}
    clause = "body"  # "projection" after SELECT, "by" after GROUP BY / ORDER BY
    nested = False  # the SELECT being read is a sub-query's
    after_as = False  # the variable right after AS is being defined, not used
    braces = parens = 0
    outer = 0  # the parentheses open where the clause began: a variable there stands alone
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(sparql):
        out.append(sparql[position:match.start()])
        position = match.end()
        token = match[0]
        if match["var"]:
            if token[1:] in terms and not after_as:
                term = terms[token[1:]]
                alone = parens == outer
                if clause == "projection" and alone:
                    token = "" if nested else f"({term} AS {token})"
                elif clause == "by" and alone:
                    token = f"({term})"
                else:
                    token = term
            after_as = False
        elif match["word"]:
            word = token.upper()
            after_as = word == "AS"
            if word == "SELECT":
                clause, outer, nested = "projection", parens, braces > 0
            elif word == "BY":
                clause, outer = "by", parens
            elif word in ("WHERE", "HAVING", "LIMIT", "OFFSET", "VALUES"):
                clause = "body"
        elif match["brace"]:
            braces += 1 if token == "{" else -1
            clause = "body"
        else:
            parens += 1 if token == "(" else -1
        out.append(token)
    out.append(sparql[position:])
    return "".join(out)
