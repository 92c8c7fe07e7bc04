"""Loading while assembling: N-Quads chunks go to a store from a thread of their own.

The loaders make chunks in Python; the store (Oxigraph releases the interpreter lock
while it bulk-loads) takes them on another core. Small chunks also keep Oxigraph's
on-disk bulk loader from buffering the whole build in memory.
"""

from __future__ import annotations

import queue
import threading
from types import TracebackType

from g60kg.graph.store import Store

__all__ = ["BackgroundLoader"]

_DONE = object()  # tells the thread that no chunk follows


class BackgroundLoader:
    """A callable sink that hands each chunk to ``store.load`` on a background thread.

    Use it as a context manager: leaving the block waits until every chunk is loaded and
    raises the store's error, if any; an error inside the block stops the thread too.

    >>> from g60kg.graph.store import LocalStore
    >>> store = LocalStore(None)
    >>> with BackgroundLoader(store) as sink:
    ...     sink(b'<http://e/a> <http://e/b> "c" <http://e/g> .\\n')
    >>> len(store)
    1
    """

    def __init__(self, store: Store, depth: int = 4) -> None:
        self.store = store
        self._chunks: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="g60kg-loader", daemon=True)

    def __enter__(self) -> "BackgroundLoader":
        self._thread.start()
        return self

    def __call__(self, chunk: bytes) -> None:
        """Queue one chunk of N-Quads (blocks while the queue is full)."""
        if self._error is not None:
            raise self._error
        if chunk:
            self._chunks.put(chunk)

    def _run(self) -> None:
        while (chunk := self._chunks.get()) is not _DONE:
            if self._error is None:
                try:
                    self.store.load(chunk)  # type: ignore[arg-type]
                except BaseException as exc:  # handed to the producer's thread
                    self._error = exc

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._chunks.put(_DONE)
        self._thread.join()
        if kind is None and self._error is not None:
            raise self._error
