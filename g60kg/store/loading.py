"""Loading while assembling: N-Quads chunks go to a store from threads of their own.

The loaders make chunks in Python; the store takes them on other cores (Oxigraph
releases the interpreter lock while it bulk-loads, and one bulk load keeps one core
busy, so an embedded store takes chunks on as many threads as it has cores to give).
Chunks are joined into batches of ``store.load_batch`` bytes before they are loaded: each
bulk load into the on-disk store writes its own sorted files, which the store then merges
in the background, so a few large loads cost less than many small ones; batches still
keep Oxigraph's on-disk bulk loader from buffering the whole build in memory.
"""

from __future__ import annotations

import queue
import threading
from types import TracebackType

from g60kg.store.embedded import Store

__all__ = ["BackgroundLoader"]

_DONE = object()  # tells a thread that no chunk follows


class BackgroundLoader:
    """A callable sink that hands chunks to ``store.load`` on background threads
    (``store.load_threads`` of them), joined into batches of at least
    ``store.load_batch`` bytes (the last one may be smaller); batches may land in any
    order: a store is a set.

    Use it as a context manager: leaving the block waits until every chunk is loaded and
    raises the store's first error, if any; an error inside the block stops the threads too.

    >>> from g60kg.store.embedded import LocalStore
    >>> store = LocalStore(None)
    >>> with BackgroundLoader(store) as sink:
    ...     sink(b'<http://e/a> <http://e/b> "c" <http://e/g> .\\n')
    ...     sink(b'<http://e/a> <http://e/b> "d" <http://e/g> .\\n')
    >>> len(store)
    2
    """

    def __init__(self, store: Store, depth: int = 4) -> None:
        self.store = store
        self._chunks: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._batch: list[bytes] = []
        self._size = 0
        self._threads = [threading.Thread(target=self._run, name=f"g60kg-loader-{n}", daemon=True)
                         for n in range(max(1, store.load_threads))]

    def __enter__(self) -> "BackgroundLoader":
        for thread in self._threads:
            thread.start()
        return self

    def __call__(self, chunk: bytes) -> None:
        """Add one chunk of N-Quads to the batch, and queue the batch once it is large
        enough (blocks while the queue is full)."""
        if self._error is not None:
            raise self._error
        self._batch.append(chunk)
        self._size += len(chunk)
        if self._size >= self.store.load_batch:
            self._flush()

    def _flush(self) -> None:
        if self._size:
            self._chunks.put(b"".join(self._batch))
        self._batch, self._size = [], 0

    def _run(self) -> None:
        while (chunk := self._chunks.get()) is not _DONE:
            if self._error is None:
                try:
                    self.store.load(chunk)  # type: ignore[arg-type]
                except BaseException as exc:  # handed to the producer's thread
                    self._error = self._error or exc

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self._flush()
        for _ in self._threads:
            self._chunks.put(_DONE)
        for thread in self._threads:
            thread.join()
        if kind is None and self._error is not None:
            raise self._error
