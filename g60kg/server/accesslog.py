"""The endpoint's access log: one JSON object per line for each request, so a log can be
read by a program (``jq``, pandas) as easily as by a person."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timezone
from typing import IO, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLog", "FIELDS"]

FIELDS = ("time", "client", "method", "path", "query", "status", "bytes", "ms")
_QUERY_CHARS = 200  # of the query string: enough to tell requests apart, not a whole query text


class AccessLog:
    """ASGI middleware that writes a line to ``stream`` when a request is answered:
    ``time`` (UTC, ISO 8601), ``client`` (address), ``method``, ``path``, ``query`` (the
    query string, cut at 200 characters), ``status``, ``bytes`` (of the body sent) and
    ``ms`` (from the request's arrival to its last byte).

    >>> import io, anyio
    >>> from starlette.responses import PlainTextResponse
    >>> log = io.StringIO()
    >>> app = AccessLog(PlainTextResponse("hello"), stream=log)
    >>> scope = {"type": "http", "method": "GET", "path": "/x", "query_string": b"a=1", "client": ("127.0.0.1", 5),
    ...          "headers": []}
    >>> async def send(message): pass
    >>> anyio.run(app, scope, None, send)
    >>> line = json.loads(log.getvalue()); (line["path"], line["query"], line["status"], line["bytes"])
    ('/x', 'a=1', 200, 5)
    """

    def __init__(self, app: ASGIApp, *, stream: IO[str]) -> None:
        self.app, self.stream = app, stream
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        line: dict[str, Any] = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "client": (scope.get("client") or ("", 0))[0], "method": scope["method"], "path": scope["path"],
            "query": scope.get("query_string", b"").decode("latin-1")[:_QUERY_CHARS], "status": 0, "bytes": 0}

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                line["status"] = message["status"]
            elif message["type"] == "http.response.body":
                line["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counted)
        finally:
            line["ms"] = round((time.perf_counter() - started) * 1000, 1)
            text = json.dumps(line, ensure_ascii=False) + "\n"
            with self._lock:
                self.stream.write(text)
                self.stream.flush()
