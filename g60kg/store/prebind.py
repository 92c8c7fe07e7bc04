"""Bind query variables to RDF terms in the query text.

Servers take no bindings, and Oxigraph plans a query better from a written term than
from a substituted variable (which counts as unbound when it orders the joins), so every
store gets the query with each bound variable replaced by its term, written in N-Triples
syntax (so quotes, backslashes and line breaks in a value are escaped and a value can
never end a string early): in the projection ``?v`` becomes ``(term AS ?v)``, after
``GROUP BY``/``ORDER BY`` it becomes ``(term)``, and everywhere else (patterns, filters,
expressions, nested groups) the bare term. A sub-query that projects ``?v`` (so that the
native binding reaches inside it) drops it from its projection: the term is already in
its body, and the enclosing query defines ``?v`` once. Strings, IRIs, prefixed names
(``ex:by``) and comments of the query are left untouched.

Where a written term would not mean what the binding means (``?v`` inside ``MINUS``,
in ``BOUND(?v)``, or inside ``OPTIONAL`` or ``EXISTS`` when not every solution of the
pattern binds it) or cannot stand (``VALUES ?v``, a sub-query that
projects nothing but ``?v``), the query is left as it is and the bindings are appended
as a ``VALUES`` clause, which is what a binding means in SPARQL.
"""

from __future__ import annotations

import re
from typing import Mapping

import pyoxigraph as ox

from g60kg.errors import QueryError

__all__ = ["prebind", "names_graphs"]

_TOKEN = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
    r'|(?:[A-Za-z_][A-Za-z0-9_.\-]*)?:[A-Za-z0-9_.:%\-]*)'
    r'|(?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)'
    r'|(?P<word>[A-Za-z]+)'
    r'|(?P<brace>[{}])'
    r'|(?P<paren>[()])'
    r'|(?P<star>\*)',
)
_NUMBER = re.compile(r"\s*(\d+)")  # the number after a LIMIT or OFFSET token


def prebind(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode]) -> str:
    """The query with each bound variable replaced by its term.

    >>> prebind('SELECT ?s ?v WHERE { ?s ?p ?v FILTER(?v != "?v") } ORDER BY ?v', {"v": ox.Literal('a"b')})
    'SELECT ?s ("a\\\\"b" AS ?v) WHERE { ?s ?p "a\\\\"b" FILTER("a\\\\"b" != "?v") } ORDER BY ("a\\\\"b")'
    >>> prebind('SELECT ?v ?n WHERE { { SELECT ?v (COUNT(?s) AS ?n) WHERE { ?s ?p ?v } GROUP BY ?v } }',
    ...         {"v": ox.NamedNode("http://e/v")})
    'SELECT (<http://e/v> AS ?v) ?n WHERE { { SELECT  (COUNT(?s) AS ?n) WHERE { ?s ?p <http://e/v> } GROUP BY (<http://e/v>) } }'
    >>> prebind('SELECT ?s WHERE { ?s ex:by ?v }', {"v": ox.Literal("x")})
    'SELECT ?s WHERE { ?s ex:by "x" }'
    >>> prebind('SELECT * WHERE { VALUES ?v { 1 2 } }', {"v": ox.Literal("1")})
    'SELECT * WHERE { VALUES ?v { 1 2 } }\\nVALUES (?v) { ("1") }'
    """
    if not bindings:
        return sparql
    written = _written(sparql, {name: str(term) for name, term in bindings.items()}, _anchored(sparql))
    if written is not None:
        return written
    if _trailing_values(sparql):
        raise QueryError("cannot bind a variable of a query that ends with its own VALUES clause and uses the "
                         "variable in VALUES or as a sub-query's only result; bind it in that VALUES clause instead")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"{sparql}\nVALUES ({names}) {{ ({values}) }}"


def _written(sparql: str, terms: dict[str, str], anchored: set[str]) -> str | None:
    """The query with the terms written in place of their variables, or None where a
    written term would change the meaning or cannot stand (see the module's notes)."""
    clause = "body"  # "projection" after SELECT, "by" after GROUP BY / ORDER BY
    nested = False  # the SELECT being read is a sub-query's
    after_as = False  # the variable right after AS is being defined, not used
    braces = parens = 0
    outer = 0  # the parentheses open where the clause began: a variable there stands alone
    projected = 0  # what the sub-query being read still projects
    guards: list[tuple[int, str]] = []  # brace depths at which OPTIONAL, MINUS or EXISTS groups opened
    opening = ""  # the keyword that guards the next group
    testing_bound = False  # the next variable is BOUND's
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(sparql):
        out.append(sparql[position:match.start()])
        position = match.end()
        token = match[0]
        if match["var"]:
            guarded = any(kind == "MINUS" for _, kind in guards) or (guards and token[1:] not in anchored)
            if token[1:] in terms and (clause == "values" or testing_bound or guarded):
                return None
            testing_bound = False
            if clause == "projection" and nested and parens == outer:
                projected += 1
            if token[1:] in terms and not after_as:
                term = terms[token[1:]]
                alone = parens == outer
                if clause == "projection" and alone:
                    if nested:
                        projected -= 1
                    token = "" if nested else f"({term} AS {token})"
                elif clause == "by" and alone:
                    token = f"({term})"
                else:
                    token = term
            after_as = False
        elif match["word"]:
            word = token.upper()
            after_as = word == "AS"
            if word in ("OPTIONAL", "MINUS", "EXISTS"):
                opening = word
            testing_bound = word == "BOUND"
            if clause == "projection" and nested and parens == outer and word in ("WHERE", "FROM") and projected <= 0:
                return None
            if word == "SELECT":
                clause, outer, nested, projected = "projection", parens, braces > 0, 0
            elif word == "BY":
                clause, outer = "by", parens
            elif word == "VALUES":
                clause = "values"
            elif word in ("WHERE", "HAVING", "LIMIT", "OFFSET"):
                clause = "body"
        elif match["brace"]:
            if clause == "projection" and nested and projected <= 0:
                return None
            if token == "{" and opening:
                guards.append((braces, opening))
                opening = ""
            braces += 1 if token == "{" else -1
            if guards and braces == guards[-1][0]:
                guards.pop()
            clause = "body"
        elif match["paren"]:
            if token == "(" and clause == "projection" and nested and parens == outer:
                projected += 1  # an expression projected AS a variable
            parens += 1 if token == "(" else -1
        elif clause == "projection" and nested and parens == outer:
            projected += 1  # SELECT *
        out.append(token)
    out.append(sparql[position:])
    return "".join(out)


class _Group:
    """A ``{ }`` group of the query, as far as binding needs: the variables its own
    triple patterns bind, its groups, and what makes it optional."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "" (a plain group or a GRAPH), OPTIONAL, MINUS, EXISTS, UNION (a later branch)
        self.own: set[str] = set()
        self.groups: list[_Group] = []
        self.query = False  # it holds a sub-query, whose variables count for nothing here

    def certain(self) -> set[str]:
        """The variables bound in every solution of the group."""
        if self.query:
            return set()
        found = set(self.own)
        chains: list[list[_Group]] = []
        for group in self.groups:
            if group.kind == "UNION" and chains:
                chains[-1].append(group)
            else:
                chains.append([group])
        for chain in chains:
            if chain[0].kind in ("OPTIONAL", "MINUS", "EXISTS"):
                continue
            found |= set.intersection(*(branch.certain() for branch in chain))
        return found


def _anchored(sparql: str) -> set[str]:
    """The variables bound in every solution of the query's pattern: those of required
    triple patterns, and of every branch of a UNION, not those only OPTIONAL, MINUS,
    EXISTS or a sub-query has.

    >>> q = "SELECT ?a WHERE { ?a ?p ?b OPTIONAL { ?b ?q ?c } { ?d ?r 1 } UNION { ?d ?r 2 . ?e ?r 3 } }"
    >>> sorted(_anchored(q))
    ['a', 'b', 'd', 'p', 'r']
    """
    root = _Group("")
    stack = [root]
    opening = clause = ""
    parens = 0
    for match in _TOKEN.finditer(sparql):
        token = match[0]
        if match["var"] and len(stack) > 1 and not parens and clause == "body":
            stack[-1].own.add(token[1:])
        elif match["word"]:
            word = token.upper()
            if word in ("OPTIONAL", "MINUS", "EXISTS", "UNION"):
                opening = word
            elif word == "SELECT" and len(stack) > 1:
                stack[-1].query = True
            clause = {"SELECT": "projection", "BY": "by", "VALUES": "values"}.get(word, clause)
        elif match["brace"] and token == "{":
            group = _Group(opening)
            stack[-1].groups.append(group)
            stack.append(group)
            opening, clause = "", "body"
        elif match["brace"]:
            if len(stack) > 1:
                stack.pop()
            clause = "body"
        elif match["paren"]:
            parens += 1 if token == "(" else -1
    return root.certain()


def _trailing_values(sparql: str) -> bool:
    """Whether the query ends with a VALUES clause of its own, outside every group.

    >>> _trailing_values("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://e/a> }")
    True
    """
    braces = 0
    for match in _TOKEN.finditer(sparql):
        if match["brace"]:
            braces += 1 if match[0] == "{" else -1
        elif match["word"] and match[0].upper() == "VALUES" and braces == 0:
            return True
    return False


def names_graphs(sparql: str) -> bool:
    """Whether the query has a ``GRAPH`` pattern (the keyword outside strings, IRIs,
    prefixed names and comments): only then does its dataset need named graphs.

    >>> names_graphs("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"), names_graphs("SELECT * WHERE { ?s g60graph:x 'GRAPH' }")
    (True, False)
    """
    return any(match["word"] and match[0].upper() == "GRAPH" for match in _TOKEN.finditer(sparql))
