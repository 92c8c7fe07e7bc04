"""Benchmark of the pages: the time to write the ``graph`` page of the bundled data plus
a generated corridor (benchmarks/generate.py), against pyvis writing the same graph with
``from_nx``, and the time until the page is interactive in headless Chromium.

    python benchmarks/viz.py [--scale 20] [--runs 3] [--json rows.json] [--quick]

Sizes: S/20, S/4 and S thousand generated firms (S = ``--scale``; none above
``--max-firms``), with the platforms,
universities and alliances the generator adds; each firm is a node, so the page of S=20
has a little over 20,000 nodes. Writing is timed in three
stages — ``catalog`` (the SPARQL queries: names, quotes, cities), ``view`` (the entity
graph and its annotations), ``page`` (sizes, layout, JSON, template) — and end to end.
pyvis's ``from_nx`` grows with the square of the edges, so it runs only up to
``--pyvis-max`` nodes; its peer is the ``page`` stage, which starts from the same graph. Time to ready is ``performance.now()`` when the page sets
``window.g60ready`` (drawn, physics done), counted from navigation start, so it
includes reading and parsing the file; a filter is timed from the click that unticks
(then ticks again) the largest class to the next drawing. A page too large for its
screen draws its largest city x class groups as one node each: the table gives how many
nodes it drew first and the time to open the largest group: to its first drawing (its
members and up to 20,000 of their ties) and to the drawing with all its ties, each with
the CPU seconds of the page's main thread beside it. The 100,000-node target is
met by ``--scale 100 --max-firms 100000``. The load average is printed before and after,
with the CPU time beside the wall time (``_conditions.py``; the machine is shared,
``--busy N`` adds a controlled load). Benchmarks are not tests; CI runs ``--quick``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _conditions import Conditions, add_busy, stopwatch  # noqa: E402

TARGET_NODES, TARGET_SECONDS, TARGET_FILTER_MS = 20_000, 3.0, 300.0
TARGET_AGGREGATED_NODES = 100_000  # ready (drawn by groups) in under TARGET_SECONDS too
# Unticks the largest class, then ticks it again; ms from the click to the next drawing.
_RETICK = """async () => {
    const box = document.querySelector('#g60-classes input:not(:disabled)');
    const times = [];
    for (let i = 0; i < 2; i++) {
        const drawn = new Promise(resolve => g60.network.once('afterDrawing', resolve));
        const started = performance.now();
        box.click();
        await drawn;
        times.push(performance.now() - started);
    }
    return times;
}"""
# Opens the largest group the page drew as one node (if any): ms from the call to the next
# drawing (its members and their first ties), and how many nodes the network then holds.
_OPEN = """async () => {
    const closed = g60.closed();
    if (!closed.length) { return null; }
    const sizes = g60.model.groups.map(g => g.members);
    const largest = closed.reduce((a, b) => sizes[b] > sizes[a] ? b : a);
    const drawn = new Promise(resolve => g60.network.once('afterDrawing', resolve));
    window.g60opening = performance.now();
    g60.openGroup(largest);
    await drawn;
    return [performance.now() - window.g60opening, g60.nodes.length];
}"""
# Then waits until every tie of the opened group is in and drawn (a page adds a large
# group's ties a slice a frame): ms from the call to that drawing, and the edges then held.
_OPENED = """async () => {
    let last = performance.now();
    g60.network.on('afterDrawing', () => { last = performance.now(); });
    while (g60.pending()) { await new Promise(resolve => setTimeout(resolve, 20)); }
    await new Promise(resolve => setTimeout(resolve, 300));
    return [last - window.g60opening, g60.edges.length];
}"""
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _timed(call):  # type: ignore[no-untyped-def]
    """The value of ``call()`` and its wall and CPU seconds (``seconds``, ``cpu_s``)."""
    with stopwatch() as clock:
        value = call()
    return value, clock


def _corridor(firms: int, folder: Path):  # type: ignore[no-untyped-def]
    """The bundled graph plus a generated corridor of ``firms`` enterprises, in memory."""
    import g60kg
    from generate import write_dataset

    kg = g60kg.open_graph("memory")
    kg.build(write_dataset(firms / 1000, folder) if firms else [], validate=False)
    return kg


def _pyvis_seconds(graph, path: Path) -> float:  # type: ignore[no-untyped-def]
    """pyvis writing the same nodes and edges (labels only) with ``from_nx``."""
    import networkx as nx
    from pyvis.network import Network

    simple = nx.DiGraph()
    simple.add_nodes_from((str(n), {"label": d.get("label", str(n))}) for n, d in graph.nodes(data=True))
    simple.add_edges_from((str(u), str(v)) for u, v in graph.edges())

    def write() -> None:
        net = Network(directed=True, cdn_resources="in_line")
        net.from_nx(simple)
        net.write_html(str(path), notebook=False)

    return _timed(write)[1]["seconds"]


def write_pages(firms: int, folder: Path, runs: int, pyvis_max: int) -> tuple[dict, Path]:
    """Median wall and CPU seconds of each writing stage (``catalog``, ``catalog_cpu``, ...),
    end to end, and pyvis; the page written."""
    from g60kg.viz import graph_page, view_graph, visualize
    from g60kg.viz.catalog import fetch_catalog

    kg = _corridor(firms, folder / "firms")
    stages: dict[str, list[dict[str, float]]] = {"catalog": [], "view": [], "page": [], "total": []}
    path = folder / f"graph-{firms}.html"
    for _ in range(runs):
        catalog, clock = _timed(lambda: fetch_catalog(kg))
        stages["catalog"].append(clock)
        graph, clock = _timed(lambda: view_graph(kg, "graph", catalog=catalog))
        stages["view"].append(clock)
        stages["page"].append(_timed(lambda: graph_page(graph))[1])
        stages["total"].append(_timed(lambda: visualize(kg, "graph", path=path))[1])
    row = {name: statistics.median(c["seconds"] for c in clocks) for name, clocks in stages.items()}
    row.update({f"{name}_cpu": statistics.median(c["cpu_s"] for c in clocks) for name, clocks in stages.items()})
    row.update(firms=firms, nodes=graph.number_of_nodes(), edges=graph.number_of_edges(),
               mb=path.stat().st_size / 1e6, pyvis=None)
    if graph.number_of_nodes() <= pyvis_max:
        row["pyvis"] = statistics.median(_pyvis_seconds(graph, folder / "pyvis.html") for _ in range(runs))
    return row, path


def ready_seconds(browser, path: Path, runs: int) -> tuple[list[float], list[float], dict]:  # type: ignore[no-untyped-def]
    """Seconds from navigation start to ``window.g60ready``, one fresh page per run; the
    milliseconds of each filter (the largest class off, then on again) until drawn; and
    what the page drew first (``drawn`` nodes, ``groups`` drawn as one) and, for opening
    its largest group, the ms to the first drawing (``open_ms``, ``opened`` nodes then
    drawn) and to the drawing with all its ties (``all_ms``, ``ties`` edges then), each
    with the CPU seconds of the page's main thread (``open_cpu``, ``all_cpu``: Chromium's
    ThreadTime, which a loaded machine does not stretch as it does the wall clock), from
    the last run."""
    times: list[float] = []
    filters: list[float] = []
    drawn: dict = {}
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function("window.g60ready === true", timeout=300_000, polling=50)
        times.append(page.evaluate("window.g60readyMs") / 1000)
        drawn = {"drawn": page.evaluate("g60.nodes.length"), "groups": len(page.evaluate("g60.closed()"))}
        filters.extend(page.evaluate(_RETICK))
        session = page.context.new_cdp_session(page)
        session.send("Performance.enable")

        def thread_seconds() -> float:
            return next(m["value"] for m in session.send("Performance.getMetrics")["metrics"] if m["name"] == "ThreadTime")

        before = thread_seconds()
        opened = page.evaluate(_OPEN)
        drawn.update(open_ms=opened and opened[0], opened=opened and opened[1], open_cpu=thread_seconds() - before)
        if opened:
            complete = page.evaluate(_OPENED)
            drawn.update(all_ms=complete[0], ties=complete[1], all_cpu=thread_seconds() - before)
        page.close()
        if errors:
            raise RuntimeError(f"{path.name}: {errors[0]}")
    return times, filters, drawn


def print_tables(rows: list[dict]) -> None:
    print("\n### Writing the graph page (seconds, median)\n")
    print("| firms | nodes | edges | catalog | view | page | total | total CPU s | MB | pyvis from_nx + write_html "
          "| pyvis / page |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        pyvis = "not run (quadratic)" if r["pyvis"] is None else f"{r['pyvis']:.2f}"
        ratio = "" if r["pyvis"] is None else f"{r['pyvis'] / r['page']:.1f}x"
        print(f"| {r['firms']:,} | {r['nodes']:,} | {r['edges']:,} | {r['catalog']:.2f} | {r['view']:.2f} | "
              f"{r['page']:.2f} | {r['total']:.2f} | {r['total_cpu']:.2f} | {r['mb']:.1f} | {pyvis} | {ratio} |")
    print("\n### Time until the page is ready in headless Chromium (seconds from navigation start)\n")
    print(f"| nodes | edges | drawn first (groups) | median | min | max | vs smallest | within {TARGET_SECONDS:.0f} s "
          f"| filter off/on, slowest ms | within {TARGET_FILTER_MS:.0f} ms | open the largest group: first drawing, "
          f"ms (CPU s; nodes then) | all its ties drawn, ms (CPU s; edges then) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|")
    first = statistics.median(rows[0]["ready"])
    for r in rows:
        median = statistics.median(r["ready"])
        ok = "yes" if median <= TARGET_SECONDS else "NO"
        slowest = max(r["filter_ms"])
        opened = complete = "none closed"
        if r["open_ms"] is not None:
            opened = f"{r['open_ms']:.0f} ({r['open_cpu']:.2f}; {r['opened']:,})"
            complete = f"{r['all_ms']:.0f} ({r['all_cpu']:.2f}; {r['ties']:,})"
        print(f"| {r['nodes']:,} | {r['edges']:,} | {r['drawn']:,} ({r['groups']}) | {median:.2f} | {min(r['ready']):.2f} | "
              f"{max(r['ready']):.2f} | {median / first:.1f}x | {ok} | {slowest:.0f} | "
              f"{'yes' if slowest <= TARGET_FILTER_MS else 'NO'} | {opened} | {complete} |")


def json_rows(rows: list[dict]) -> list[dict]:
    """Rows for benchmarks/run.py: stage, engine, scale (thousands of firms), seconds."""
    out = []
    for r in rows:
        common = {"scale": r["firms"] / 1000, "nodes": r["nodes"], "edges": r["edges"]}
        out += [{"stage": "pages", "step": name, "engine": "g60kg", "seconds": r[name], "cpu_s": r[f"{name}_cpu"],
                 **common} for name in ("catalog", "view", "page", "total")]
        if r["pyvis"] is not None:
            # pyvis starts from the same graph as the page step: its peer.
            out.append({"stage": "pages", "step": "page", "engine": "pyvis", "seconds": r["pyvis"], "peer": True,
                        **common})
        out.append({"stage": "pages", "step": "browser ready", "engine": "chromium",
                    "seconds": statistics.median(r["ready"]), **common})
        out.append({"stage": "pages", "step": "filter (slowest)", "engine": "chromium",
                    "seconds": max(r["filter_ms"]) / 1000, **common})
        if r["open_ms"] is not None:
            out.append({"stage": "pages", "step": "open the largest group", "engine": "chromium",
                        "seconds": r["open_ms"] / 1000, "cpu_s": r["open_cpu"], **common})
            out.append({"stage": "pages", "step": "open the largest group, all ties", "engine": "chromium",
                        "seconds": r["all_ms"] / 1000, "cpu_s": r["all_cpu"], **common})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=20, help="thousands of generated firms at the largest size (20)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (3)")
    parser.add_argument("--pyvis-max", type=int, default=6000, help="largest graph pyvis writes (6000 nodes)")
    parser.add_argument("--json", type=Path, help="also write the measured rows as JSON to this file")
    parser.add_argument("--max-firms", type=int, default=20_000,
                        help="largest page drawn, in firms (20000: the issue's 20,000-node page)")
    parser.add_argument("--quick", action="store_true", help="scale 1 (50 to 1,000 firms), one run: a smoke run for CI")
    add_busy(parser)
    args = parser.parse_args(argv)
    if args.quick:
        args.scale, args.runs = 1, 1
    sizes = sorted({min(round(args.scale * 1000 * f), args.max_firms) for f in (1 / 20, 1 / 4, 1)})
    executable = shutil.which("chromium")
    if executable is None:
        print("chromium is not installed: bash scripts/install-system.sh", file=sys.stderr)
        return 1
    import igraph  # noqa: F401 - imported before timing, so its import is not counted
    import networkx as nx
    import pyvis
    from playwright.sync_api import sync_playwright

    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}, "
          f"networkx {nx.__version__}, pyvis {pyvis.__version__}, chromium at {executable}")
    rows = []
    with Conditions(args.busy) as conditions, tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        for firms in sizes:
            row, path = write_pages(firms, Path(tmp) / str(firms), args.runs, args.pyvis_max)
            row["ready"], row["filter_ms"], drawn = ready_seconds(browser, path, args.runs)
            row.update(drawn)
            rows.append(row)
            print(f"  {firms:,} firms: {row['nodes']:,} nodes written in {row['total']:.2f} s, "
                  f"ready in {statistics.median(row['ready']):.2f} s", file=sys.stderr)
        browser.close()
    print_tables(rows)
    print(f"\n{conditions.text()} (the browser's CPU time counts once it has closed)")
    for target in (TARGET_NODES, TARGET_AGGREGATED_NODES):
        row = next((r for r in rows if r["nodes"] >= target), None)
        if row is not None:
            median = statistics.median(row["ready"])
            print(f"\n{row['nodes']:,} nodes ready in {median:.2f} s, {row['drawn']:,} drawn first "
                  f"(target {target:,} nodes < {TARGET_SECONDS:.0f} s: {'PASS' if median < TARGET_SECONDS else 'MISS'})")
    if args.json:
        args.json.write_text(json.dumps(conditions.stamp(json_rows(rows)), indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
