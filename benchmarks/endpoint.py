"""Endpoint load benchmark: ``g60kg serve`` and the Oxigraph server on the same store, under
1, 10, 50 and 200 concurrent clients, with and without slow clients holding connections.

Run from the repository root::

    python benchmarks/endpoint.py            # 10,000+ requests per server
    python benchmarks/endpoint.py --quick    # a few hundred: the CI smoke run

The bundled graph is built once by ``g60kg build`` into a store directory; ``g60kg serve``
(``--workers`` query processes) and ``oxigraph serve-read-only --union-default-graph``
(the union of the named graphs as the default graph, as g60kg queries it) both serve
that directory at once, on loopback. The clients are one asyncio process speaking plain
HTTP/1.1 over kept-alive connections (reopened when a server closes one). Each request
is drawn in turn from one mix: every named query with its default parameters (g60kg:
``/queries/NAME``; Oxigraph: the same query text, parameters bound as g60kg binds them)
and a few free queries (``/sparql`` and ``/query``), JSON results.

For each number of clients both servers are measured one after the other (so a change in
the machine's load falls on both alike): a fixed number of requests, stopped at a time
cap. A run records throughput (answered requests per second), the 50th, 95th and 99th
percentiles of the latency of answered (2xx) requests, errors (no answer, or a status
other than 2xx and 503), explicit 503s (after which a client waits as ``Retry-After``
asks), the server's CPU seconds (its process and its workers, from ``/proc``), and the
machine's load average (``_conditions.load``), since the machine may be shared. The slow
clients send a request one byte a second and never finish it; the run with them comes
right after, and is compared with, the same number of clients without. Memory is the resident size of the
server and its workers after a warm-up and after all runs. The targets are printed as
PASS or FAIL; this is a benchmark, not a test, and it exits 0 unless a server fails to
start.

The mix repeats a few dozen requests, and ``g60kg serve`` keeps the answers to identical
requests until the graph changes (``--cache``): after the warm-up almost every request
is answered from what it kept. ``--cache 0`` measures what its query workers alone give,
query for query the same work as the Oxigraph server's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, table  # noqa: E402
from _conditions import Conditions, add_busy, load  # noqa: E402

from g60kg.errors import StoreError  # noqa: E402
from g60kg.server.process import (  # noqa: E402
    free_port, g60kg_command, g60kg_env, serve_in_child, stop, wait_until_answered)

LEVELS = (1, 10, 50, 200)
SLOW_CLIENTS = 5
BESIDE_SLOW = 50  # the clients measured with and without the slow ones
REQUEST_TIMEOUT = 60.0  # seconds one request may take before it counts as an error
FREE_QUERIES = (
    'SELECT ?city ?name WHERE { ?city a g60:City ; rdfs:label ?name FILTER (lang(?name) = "zh") } ORDER BY ?city',
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class LIMIT 20",
    "ASK { g60place:songjiang ?p ?o }",
    'SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER (CONTAINS(STR(?label), "松江")) } ORDER BY ?s ?label LIMIT 50',
    "SELECT ?p ?o WHERE { g60place:jiaxing ?p ?o } ORDER BY ?p ?o LIMIT 100",
)
# requests per number of clients (and for the run with slow clients), and the time cap of a run
FULL = {"requests": {1: 200, 10: 1000, 50: 2000, 200: 5000}, "slow": 2000, "cap": 300.0}
QUICK = {"requests": {1: 5, 10: 20, 50: 50, 200: 200}, "slow": 50, "cap": 2.0}


@dataclass
class Server:
    """A running server: its name, port, process and the request targets of the mix."""

    name: str
    port: int
    process: subprocess.Popen
    targets: list[str | tuple[str, bytes]] = field(default_factory=list)

    def tree(self) -> list[int]:
        """The server's process and its descendants (the query workers)."""
        pids, found = [self.process.pid], 0
        while found < len(pids):
            pid = pids[found]
            found += 1
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    pids += [int(p) for p in task.read_text().split()]
                except OSError:  # a thread that ended since the listing
                    continue
        return pids

    def rss_mb(self) -> float:
        """Resident memory of the process tree, in MB."""
        total = 0
        for pid in self.tree():
            try:
                total += next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                              if line.startswith("VmRSS:"))
            except (OSError, StopIteration):
                continue
        return total / 1024

    def cpu_s(self) -> float:
        """CPU seconds used by the process tree, ended workers included."""
        ticks = 0
        for number, pid in enumerate(self.tree()):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if number == 0 else 0)
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        stop(self.process)


def _start(store: Path, workers: int, cache_mb: int) -> tuple[Server, Server]:
    """``g60kg serve`` and the Oxigraph server over ``store``, with their request mixes."""
    from g60kg.ontology import PROLOGUE
    from g60kg.queries import catalog
    from g60kg.store.prebind import prebind

    process, url = serve_in_child(store, "--workers", str(workers), "--cache", str(cache_mb), "--quiet")
    ours = Server("g60kg", int(url.rsplit(":", 1)[1]), process)
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    theirs_port = free_port()
    theirs = Server("oxigraph", theirs_port, subprocess.Popen(
        [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{theirs_port}",
         "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    wait_until_answered(f"http://127.0.0.1:{theirs_port}/query?query=ASK%7B%7D", theirs.process, "the Oxigraph server")
    import g60kg

    remote = g60kg.open_graph(f"{url}/sparql")  # names resolved as g60kg resolves them
    for name, query in catalog().items():
        ours.targets.append(f"/queries/{name}")
        # Posted: a named query's text can pass the 8 kB the Oxigraph server allows a request's head.
        theirs.targets.append(("/query", (PROLOGUE + prebind(query.text, query.bind({}, remote._resolve))).encode()))
    for text in FREE_QUERIES:
        ours.targets.append("/sparql?query=" + quote(text))
        theirs.targets.append("/query?query=" + quote(PROLOGUE + text))
    return ours, theirs


class _Connection:
    """One kept-alive HTTP/1.1 connection; ``get`` answers a status and the seconds its
    ``Retry-After`` asks to wait (0 when none)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, target: str | tuple[str, bytes]) -> tuple[int, float]:
        """Send ``target``: a path for a GET, or a path and a SPARQL query to POST."""
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        path, body = (target, b"") if isinstance(target, str) else target
        head = (f"{'POST' if body else 'GET'} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                "Accept: application/sparql-results+json\r\n")
        if body:
            head += f"Content-Type: application/sparql-query\r\nContent-Length: {len(body)}\r\n"
        writer.write((head + "\r\n").encode("ascii") + body)
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        headers = dict(line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line)
        if "content-length" in headers:
            await reader.readexactly(int(headers["content-length"]))
        elif "chunked" in headers.get("transfer-encoding", ""):
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readuntil(b"\r\n")
        if "close" in headers.get("connection", ""):
            self.close()
        retry = headers.get("retry-after", "0").strip()
        return status, float(retry) if retry.isdigit() else 0.0

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def _slow_client(port: int, stop: asyncio.Event) -> None:
    """Hold a connection by sending a request one byte a second; reconnect when closed."""
    request = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode("ascii")
    while not stop.is_set():
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            for byte in request[:-1]:
                writer.write(bytes([byte]))
                await writer.drain()
                try:
                    await asyncio.wait_for(stop.wait(), 1.0)
                    break
                except TimeoutError:
                    continue
            writer.close()
        except OSError:
            await asyncio.sleep(0.1)


async def _load(server: Server, clients: int, requests: int, cap: float, slow: int) -> dict:
    """``requests`` requests from ``clients`` clients (and ``slow`` slow ones), stopped
    after ``cap`` seconds: the figures of the run."""
    order: Iterator[int] = iter(range(requests))
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    deadline = time.monotonic() + cap

    async def client() -> None:
        connection = _Connection(server.port)
        for number in order:
            if time.monotonic() > deadline:
                break
            started, retry = time.perf_counter(), 0.0
            try:
                status, retry = await asyncio.wait_for(connection.get(server.targets[number % len(server.targets)]),
                                                       REQUEST_TIMEOUT)
            except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
                connection.close()
                status = 0
            statuses[status] += 1
            if 200 <= status < 300:
                latencies.append(time.perf_counter() - started)
            await asyncio.sleep(min(retry, 5.0))  # a client does as a 503's Retry-After asks
        connection.close()

    stop = asyncio.Event()
    holders = [asyncio.create_task(_slow_client(server.port, stop)) for _ in range(slow)]
    await asyncio.sleep(0.5 if slow else 0)  # the slow clients are connected before the others start
    cpu, started = server.cpu_s(), time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    seconds = time.perf_counter() - started
    stop.set()
    await asyncio.gather(*holders)
    answered = sum(n for status, n in statuses.items() if 200 <= status < 300)
    cut = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {"server": server.name, "clients": clients, "slow": slow, "requests": sum(statuses.values()),
            "answered": answered, "503": statuses[503],
            "errors": sum(n for status, n in statuses.items() if not (200 <= status < 300 or status == 503)),
            "seconds": seconds, "per_s": answered / seconds if seconds else 0.0,
            "p50": cut[49] if cut else float("nan"), "p95": cut[94] if cut else float("nan"),
            "p99": cut[98] if cut else float("nan"), "cpu_s": server.cpu_s() - cpu, "load": load()}


def _row(run: dict) -> list[str]:
    return [run["server"], str(run["clients"]), str(run["slow"]), f"{run['requests']:,}", f"{run['answered']:,}",
            str(run["503"]), str(run["errors"]), f"{run['per_s']:.1f}", f"{run['p50'] * 1000:.0f}",
            f"{run['p95'] * 1000:.0f}", f"{run['p99'] * 1000:.0f}", f"{run['cpu_s']:.1f}",
            f"{run['cpu_s'] / run['answered'] * 1000:.1f}" if run["answered"] else "", f"{run['load']:.2f}"]


def _targets(runs: list[dict], memory: dict[str, tuple[float, float]], total: dict[str, int]) -> list[str]:
    """A PASS or FAIL line for each of the endpoint's targets."""
    def find(server: str, clients: int, slow: int = 0) -> dict | None:
        return next((r for r in runs if (r["server"], r["clients"], r["slow"]) == (server, clients, slow)), None)

    most = max(LEVELS)
    ours, theirs = find("g60kg", most), find("oxigraph", most)
    plain, slowed = find("g60kg", BESIDE_SLOW), find("g60kg", BESIDE_SLOW, SLOW_CLIENTS)
    before, after = memory["g60kg"]
    checks = []
    if ours and theirs:
        checks += [(f"{most} clients: no error but explicit 503s ({ours['errors']} errors)", ours["errors"] == 0),
                   (f"{most} clients: p99 under 5 s ({ours['p99']:.2f} s)", ours["p99"] < 5),
                   (f"{most} clients: throughput at least the Oxigraph server's ({ours['per_s']:.1f} vs "
                    f"{theirs['per_s']:.1f} per s)", ours["per_s"] >= theirs["per_s"])]
    if plain and slowed:
        change = slowed["p95"] / plain["p95"] - 1 if plain["p95"] else float("nan")
        checks.append((f"{SLOW_CLIENTS} slow clients change the p95 of {BESIDE_SLOW} others by at most 20% "
                       f"({change:+.0%})",
                       abs(change) <= 0.2))
    change = after / before - 1 if before else float("nan")
    checks.append((f"memory flat within 10% after {total['g60kg']:,} requests ({before:.0f} -> {after:.0f} MB, "
                   f"{change:+.0%})", abs(change) <= 0.1))
    return [f"- {'PASS' if ok else 'FAIL'}: {text}" for text, ok in checks]


async def _measure(servers: tuple[Server, Server], plan: dict) -> tuple[list[dict], dict, dict]:
    runs: list[dict] = []
    for server in servers:  # a warm-up: every request of the mix once
        connection = _Connection(server.port)
        for target in server.targets:
            await connection.get(target)
        connection.close()
    memory = {server.name: (server.rss_mb(), 0.0) for server in servers}
    total = {server.name: 0 for server in servers}
    stages = []
    for clients, requests in plan["requests"].items():
        stages.append((clients, requests, 0))
        if clients == BESIDE_SLOW:  # right after the same clients alone, so the machine's load is alike for both
            stages.append((clients, plan["slow"], SLOW_CLIENTS))
    for clients, requests, slow in stages:
        for server in servers:
            run = await _load(server, clients, requests, plan["cap"], slow)
            total[server.name] += run["requests"]
            runs.append(run)
            print(" ".join(_row(run)), file=sys.stderr, flush=True)
    memory = {server.name: (memory[server.name][0], server.rss_mb()) for server in servers}
    return runs, memory, total


def main(argv: list[str] | None = None) -> int:
    """Build the store, start both servers, measure, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few hundred requests per server: a smoke run for CI")
    parser.add_argument("--workers", type=int, default=2, help="g60kg serve's query workers (2, its default)")
    parser.add_argument("--cache", type=int, default=64, metavar="MB",
                        help="g60kg serve's answers kept for identical requests (64, its default; 0: none kept)")
    add_busy(parser)
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="g60kg-bench-endpoint-") as tmp:
        store = Path(tmp) / "kg.oxigraph"
        subprocess.run(g60kg_command("build", "--store", str(store)), env=g60kg_env(), check=True, capture_output=True)
        try:
            servers = _start(store, args.workers, args.cache)
        except StoreError as exc:
            raise SystemExit(str(exc)) from exc
        try:
            with Conditions(args.busy) as conditions:
                runs, memory, total = asyncio.run(_measure(servers, plan))
        finally:
            for server in servers:
                server.stop()
    headers = ["server", "clients", "slow", "requests", "answered", "503", "errors", "answered/s", "p50 ms", "p95 ms",
               "p99 ms", "server CPU s", "CPU ms per answer", "load (1 min)"]
    print(f"### Endpoint under load: the bundled graph, {len(servers[0].targets)} requests in the mix\n")
    print(f"- machine: {machine()}; the machine may be shared: {conditions.text()}")
    print(f"- g60kg serve with {args.workers} workers and --cache {args.cache}; oxigraph serve-read-only "
          f"--union-default-graph; {'quick run' if args.quick else 'full run'}, time cap {plan['cap']:g} s per run\n")
    print(table(headers, [_row(run) for run in runs]))
    print("\n| server | requests | RSS after warm-up MB | RSS after all runs MB |\n|---|---:|---:|---:|")
    for name, (before, after) in memory.items():
        print(f"| {name} | {total[name]:,} | {before:.0f} | {after:.0f} |")
    print("\nTargets (they mean something only at the full run's request counts):\n")
    print("\n".join(_targets(runs, memory, total)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
