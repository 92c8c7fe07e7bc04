"""What the endpoint refuses, and the limits it puts on each request.

Read-only unless started with updates allowed and a token; no ``SERVICE`` or ``LOAD``
(either would make the server fetch from other hosts) unless allowed; a time limit and
a row limit on every query. Keywords are found by a SPARQL tokenizer that skips
strings, IRIs, comments, variables and prefixed names, so a literal containing the word
``SERVICE`` is no reason to refuse a query.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

from g60kg.errors import G60Error, Refused

__all__ = ["Policy", "remote_operations"]

_TOKEN = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''  # long strings
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''  # strings
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRIs
    r'|\#[^\n\r]*'  # comments
    r'|[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+'  # variables
    r'|@[A-Za-z]+(?:-[A-Za-z0-9]+)*'  # language tags
    r'|(?:[^\W\d][\w.\-\u00B7]*)?:(?:[\w\-.:%\u00B7]|\\[_~.\-!$&\'()*+,;=/?\#@%])*)'  # prefixed names
    r'|(?P<word>[^\W\d][\w\-]*)',
    re.UNICODE,
)
_REMOTE = {"SERVICE", "LOAD"}


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def remote_operations(text: str) -> list[str]:
    """Every ``SERVICE`` or ``LOAD`` keyword of a query or update, with its position;
    the same words inside strings, IRIs, comments, variable and prefixed names do not
    count.

    >>> remote_operations('SELECT * WHERE { ?s ?p "SERVICE" # LOAD\\n }')
    []
    >>> remote_operations('SELECT * WHERE {\\n  service <http://example.org/sparql> { ?s ?p ?o } }')
    ['SERVICE at line 2, column 3']
    >>> remote_operations("SELECT * WHERE { ?s ex:a\\\\' SERVICE <http://example.org/> { ?x ?y ?z } }")
    ['SERVICE at line 1, column 28']
    """
    return [f"{m['word'].upper()} at {_position(text, m.start())}" for m in _TOKEN.finditer(text)
            if m["word"] and m["word"].upper() in _REMOTE]


@dataclass(frozen=True)
class Policy:
    """The endpoint's rules: updates (only with a token), remote operations, and the
    time and row limits of each request.

    >>> policy = Policy(allow_update=True, token="s3cret")
    >>> policy.check_update("INSERT DATA { <http://e/a> <http://e/b> 1 }", "Bearer s3cret")
    >>> policy.check_update("LOAD <http://example.org/data.ttl>", "Bearer s3cret")
    Traceback (most recent call last):
    g60kg.errors.Refused: LOAD at line 1, column 1: this server makes no requests to other hosts (start it with --allow-service to allow SERVICE and LOAD)
    """

    allow_update: bool = False
    token: str | None = None
    allow_service: bool = False
    timeout: float = 30.0
    max_rows: int = 100_000

    def __post_init__(self) -> None:
        if self.allow_update and not self.token:
            raise G60Error("updates need a token: give --token or set G60KG_TOKEN")
        if self.timeout <= 0 or self.max_rows < 1:
            raise G60Error("the time limit and the row limit must be positive")

    def check_query(self, text: str) -> None:
        """Refuse a query that would make the server fetch from another host."""
        found = [] if self.allow_service else remote_operations(text)
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
        if not hmac.compare_digest(given.strip().encode("utf-8"), (self.token or "").encode("utf-8")):
            raise Refused(403, "the token does not match this server's token")
        self.check_query(text)
