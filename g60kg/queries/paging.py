"""Pages of a SELECT query's results: ``LIMIT`` and ``OFFSET`` written into its text, so
the store returns one page, not every row, and a table of a million rows is read a page
at a time. The API (``kg.query(..., limit=, offset=)``), the CLI (``g60kg query --limit
--offset``) and the endpoint's named queries (``?limit=&offset=``) page the same way.

A page of a query whose order is total (``ORDER BY`` keys that tell every row apart) is
that slice of its whole result; without an order, pages are slices of the order the
store happens to give.
"""

from __future__ import annotations

from typing import Mapping

from g60kg.errors import QueryError
from g60kg.store.prebind import _NUMBER, _TOKEN

__all__ = ["page", "page_params", "PAGE_PARAMETERS"]

PAGE_PARAMETERS = ("limit", "offset")


def page(sparql: str, *, limit: int | None = None, offset: int = 0) -> str:
    """The query with its results cut to ``limit`` rows after the first ``offset``; a
    query that has a ``LIMIT`` or ``OFFSET`` of its own is paged within it. Comments,
    strings and IRIs are read as such, and a sub-query's ``LIMIT`` is not the query's.

    >>> page("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s  # by subject", limit=10, offset=20)
    'SELECT * WHERE { ?s ?p ?o } ORDER BY ?s  # by subject\\nLIMIT 10 OFFSET 20'
    >>> page("SELECT * WHERE { ?s ?p ?o } LIMIT 25 OFFSET 5", limit=10, offset=20)
    'SELECT * WHERE { ?s ?p ?o } \\nLIMIT 5 OFFSET 25'
    >>> page("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    True
    """
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise QueryError(f"{name} must be a whole number, 0 or more; got {value!r}")
    if limit is None and not offset:
        return sparql
    own: dict[str, int] = {}
    spans: list[tuple[int, int]] = []
    braces = 0
    insert = len(sparql)
    for match in _TOKEN.finditer(sparql):
        token = match[0].upper()
        if match["brace"]:
            braces += 1 if token == "{" else -1
        elif braces == 0 and match["word"] and token in ("LIMIT", "OFFSET"):
            number = _NUMBER.match(sparql, match.end())
            if number is None:
                raise QueryError(f"expected a number after {match[0]} at character {match.end() + 1} of the query")
            own[token.lower()] = int(number[1])
            spans.append((match.start(), number.end()))
        elif braces == 0 and match["word"] and token == "VALUES" and not spans:
            insert = match.start()  # a final VALUES block follows the solution modifiers
    start = own.get("offset", 0) + offset
    if "limit" in own:
        left = max(0, own["limit"] - offset)
        limit = left if limit is None else min(limit, left)
    clause = " ".join([*([f"LIMIT {limit}"] if limit is not None else []), *([f"OFFSET {start}"] if start else [])])
    for begin, end in reversed(spans):  # the query's own, replaced where the first stood
        sparql = sparql[:begin] + sparql[end:]
        insert = begin
    tail = sparql[insert:]
    return sparql[:insert] + "\n" + clause + ("\n" + tail if tail.strip() else "")


def page_params(params: Mapping[str, str], *, taken: frozenset[str] | set[str] = frozenset()) -> tuple[
        dict[str, str], int | None, int]:
    """Split ``limit`` and ``offset`` (given as text, as a URL gives them) from a named
    query's other parameters, unless the query has parameters of those names
    (``taken``); returns the other parameters, the limit (None: every row) and the offset.

    >>> page_params({"city": "芜湖", "limit": "50", "offset": "100"})
    ({'city': '芜湖'}, 50, 100)
    >>> page_params({"limit": "ten"})
    Traceback (most recent call last):
    g60kg.errors.QueryError: limit must be a whole number, 0 or more; got 'ten'
    """
    rest = dict(params)
    found: dict[str, int] = {}
    for name in PAGE_PARAMETERS:
        if name in rest and name not in taken:
            text = rest.pop(name).strip()
            if not text.isdigit() or not text.isascii():
                raise QueryError(f"{name} must be a whole number, 0 or more; got {text!r}")
            found[name] = int(text)
    return rest, found.get("limit"), found.get("offset", 0)
