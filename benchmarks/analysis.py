"""Benchmark of the analysis: projection of the entity graph and every centrality,
networkx (the reference) against igraph (C), on the bundled data plus a generated table
of enterprises; and the full central-node verdict on the bundled data.

    python benchmarks/analysis.py [--rows 100000] [--small 2000] [--quick]

Two sizes: at ``--small`` firms every measure runs in both engines and the values are
compared; at ``--rows`` firms networkx's path measures (betweenness, closeness,
harmonic: one breadth-first search per node) would take hours, so their time is
estimated from a timed sample of sources and marked as such. Benchmarks are not tests;
CI runs ``--quick``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))

PATH_MEASURES = ("betweenness", "closeness", "harmonic")
MEASURES = ("degree", "eigenvector", "pagerank", *PATH_MEASURES)
SAMPLE = 100


def _corridor(rows: int, folder: Path):  # type: ignore[no-untyped-def]
    """The bundled graph plus ``rows`` generated firms, in memory."""
    import g60kg
    from firms import write_firms

    csv, _ = write_firms(rows, folder)
    kg = g60kg.open_graph("memory")
    kg.build([csv], validate=False)
    return kg


def _timed(call):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started


def _networkx(graph: nx.Graph, measure: str, estimate: bool) -> tuple[dict | None, float, bool]:
    """networkx's values and seconds; for path measures on a large graph, the seconds
    of ``SAMPLE`` sources scaled to all nodes (values None, estimated True)."""
    from g60kg.graph import centrality as c

    n = graph.number_of_nodes()
    if estimate and measure in PATH_MEASURES:
        nodes = list(graph)[:: max(1, n // SAMPLE)][:SAMPLE]
        if measure == "betweenness":
            _, seconds = _timed(lambda: nx.betweenness_centrality_subset(graph, nodes, list(graph)))
        elif measure == "closeness":
            _, seconds = _timed(lambda: [nx.closeness_centrality(graph, u=u) for u in nodes])
        else:
            _, seconds = _timed(lambda: nx.harmonic_centrality(graph, nbunch=nodes))
        return None, seconds * n / len(nodes), True
    calls = {"degree": c.degree, "eigenvector": lambda g: c.eigenvector(g, weight=None),
             "pagerank": lambda g: c.pagerank(g, weight=None), "betweenness": c.betweenness,
             "closeness": c.closeness, "harmonic": c.harmonic}
    values, seconds = _timed(lambda: calls[measure](graph))
    return values, seconds, False


def run_size(rows: int, folder: Path, *, estimate: bool) -> list[dict]:
    """Project the entity graph and time every measure in both engines."""
    import igraph  # noqa: F401 - imported before timing, so its import is not counted

    from g60kg.graph.centrality_igraph import igraph_table
    from g60kg.graph.network import entity_graph

    kg = _corridor(rows, folder)
    multi, project_s = _timed(lambda: entity_graph(kg))
    graph = nx.Graph(multi.to_undirected())
    results = [{"measure": "projection (SPARQL → networkx)", "nx_s": project_s, "ig_s": None, "diff": None,
                "estimated": False, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}]
    for measure in MEASURES:
        table, ig_s = _timed(lambda m=measure: igraph_table(graph, measures=[m], weight=None, distance=None))
        values, nx_s, estimated = _networkx(graph, measure, estimate)
        diff = None
        if values is not None:
            diff = max(abs(values[node] - table.loc[node, measure]) for node in graph)
        results.append({"measure": measure, "nx_s": nx_s, "ig_s": ig_s, "diff": diff, "estimated": estimated,
                        "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()})
    return results


def verdict_seconds() -> float:
    """The full central-node verdict on the bundled data (1,000 bootstrap resamples)."""
    import g60kg
    from g60kg.graph.verdict import central_node

    kg = g60kg.open_graph("memory")
    kg.build(validate=False)
    _, seconds = _timed(lambda: central_node(kg))
    return seconds


def print_table(title: str, results: list[dict]) -> None:
    first = results[0]
    print(f"\n### {title}: {first['nodes']:,} nodes, {first['edges']:,} edges\n")
    print("| step | networkx s | igraph s (with conversion) | networkx / igraph | max abs difference |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        nx_s = f"{r['nx_s']:.2f}" + (" (est.)" if r["estimated"] else "")
        ig_s = "" if r["ig_s"] is None else f"{r['ig_s']:.2f}"
        ratio = "" if r["ig_s"] in (None, 0) else f"{r['nx_s'] / r['ig_s']:.0f}x"
        diff = "not compared (estimated)" if r["estimated"] else ("" if r["diff"] is None else f"{r['diff']:.1e}")
        print(f"| {r['measure']} | {nx_s} | {ig_s} | {ratio} | {diff} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="firms in the large graph (100000)")
    parser.add_argument("--small", type=int, default=2_000, help="firms in the graph compared in full (2000)")
    parser.add_argument("--quick", action="store_true", help="small sizes only: a smoke run for CI")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.small = 1_000, 300
    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}, "
          f"networkx {nx.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        small = run_size(args.small, Path(tmp) / "small", estimate=False)
        print_table(f"bundled data + {args.small:,} generated firms, every measure in both engines", small)
        large = run_size(args.rows, Path(tmp) / "large", estimate=True)
        print_table(f"bundled data + {args.rows:,} generated firms (networkx path measures estimated from "
                    f"{SAMPLE} sources)", large)
    seconds = verdict_seconds()
    print(f"\nfull central-node verdict on the bundled data (1,000 bootstrap resamples): {seconds:.1f} s "
          f"(target < 30 s: {'PASS' if seconds < 30 else 'MISS'})")
    worst = max((r["diff"] for r in small if r["diff"] is not None), default=0.0)
    print(f"largest difference between the engines at the small size: {worst:.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
