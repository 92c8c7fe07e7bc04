"""The log of rows a build skipped, and why: nothing is dropped without a trace."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from g60kg.errors import InputError, Location

__all__ = ["Issue", "IssueLog", "skipped_rows"]


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
        """How many distinct rows were skipped (``skipped_rows``)."""
        return skipped_rows(self.issues)

    def reasons(self) -> Counter[str]:
        """Counts of issues by the kind of problem (the message up to its first quote)."""
        return Counter(i.message.split("'")[0].split(":")[0].strip() for i in self.issues)


def skipped_rows(issues: list[Issue]) -> int:
    """The one count of skipped rows: distinct rows that issues name (a row with two
    bad cells is one row; an issue of a whole file or column, which names no row, is a
    warning, not a skipped row).

    >>> skipped_rows([Issue(Location("a.csv", 4, "city"), "x"), Issue(Location("a.csv", 4, "founded"), "y"),
    ...               Issue(Location("a.csv", None, "colour"), "unknown column")])
    1
    """
    return len({(i.where.file, i.where.row) for i in issues if i.where.row is not None})
