"""Answers to read requests, kept for the identical requests that follow.

Most of an endpoint's traffic asks the same few things (a named query with its default
parameters, the page's entity lookups), and the graph it serves changes only when a
build swaps a new store in or an update runs. So an answer (``200`` only) is kept, keyed
by everything the request's answer depends on, together with the state of the store it
was computed from (``WorkerPool.state``); the first request that finds the state changed
drops every answer kept. Identical requests that arrive while the first of them is
being answered wait for that answer instead of each taking a query worker. The answers
kept are bounded in bytes (least recently used first out).

Everything here runs on the server's event loop, so it needs no lock.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Awaitable, Callable, Hashable

import anyio

__all__ = ["Reply", "Answers", "repeatable"]

# SPARQL's functions whose value changes from one evaluation to the next.
_CHANGING = re.compile(r"(?i)\b(?:now|rand|uuid|struuid)\s*\(")


def repeatable(text: str) -> bool:
    """Whether a query's answer is the same at each run on the same graph: not when it
    calls ``NOW``, ``RAND``, ``UUID`` or ``STRUUID``. The text is read as words, so such a
    word in a string or a comment also counts: that answer is just not kept.

    >>> repeatable("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"), repeatable("SELECT (rand() AS ?r) {}")
    (True, False)
    """
    return _CHANGING.search(text) is None


@dataclass(frozen=True)
class Reply:
    """An HTTP answer as data: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class _Flight:
    """A request being answered, and the identical requests waiting for its answer."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.reply: Reply | None = None


def _size(key: tuple[object, ...], reply: Reply) -> int:
    return len(reply.body) + sum(len(str(part)) for part in key) + 200  # 200: the entry's own overhead


class Answers:
    """At most ``max_bytes`` of answers (0: none kept, and no request waits for another),
    valid while ``state()`` gives the value it gave when they were computed.

    >>> import anyio
    >>> runs, graph = [], ["v1"]
    >>> answers = Answers(1 << 20, state=lambda: graph[0])
    >>> async def compute():
    ...     runs.append(1)
    ...     return Reply(200, "text/plain", graph[0].encode())
    >>> async def ask():
    ...     return (await answers.get(("q",), compute)).body
    >>> anyio.run(ask), anyio.run(ask), len(runs)
    (b'v1', b'v1', 1)
    >>> graph[0] = "v2"; anyio.run(ask), len(runs)
    (b'v2', 2)

    Four answers of 250 bytes fit in 2,000 (with their keys and overhead): asking a fifth
    drops the one used least recently.

    >>> small, runs = Answers(2000, state=lambda: 0), []
    >>> async def ask_each(keys):
    ...     async def compute():
    ...         runs.append(1)
    ...         return Reply(200, "text/plain", bytes(250))
    ...     for key in keys:
    ...         await small.get((key,), compute)
    >>> anyio.run(ask_each, [0, 1, 2, 3, 4, 4, 0]); len(runs)
    6
    """

    def __init__(self, max_bytes: int, *, state: Callable[[], Hashable]) -> None:
        self.max_bytes = max_bytes
        self._state = state
        self._held: Hashable = None
        self._kept: OrderedDict[tuple[object, ...], Reply] = OrderedDict()
        self._bytes = 0
        self._flights: dict[tuple[object, ...], _Flight] = {}

    async def get(self, key: tuple[object, ...], compute: Callable[[], Awaitable[Reply]]) -> Reply:
        """The answer kept for ``key``; else the answer of an identical request under way;
        else ``compute()``'s, kept when it is a ``200`` and the store did not change
        meanwhile."""
        if not self.max_bytes:
            return await compute()
        state = self._state()
        if state != self._held:
            self._kept.clear()
            self._bytes, self._held = 0, state
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            return kept
        flight = self._flights.get(key)
        if flight is not None:
            await flight.done.wait()
            if flight.reply is not None:
                return flight.reply
            return await self.get(key, compute)  # the first was cancelled: ask again
        flight = self._flights[key] = _Flight()
        try:
            flight.reply = await compute()
        finally:
            del self._flights[key]
            flight.done.set()
        if flight.reply.status == 200 and self._state() == state:
            self._keep(key, flight.reply)
        return flight.reply

    def _keep(self, key: tuple[object, ...], reply: Reply) -> None:
        size = _size(key, reply)
        if size > self.max_bytes // 4:  # one large answer never pushes out everything else
            return
        self._kept[key] = reply
        self._bytes += size
        while self._bytes > self.max_bytes:
            old_key, old = self._kept.popitem(last=False)
            self._bytes -= _size(old_key, old)
