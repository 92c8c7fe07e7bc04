"""The interface every store offers, and embedded Oxigraph: in memory or in a directory.

Every kind answers SPARQL as result bytes, loads N-Quads in bulk, dumps itself, and
offers an rdflib ``Dataset`` view (``.dataset``). Builds are atomic: ``staging()`` gives
an empty store beside the live one, and ``commit(staging)`` swaps it in only after the
caller has loaded and validated it; ``discard`` throws it away.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Mapping, Protocol

import pandas as pd
import pyoxigraph as ox
import rdflib

from g60kg.errors import StoreError
from g60kg.store.formats import GRAPH_FORMATS, serialize
from g60kg.store.lock import BuildLock
from g60kg.store.ordering import SolutionList, run_ordered
from g60kg.store.prebind import prebind
from g60kg.store.results import csv_table, solutions_frame

__all__ = ["Store", "LocalStore"]

class Store(Protocol):
    """What every kind of store offers."""

    location: str
    merged_graph: str | None  # the graph that copies every triple for queries (a server); None: the union of the graphs
    load_threads: int  # how many loads may run at once (a build loads on that many threads)
    load_batch: int  # bytes of N-Quads a build joins into one load

    def select(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> bytes:
        """SPARQL results of a SELECT/ASK query as SPARQL JSON bytes; ``bindings`` bind
        variables (by name, without ``?``) to terms, each of which must be in the
        projection: the term replaces the variable throughout the query."""

    def frame(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> pd.DataFrame:
        """The results of a SELECT/ASK query as a typed DataFrame (``g60kg.store.results``)."""

    def table(self, sparql: str) -> pd.DataFrame:
        """The results of a SELECT query as text columns (``g60kg.store.results.csv_table``:
        IRIs in full, literals by their lexical form, unbound as ``''``), for large results:
        the store writes SPARQL CSV itself and pandas' C parser reads it, with no Python
        object per term on the way."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL UPDATE."""

    def load(self, nquads: bytes | Path) -> None:
        """Add N-Quads (bytes or a file) in bulk."""

    def unload(self, nquads: bytes) -> None:
        """Remove the quads of some N-Quads (a few: this is no bulk operation)."""

    def sizes(self) -> tuple[int, int]:
        """How many quads the named graphs hold, and how many named graphs hold any."""

    def dump(self, fmt: str) -> bytes:
        """The whole dataset serialized (``nq``, ``trig``, ``jsonld``; ``ttl``/``nt`` merge graphs)."""

    def staging(self) -> "Store":
        """An empty store to build into, not yet visible."""

    def commit(self, staging: "Store") -> None:
        """Make a staging store the live one."""

    def discard(self, staging: "Store") -> None:
        """Throw a staging store away."""

    @property
    def dataset(self) -> rdflib.Dataset:
        """An rdflib view of the store."""

    @property
    def replica(self) -> "LocalStore":
        """An embedded store holding the same graph, where validation runs."""


class LocalStore:
    """Embedded Oxigraph: in memory (``path=None``) or in a directory.

    >>> s = LocalStore(None)
    >>> s.load(b'<http://e/a> <http://e/b> "c" <http://e/g> .\\n')
    >>> b'"c"' in s.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    True
    """

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.location = str(self.path) if self.path else "memory"
        self._lock: BuildLock | None = None  # a staging store's: held until commit or discard
        self.read_only = read_only
        if self.path is None:
            self._store = ox.Store()
            return
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.path)
        self._store = _open(self.path, read_only)

    @property
    def replica(self) -> "LocalStore":
        """The store itself: it is embedded already."""
        return self

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        return self._store

    # Queries see the union of all graphs (the store's own default graph among them) as
    # their default graph: a build keeps each triple in one named graph (g60kg.build.sharing).
    merged_graph = None
    # One bulk load keeps one core busy and releases the interpreter lock: load on every
    # core but the one that makes the chunks, and on two at least.
    load_threads = max(2, (os.cpu_count() or 1) - 1)
    # Each bulk load into RocksDB writes sorted files that the store later merges in the
    # background, and holds its batch sorted in memory meanwhile. A million triples on
    # disk: 5 MB loads built in 10.6 s, 8 MB loads in 10.3 s; later, 8 MB loads in 7.2 s
    # with a peak of 570-600 MB, 16 MB loads in 7.1 s with 660-710 MB.
    load_batch = 8_000_000

    def _solutions(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None
                   ) -> ox.QuerySolutions | SolutionList | ox.QueryBoolean:
        # The terms are written into the query (escaped, ``g60kg.store.prebind``) rather than
        # given as ``substitutions``: Oxigraph's planner sees a written term and starts from
        # it, while a substituted variable counts as unbound when it orders the joins
        # (entities-in-city at a million triples: 1.7 s substituted, 0.3 s written).
        # A final ORDER BY of variables is done in Python (``g60kg.store.ordering``).
        text = prebind(sparql, bindings or {})
        try:
            result = run_ordered(lambda query: self._store.query(query, use_default_graph_as_union=True), text)
        except RuntimeError as exc:
            raise StoreError(f"cannot run the query: {exc}") from exc
        if isinstance(result, ox.QueryTriples):
            raise StoreError("expected a SELECT or ASK query; use construct() for CONSTRUCT/DESCRIBE")
        return result

    def select(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> bytes:
        result = self._solutions(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return b'{"head":{},"boolean":%s}' % (b"true" if bool(result) else b"false")
        return result.serialize(format=ox.QueryResultsFormat.JSON)

    def frame(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> pd.DataFrame:
        return solutions_frame(self._solutions(sparql, bindings))

    def table(self, sparql: str) -> pd.DataFrame:
        result = self._solutions(sparql, None)
        if isinstance(result, ox.QueryBoolean):
            raise StoreError("expected a SELECT query for a table; use select() for ASK")
        return csv_table(result.serialize(format=ox.QueryResultsFormat.CSV))

    def construct(self, sparql: str, fmt: str = "ttl") -> bytes:
        """Triples of a CONSTRUCT or DESCRIBE query, serialized."""
        result = self._store.query(sparql, use_default_graph_as_union=True)
        return result.serialize(format=GRAPH_FORMATS[fmt])

    def update(self, sparql: str) -> None:
        self._store.update(sparql)

    def load(self, nquads: bytes | Path) -> None:
        if isinstance(nquads, Path):
            self._store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        elif nquads:
            self._store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)

    def unload(self, nquads: bytes) -> None:
        for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
            self._store.remove(quad)

    def sizes(self) -> tuple[int, int]:
        # Oxigraph counts its quads in a scan of one index, over twice as fast as COUNT(*).
        store = self._store
        default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        graphs = sum(1 for g in store.named_graphs() if next(store.quads_for_pattern(None, None, None, g), None))
        return len(store) - default, graphs

    def dump(self, fmt: str) -> bytes:
        default = ox.DefaultGraph()
        return serialize((q for q in self._store if q.graph_name != default), fmt)

    def __len__(self) -> int:
        return len(self._store)

    def staging(self) -> "LocalStore":
        if self.path is None:
            return LocalStore(None)
        lock = BuildLock(self.path)  # a second build is refused here, before it touches a file
        try:
            _recover(self.path, locked=True)
            stage = LocalStore(self.path.with_name(f"{self.path.name}.new-{os.getpid()}-{uuid.uuid4().hex[:8]}"))
        except BaseException:
            lock.release()
            raise
        stage._lock = lock
        return stage

    def commit(self, staging: "LocalStore") -> None:
        if self.path is None:
            self._store = staging._store
            return
        assert staging.path is not None
        staging._store.flush()
        del staging._store
        old = self.path.with_name(self.path.name + ".old")
        del self._store
        if self.path.exists():
            os.replace(self.path, old)
        os.replace(staging.path, self.path)
        shutil.rmtree(old, ignore_errors=True)
        self._store = _open(self.path, False)
        if staging._lock is not None:
            staging._lock.release()

    def discard(self, staging: "LocalStore") -> None:
        if staging.path is not None:
            del staging._store
            shutil.rmtree(staging.path, ignore_errors=True)
        if staging._lock is not None:
            staging._lock.release()

    @property
    def dataset(self) -> rdflib.Dataset:
        from oxrdflib import OxigraphStore

        return rdflib.Dataset(store=OxigraphStore(store=self._store))


def _open(path: Path, read_only: bool) -> ox.Store:
    """Oxigraph's store in ``path``; RocksDB's own words stay in the error's cause (shown
    by ``g60kg --debug``), the user reads what to do."""
    for attempt in range(50):  # a build's swap leaves the path missing for a moment
        if path.exists() or not read_only or attempt == 49:
            break
        time.sleep(0.1)
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            message = (f"the store at {path} is open for writing in another process (a build, or a Python "
                       "session); commands that only read open it read-only and need not wait")
        elif read_only and not path.exists():
            message = f"no graph at {path}: build one there first (g60kg build --store {path})"
        else:
            message = f"cannot open the store at {path}: it is not a g60kg store, or it is damaged (rebuild it)"
        raise StoreError(message) from exc


def _recover(path: Path, *, locked: bool = False) -> None:
    """Finish or undo a swap that was interrupted between its two renames, and remove
    staging directories whose build died (a running build's, named for its process, is
    left alone). Only the holder of the build lock (``locked``), or anyone while no build
    holds it, may: a running build's swap is not interrupted."""
    if not locked and BuildLock.held(path):
        return
    old = path.with_name(path.name + ".old")
    if not path.exists() and old.exists():
        os.replace(old, path)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    for stale in path.parent.glob(path.name + ".new-*") if path.parent.exists() else ():
        if not _running(stale.name.rsplit(".new-", 1)[1].split("-")[0]):
            shutil.rmtree(stale, ignore_errors=True)


def _running(pid: str) -> bool:
    """Whether the process of that id (a staging directory's owner) is alive.

    >>> _running(str(os.getpid())), _running("not-a-pid")
    (True, False)
    """
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
