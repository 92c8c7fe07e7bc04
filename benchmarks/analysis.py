"""Analysis benchmark on the generated corridor graph: the projection of the entity graph
against reading the same edge list from CSV, every centrality in networkx (the
reference) and igraph (C), and the central-node analysis of the whole graph.

    python benchmarks/analysis.py --scale 100     # median of 3
    python benchmarks/analysis.py --quick         # scale 1, one run: a CI smoke run

The data set of ``benchmarks/generate.py`` is built once into an on-disk store (not
timed); every measurement is then a fresh process that reports its own peak memory:

- projection: ``entity_graph`` (SPARQL → networkx ``MultiDiGraph`` with labels, classes
  and the facts behind each edge) against ``pandas.read_csv`` +
  ``networkx.from_pandas_edgelist`` of the same edges written to a CSV file (the floor);
- centrality: degree, eigenvector, PageRank, betweenness, closeness and harmonic on the
  undirected entity graph, in each engine (igraph's times include the conversion from
  networkx). Path measures (one breadth-first search per node) are exact up to
  ``EXACT_NODES`` nodes for the engine, beyond that timed on ``SAMPLE`` sources and
  scaled to all nodes, marked "(est.)". Where both are exact the values are compared.
  The path measures also run through networkx's parallel backend (nx-parallel, joblib
  on every core) when it is installed; without it their rows say so;
- central-node analysis: ``g60kg.analysis.verdict.central_node`` on the whole graph
  (city network per layer, centralities, 1,000 bootstrap resamples, null model);
- layer verdict: ``g60kg.analysis.claim.central_node_claim`` (role and one-mode layers,
  1,000 replicates of the claim model and 1,000 null corridors per layer, QAP between
  layers, core–periphery, the timeline) on the generated graph and on the bundled data.

The conditions (``_conditions.py``: the 1-minute load average before and after, CPU time
beside wall time, ``--busy N``) are printed and stored with each row: the machine is
shared, and a loaded machine's times are not comparable.

Benchmarks are not tests; CI runs ``--quick``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402
from _conditions import Conditions, stopwatch  # noqa: E402

SCRIPT = Path(__file__).resolve()
PATH_MEASURES = ("betweenness", "closeness", "harmonic")
MEASURES = ("degree", "eigenvector", "pagerank", *PATH_MEASURES)
EXACT_NODES = {"networkx": 3_000, "igraph": 20_000}
SAMPLE = 100
# Targets of the scale issue.
TARGET_PROJECTION = 1.5  # the projection within this factor of the CSV floor
TARGET_CENTRAL_NODE = 60.0  # seconds, at scale 100
TARGET_CLAIM, TARGET_CLAIM_BUNDLED = 60.0, 30.0  # seconds: the layer verdict at scale 100, and on the bundled data
PROJECTION, FLOOR = "g60kg entity_graph (SPARQL → networkx)", "CSV edge list → networkx (floor)"
CENTRAL_NODE = "g60kg central_node"
CLAIM, CLAIM_BUNDLED = "g60kg central_node_claim", "g60kg central_node_claim (bundled data)"
PARALLEL = "nx-parallel"  # networkx's "parallel" backend (joblib), optional: skipped when not installed


# -- the child jobs -------------------------------------------------------------------

def _timed(call: Callable[[], Any], factor: float = 1.0) -> tuple[Any, dict[str, float]]:
    """The value of ``call()`` and its wall and CPU seconds (``seconds``, ``cpu_s``), each
    multiplied by ``factor`` (an estimate from a sample)."""
    with stopwatch() as clock:
        value = call()
    return value, {k: v * factor for k, v in clock.items()}


def _read_edges(path: str):  # type: ignore[no-untyped-def]
    import networkx as nx
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return nx.from_pandas_edgelist(frame, "s", "o", edge_attr=["p", "sources"], edge_key="p",
                                   create_using=nx.MultiDiGraph)


def _undirected(path: str):  # type: ignore[no-untyped-def]
    import networkx as nx

    return nx.Graph(_read_edges(path).to_undirected())


def _sample(graph) -> list:  # type: ignore[no-untyped-def]
    nodes = list(graph)
    return nodes[:: max(1, len(nodes) // SAMPLE)][:SAMPLE]


def _networkx(graph, measure: str) -> tuple[dict | None, dict[str, float], bool]:  # type: ignore[no-untyped-def]
    """Values, wall and CPU seconds and whether they are estimated from ``SAMPLE`` sources."""
    import networkx as nx

    from g60kg.analysis import centrality as c

    n = graph.number_of_nodes()
    if measure in PATH_MEASURES and n > EXACT_NODES["networkx"]:
        nodes = _sample(graph)
        calls = {"betweenness": lambda: nx.betweenness_centrality_subset(graph, nodes, list(graph)),
                 "closeness": lambda: [nx.closeness_centrality(graph, u=u) for u in nodes],
                 "harmonic": lambda: nx.harmonic_centrality(graph, nbunch=nodes)}
        _, clock = _timed(calls[measure], n / len(nodes))
        return None, clock, True
    calls = {"degree": c.degree, "eigenvector": lambda g: c.eigenvector(g, weight=None),
             "pagerank": lambda g: c.pagerank(g, weight=None), "betweenness": c.betweenness,
             "closeness": c.closeness, "harmonic": c.harmonic}
    values, clock = _timed(lambda: calls[measure](graph))
    return values, clock, False


def _parallel(graph, measure: str) -> tuple[None, dict[str, float], bool]:  # type: ignore[no-untyped-def]
    """A path measure through nx-parallel: wall and CPU seconds (CPU of this process:
    joblib's workers are not counted) and whether estimated (betweenness from ``SAMPLE``
    sources, harmonic for ``SAMPLE`` nodes, scaled). Raises NotImplementedError for a
    measure the backend lacks or one it cannot sample (closeness past ``EXACT_NODES``)."""
    import networkx as nx

    n = graph.number_of_nodes()
    exact = n <= EXACT_NODES["networkx"]
    sample = None if exact else _sample(graph)
    calls = {"betweenness": lambda: nx.betweenness_centrality(graph, k=None if exact else len(sample), seed=0,
                                                              backend="parallel"),
             "closeness": lambda: nx.closeness_centrality(graph, backend="parallel"),
             "harmonic": lambda: nx.harmonic_centrality(graph, nbunch=sample, backend="parallel")}
    if not exact and measure == "closeness":
        raise NotImplementedError("closeness has no sampled form in nx-parallel")
    _, clock = _timed(calls[measure], 1.0 if exact else n / len(sample))
    return None, clock, not exact


def _igraph(graph, measure: str, converted: tuple[Any, dict[str, float]]  # type: ignore[no-untyped-def]
            ) -> tuple[Any, dict[str, float], bool]:
    """Values (a Series), wall and CPU seconds with the conversion, and whether estimated."""
    from g60kg.analysis.centrality_igraph import igraph_table

    n = graph.number_of_nodes()
    if measure in PATH_MEASURES and n > EXACT_NODES["igraph"]:
        g, convert = converted
        position = {node: i for i, node in enumerate(graph)}
        sources = [position[node] for node in _sample(graph)]
        calls = {"betweenness": lambda: g.betweenness(sources=sources),
                 "closeness": lambda: g.closeness(vertices=sources),
                 "harmonic": lambda: g.harmonic_centrality(vertices=sources)}
        _, clock = _timed(calls[measure], n / len(sources))
        return None, {k: convert[k] + v for k, v in clock.items()}, True
    table, clock = _timed(lambda: igraph_table(graph, measures=[measure], weight=None, distance=None))
    return table[measure], clock, False


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    """One measured job; returns its figures."""
    import networkx as nx  # noqa: F401 - imported before any clock starts

    import g60kg

    job = spec["job"]
    out: dict[str, Any] = {}
    if job == "projection":
        from g60kg.network.cities import entity_graph

        kg = g60kg.open_graph(spec["store"])
        graph, clock = _timed(lambda: entity_graph(kg))
        out.update(clock)
        out.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    elif job == "csv":
        graph, clock = _timed(lambda: _read_edges(spec["edges"]))
        out.update(clock)
        out.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    elif job in ("networkx", "igraph"):
        graph = _undirected(spec["edges"])
        out["measures"] = {}
        converted = None
        if job == "igraph":
            from g60kg.analysis.centrality_igraph import to_igraph

            converted = _timed(lambda: to_igraph(graph, weight=None, distance=None))
        for measure in MEASURES:
            _, clock, estimated = (_networkx(graph, measure) if job == "networkx"
                                   else _igraph(graph, measure, converted))
            out["measures"][measure] = {**clock, "estimated": estimated}
        out.update({k: sum(m[k] for m in out["measures"].values()) for k in ("seconds", "cpu_s")},
                   nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    elif job == PARALLEL:
        graph = _undirected(spec["edges"])
        out["measures"] = {}
        for measure in PATH_MEASURES:
            try:
                _, clock, estimated = _parallel(graph, measure)
            except NotImplementedError as exc:
                out["measures"][measure] = {"error": str(exc).splitlines()[0]}
                continue
            out["measures"][measure] = {**clock, "estimated": estimated}
        timed = [m for m in out["measures"].values() if "seconds" in m]
        out.update({k: sum(m[k] for m in timed) for k in ("seconds", "cpu_s")})
    elif job == "agreement":
        graph = _undirected(spec["edges"])
        out["differences"] = {}
        for measure in MEASURES:
            reference, _, estimated = _networkx(graph, measure)
            if estimated:  # timed on a sample of sources: no values to compare
                continue
            fast, _, _ = _igraph(graph, measure, (None, {}))  # exact wherever networkx is
            out["differences"][measure] = max(abs(reference[node] - fast[node]) for node in graph)
        out.update(seconds=0.0, cpu_s=0.0)
    elif job == "central-node":
        from g60kg.analysis.verdict import central_node

        kg = g60kg.open_graph(spec["store"])
        verdict, clock = _timed(lambda: central_node(kg))
        out.update(clock)
        out["verdict"] = verdict.verdict
    elif job in ("claim", "claim-bundled"):
        from g60kg.analysis.claim import central_node_claim

        kg = g60kg.open_graph(spec["store" if job == "claim" else "bundled"])
        verdict, clock = _timed(lambda: central_node_claim(kg))
        out.update(clock)
        out["verdict"] = verdict.summary
    else:
        raise SystemExit(f"unknown job {job!r}")
    out["peak_mb"] = common.peak_mb()
    return out


# -- the parent -----------------------------------------------------------------------

def _prepare(scale: float, seed: int, work: Path) -> tuple[Path, Path]:
    """Build the generated data into an on-disk store and write its entity graph's
    edges (the projection's own) to CSV."""
    import gc

    import pandas as pd

    import g60kg
    from g60kg.network.cities import entity_graph

    bundled = g60kg.open_graph(str(work / "bundled"))
    bundled.build(validate=False)
    del bundled
    store = work / "store"
    kg = g60kg.open_graph(str(store))
    kg.build(common.dataset(scale, seed, work / "data"), bundled=False, validate=False)
    graph = entity_graph(kg)
    edges = work / "edges.csv"
    pd.DataFrame([(s, key, o, "|".join(d["sources"])) for s, o, key, d in graph.edges(keys=True, data=True)],
                 columns=["s", "p", "o", "sources"]).to_csv(edges, index=False)
    del kg, graph
    gc.collect()  # the store's directory is free for the children
    return store, edges


def measure(scale: float, seed: int, runs: int) -> list[dict[str, Any]]:
    """Every measurement at one scale, as rows (stage, engine, scale, seconds, ...)."""
    work = Path(tempfile.mkdtemp(prefix="g60kg-bench-analysis-"))
    try:
        store, edges = _prepare(scale, seed, work)
        base = {"store": str(store), "edges": str(edges), "bundled": str(work / "bundled")}

        def job(name: str):  # type: ignore[no-untyped-def]
            return lambda: common.self_child(SCRIPT, {**base, "job": name})

        rows = []
        for engine, name in ((PROJECTION, "projection"), (FLOOR, "csv")):
            results, error = common.repeat(engine, runs, job(name))
            sizes = {k: results[-1][k] for k in ("nodes", "edges")} if results else {}
            rows.append(common.measured_row("projection", engine, scale, results, error, peer=engine == FLOOR,
                                            **sizes))
        for engine in ("networkx", "igraph"):
            results, error = common.repeat(f"centrality, {engine}", runs, job(engine))
            for measure in MEASURES:
                per = [{**r["measures"][measure], "peak_mb": r["peak_mb"]} for r in results]
                extra = {"nodes": results[-1]["nodes"], "edges": results[-1]["edges"],
                         "estimated": results[-1]["measures"][measure]["estimated"]} if results else {}
                rows.append(common.measured_row("centrality", engine, scale, per, error, measure=measure,
                                                peer=engine == "networkx", **extra))
        rows += _parallel_rows(scale, runs, job(PARALLEL))
        agreement, _ = common.repeat("agreement of the engines", 1, job("agreement"))
        for r in rows:
            if agreement and r["stage"] == "centrality" and r["measure"] in agreement[0]["differences"]:
                r["max_abs_difference"] = agreement[0]["differences"][r["measure"]]
        results, error = common.repeat(CENTRAL_NODE, runs, job("central-node"))
        rows.append(common.measured_row("central-node analysis", CENTRAL_NODE, scale, results, error,
                                        **({"verdict": results[-1]["verdict"]} if results else {})))
        for engine, name in ((CLAIM, "claim"), (CLAIM_BUNDLED, "claim-bundled")):
            results, error = common.repeat(engine, runs, job(name))
            rows.append(common.measured_row("layer verdict", engine, scale, results, error,
                                            **({"verdict": results[-1]["verdict"]} if results else {})))
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _parallel_rows(scale: float, runs: int, call) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The path measures through nx-parallel, or rows that say why not (not installed,
    or a measure it lacks)."""
    import importlib.util

    if importlib.util.find_spec("nx_parallel") is None:
        results, error = [], "nx-parallel is not installed (pip install nx-parallel)"
    else:
        results, error = common.repeat(f"centrality, {PARALLEL}", runs, call)
    rows = []
    for measure in PATH_MEASURES:
        figures = [r["measures"][measure] for r in results]
        per = [{**f, "peak_mb": r["peak_mb"]} for f, r in zip(figures, results) if "seconds" in f]
        why = next((f["error"] for f in figures if "error" in f), error)
        extra = {"estimated": per[-1]["estimated"]} if per else {}
        rows.append(common.measured_row("centrality", PARALLEL, scale, per, why, measure=measure, **extra))
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    """The tables of one scale and the verdict on the targets."""
    scale = rows[0]["scale"]
    by = {(r["stage"], r["engine"], r.get("measure")): r for r in rows}
    projection, floor = by[("projection", PROJECTION, None)], by[("projection", FLOOR, None)]
    lines = [f"### Projection, scale {scale:g}: {_size(projection)}", "",
             common.table(["step", "seconds", "CPU s", "peak MB", "vs the CSV floor"],
                          [[r["engine"], common.seconds_text(r), common.cpu_text(r), _mb(r),
                            common.ratio(r["seconds"], floor["seconds"])] for r in (projection, floor)]), ""]
    first = by[("centrality", "igraph", "degree")]
    lines += [f"### Centrality, scale {scale:g}: the undirected entity graph, {_size(first)}", ""]
    body = []
    for measure in MEASURES:
        nx_row, ig_row = by[("centrality", "networkx", measure)], by[("centrality", "igraph", measure)]
        parallel = by.get(("centrality", PARALLEL, measure))
        diff = nx_row.get("max_abs_difference")
        body.append([measure, common.seconds_text(nx_row), common.cpu_text(nx_row), common.seconds_text(ig_row),
                     common.cpu_text(ig_row), "" if parallel is None else common.seconds_text(parallel),
                     _mb(ig_row), common.ratio(ig_row["seconds"], nx_row["seconds"]),
                     "" if diff is None else f"{diff:.1e}"])
    lines += [common.table(["measure", "networkx s", "networkx CPU s", "igraph s (with conversion)", "igraph CPU s",
                            f"{PARALLEL} s", "igraph peak MB",
                            "igraph vs networkx", "max abs difference"], body), "",
              f"(networkx peak {_mb(by[('centrality', 'networkx', 'degree')])} MB; path measures past "
              f"{EXACT_NODES['networkx']:,} nodes for networkx, {EXACT_NODES['igraph']:,} for igraph, are timed on "
              f"{SAMPLE} sources and scaled: (est.))", ""]
    central_node = by[("central-node analysis", CENTRAL_NODE, None)]
    lines += [f"### Central-node analysis, scale {scale:g}", "",
              common.table(["step", "seconds", "CPU s", "peak MB", "verdict"],
                           [[CENTRAL_NODE + " (1,000 bootstrap resamples, null model)", common.seconds_text(central_node),
                             common.cpu_text(central_node), _mb(central_node), central_node.get("verdict", "")]]),
              "", "targets (issue):"]
    if projection["seconds"] and floor["seconds"]:
        factor = projection["seconds"] / floor["seconds"]
        lines.append(f"- projection within {TARGET_PROJECTION:g}x of the CSV floor: {factor:.2f}x → "
                     f"{'PASS' if factor <= TARGET_PROJECTION else 'MISS'}")
    seconds = central_node["seconds"]
    shown = f"{seconds:.1f} s" if seconds is not None else central_node.get("error", "not measured")
    lines.append(f"- central-node analysis under {TARGET_CENTRAL_NODE:g} s (the target is for scale 100): "
                 f"{shown} → {'PASS' if seconds is not None and seconds < TARGET_CENTRAL_NODE else 'MISS'}")
    for engine, target, where in ((CLAIM, TARGET_CLAIM, "scale 100"), (CLAIM_BUNDLED, TARGET_CLAIM_BUNDLED,
                                                                       "the bundled data")):
        row = by[("layer verdict", engine, None)]
        seconds = row["seconds"]
        shown = f"{seconds:.1f} s, {row.get('verdict', '')}" if seconds is not None else row.get("error", "not measured")
        lines.append(f"- layer verdict under {target:g} s (the target is for {where}): {shown} → "
                     f"{'PASS' if seconds is not None and seconds < target else 'MISS'}")
    return "\n".join(lines)


def _size(row: dict[str, Any]) -> str:
    return f"{row['nodes']:,} nodes, {row['edges']:,} edges" if "nodes" in row else "size unknown (not measured)"


def _mb(row: dict[str, Any]) -> str:
    return "" if row.get("peak_mb") is None else f"{row['peak_mb']:.0f}"


def main(argv: list[str] | None = None) -> int:
    """Measure at ``--scale`` and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_options(parser)
    args = common.settle(parser.parse_args(argv))
    if common.answered_as_child(args, _child):
        return 0
    started = time.perf_counter()
    with Conditions(args.busy) as conditions:
        rows = measure(args.scale, args.seed, args.repeat)
    conditions.stamp(rows)
    print(f"## g60kg analysis benchmark (median of {args.repeat})\n\nmachine: {common.machine()}; "
          f"{common.versions('networkx', 'igraph', 'pyoxigraph')}\n\n{conditions.text()}\n")
    print(report(rows))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    common.write_json(args.json, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
