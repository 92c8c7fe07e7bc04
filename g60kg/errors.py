"""The exceptions of g60kg: one base class, each error carrying where it happened.

Library code raises these; only ``cli.py`` turns them into one-line messages.
"""

from __future__ import annotations

from dataclasses import dataclass


class G60Error(Exception):
    """Base class of every error g60kg raises on purpose."""


@dataclass(frozen=True)
class Location:
    """Where a problem sits: a file, and optionally a row and a column.

    >>> str(Location("firms.csv", 7, "city"))
    'firms.csv:7:city'
    """

    file: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(str(self.row))
        if self.column is not None:
            parts.append(self.column)
        return ":".join(parts)


class InputError(G60Error):
    """A source file, row or cell that cannot be read as the mapping says.

    >>> str(InputError(Location("a.csv", 3, "founded"), "expected a date, got '20x8'"))
    "a.csv:3:founded: expected a date, got '20x8'"
    """

    def __init__(self, where: Location, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


class MappingError(InputError):
    """A mapping file that is malformed or names what the table does not have."""


class StoreError(G60Error):
    """A store location that cannot be opened, written or swapped."""


class BuildError(G60Error):
    """A build that was refused; the previous graph is left untouched."""


class ValidationError(BuildError):
    """A graph that violates the SHACL shapes (raised by strict builds)."""


class QueryError(G60Error):
    """A SPARQL query that cannot be parsed or run."""


class Refused(G60Error):
    """A request the endpoint does not serve (its policy, a bad query, a limit);
    ``status`` is the HTTP status it answers with.

    >>> Refused(403, "updates need a token").status
    403
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class TimedOut(G60Error):
    """A query or update that ran past the time limit and was stopped."""


class Busy(G60Error):
    """No worker became free within the time limit."""
