"""Worker processes that evaluate the endpoint's queries, and the time limit on each.

A query runs in a worker process (``g60kg/server/worker.py``) holding the store open
read-only. When a query outlives its time limit the worker is killed, which frees its
CPU at once, and a fresh worker takes its place; the other workers go on answering. An
update waits until no query runs, stops the readers, runs in a writable worker, and
starts fresh readers that see its changes. A build swaps a new store directory in
(``g60kg.store.embedded``): a worker started on the previous one is replaced before it
answers again, so every query that starts after the swap sees the new graph.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from g60kg.errors import Busy, G60Error, Refused, StoreError, TimedOut
from g60kg.server.worker import MEMORY_MESSAGE

__all__ = ["WorkerPool", "Answer"]

_SCRIPT = Path(__file__).with_name("worker.py")


@dataclass(frozen=True)
class Answer:
    """A worker's answer: HTTP status, media type and body."""

    status: int
    media_type: str
    body: bytes


def _generation(path: Path) -> tuple[int, int, int] | None:
    """Which directory sits at ``path`` now (a build's swap puts another one there), or
    None in the moment of a swap when none does. The time of its last change is part of
    it: a directory swapped in may reuse the inode number of one removed before."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_ctime_ns


class _Worker:
    """One worker process, its data held to ``max_bytes`` (None: no limit); ``ask`` sends
    a request and waits at most ``timeout`` seconds."""

    def __init__(self, path: Path, mode: str, max_bytes: int | None) -> None:
        self.generation = _generation(path)
        # -P: the script's folder is not put on sys.path, so nothing beside it shadows a module.
        # No backtrace from the query engine when the memory limit aborts it: the answer says why.
        self.process = subprocess.Popen([sys.executable, "-P", str(_SCRIPT), str(path), mode, str(max_bytes or 0)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        env={**os.environ, "RUST_BACKTRACE": "0"})
        hello = json.loads(self.process.stdout.readline() or b'{"error": "the worker did not start"}')  # type: ignore[union-attr]
        if not hello.get("ready"):
            self.stop()
            raise StoreError(hello.get("error", "the worker did not start"))
        self.killed = False

    def ask(self, request: dict[str, Any], timeout: float) -> Answer:
        timer = threading.Timer(timeout, self._expire)
        timer.start()
        try:
            self.process.stdin.write(json.dumps({**request, "timeout": timeout}).encode("utf-8") + b"\n")  # type: ignore[union-attr]
            self.process.stdin.flush()  # type: ignore[union-attr]
            header = json.loads(self.process.stdout.readline())  # type: ignore[union-attr]
            body = self.process.stdout.read(header["length"])  # type: ignore[union-attr]
        except (OSError, ValueError) as exc:
            if self.killed:
                raise TimedOut(f"the query ran past {timeout:g} s, this server's time limit, and was stopped; "
                               "narrow it or add LIMIT") from exc
            if self._aborted():
                raise Refused(503, MEMORY_MESSAGE) from exc
            raise StoreError(f"the query worker failed: {exc}") from exc
        finally:
            timer.cancel()
        return Answer(header["status"], header["type"], body)

    def _aborted(self) -> bool:
        """Whether the process ended by ``SIGABRT``, as the query engine does when an
        allocation fails at the memory limit."""
        try:
            return self.process.wait(timeout=5) == -signal.SIGABRT
        except subprocess.TimeoutExpired:
            return False

    def _expire(self) -> None:
        self.killed = True
        self.kill()

    def kill(self) -> None:
        """End the process now, whatever it is doing."""
        self.process.kill()

    def stop(self) -> None:
        """End the process: close its input (it exits), kill it if it lingers."""
        try:
            self.process.stdin.close()  # type: ignore[union-attr]
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()  # type: ignore[union-attr]


class WorkerPool:
    """``size`` read-only workers over the store directory ``path``, each holding at
    most ``max_mb`` MB of data (None: no limit).

    >>> import tempfile, pyoxigraph as ox
    >>> folder = tempfile.mkdtemp(); ox.Store(folder).flush()
    >>> pool = WorkerPool(folder, size=1)
    >>> request = {"op": "query", "text": "ASK {}", "formats": {"results": "json"}, "max_rows": 1}
    >>> pool.query(request, timeout=10).body
    b'{"head":{},"boolean":true}'
    >>> pool.close()
    """

    def __init__(self, path: str | Path, *, size: int = 2, max_mb: int | None = None) -> None:
        self.path = Path(path)
        self.size = size
        self.max_bytes = max_mb * 2**20 if max_mb else None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._writing = threading.Lock()
        self._running: set[_Worker] = set()
        self._updates = 0
        for _ in range(size):
            self._idle.put(self._start("read"))

    def state(self) -> tuple[tuple[int, int, int] | None, int]:
        """What the answers depend on besides the request: the store directory at
        ``path`` (a build swaps another one in) and the updates run through this pool.
        Two calls that give the same value bracket no change to the graph served."""
        return _generation(self.path), self._updates

    def _start(self, mode: str) -> _Worker:
        worker = _Worker(self.path, mode, self.max_bytes)
        self._running.add(worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        self._running.discard(worker)
        worker.stop()

    def query(self, request: dict[str, Any], *, timeout: float) -> Answer:
        """Evaluate a query request (see ``worker.evaluate``) in a free worker; raise
        ``Busy`` when none is free within ``timeout`` and ``TimedOut`` when the query
        runs longer than that (its worker is then replaced)."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty as exc:
            raise Busy(f"every query worker stayed busy for {timeout:g} s; try again") from exc
        now = _generation(self.path)
        if now is not None and now != worker.generation:  # a build swapped the store in: read the new one
            self._stop(worker)
            worker = self._start("read")
        try:
            answer = worker.ask(request, timeout)
        except G60Error:
            self._stop(worker)
            self._idle.put(self._start("read"))
            raise
        self._idle.put(worker)
        return answer

    def update(self, request: dict[str, Any], *, timeout: float) -> Answer:
        """Run an update alone: wait for every reader to be free, stop them, run the
        update in a writable worker (stopped, with nothing written, when it runs past
        ``timeout``), then start fresh readers."""
        with self._writing:
            readers = []
            try:
                for _ in range(self.size):
                    readers.append(self._idle.get(timeout=timeout))
            except queue.Empty as exc:
                for worker in readers:
                    self._idle.put(worker)
                raise Busy(f"queries kept the store busy for {timeout:g} s; try the update again") from exc
            for worker in readers:
                self._stop(worker)
            try:
                writer = self._start("write")
                try:
                    return writer.ask(request, timeout)
                finally:
                    self._stop(writer)
            finally:
                for _ in range(self.size):
                    self._idle.put(self._start("read"))
                self._updates += 1

    def close(self) -> None:
        """Stop every worker, busy ones included."""
        for worker in list(self._running):
            worker.kill()
            self._stop(worker)
