"""The build: inputs → loaders → a staging store (loading as they go) → validation → swap.

Nothing touches the live graph until the new one is complete and (when strict) valid;
a failed or interrupted build leaves the previous graph as it was.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from g60kg.errors import ValidationError
from g60kg.store.loading import BackgroundLoader
from g60kg.build.sharing import share
from g60kg.build.within import write_within
from g60kg.store.counts import graph_stats
from g60kg.store.embedded import Store
from g60kg.store.kinds import open_store
from g60kg.validation.validate import ValidationReport, validate_store
from g60kg.loaders.assemble import assemble, bundled_mappings
from g60kg.loaders.mapping import TableInput
from g60kg.loaders.issues import Issue, skipped_rows
from g60kg.loaders.rdf_files import skolemize
from g60kg.ontology import PREFIXES, ontology_path, sectors_path

__all__ = ["BuildReport", "build", "ontology_nquads"]

@dataclass
class BuildReport:
    """What a build did: sizes, classes, sources, skipped rows with reasons, validation."""

    location: str
    quads: int
    graphs: int
    classes: dict[str, int]
    rows_read: Counter[str]
    issues: list[Issue]
    validation: ValidationReport | None
    seconds: float
    encodings: dict[str, str] = field(default_factory=dict)

    @property
    def skipped_rows(self) -> int:
        """How many rows were skipped (``g60kg.loaders.issues.skipped_rows``)."""
        return skipped_rows(self.issues)

    @property
    def warnings(self) -> int:
        """Issues that skipped no row (an unknown column, an entry of a mapping)."""
        return sum(i.where.row is None for i in self.issues)

    @property
    def sources(self) -> int:
        """How many source documents the graph holds."""
        return self.classes.get("Source", 0)

    def summary(self, limit: int = 20) -> str:
        """A readable summary of the build.

        >>> r = BuildReport("memory", 10, 2, {"City": 1, "Source": 1}, Counter(entities=1), [], None, 0.5)
        >>> print(r.summary())
        built memory in 0.5 s: 10 triples in 2 named graphs, 1 sources
          entities: City 1
          rows read: entities 1
          rows skipped: 0
        """
        entities = ", ".join(f"{k} {v}" for k, v in sorted(self.classes.items()) if k not in ("Source", "Statement"))
        lines = [
            f"built {self.location} in {self.seconds:.1f} s: {self.quads} triples in {self.graphs} named graphs, "
            f"{self.sources} sources",
            f"  entities: {entities}",
            "  rows read: " + ", ".join(f"{k} {v}" for k, v in sorted(self.rows_read.items())),
            f"  rows skipped: {self.skipped_rows}" + (f", other issues: {self.warnings}" if self.warnings else ""),
        ]
        for issue in self.issues[:limit]:
            lines.append(f"    {issue}")
        if len(self.issues) > limit:
            lines.append(f"    … and {len(self.issues) - limit} more")
        if self.validation is not None:
            lines.append("  validation: " + self.validation.text(limit).replace("\n", "\n  "))
        return "\n".join(lines)


def ontology_nquads() -> bytes:
    """The ontology and the sector scheme as N-Quads in the graph ``g60graph:ontology``,
    blank nodes skolemized in file order, so builds are byte-identical.

    >>> b"graph/ontology>" in ontology_nquads()
    True
    """
    graph = ox.NamedNode(PREFIXES["g60graph"] + "ontology")
    quads = []
    for path in (ontology_path(), sectors_path()):
        triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        quads += skolemize(triples, f"https://w3id.org/g60kg/ontology/{path.name}", graph)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def build(inputs: Iterable[str | Path | TableInput] = (), *, store: str | Store = "memory", strict: bool = False,
          bundled: bool = True, validate: bool = True, progress: Callable[[str], None] | None = None) -> BuildReport:
    """Build the graph from the bundled corridor data and ``inputs`` into ``store``.

    Rows that cannot be read are skipped and reported (``strict=True``: the first one
    raises ``InputError``). With ``strict``, SHACL violations also fail the build. On
    any failure the store keeps its previous graph.

    >>> report = build(store="memory")
    >>> report.issues, report.validation.conforms, report.classes["District"] >= 1
    ([], True, True)
    """
    started = time.perf_counter()
    live = open_store(store) if isinstance(store, (str, Path)) else store
    sources = [*(bundled_mappings() if bundled else []), *inputs]
    staging = live.staging()
    try:
        with BackgroundLoader(staging) as sink:
            ontology = ontology_nquads()
            sink(ontology)
            assembly = assemble(sources, sink, strict=strict, progress=progress)
            assembly.subjects.note_nquads(ontology)
            if progress:
                progress("loading")
        share(staging, assembly.subjects.shared)
        write_within(staging)
        report = _validate_and_swap(live, staging, strict=strict, validate=validate, progress=progress)
    except BaseException:
        live.discard(staging)
        raise
    quads, graphs, classes = graph_stats(live)
    return BuildReport(live.location, quads, graphs, classes, assembly.rows_read, assembly.log.issues, report,
                       time.perf_counter() - started, assembly.encodings)


def _validate_and_swap(live: Store, staging: Store, *, strict: bool, validate: bool,
                       progress: Callable[[str], None] | None) -> ValidationReport | None:
    """Validate the loaded staging store and swap it in (the caller discards it on failure)."""
    report = None
    if validate:
        if progress:
            progress("validating")
        report = validate_store(staging)
        if strict and not report.conforms:
            raise ValidationError(report.text())
    if progress:
        progress("swapping")
    live.commit(staging)
    return report
