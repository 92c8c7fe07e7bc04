"""What the endpoint refuses, and the limits it puts on each request.

Read-only unless started with updates allowed and a token; no ``SERVICE`` or ``LOAD``
(either would make the server fetch from other hosts) unless allowed; a time limit and
a row limit on every query. ``SERVICE`` and ``LOAD`` are found in the parse tree of the
query or update (rdflib's SPARQL parser), never by reading the text. A text that cannot
contain either keyword (no ``service`` or ``load`` in it, even once its ``\\u``/``\\U``
escapes are expanded) needs no parse. One that mentions them is refused when it cannot be
parsed, or when an escape stands for punctuation: rdflib expands escapes everywhere, as
the SPARQL grammar says, Oxigraph only inside IRIs and strings, so an escaped quote,
``#`` or ``>`` is the one way the two parsers could read different structures. A
difference between them can thus only refuse a query, never let an operation through.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from g60kg.errors import G60Error, Refused

__all__ = ["Policy", "host_names", "remote_operations"]

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_REMOTE = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


def _expanded(text: str) -> tuple[str, str | None]:
    r"""The text with SPARQL's codepoint escapes replaced by their characters, and the
    first escape that stands for ASCII punctuation or space (None if none does).

    >>> _expanded(r"<http://e/\u0041#> SERVI\u0043E")
    ('<http://e/A#> SERVICE', None)
    >>> _expanded(r'"a\u0022 b"')[1]
    '\\u0022'
    """
    structural: list[str] = []

    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match[0]
        if code < 0x80 and not chr(code).isalnum():
            structural.append(match[0])
        return chr(code)
    return _CODEPOINT.sub(char, text), (structural[0] if structural else None)


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _nodes(tree: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree (``CompValue`` and ``ParseResults``), depth first."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str):  # terms and keywords are strings: leaves
            continue
        name = getattr(node, "name", None)
        if isinstance(name, str):
            yield node
        if isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(reversed(list(node)))


def _describe(node: Any, text: str) -> str:
    """``SERVICE <iri>`` or ``LOAD <iri>`` with its place in the (expanded) text."""
    keyword = _REMOTE[node.name]
    target = node.get("term") if keyword == "SERVICE" else node.get("iri")
    shown = f"?{target}" if type(target).__name__ == "Variable" else f"<{target}>"
    if keyword == "SERVICE":
        match = re.search(re.escape(node.get("service_string", "")) or "(?!)", text)
    else:
        match = re.search(r"(?i)\bload\b(?:\s+silent\b)?\s*<" + re.escape(str(target)) + ">", text)
    where = f" at {_position(text, match.start())}" if match else ""
    return f"{keyword} {shown}{where}"


@lru_cache(maxsize=1024)
def remote_operations(text: str, *, update: bool = False) -> tuple[str, ...]:
    """The ``SERVICE`` and ``LOAD`` operations of a query (or, with ``update``, of an
    update), read from its parse tree, each with its target and position; the same
    words in strings, IRIs, comments, variable and prefixed names do not count. A text
    that mentions either word but cannot be parsed is refused (``Refused``, 400).

    >>> remote_operations('SELECT * WHERE { ?s ?p "SERVICE" # LOAD\\n }')
    ()
    >>> remote_operations('SELECT * WHERE {\\n  service <http://example.org/sparql> { ?s ?p ?o } }')
    ('SERVICE <http://example.org/sparql> at line 2, column 3',)
    >>> remote_operations(r'SELECT * WHERE { ?s <http://e/\\u0041#> ?o } SERVICE')
    Traceback (most recent call last):
    g60kg.errors.Refused: line 1, column 40: this query mentions SERVICE or LOAD and cannot be parsed to check it (Expected end of text, found 'SERVICE')
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    expanded, structural = _expanded(text)
    if not re.search("service|load" if update else "service", expanded, re.IGNORECASE):
        return ()
    what = "update" if update else "query"
    if structural:
        offset = text.index(structural)
        raise Refused(400, f"{_position(text, offset)}: this {what} mentions SERVICE or LOAD and writes punctuation "
                           f"as an escape ({structural}); write the character itself")
    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except ParseBaseException as exc:
        reason = str(exc).split("  (at char", 1)[0]
        raise Refused(400, f"line {exc.lineno}, column {exc.col}: this {what} mentions "
                           f"SERVICE or LOAD and cannot be parsed to check it ({reason})") from exc
    return tuple(_describe(node, expanded) for node in _nodes(tree) if node.name in _REMOTE)


_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def host_names(bind: str, extra: tuple[str, ...] = ()) -> frozenset[str] | None:
    """The names a server bound to ``bind`` answers to: a loopback address, the loopback
    names; another address, that address; every address (``0.0.0.0``, ``::``), any name
    unless ``extra`` lists them. ``extra`` names are added.

    >>> sorted(host_names("127.0.0.1")), sorted(host_names("0.0.0.0", ("kg.example.org",)))
    (['127.0.0.1', '::1', 'localhost'], ['kg.example.org'])
    >>> host_names("0.0.0.0") is None
    True
    """
    names = {name.strip().lower() for name in extra if name.strip()}
    if bind in ("0.0.0.0", "::", ""):
        return frozenset(names) if names else None
    return frozenset(names | (_LOOPBACK if bind.lower() in _LOOPBACK else {bind.lower()}))


@dataclass(frozen=True)
class Policy:
    """The endpoint's rules: updates (only with a token), remote operations, and the
    time, row and memory limits of each request (``max_memory``: MB a query worker may
    hold, its query's data included; None: no limit).

    >>> policy = Policy(allow_update=True, token="s3cret")
    >>> policy.check_update("INSERT DATA { <http://e/a> <http://e/b> 1 }", "Bearer s3cret")
    >>> policy.check_update("LOAD <http://example.org/data.ttl>", "Bearer s3cret")
    Traceback (most recent call last):
    g60kg.errors.Refused: LOAD <http://example.org/data.ttl> at line 1, column 1: this server makes no requests to other hosts (start it with --allow-service to allow SERVICE and LOAD)
    """

    allow_update: bool = False
    token: str | None = None
    allow_service: bool = False
    timeout: float = 30.0
    max_rows: int = 100_000
    max_memory: int | None = 2048
    hosts: frozenset[str] | None = None

    def check_host(self, host_header: str | None) -> None:
        """Refuse a request whose ``Host`` is not a name this server answers to (``hosts``;
        None: any), so a page on another site cannot reach it through a DNS name that
        rebinds to this address.

        >>> Policy(hosts=frozenset({"127.0.0.1", "localhost"})).check_host("localhost:8060")
        >>> Policy(hosts=frozenset({"localhost"})).check_host("evil.example:8060")
        Traceback (most recent call last):
        g60kg.errors.Refused: this server answers to localhost, not to 'evil.example' (start it with --allowed-host NAME to add a name)
        """
        if self.hosts is None:
            return
        name = (host_header or "").strip().lower()
        name = name[1:].split("]", 1)[0] if name.startswith("[") else name.rsplit(":", 1)[0] if name.count(":") == 1 else name
        if name not in self.hosts:
            raise Refused(421, f"this server answers to {', '.join(sorted(self.hosts))}, not to {name!r} "
                               "(start it with --allowed-host NAME to add a name)")

    def __post_init__(self) -> None:
        if self.allow_update and not self.token:
            raise G60Error("updates need a token: give --token or set G60KG_TOKEN")
        if self.timeout <= 0 or self.max_rows < 1 or (self.max_memory is not None and self.max_memory < 1):
            raise G60Error("the time, row and memory limits must be positive")

    def check_query(self, text: str, *, update: bool = False) -> None:
        """Refuse a query (an update, with ``update``) that would make the server fetch
        from another host."""
        found = () if self.allow_service else remote_operations(text, update=update)
        if found:
            raise Refused(403, f"{'; '.join(found)}: this server makes no requests to other hosts "
                               "(start it with --allow-service to allow SERVICE and LOAD)")

    def check_update(self, text: str, authorization: str | None) -> None:
        """Refuse an update unless updates are allowed and the request carries the
        token as ``Authorization: Bearer TOKEN``; then as for a query."""
        if not self.allow_update:
            raise Refused(403, "this endpoint is read-only: updates need a server started with --allow-update "
                               "and a token")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise Refused(403, "updates need the server's token: send the header 'Authorization: Bearer TOKEN'")
        # Digests of equal length compared in constant time: the time says nothing of the token, its length included.
        digests = [hashlib.sha256(text.encode("utf-8")).digest() for text in (given.strip(), self.token or "")]
        if not hmac.compare_digest(*digests):
            raise Refused(403, "the token does not match this server's token")
        self.check_query(text, update=True)
