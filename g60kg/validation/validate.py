"""SHACL validation of a store against ``shapes.ttl``, as a table a curator can read."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import rdflib

from g60kg.store.results import shorten
from g60kg.validation.shacl import Constraint, compile_shapes, violations
from g60kg.ontology import ontology_path, shapes_path

__all__ = ["ValidationReport", "validate_store", "validate_graph"]

_RESULTS = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?severity ?focus ?path ?value ?message ?shape WHERE {
  ?r a sh:ValidationResult ; sh:resultSeverity ?severity ; sh:focusNode ?focus ; sh:sourceShape ?shape .
  OPTIONAL { ?r sh:resultPath ?path }
  OPTIONAL { ?r sh:value ?value }
  OPTIONAL { ?r sh:resultMessage ?message }
}"""


@dataclass
class ValidationReport:
    """The outcome of a validation: violations fail, warnings inform."""

    results: pd.DataFrame

    @property
    def violations(self) -> pd.DataFrame:
        """Results of severity Violation."""
        return self.results[self.results["severity"] == "Violation"]

    @property
    def warnings(self) -> pd.DataFrame:
        """Results of severity Warning or Info."""
        return self.results[self.results["severity"] != "Violation"]

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings allowed)."""
        return self.violations.empty

    def text(self, limit: int = 50) -> str:
        """A readable report: one line per result, violations first.

        >>> ValidationReport(pd.DataFrame(columns=["severity","focus","path","value","message","shape"])).text()
        'conforms: 0 violations, 0 warnings'
        """
        head = f"{'conforms' if self.conforms else 'does not conform'}: " \
               f"{len(self.violations)} violations, {len(self.warnings)} warnings"
        lines = [head]
        ordered = pd.concat([self.violations, self.warnings])
        for row in ordered.head(limit).itertuples():
            where = f"{row.focus}" + (f" {row.path}" if row.path else "")
            value = f" (value: {row.value})" if row.value else ""
            lines.append(f"  {row.severity}: {where}: {row.message}{value}")
        if len(ordered) > limit:
            lines.append(f"  … and {len(ordered) - limit} more")
        return "\n".join(lines)


def validate_graph(data: rdflib.Graph) -> ValidationReport:
    """Validate an rdflib graph (the union of a dataset's graphs) against the shapes,
    with the ontology's class hierarchy visible (no RDFS inference: a range would
    otherwise turn a wrong value into a right one).

    >>> g = rdflib.Graph().parse(data='''@prefix g60: <https://w3id.org/g60kg/ontology#> .
    ... <https://w3id.org/g60kg/id/obs/x> a g60:Observation .''', format="turtle")
    >>> validate_graph(g).conforms
    False
    """
    import pyshacl

    shapes = rdflib.Graph().parse(shapes_path(), format="turtle")
    ontology = rdflib.Graph().parse(ontology_path(), format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                    allow_warnings=True, abort_on_first=False)
    rows = []
    for r in report.query(_RESULTS):
        rows.append({
            "severity": str(r.severity).rsplit("#", 1)[-1],
            "focus": shorten(str(r.focus)),
            "path": shorten(str(r.path)) if r.path is not None else "",
            "value": str(r.value) if r.value is not None else "",
            "message": str(r.message) if r.message is not None else "",
            "shape": shorten(str(r.shape)),
        })
    frame = pd.DataFrame(rows, columns=["severity", "focus", "path", "value", "message", "shape"])
    return ValidationReport(frame.sort_values(["severity", "focus", "path"], ignore_index=True))


def validate_store(store) -> ValidationReport:  # type: ignore[no-untyped-def]
    """Validate everything in a store (all named graphs merged, the ontology among
    them) with the shapes compiled to SPARQL and answered by the store itself
    (``g60kg.validation.shacl``): the same results as pyshacl, without copying the graph.
    A store on a SPARQL server is validated in its embedded ``replica``.

    >>> from g60kg.store import open_store
    >>> validate_store(open_store("memory")).conforms
    True
    """
    frame = violations(store.replica, _compiled())
    return ValidationReport(frame.sort_values(["severity", "focus", "path"], ignore_index=True))


@functools.cache
def _compiled() -> list[Constraint]:
    return compile_shapes(shapes_path())
