"""The log of rows a build skipped, and why: nothing is dropped without a trace."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from g60kg.errors import InputError, Location

__all__ = ["Issue", "IssueLog"]


@dataclass(frozen=True)
class Issue:
    """One skipped row or ignored cell, with where it is and what was expected."""

    where: Location
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class IssueLog:
    """Collects issues; in strict mode the first one is raised instead.

    >>> log = IssueLog()
    >>> log.add(Location("a.csv", 4, "city"), "unknown city '火星'")
    >>> [str(i) for i in log.issues]
    ["a.csv:4:city: unknown city '火星'"]
    >>> IssueLog(strict=True).add(Location("a.csv", 4), "bad")
    Traceback (most recent call last):
    g60kg.errors.InputError: a.csv:4: bad
    """

    strict: bool = False
    issues: list[Issue] = field(default_factory=list)

    def add(self, where: Location, message: str) -> None:
        """Record a problem (or raise it, when strict)."""
        if self.strict:
            raise InputError(where, message)
        self.issues.append(Issue(where, message))

    def skipped_rows(self) -> int:
        """How many distinct rows were skipped (issues that name a row)."""
        return len({(i.where.file, i.where.row) for i in self.issues if i.where.row is not None})

    def reasons(self) -> Counter[str]:
        """Counts of issues by the kind of problem (the message up to its first quote)."""
        return Counter(i.message.split("'")[0].split(":")[0].strip() for i in self.issues)
