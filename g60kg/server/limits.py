"""How much the endpoint takes at once: the sizes, waits and counts that bound a client,
and the gate that lets a bounded number of requests use the query workers while a
bounded queue waits, refusing the rest at once with ``503`` and ``Retry-After``."""

from __future__ import annotations

from collections import deque
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import AsyncIterator

from g60kg.errors import Busy, G60Error

__all__ = ["Limits", "Gate", "Overloaded"]


class Overloaded(Busy):
    """The queue of requests waiting for a worker is full: the request was not queued."""


@dataclass(frozen=True)
class Limits:
    """The endpoint's bounds on its clients (the query's own time and row limits are the
    ``Policy``'s).

    ``backlog``: connections the kernel holds before the server accepts them;
    ``max_connections``: connections open at once (past it, ``503`` and close);
    ``queue``: requests that wait for a query worker (past it, ``503``);
    ``queue_wait``: seconds a request waits for a worker before it gets ``503`` (a client
    told to come back soon is better served than one kept waiting);
    ``max_header_bytes``: request line and headers (past it, ``431``);
    ``max_body_bytes``: a request body (past it, ``413``);
    ``keep_alive``: seconds an idle connection stays open;
    ``read_timeout``: seconds a request may take to arrive, headers and body (past it, ``408``);
    ``send_timeout``: seconds an answer may wait for a client that takes none of it, once
    the server's send buffer is full (past it, the connection is dropped);
    ``retry_after``: the seconds a ``503`` asks a client to wait;
    ``cache_bytes``: answers kept for identical read requests (0: none kept, and identical
    requests that arrive together each run their own query).

    >>> Limits().queue >= 200
    True
    >>> Limits(queue=-1)
    Traceback (most recent call last):
    g60kg.errors.G60Error: the endpoint's limits must be positive (queue and cache_bytes may be 0)
    """

    backlog: int = 2048
    max_connections: int = 1024
    queue: int = 256
    queue_wait: float = 5.0
    max_header_bytes: int = 64 * 1024
    max_body_bytes: int = 1 << 20
    keep_alive: float = 5.0
    read_timeout: float = 30.0
    send_timeout: float = 30.0
    retry_after: int = 1
    cache_bytes: int = 64 << 20

    def __post_init__(self) -> None:
        numbers = (self.backlog, self.max_connections, self.queue_wait, self.max_header_bytes, self.max_body_bytes,
                   self.keep_alive, self.read_timeout, self.send_timeout, self.retry_after)
        if min(self.queue, self.cache_bytes) < 0 or min(numbers) <= 0:
            raise G60Error("the endpoint's limits must be positive (queue and cache_bytes may be 0)")


class _Waiter:
    """One in line: when it came, and the event that lets it in."""

    def __init__(self, since: float) -> None:
        from anyio import Event

        self.since, self.event, self.let_in = since, Event(), False


class Gate:
    """At most ``running`` holders at once and at most ``waiting`` more in line; one
    who finds the line full is refused (``Overloaded``), one who waits past ``wait``
    seconds is turned away (``Busy``).

    A freed place goes to the first in line while the line moves (its first has waited
    less than half of ``wait``), and to the last in line once it does not: under more
    requests than the workers can answer, a first-come order makes every answered
    request wait almost ``wait`` (each is let in just before it would be turned away),
    while the newest first answers most soon and turns away those that had waited
    longest, which a first-come order would have turned away too.

    >>> import anyio
    >>> async def demo():
    ...     gate = Gate(running=1, waiting=0, wait=1.0)
    ...     async with gate.slot():
    ...         try:
    ...             async with gate.slot():
    ...                 pass
    ...         except Overloaded as exc:
    ...             return str(exc)
    >>> anyio.run(demo)
    'every query worker is busy and 0 requests wait already; try again shortly'
    """

    def __init__(self, *, running: int, waiting: int, wait: float) -> None:
        self.waiting, self.wait = waiting, wait
        self._free = running
        self._line: deque[_Waiter] = deque()  # the first in line on the left

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the ``running`` places for the duration of the block."""
        from anyio import current_time, fail_after

        if self._free and not self._line:
            self._free -= 1
        elif len(self._line) >= self.waiting:
            raise Overloaded(f"every query worker is busy and {len(self._line)} requests wait already; "
                             "try again shortly")
        else:
            waiter = _Waiter(current_time())
            self._line.append(waiter)
            try:
                with fail_after(self.wait):
                    await waiter.event.wait()
            except BaseException as exc:
                if not (waiter.let_in and isinstance(exc, TimeoutError)):  # let in as its time ran out: it enters
                    self._leave(waiter)
                    if isinstance(exc, TimeoutError):
                        raise Busy(f"every query worker stayed busy for {self.wait:g} s; try again") from exc
                    raise
        try:
            yield
        finally:
            self._release()

    def _leave(self, waiter: _Waiter) -> None:
        """A waiter gives up: its place in line, or the place it was just let into."""
        if waiter.let_in:
            self._release()
        else:
            self._line.remove(waiter)

    def _release(self) -> None:
        """A place is freed: to the first in line while the line moves, else to the last."""
        from anyio import current_time

        if not self._line:
            self._free += 1
            return
        moving = current_time() - self._line[0].since < self.wait / 2
        waiter = self._line.popleft() if moving else self._line.pop()
        waiter.let_in = True
        waiter.event.set()
